import Foundation
import SegevalTestSupport
import Testing

/// No command writes over an input or into an input folder, whatever path spells it
/// (issue 14, section 1). Each case failed on main before `ProtectedInputs`: the PDF replaced a
/// GT mask, cells went into a prediction folder, six files into --pred, a map beside a JPEG slice.
@Suite("outputs never touch inputs (command line)")
struct InputProtectionTests {
    let tree = TemporaryTree()
    static let fixture = SharedData.packageRoot + "/fixtures/cosup-small"

    /// GT/1.png, GT/2.png; Pred/Net/{1,2}.png; Imgs/{1,2}.jpg; `link` -> Imgs.
    func makeData() throws {
        let gt: [UInt8] = (0..<64).map { ($0 / 8 >= 2 && $0 / 8 < 6 && $0 % 8 >= 2 && $0 % 8 < 6) ? 255 : 0 }
        let jpeg = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.fixture + "/color.jpg")))
        for name in ["1", "2"] {
            tree.gray("GT/\(name).png", width: 8, height: 8, gt)
            tree.gray("Pred/Net/\(name).png", width: 8, height: 8, gt.map { $0 == 255 ? 200 : 30 })
            tree.bytes("Imgs/\(name).jpg", jpeg)
        }
        try FileManager.default.createSymbolicLink(atPath: tree.path("link"), withDestinationPath: tree.path("Imgs"))
    }

    /// Every file below the tree with its bytes (links not followed), to show nothing changed.
    func snapshot() throws -> [String: Data] {
        var files: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(atPath: tree.root)!
        while let relative = enumerator.nextObject() as? String {
            let path = tree.path(relative)
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            if attributes[.type] as? FileAttributeType == .typeRegular {
                files[relative] = try Data(contentsOf: URL(fileURLWithPath: path))
            } else {
                files[relative] = Data()
            }
        }
        return files
    }

    func expectRefused(_ arguments: [String], naming input: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let before = try snapshot()
        let outcome = try CommandRunner.run(arguments + ["-q"])
        #expect(outcome.status != 0, "\(arguments)", sourceLocation: sourceLocation)
        #expect(outcome.standardError.contains(input), "\(arguments): \(outcome.standardError)", sourceLocation: sourceLocation)
        #expect(outcome.standardError.contains("choose another path"), "\(outcome.standardError)", sourceLocation: sourceLocation)
        #expect(try snapshot() == before, "\(arguments) changed the tree", sourceLocation: sourceLocation)
    }

    @Test("report --out on a GT mask or a CT slice (any spelling) is refused; nothing written")
    func reportOutOnAnInput() throws {
        try makeData()
        let evaluation = ["report", "--pred", tree.path("Pred"), "--gt", tree.path("GT"), "--images", tree.path("Imgs")]
        try expectRefused(evaluation + ["--out", tree.path("GT/1.png")], naming: "inside the --gt folder")
        try expectRefused(evaluation + ["--out", tree.path("Imgs/../Imgs/./1.jpg")], naming: "inside the --images folder")
        try expectRefused(evaluation + ["--out", tree.path("link/1.jpg")], naming: "inside the --images folder")
        try expectRefused(evaluation + ["--out", tree.path("Pred/Net/new.pdf")], naming: "inside the --pred folder")
    }

    @Test("report --png-dir in a prediction folder, or a new folder inside one, is refused")
    func reportCellsIntoPredictions() throws {
        try makeData()
        let evaluation = ["report", "--pred", tree.path("Pred"), "--gt", tree.path("GT"), "--out", tree.path("r.pdf")]
        try expectRefused(evaluation + ["--png-dir", tree.path("Pred/Net")], naming: "inside the --pred folder")
        try expectRefused(evaluation + ["--png-dir", tree.path("Pred/Net/cells")], naming: "inside the --pred folder")
        try expectRefused(evaluation + ["--png-dir", tree.path("GT")], naming: "is the --gt folder")
    }

    @Test("report --from: the PDF may not replace summary.json")
    func reportOverItsSummary() throws {
        try makeData()
        let evaluate = try CommandRunner.run(["--pred", tree.path("Pred"), "--gt", tree.path("GT"), "--out", tree.path("eval"), "-q"])
        #expect(evaluate.status == 0, "\(evaluate.standardError)")
        try expectRefused(["report", "--from", tree.path("eval/summary.json"), "--out", tree.path("eval/./summary.json")],
                          naming: "is the --from file")
    }

    @Test("evaluate --out at --pred, --gt or inside them is refused")
    func evaluateOutIntoInputs() throws {
        try makeData()
        let evaluation = ["--pred", tree.path("Pred"), "--gt", tree.path("GT")]
        try expectRefused(evaluation + ["--out", tree.path("Pred")], naming: "is the --pred folder")
        try expectRefused(evaluation + ["--out", tree.path("Pred/Net")], naming: "inside the --pred folder")
        try expectRefused(evaluation + ["--out", tree.path("GT/../GT")], naming: "is the --gt folder")
        try expectRefused(evaluation + ["--out", tree.path("GT/eval")], naming: "inside the --gt folder")
        // Beside the inputs is fine.
        let fine = try CommandRunner.run(evaluation + ["--out", tree.path("eval"), "-q"])
        #expect(fine.status == 0, "\(fine.standardError)")
    }

    @Test("predict --out at the images folder by any path, or inside it, is refused, even beside JPEG slices")
    func predictIntoImages() throws {
        try makeData()
        let predict = ["predict", "--weights", Self.fixture + "/weights.safetensors", "--size", "32", "--images", tree.path("Imgs")]
        for out in ["Imgs", "Imgs/../Imgs/.", "link", "new/../Imgs", "Imgs/maps"] {
            try expectRefused(predict + ["--out", tree.path(out)], naming: "--images folder")
        }
        // One slice file given: its folder is the images folder all the same.
        try expectRefused(["predict", "--weights", Self.fixture + "/weights.safetensors", "--size", "32",
                           "--images", tree.path("Imgs/1.jpg"), "--out", tree.path("Imgs")], naming: "--images folder")
        let fine = try CommandRunner.run(predict + ["--out", tree.path("maps"), "-q"])
        #expect(fine.status == 0, "\(fine.standardError)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: tree.path("maps")).sorted() == ["1.png", "2.png"])
    }

    @Test("predict replaces its own earlier maps, and refuses other files (e.g. GT masks) in --out unless --force")
    func predictOverOtherFiles() throws {
        try makeData()
        let predict = ["predict", "--weights", Self.fixture + "/weights.safetensors", "--size", "32", "--images", tree.path("Imgs")]
        let first = try CommandRunner.run(predict + ["--out", tree.path("maps"), "-q"])
        #expect(first.status == 0, "\(first.standardError)")
        let again = try CommandRunner.run(predict + ["--out", tree.path("maps"), "-q"])
        #expect(again.status == 0, "re-running into its own output: \(again.standardError)")

        // A folder of masks given as --out (here a copy of GT, 1.png and 2.png): refused, untouched.
        for name in ["1", "2"] {
            tree.bytes("masks/\(name).png", [UInt8](try Data(contentsOf: URL(fileURLWithPath: tree.path("GT/\(name).png")))))
        }
        let before = try snapshot()
        let refused = try CommandRunner.run(predict + ["--out", tree.path("masks"), "-q"])
        #expect(refused.status != 0)
        #expect(refused.standardError.contains("2 file(s) there would be replaced that segeval predict did not write"), "\(refused.standardError)")
        #expect(refused.standardError.contains("--force"))
        #expect(try snapshot() == before)
        let forced = try CommandRunner.run(predict + ["--out", tree.path("masks"), "--force", "-q"])
        #expect(forced.status == 0, "\(forced.standardError)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: tree.path("masks/1.png"))) == Data(contentsOf: URL(fileURLWithPath: tree.path("maps/1.png"))))
    }
}
