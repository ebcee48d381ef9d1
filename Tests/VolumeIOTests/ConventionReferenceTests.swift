import Foundation
import Metrics
import SegevalTestSupport
import Testing
import VolumeIO

/// Every `--distances` convention against the values its library computed on the committed volumes
/// (fixtures/distances/reference.json, made by tools/distance_reference.sh with the libraries
/// themselves): every metric the library has, every case and label, the empty masks included.
@Suite("Distance conventions against MedPy, MONAI, DeepMind, Metrics Reloaded and seg-metrics (fixtures/distances)")
struct ConventionReferenceTests {
    static let folder = SharedData.packageRoot + "/fixtures/distances"

    /// A library's value: a number, +inf or NaN, or the exception it raised.
    enum Expected {
        case number(Double)
        case raises(String)
    }

    static func expected(_ any: Any?) -> Expected? {
        if let number = any as? NSNumber { return .number(number.doubleValue) }
        if let text = any as? String {
            switch text {
            case "inf": return .number(.infinity)
            case "-inf": return .number(-.infinity)
            case "nan": return .number(.nan)
            default: return nil
            }
        }
        if let error = (any as? [String: Any])?["error"] as? String { return .raises(error) }
        return nil
    }

    struct Case {
        var name: String
        var label: Int32
        var pair: MaskPair
        var libraries: [String: [String: Any]]
    }

    static func cases() throws -> [Case] {
        let data = try #require(FileManager.default.contents(atPath: folder + "/reference.json"))
        let reference = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let entries = try #require(reference["cases"] as? [String: [String: Any]])
        var cases: [Case] = []
        for (name, entry) in entries.sorted(by: { $0.key < $1.key }) {
            let gt = try NIfTIReader.read(path: folder + "/\(name)_gt.nii.gz")
            let pred = try NIfTIReader.read(path: folder + "/\(name)_pred.nii.gz")
            let labels = try #require(entry["labels"] as? [String: [String: Any]])
            for (labelText, libraries) in labels.sorted(by: { $0.key < $1.key }) {
                let label = try #require(Int32(labelText))
                func test(_ volume: Volume) -> (Int) -> Bool {
                    let samples = volume.samples
                    return samples.isLabelMap ? { samples.value(at: $0) == Double(label) } : { samples.value(at: $0) >= 0.5 }
                }
                let pair = MaskPair(size: gt.size, spacing: gt.spacing, rank: gt.rank, prediction: test(pred), groundTruth: test(gt))
                cases.append(Case(name: name, label: label, pair: pair, libraries: libraries.compactMapValues { $0 as? [String: Any] }))
            }
        }
        return cases
    }

    /// (metric, tolerance in mm, library key or a derivation from the library's values).
    typealias Source = (VolumeMetric, Double, ([String: Any]) -> Any?)

    static func key(_ name: String) -> ([String: Any]) -> Any? { { $0[name] } }

    /// The mean of two values the library returned (a directed pair).
    static func meanOf(_ first: String, _ second: String, float32: Bool = false) -> ([String: Any]) -> Any? {
        { values in
            guard case .number(let a)? = expected(values[first]), case .number(let b)? = expected(values[second]) else { return values[first] }
            let mean = float32 ? Double((Float(a) + Float(b)) / 2) : (a + b) / 2
            return mean.isNaN ? "nan" as Any : mean.isInfinite ? "inf" as Any : NSNumber(value: mean) as Any
        }
    }

    static func check(_ convention: DistanceConvention, library: String, relative: Double, sources: [Source],
                      notDefined: [VolumeMetric] = [], raisesAs: ((String) -> VolumeValue)? = nil) throws -> Int {
        var compared = 0
        for entry in try cases() {
            let values = try #require(entry.libraries[library], "\(entry.name): no \(library) values")
            for tolerance in [1.0, 2.0] {
                let scores = convention.scores(entry.pair, tolerance: tolerance)
                for (metric, at, source) in sources where at == 0 || at == tolerance {
                    if at == 0 && tolerance == 2 { continue }
                    let what = "\(convention.rawValue) \(entry.name) label \(entry.label) \(metric.rawValue)\(at > 0 ? " at \(at) mm" : "")"
                    let theirs = try #require(expected(source(values)), "\(what): reference \(String(describing: source(values)))")
                    let ours = scores[metric]
                    switch theirs {
                    case .raises(let error):
                        if let raisesAs {
                            #expect(ours == raisesAs(error), "\(what): library raised \(error), segeval \(ours)")
                        } else {
                            guard case .raises = ours else { Issue.record("\(what): library raised \(error), segeval \(ours)"); continue }
                        }
                    case .number(let value):
                        guard case .number(let mine) = ours else { Issue.record("\(what): library \(value), segeval \(ours)"); continue }
                        if value.isNaN || value.isInfinite {
                            #expect(mine.isNaN == value.isNaN && (mine.isNaN || mine == value), "\(what): library \(value), segeval \(mine)")
                        } else {
                            #expect(mine == value || abs(mine - value) <= relative * abs(value), "\(what): library \(value), segeval \(mine)")
                        }
                    }
                    compared += 1
                }
                for metric in notDefined { #expect(scores[metric] == .notDefined, "\(convention) \(metric)") }
            }
        }
        return compared
    }

    static var overlap: [Source] {  [(.dice, 0, key("dice")), (.iou, 0, key("iou")), (.sensitivity, 0, key("sensitivity")),
                                    (.specificity, 0, key("specificity")), (.precision, 0, key("precision"))] }

    @Test("medpy: dc, jc, sensitivity, specificity, precision, hd, hd95, assd, mean of asd(P,G) and asd(G,P); raises where MedPy raises; no NSD; 1e-9")
    func medpy() throws {
        let sources = Self.overlap + [(.hd, 0, Self.key("hd")), (.hd95, 0, Self.key("hd95")), (.assd, 0, Self.key("assd")),
                                      (.masd, 0, Self.meanOf("asd_pred_to_gt", "asd_gt_to_pred"))]
        #expect(try Self.check(.medpy, library: "medpy", relative: 1e-9, sources: sources, notDefined: [.nsd]) == 14 * 9)
    }

    @Test("monai: dice, iou, confusion-matrix ratios, hd, hd95, symmetric and directed ASD, NSD at 1 and 2 mm (voxels): float32, 1e-5")
    func monai() throws {
        let sources = Self.overlap + [(.hd, 0, Self.key("hd")), (.hd95, 0, Self.key("hd95")), (.assd, 0, Self.key("assd")),
                                      (.masd, 0, Self.meanOf("asd_pred_to_gt", "asd_gt_to_pred", float32: true)),
                                      (.nsd, 1, Self.key("nsd_1")), (.nsd, 2, Self.key("nsd_2"))]
        #expect(try Self.check(.monai, library: "monai", relative: 1e-5, sources: sources) == 14 * 11)
    }

    @Test("metricsreloaded: dsc, iou, sensitivity, specificity, ppv, hd, hd95, assd, masd, NSD at 1 and 2 mm; +inf where it raises IndexError; 1e-9")
    func metricsReloaded() throws {
        let sources = Self.overlap + [(.hd, 0, Self.key("hd")), (.hd95, 0, Self.key("hd95")), (.assd, 0, Self.key("assd")),
                                      (.masd, 0, Self.key("masd")), (.nsd, 1, Self.key("nsd_1")), (.nsd, 2, Self.key("nsd_2"))]
        #expect(try Self.check(.metricsreloaded, library: "metricsreloaded", relative: 1e-9, sources: sources,
                               raisesAs: { _ in .number(.infinity) }) == 14 * 11)
    }

    @Test("deepmind: dice, robust Hausdorff 100 and 95, mean of the directed ASD pair, pooled area-weighted ASD (from its distances and areas), surface Dice at 1 and 2 mm; 1e-9")
    func deepmind() throws {
        let sources: [Source] = [(.dice, 0, Self.key("dice")), (.hd, 0, Self.key("hd")), (.hd95, 0, Self.key("hd95")),
                                 (.assd, 0, Self.key("asd_pooled_derived")),
                                 (.masd, 0, { values in
                                     let pair = values["asd_gt_to_pred_and_pred_to_gt"] as? [Any] ?? []
                                     return Self.meanOf("0", "1")(["0": pair.first as Any, "1": pair.last as Any])
                                 }),
                                 (.nsd, 1, Self.key("nsd_1")), (.nsd, 2, Self.key("nsd_2"))]
        #expect(try Self.check(.deepmind, library: "deepmind", relative: 1e-9, sources: sources) == 14 * 7)
    }

    @Test("seg-metrics: dice, jaccard, recall, 1 - fpr, precision (1e-9); hd, hd95, msd on the 26-connected contour (ITK's float32 distances, 1e-6); no MASD or NSD")
    func segMetrics() throws {
        let overlap: [Source] = [(.dice, 0, Self.key("dice")), (.iou, 0, Self.key("jaccard")), (.sensitivity, 0, Self.key("recall")),
                                 (.precision, 0, Self.key("precision")),
                                 (.specificity, 0, { values in (values["fpr"] as? NSNumber).map { NSNumber(value: 1 - $0.doubleValue) } })]
        #expect(try Self.check(.segMetrics, library: "seg-metrics", relative: 1e-9, sources: overlap, notDefined: [.masd, .nsd]) == 14 * 5)
        // ITK's Maurer map computes in float32 with its own rounding: its distances differ from the
        // exact ones rounded to float32 by up to 2 float32 ulps (1.2e-7 relative on these cases).
        let distances: [Source] = [(.hd, 0, Self.key("hd")), (.hd95, 0, Self.key("hd95")), (.assd, 0, Self.key("msd"))]
        #expect(try Self.check(.segMetrics, library: "seg-metrics", relative: 1e-6, sources: distances) == 14 * 3)
    }
}
