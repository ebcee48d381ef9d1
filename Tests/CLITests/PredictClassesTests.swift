import Foundation
import ImageIO
import SegevalTestSupport
import Testing

/// `segeval predict --classes`: the per-class network writes the published Results layout, which
/// `segeval evaluate` reads as it is; wrong weights or options are named.
@Suite("predict --classes (command line)")
struct PredictClassesTests {
    let tree = TemporaryTree()
    static let classes = SharedData.packageRoot + "/fixtures/cosup-classes-small/weights.safetensors"
    static let binary = SharedData.packageRoot + "/fixtures/cosup-small/weights.safetensors"
    static let slice = SharedData.packageRoot + "/fixtures/cosup-classes-small/input.png"

    func predict(_ extra: [String]) throws -> CommandRunner.Outcome {
        try CommandRunner.run(["predict", "--size", "32", "--images", tree.path("Imgs")] + extra)
    }

    @Test("maps per class in OUT/<class>/CoSupNet/, at the slice's size; evaluate reads them against a label map")
    func layoutAndEvaluation() throws {
        for name in ["a", "b"] { tree.bytes("Imgs/\(name).png", [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.slice)))) }
        let outcome = try predict(["--classes", "--weights", Self.classes, "--out", tree.path("OUT"), "-q"])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        for folder in ["Ground-glass opacities/CoSupNet", "Consolidation/CoSupNet"] {
            #expect(try FileManager.default.contentsOfDirectory(atPath: tree.path("OUT/" + folder)).sorted() == ["a.png", "b.png"])
            let map = try PNGCodec.read(path: tree.path("OUT/\(folder)/a.png"))
            #expect(map.width == 40 && map.height == 48 && map.colorKind == .gray && map.bitDepth == 8)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: tree.path("OUT")).sorted() == ["Consolidation", "Ground-glass opacities"])
        // A label map GT (0 background, 1 GGO, 2 consolidation), as MultiClassInfection-Test/GT.
        let labels = (0..<(48 * 40)).map { UInt8($0 % 40 < 15 ? 0 : ($0 / 40 < 24 ? 1 : 2)) }
        for name in ["a", "b"] { tree.gray("Set/GT/\(name).png", width: 40, height: 48, labels) }
        let evaluation = try CommandRunner.run(["--pred", tree.path("OUT"), "--gt", tree.path("Set"), "--metrics", "dice", "-q"])
        #expect(evaluation.status == 0, "\(evaluation.standardError)")
        #expect(evaluation.standardOutput.contains("Ground-glass opacities") && evaluation.standardOutput.contains("Consolidation"))
        #expect(evaluation.standardOutput.components(separatedBy: "CoSupNet").count == 3, "\(evaluation.standardOutput)")
    }

    @Test("binary weights with --classes, per-class weights without it, and --side-outputs with it are named errors; nothing is written")
    func mismatches() throws {
        tree.bytes("Imgs/a.png", [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.slice))))
        let binary = try predict(["--classes", "--weights", Self.binary, "--out", tree.path("OUT")])
        #expect(binary.status != 0)
        #expect(binary.standardError.contains("binary weights (out1 has 1 channel); --classes needs the per-class network's weights"), "\(binary.standardError)")
        let perClass = try predict(["--weights", Self.classes, "--out", tree.path("OUT")])
        #expect(perClass.status != 0)
        #expect(perClass.standardError.contains("per-class weights (out1 has 3 channels"), "\(perClass.standardError)")
        #expect(perClass.standardError.contains("add --classes"))
        let sides = try predict(["--classes", "--side-outputs", "--weights", Self.classes, "--out", tree.path("OUT")])
        #expect(sides.status != 0)
        #expect(sides.standardError.contains("--side-outputs is for the binary network"), "\(sides.standardError)")
        #expect(!FileManager.default.fileExists(atPath: tree.path("OUT")))
    }

    @Test("an unreadable slice leaves no class folder behind")
    func allOrNothing() throws {
        tree.bytes("Imgs/a.png", [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.slice))))
        tree.bytes("Imgs/b.png", Array("not a png".utf8))
        let outcome = try predict(["--classes", "--weights", Self.classes, "--out", tree.path("OUT/run")])
        #expect(outcome.status != 0)
        #expect(!FileManager.default.fileExists(atPath: tree.path("OUT")), "the created folders were left behind")
    }
}
