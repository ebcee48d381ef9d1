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
}
