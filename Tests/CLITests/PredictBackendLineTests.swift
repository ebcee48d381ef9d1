import Foundation
import SegevalTestSupport
import Testing

/// `segeval predict` names the instruction set and kernels it runs with on standard error (not
/// with -q), and `--benchmark` prints the same line; `ONEDNN_MAX_CPU_ISA` caps both oneDNN and
/// segeval's own kernels.
@Suite("predict: the instruction-set line")
struct PredictBackendLineTests {
    static let fixture = SharedData.packageRoot + "/fixtures/cosup-small"
    static let arguments = ["predict", "--weights", fixture + "/weights.safetensors", "--images", fixture + "/input.png", "--size", "32"]

    static func backendLine(_ text: String) -> String? {
        text.split(separator: "\n").map(String.init).first { $0.hasPrefix("cpu: ") }
    }

    @Test("named without -q, silent with -q, printed by --benchmark; SSE41 and AVX caps reach the Winograd kernels")
    func line() throws {
        let tree = TemporaryTree()
        let plain = try CommandRunner.run(Self.arguments + ["--out", tree.path("a")], environment: ["ONEDNN_MAX_CPU_ISA": nil])
        #expect(plain.status == 0, "\(plain.standardError)")
        let line = try #require(Self.backendLine(plain.standardError), "\(plain.standardError)")
        #expect(line.contains(" thread") && line.contains("; 3x3 convolutions: winograd (") && line.contains("post-ops"), "\(line)")

        // Idle OpenMP threads spin briefly, then sleep, unless the user chose otherwise (the command
        // re-executes itself with GOMP_SPINCOUNT=1000 before libgomp reads it, unless that or
        // OMP_WAIT_POLICY is set).
        let two = try CommandRunner.run(Self.arguments + ["--out", tree.path("p"), "--threads", "2"],
                                        environment: ["OMP_WAIT_POLICY": nil, "GOMP_SPINCOUNT": nil])
        #expect(Self.backendLine(two.standardError)?.contains("2 threads, spin 1000 then wait;") == true, "\(two.standardError)")
        let active = try CommandRunner.run(Self.arguments + ["--out", tree.path("q"), "--threads", "2"],
                                           environment: ["OMP_WAIT_POLICY": "active", "GOMP_SPINCOUNT": nil])
        #expect(Self.backendLine(active.standardError)?.contains("2 threads, active wait;") == true, "\(active.standardError)")
        let spin = try CommandRunner.run(Self.arguments + ["--out", tree.path("s"), "--threads", "2"],
                                         environment: ["OMP_WAIT_POLICY": nil, "GOMP_SPINCOUNT": "20000"])
        #expect(Self.backendLine(spin.standardError)?.contains("2 threads, spin 20000 then wait;") == true, "\(spin.standardError)")

        let quiet = try CommandRunner.run(Self.arguments + ["--out", tree.path("b"), "-q"])
        #expect(quiet.status == 0 && Self.backendLine(quiet.standardError) == nil, "\(quiet.standardError)")

        let benchmark = try CommandRunner.run(Self.arguments + ["--benchmark", "1", "-q"])
        #expect(benchmark.status == 0 && Self.backendLine(benchmark.standardError) == line, "\(benchmark.standardError)")

        for (cap, expected) in [("SSE41", "cpu: sse41, "), ("AVX", "cpu: avx, ")] {
            let capped = try CommandRunner.run(Self.arguments + ["--out", tree.path("c" + cap), "--threads", "1"],
                                               environment: ["ONEDNN_MAX_CPU_ISA": cap])
            let cappedLine = try #require(Self.backendLine(capped.standardError), "\(capped.standardError)")
            #expect(cappedLine.hasPrefix(expected + "1 thread; nChw8c; 3x3 convolutions: winograd (\(cap == "AVX" ? "avx" : "portable") kernels, F(2x2,3x3))"),
                    "\(cappedLine)")
        }
    }
}
