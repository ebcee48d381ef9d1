import Foundation
import SegevalTestSupport
import Testing

/// Ctrl-C in the middle of `segeval predict`: the staged maps are removed, nothing is left behind.
@Suite("Interrupting a command")
struct InterruptTests {
    @Test("SIGINT during predict: exit 130, no map and no temporary file left, the output folder it created removed")
    func interruptedPredict() throws {
        let tree = TemporaryTree()
        // Enough slices (the default network takes ~0.1 s each on 2 cores) to interrupt mid-run.
        let slice = try Data(contentsOf: URL(fileURLWithPath: SharedData.packageRoot + "/fixtures/demo/Imgs/18.jpg"))
        for index in 0..<300 { tree.bytes("Imgs/\(index).jpg", [UInt8](slice)) }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandRunner.executable)
        process.arguments = ["predict", "--images", tree.path("Imgs"), "--out", tree.path("out/maps"), "-q"]
        process.standardError = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // Wait until some maps are staged (hidden temporary files in out/), then interrupt.
        let deadline = Date().addingTimeInterval(60)
        var staged = 0
        while process.isRunning && Date() < deadline {
            staged = ((try? FileManager.default.contentsOfDirectory(atPath: tree.path("out/maps"))) ?? []).count
            if staged >= 3 { break }
            usleep(20_000)
        }
        #expect(process.isRunning, "predict finished before it could be interrupted")
        #expect(staged >= 3)
        process.interrupt()
        process.waitUntilExit()
        #expect(process.terminationStatus == 130)
        #expect(!FileManager.default.fileExists(atPath: tree.path("out")))
        #expect(try FileManager.default.contentsOfDirectory(atPath: tree.path("Imgs")).count == 300)
    }
}
