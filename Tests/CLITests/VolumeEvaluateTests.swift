import Foundation
import SegevalTestSupport
import Testing

/// `segeval --pred VOLUMES --gt VOLUMES`, end to end: pairing by name, every convention's values
/// against the libraries' own (fixtures/distances/reference.json), grids, labels, thresholds,
/// refusals and the output files.
@Suite("segeval evaluate on NIfTI volumes (command line)")
struct VolumeEvaluateTests {
    let tree = TemporaryTree()
    static let fixtures = SharedData.packageRoot + "/fixtures/distances"
    static let cases = ["blobs", "labels", "probability", "empty_pred"]

    /// nnU-Net's layout: predictions with the GT's names, and its other files beside them.
    func makeData() throws {
        for name in Self.cases {
            tree.bytes("gt/\(name).nii.gz", Array(try Data(contentsOf: URL(fileURLWithPath: Self.fixtures + "/\(name)_gt.nii.gz"))))
            tree.bytes("pred/\(name).nii.gz", Array(try Data(contentsOf: URL(fileURLWithPath: Self.fixtures + "/\(name)_pred.nii.gz"))))
        }
        tree.bytes("pred/plans.json", Array("{}".utf8))
        tree.bytes("pred/dataset.json", Array("{}".utf8))
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    static func images(_ document: [String: Any]) throws -> [[String: Any]] {
        let models = try #require(document["models"] as? [[String: Any]])
        return try #require(models.first?["images"] as? [[String: Any]])
    }

    /// The library's value, or nil where it raised or has none.
    static func reference(_ caseName: String, _ label: Int, _ library: String, _ key: String) throws -> Any? {
        let data = try #require(FileManager.default.contents(atPath: fixtures + "/reference.json"))
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let cases = try #require(root["cases"] as? [String: [String: Any]])
        let labels = try #require(cases[caseName]?["labels"] as? [String: [String: Any]])
        return (labels[String(label)]?[library] as? [String: Any])?[key]
    }

    @Test("every convention: the JSON's values are the library's (finite ones within 1e-9, MONAI 1e-5), null where it answers inf or NaN or raises, and the JSON names the convention",
          arguments: [("medpy", "medpy", ["Dice": "dice", "HD": "hd", "HD95": "hd95", "ASSD": "assd"]),
                      ("monai", "monai", ["Dice": "dice", "HD95": "hd95", "ASSD": "assd", "NSD": "nsd_1"]),
                      ("deepmind", "deepmind", ["Dice": "dice", "HD": "hd", "HD95": "hd95", "NSD": "nsd_1"]),
                      ("metricsreloaded", "metricsreloaded", ["Dice": "dice", "HD95": "hd95", "ASSD": "assd", "MASD": "masd", "NSD": "nsd_1", "Precision": "precision"]),
                      ("seg-metrics", "seg-metrics", ["Dice": "dice", "IoU": "jaccard", "Sensitivity": "recall"])])
    func conventions(convention: String, library: String, keys: [String: String]) throws {
        try makeData()
        let outcome = try CommandRunner.run(["--pred", tree.path("pred"), "--gt", tree.path("gt"), "--distances", convention, "--format", "json", "-q"])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let document = try Self.json(outcome.standardOutput)
        #expect((document["distances"] as? [String: Any])?["convention"] as? String == convention)
        var compared = 0
        for image in try Self.images(document) {
            let name = try #require(image["name"] as? String)
            let label = try #require(image["label"] as? Int)
            for (ours, theirs) in keys {
                let expected = try Self.reference(name, label, library, theirs)
                if let number = expected as? NSNumber {
                    let value = try #require(image[ours] as? NSNumber, "\(convention) \(name) \(label) \(ours): null, library \(number)").doubleValue
                    let tolerance = convention == "monai" ? 1e-5 : 1e-9
                    #expect(abs(value - number.doubleValue) <= tolerance * max(abs(number.doubleValue), 1e-300) || value == number.doubleValue,
                            "\(convention) \(name) \(label) \(ours): segeval \(value), library \(number)")
                } else if convention != "metricsreloaded" || !(expected is [String: Any]) {
                    // "inf", "nan" or an exception: null in JSON (Metrics Reloaded's exceptions too).
                    #expect(image[ours] is NSNull, "\(convention) \(name) \(label) \(ours): \(String(describing: image[ours])), library \(String(describing: expected))")
                }
                compared += 1
            }
        }
        // blobs 1, labels 1-3, probability 1, empty_pred 1.
        #expect(compared == 6 * keys.count)
    }

    /// A 4 x 3 x 2 uint8 volume with an sform; `flipX` stores it mirrored along x with the sform
    /// saying so.
    func volume(_ labels: [UInt8], flipX: Bool = false, dims: [Int] = [3, 4, 3, 2]) -> [UInt8] {
        var file = NIfTIFile()
        file.dims = dims
        file.pixdim = [1, 0.7, 0.8, 1.5]
        file.sformCode = 1
        file.srow = [[0.7, 0, 0, -5], [0, 0.8, 0, 7], [0, 0, 1.5, 11]]
        var stored = labels
        if flipX {
            let (nx, ny, nz) = (dims[1], dims[2], dims[3])
            for k in 0..<nz { for j in 0..<ny { for i in 0..<nx { stored[i + nx * (j + ny * k)] = labels[(nx - 1 - i) + nx * (j + ny * k)] } } }
            file.srow[0] = [-0.7, 0, 0, -5 + 0.7 * Double(nx - 1)]
        }
        file.setData(stored)
        return file.bytes
    }

    static let mask: [UInt8] = [0, 1, 1, 0, 0, 1, 1, 1, 0, 0, 0, 0,
                                0, 0, 1, 0, 0, 1, 2, 2, 0, 0, 0, 0]

    @Test("a prediction stored flipped along x is brought onto the GT's grid (Dice 1, HD 0) and the note says so")
    func flipped() throws {
        tree.bytes("gt/case.nii", volume(Self.mask))
        tree.bytes("pred/case.nii", volume(Self.mask, flipX: true))
        let outcome = try CommandRunner.run(["--pred", tree.path("pred"), "--gt", tree.path("gt"), "--format", "json"])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect(outcome.standardError.contains("flipped along x"))
        for image in try Self.images(try Self.json(outcome.standardOutput)) {
            #expect(image["Dice"] as? Double == 1 && image["HD"] as? Double == 0 && image["NSD"] as? Double == 1)
        }
    }

    @Test("refused: grids of other sizes, a prediction without a GT (unless --skip-missing), every GT empty (unless --allow-empty-gt), --max-voxels on PNGs, an unknown convention")
    func refusals() throws {
        tree.bytes("gt/case.nii", volume(Self.mask))
        tree.bytes("pred/case.nii", volume(Array(Self.mask.prefix(12)), dims: [3, 4, 3, 1]))
        var outcome = try CommandRunner.run(["--pred", tree.path("pred"), "--gt", tree.path("gt")])
        #expect(outcome.status != 0 && outcome.standardError.contains("not on the same voxel grid") && outcome.standardError.contains("grid size differs"))

        tree.bytes("pred/case.nii", volume(Self.mask))
        tree.bytes("pred/extra.nii", volume(Self.mask))
        outcome = try CommandRunner.run(["--pred", tree.path("pred"), "--gt", tree.path("gt")])
        #expect(outcome.status != 0 && outcome.standardError.contains("extra.nii") && outcome.standardError.contains("--skip-missing"))
        outcome = try CommandRunner.run(["--pred", tree.path("pred"), "--gt", tree.path("gt"), "--skip-missing", "-q"])
        #expect(outcome.status == 0 && outcome.standardError.contains("skipped 1 prediction"))

        tree.bytes("empty/gt/case.nii", volume([UInt8](repeating: 0, count: 24)))
        tree.bytes("empty/pred/case.nii", volume(Self.mask))
        outcome = try CommandRunner.run(["--pred", tree.path("empty/pred"), "--gt", tree.path("empty/gt")])
        #expect(outcome.status != 0 && outcome.standardError.contains("every GT volume is empty"))
        outcome = try CommandRunner.run(["--pred", tree.path("empty/pred"), "--gt", tree.path("empty/gt"), "--allow-empty-gt", "-q"])
        #expect(outcome.status == 0)

        tree.gray("png/pred/a.png", width: 2, height: 2, [0, 255, 255, 0])
        tree.gray("png/gt/a.png", width: 2, height: 2, [0, 255, 255, 0])
        outcome = try CommandRunner.run(["--pred", tree.path("png/pred"), "--gt", tree.path("png/gt"), "--max-voxels", "100"])
        #expect(outcome.status != 0 && outcome.standardError.contains("apply to NIfTI volumes"))
        outcome = try CommandRunner.run(["--pred", tree.path("pred"), "--gt", tree.path("gt"), "--distances", "scipy"])
        #expect(outcome.status != 0 && outcome.standardError.contains("scipy"))
    }

    @Test("--labels picks labels; --threshold binarises a probability map (>=); --class names a label; --out writes every file, per-volume rows with every metric")
    func optionsAndFiles() throws {
        try makeData()
        var outcome = try CommandRunner.run(["--pred", tree.path("pred"), "--gt", tree.path("gt"), "--labels", "2", "--format", "json", "-q", "--skip-missing"])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let labelled = try Self.images(try Self.json(outcome.standardOutput))
        #expect(Set(labelled.compactMap { $0["label"] as? Int }) == [2])

        // The probability fixture has voxels exactly at 0.5 (foreground under >=); above every value, nothing is.
        outcome = try CommandRunner.run(["--pred", tree.path("pred"), "--gt", tree.path("gt"), "--threshold", "1.5", "--format", "json", "-q"])
        let probability = try Self.images(try Self.json(outcome.standardOutput)).first { $0["name"] as? String == "probability" }
        #expect(probability?["volumePred"] as? Double == 0 && probability?["Dice"] as? Double == 0)

        outcome = try CommandRunner.run(["--pred", tree.path("pred"), "--gt", tree.path("gt"), "--class", "GGO=1", "--out", tree.path("out"), "-q"])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect(outcome.standardOutput.contains("label 1 (GGO)"))
        for name in ["summary.json", "per_image.csv", "summary.csv", "table.md", "table.tex"] {
            #expect(FileManager.default.fileExists(atPath: tree.path("out/\(name)")), "\(name)")
        }
        let csv = try String(contentsOfFile: tree.path("out/per_image.csv"), encoding: .utf8).split(separator: "\n")
        #expect(csv.first == "model,name,label,Dice,IoU,Sensitivity,Specificity,Precision,HD,HD95,ASSD,MASD,NSD,volumeGT,volumePred")
        #expect(csv.count == 1 + 6)
        let summary = try Self.json(try String(contentsOfFile: tree.path("out/summary.json"), encoding: .utf8))
        let first = try #require((summary["models"] as? [[String: Any]])?.first?["summary"] as? [[String: Any]])
        // Label 1: four volumes; empty_pred's HD is +inf under Metrics Reloaded's convention: left out and counted.
        let hd = try #require(first.first { $0["label"] as? Int == 1 }?["HD"] as? [String: Any])
        #expect(hd["count"] as? Int == 3 && hd["undefined"] as? Int == 1)
    }
}
