import Foundation
import Metrics
import SegevalTestSupport
import Testing
import VolumeIO

/// MedPy's and Metrics Reloaded's surface distances (the E6 rule) on the committed volumes, against
/// the values the libraries themselves gave (fixtures/distances/reference.json), for every case
/// where both masks are non-empty.
@Suite("E6 surface distances against MedPy and Metrics Reloaded (fixtures/distances)")
struct DistanceReferenceTests {
    static let folder = SharedData.packageRoot + "/fixtures/distances"

    func values(_ any: Any?) -> Double? {
        if let number = any as? Double { return number }
        if let number = any as? NSNumber { return number.doubleValue }
        return nil
    }

    @Test("hd, hd95, assd, asd (MedPy); hd, hd95, assd, masd, nsd at 1 and 2 mm (Metrics Reloaded): within 1e-9 relative")
    func agrees() throws {
        let data = try #require(FileManager.default.contents(atPath: Self.folder + "/reference.json"))
        let reference = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let cases = try #require(reference["cases"] as? [String: [String: Any]])
        var compared = 0
        for (name, entry) in cases.sorted(by: { $0.key < $1.key }) {
            let gt = try NIfTIReader.read(path: Self.folder + "/\(name)_gt.nii.gz")
            let pred = try NIfTIReader.read(path: Self.folder + "/\(name)_pred.nii.gz")
            let labels = try #require(entry["labels"] as? [String: [String: Any]])
            for (labelText, libraries) in labels {
                let label = try #require(Int32(labelText))
                func mask(_ volume: Volume) -> [Bool] {
                    switch volume.samples {
                    case .labels(let values): values.map { $0 == label }
                    case .probabilities(let values): values.map { $0 >= 0.5 }
                    }
                }
                let (p, g) = (mask(pred), mask(gt))
                guard p.contains(true), g.contains(true) else { continue }
                let distances = SurfaceDistances(prediction: p, groundTruth: g, size: gt.size, spacing: gt.spacing, rank: gt.rank)
                let medpy = try #require(libraries["medpy"] as? [String: Any])
                let reloaded = try #require(libraries["metricsreloaded"] as? [String: Any])
                let checks: [(String, Double?, Any?)] = [
                    ("medpy hd", distances.hausdorff, medpy["hd"]),
                    ("medpy hd95", distances.pooledPercentile(95), medpy["hd95"]),
                    ("medpy assd", distances.pooledMean, medpy["assd"]),
                    ("medpy asd", distances.predictionToGroundTruthMean, medpy["asd_pred_to_gt"]),
                    ("MR hd", distances.hausdorff, reloaded["hd"]),
                    ("MR hd95", distances.perDirectionPercentile(95), reloaded["hd95"]),
                    ("MR assd", distances.pooledMean, reloaded["assd"]),
                    ("MR masd", distances.meanOfDirectedMeans, reloaded["masd"]),
                    ("MR nsd 1", distances.surfaceDice(tolerance: 1), reloaded["nsd_1"]),
                    ("MR nsd 2", distances.surfaceDice(tolerance: 2), reloaded["nsd_2"]),
                ]
                for (what, ours, theirs) in checks {
                    let expected = try #require(values(theirs), "\(name) label \(label) \(what): \(String(describing: theirs))")
                    let value = try #require(ours, "\(name) label \(label) \(what)")
                    #expect(abs(value - expected) <= 1e-9 * max(1, abs(expected)), "\(name) label \(label) \(what): segeval \(value), library \(expected)")
                    compared += 1
                }
            }
        }
        #expect(compared == 10 * 8)   // 8 (case, label) entries with both masks non-empty
    }
}
