import Foundation
import Output
import SegevalTestSupport
import Testing

@Suite("ProtectedInputs: outputs are neither inputs nor inside input folders")
struct ProtectedInputsTests {
    let tree = TemporaryTree()

    func inputs() throws -> ProtectedInputs {
        tree.bytes("in/GT/1.png", [1])
        tree.bytes("in/list.txt", [2])
        tree.bytes("other/x", [3])
        try FileManager.default.createSymbolicLink(atPath: tree.path("gtlink"), withDestinationPath: tree.path("in/GT"))
        var inputs = ProtectedInputs()
        inputs.add(tree.path("in/GT"), option: "--gt")
        inputs.add(tree.path("in/list.txt"), option: "--from")
        inputs.add(tree.path("missing"), option: "--images")  // nothing there: nothing protected
        return inputs
    }

    @Test("an input file or folder itself, by any spelling")
    func theInputItself() throws {
        let inputs = try inputs()
        for path in [tree.path("in/GT"), tree.path("in/GT/."), tree.path("in/../in/GT"), tree.path("gtlink"), tree.path("new/../in/GT")] {
            #expect(throws: OutputError(path: path, reason: .isAnInput("--gt folder \(tree.path("in/GT"))"))) { try inputs.check(path) }
        }
        #expect(throws: OutputError(path: tree.path("in/./list.txt"), reason: .isAnInput("--from file \(tree.path("in/list.txt"))"))) {
            try inputs.check(tree.path("in/./list.txt"))
        }
    }

    @Test("anything inside an input folder, existing or not, at any depth")
    func insideAnInputFolder() throws {
        let inputs = try inputs()
        for path in [tree.path("in/GT/1.png"), tree.path("in/GT/new.pdf"), tree.path("gtlink/a/b/c"), tree.path("in/GT/a/../b")] {
            #expect(throws: OutputError(path: path, reason: .insideAnInput("--gt folder \(tree.path("in/GT"))"))) { try inputs.check(path) }
        }
    }

    @Test("beside, above or away from the inputs is fine; a missing input protects nothing")
    func elsewhere() throws {
        let inputs = try inputs()
        for path in [tree.path("in/out"), tree.path("in"), tree.path("other/x"), tree.path("in/GT/../out.pdf"), tree.path("missing/out")] {
            try inputs.check(path)
        }
    }
}
