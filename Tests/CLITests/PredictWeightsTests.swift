import ArgumentParser
import Foundation
import SegevalTestSupport
import Testing
@testable import segeval

/// Where `segeval predict` looks for its default weights.
@Suite("default weights lookup")
struct PredictWeightsTests {
    let tree = TemporaryTree()

    @Test("SEGEVAL_MODELS first, then share/segeval beside bin/, then the clone around the binary, then the clone it was built from")
    func candidateOrder() {
        tree.bytes("clone/models/" + PredictWeights.defaultFileName, [0])
        tree.bytes("clone/.build/release/segeval", [0])
        let candidates = PredictWeights.defaultCandidates(
            environment: ["SEGEVAL_MODELS": tree.path("mine")],
            executable: URL(fileURLWithPath: tree.path("clone/.build/release/segeval")),
            sourceFile: "/src/segeval/Sources/segeval/PredictWeights.swift")
        let expected = [
            tree.path("mine/") + PredictWeights.defaultFileName,
            tree.path("clone/.build/share/segeval/") + PredictWeights.defaultFileName,
            tree.path("clone/models/") + PredictWeights.defaultFileName,
            "/src/segeval/models/" + PredictWeights.defaultFileName,
        ].map { URL(fileURLWithPath: $0).standardizedFileURL.resolvingSymlinksInPath().path }
        #expect(candidates.map { URL(fileURLWithPath: $0).resolvingSymlinksInPath().path } == expected)
    }

    @Test("a folder above the binary without the file is not a candidate; an explicit --weights must exist")
    func noCloneAroundTheBinary() throws {
        tree.bytes("elsewhere/bin/segeval", [0])
        let candidates = PredictWeights.defaultCandidates(
            environment: [:], executable: URL(fileURLWithPath: tree.path("elsewhere/bin/segeval")),
            sourceFile: "/src/segeval/Sources/segeval/PredictWeights.swift")
        #expect(candidates.count == 2)
        #expect(candidates.last == "/src/segeval/models/" + PredictWeights.defaultFileName)
        do {
            _ = try PredictWeights.resolve(tree.path("missing.safetensors"))
            Issue.record("a missing --weights file was accepted")
        } catch let error as ValidationError {
            #expect(error.message == "\(tree.path("missing.safetensors")): no such weights file")
        }
    }

    @Test("--weights naming a folder or a FIFO, and a FIFO slice, are errors naming them (no NSCocoaErrorDomain, no hang)")
    func specialWeightsAndSlices() throws {
        let fixture = SharedData.packageRoot + "/fixtures/cosup-small"
        tree.bytes("imgs/keep.txt", [0])
        #expect(mkfifo(tree.path("w.safetensors"), 0o600) == 0)
        for weights in [tree.path("imgs"), tree.path("w.safetensors")] {
            let outcome = try CommandRunner.run(["predict", "--weights", weights, "--images", fixture + "/input.png", "--out", tree.path("o"), "-q"])
            #expect(outcome.status != 0)
            #expect(outcome.standardError.contains("\(weights): a "), "\(outcome.standardError)")
            #expect(!outcome.standardError.contains("NSCocoaErrorDomain"))
        }
        #expect(mkfifo(tree.path("imgs/1.png"), 0o600) == 0)
        let slice = try CommandRunner.run(["predict", "--weights", fixture + "/weights.safetensors", "--size", "32",
                                           "--images", tree.path("imgs"), "--out", tree.path("o"), "-q"])
        #expect(slice.status != 0)
        #expect(slice.standardError.contains("\(tree.path("imgs/1.png")): a FIFO (named pipe)"), "\(slice.standardError)")
        #expect(!FileManager.default.fileExists(atPath: tree.path("o")))
    }
}
