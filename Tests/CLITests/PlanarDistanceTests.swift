import Foundation
import SegevalTestSupport
import Testing
import VolumeIO

/// `--distances` on 2-D PNG maps: the fixture's 2-D case (fixtures/distances/planar, square
/// 0.5 mm pixels) written as PNGs and scored with `--spacing 0.5`, against the libraries' own values;
/// the Inf-Net columns unchanged beside them.
@Suite("segeval evaluate --distances on 2-D PNG maps (command line)")
struct PlanarDistanceTests {
    let tree = TemporaryTree()

    /// The fixture's GT and prediction as 8-bit PNGs (0 / 255), x = column.
    func makeData() throws {
        for (role, folder) in [("gt", "GT"), ("pred", "Pred")] {
            let volume = try NIfTIReader.read(path: SharedData.packageRoot + "/fixtures/distances/planar_\(role).nii.gz")
            let pixels = (0..<volume.voxelCount).map { volume.samples.value(at: $0) != 0 ? UInt8(255) : 0 }
            tree.gray("\(folder)/planar.png", width: volume.size[0], height: volume.size[1], pixels)
        }
    }

    static func reference(_ library: String) throws -> [String: Any] {
        let data = try #require(FileManager.default.contents(atPath: SharedData.packageRoot + "/fixtures/distances/reference.json"))
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let cases = try #require(root["cases"] as? [String: [String: Any]])
        let labels = try #require(cases["planar"]?["labels"] as? [String: [String: Any]])
        return try #require(labels["1"]?[library] as? [String: Any])
    }

    func image(_ arguments: [String]) throws -> (summary: [String: Any], image: [String: Any], document: [String: Any]) {
        let outcome = try CommandRunner.run(["--pred", tree.path("Pred"), "--gt", tree.path("GT"), "--format", "json", "-q"] + arguments)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any])
        let result = try #require((document["results"] as? [[String: Any]])?.first)
        let summary = try #require(result["summary"] as? [String: Any])
        let image = try #require((result["images"] as? [[String: Any]])?.first)
        return (summary, image, document)
    }

    @Test("each convention's HD, HD95, ASSD, MASD and NSD equal the library's on the 2-D case (MONAI 1e-5, the others 1e-9)",
          arguments: [("medpy", "medpy", ["HD": "hd", "HD95": "hd95", "ASSD": "assd"]),
                      ("monai", "monai", ["HD": "hd", "HD95": "hd95", "ASSD": "assd", "NSD": "nsd_1"]),
                      ("deepmind", "deepmind", ["HD": "hd", "HD95": "hd95", "NSD": "nsd_1", "ASSD": "asd_pooled_derived"]),
                      ("metricsreloaded", "metricsreloaded", ["HD": "hd", "HD95": "hd95", "ASSD": "assd", "MASD": "masd", "NSD": "nsd_1"]),
                      ("seg-metrics", "seg-metrics", ["HD": "hd", "HD95": "hd95", "ASSD": "msd"])])
    func conventions(convention: String, library: String, keys: [String: String]) throws {
        try makeData()
        let (summary, image, document) = try image(["--distances", convention, "--spacing", "0.5"])
        let reference = try Self.reference(library)
        for (ours, theirs) in keys {
            let expected = try #require(reference[theirs] as? NSNumber, "\(library) \(theirs)").doubleValue
            let value = try #require(image[ours] as? NSNumber, "\(convention) \(ours)").doubleValue
            let tolerance = convention == "monai" ? 1e-5 : convention == "seg-metrics" ? 1e-6 : 1e-9
            #expect(abs(value - expected) <= tolerance * abs(expected), "\(convention) \(ours): segeval \(value), library \(expected)")
            // One image: the model's mean is its value.
            #expect((summary[ours] as? NSNumber)?.doubleValue == value)
        }
        let distances = try #require(document["distances"] as? [String: Any])
        #expect(distances["convention"] as? String == convention && distances["spacingMM"] as? Double == 0.5)
    }

    @Test("the Inf-Net columns are the same with and without --distances; the table gains HD95, ASSD and NSD; --labels is refused on PNGs")
    func columnsUnchanged() throws {
        try makeData()
        let plain = try image([]).summary
        let (withDistances, _, _) = try image(["--distances", "medpy"])
        for key in ["meanDice", "maxDice", "Smeasure", "meanEmeasure", "MAE", "meanSensitivity", "adpDice"] {
            #expect((plain[key] as? NSNumber) == (withDistances[key] as? NSNumber), "\(key)")
        }
        #expect(plain["HD95"] == nil)
        let table = try CommandRunner.run(["--pred", tree.path("Pred"), "--gt", tree.path("GT"), "--distances", "metricsreloaded", "-q"])
        #expect(table.standardOutput.contains("HD95 (mm)") && table.standardOutput.contains("Dice"))
        let refused = try CommandRunner.run(["--pred", tree.path("Pred"), "--gt", tree.path("GT"), "--labels", "1"])
        #expect(refused.status != 0 && refused.standardError.contains("apply to NIfTI volumes"))
    }

    @Test("segeval report with --distances on PNG maps adds one page of per-image HD95 and NSD box plots per class")
    func reportPage() throws {
        try makeData()
        func pages(_ extra: [String]) throws -> Int {
            let outcome = try CommandRunner.run(["report", "--pred", tree.path("Pred"), "--gt", tree.path("GT"),
                                                 "--out", tree.path("r\(extra.count).pdf")] + extra)
            #expect(outcome.status == 0, "\(outcome.standardError)")
            let line = try #require(outcome.standardError.split(separator: "\n").first { $0.hasPrefix("wrote ") && $0.contains("page") })
            return try #require(Int(line.split(separator: "(").last?.split(separator: " ").first ?? ""))
        }
        #expect(try pages(["--distances", "metricsreloaded", "--spacing", "0.5"]) == (try pages([])) + 1)
        let refused = try CommandRunner.run(["report", "--from", tree.path("none.json"), "--distances", "medpy", "--out", tree.path("x.pdf")])
        #expect(refused.status != 0)
    }
}
