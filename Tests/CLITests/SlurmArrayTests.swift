import Foundation
import SegevalTestSupport
import Testing

/// The shipped SLURM script on a real single-node cluster (scripts/slurm/test-local-cluster.sh):
/// a job array of shards and the dependent merge, compared with a single run byte for byte.
/// Needs Debian's slurm-wlm and root (CI has both: .ci/run installs it); skipped otherwise.
@Suite("SLURM job array (local single-node cluster)",
       .enabled(if: LocalSlurm.available, "slurm-wlm is not installed or this is not root (CI installs it: scripts/install-deps.sh --with-slurm)"))
struct SlurmArrayTests {
    @Test("scripts/slurm/evaluate-array.sbatch: 3 array tasks + merge equal a single run")
    func jobArray() throws {
        let root = SharedData.packageRoot
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [root + "/scripts/slurm/test-local-cluster.sh", CommandRunner.executable,
                             root + "/fixtures/demo/Results", root + "/fixtures/demo/GT", "3"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(text.contains("equal to a single run (3 parts, 6 files)"), "\(text)")
    }
}

enum LocalSlurm {
    static var available: Bool {
        getuid() == 0 && ["/usr/sbin/slurmctld", "/usr/sbin/slurmd", "/usr/bin/sbatch"].allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
