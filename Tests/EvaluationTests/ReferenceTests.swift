import Foundation
import SegevalTestSupport
import Testing
@testable import Evaluation
import Metrics

/// The published numbers: every reference `.mat` (as JSON) in `EvaluateResults-json/`, reproduced
/// with the default protocol.
@Suite("Inf-Net reference values", .enabled(if: SharedData.isAvailable, "../shared is not present"))
struct ReferenceTests {
    struct Case: CustomStringConvertible, Sendable {
        var referenceFile: String
        var predictionFolder: String
        var groundTruthFolder: String
        var description: String { referenceFile }
    }

    static let lungModels = ["UNet", "UNet++", "Inf-Net", "Semi-Inf-Net"]
    static let multiClassModels = ["DeepLabV3Plus_Stride8", "DeepLabV3Plus_Stride16", "FCN8s_1100", "Semi-Inf-Net_FCN8s_1100"]

    static let cases: [Case] = {
        let lungGT = "Dataset/TestingSet/LungInfection-Test/GT"
        let ggoGT = "Dataset/TestingSet/MultiClassInfection-Test/GT-1"
        let conGT = "Dataset/TestingSet/MultiClassInfection-Test/GT-2"
        let lung = "Results/Lung infection segmentation/"
        let ggo = "Results/Multi-class lung infection segmentation/Ground-glass opacities/"
        let con = "Results/Multi-class lung infection segmentation/Consolidation/"
        var cases: [Case] = []
        for model in lungModels {
            cases.append(Case(referenceFile: "previous/LungInfection-Test-1-mat/\(model).json", predictionFolder: lung + model, groundTruthFolder: lungGT))
        }
        for model in multiClassModels {
            cases.append(Case(referenceFile: "previous/MultiClassInfection-Test-1-mat/\(model).json", predictionFolder: ggo + model, groundTruthFolder: ggoGT))
            cases.append(Case(referenceFile: "previous/MultiClassInfection-Test-2-mat/\(model).json", predictionFolder: con + model, groundTruthFolder: conGT))
        }
        for model in ["Inf-Net", "Semi-Inf-Net"] {
            cases.append(Case(referenceFile: "LungInfection-Test-1-mat/\(model).json", predictionFolder: lung + model, groundTruthFolder: lungGT))
        }
        cases.append(Case(referenceFile: "MultiClassInfection-Test-1-mat/Semi-Inf-Net_UNet.json", predictionFolder: ggo + "Semi-Inf-Net_UNet", groundTruthFolder: ggoGT))
        cases.append(Case(referenceFile: "MultiClassInfection-Test-2-mat/Semi-Inf-Net_UNet.json", predictionFolder: con + "Semi-Inf-Net_UNet", groundTruthFolder: conGT))
        return cases
    }()

    /// The largest difference allowed for curves and summary values. The spec's independent
    /// implementation reproduces every curve to 3e-13.
    static let tolerance = 1e-12
    /// For the per-image adaptive values. MATLAB sums the E-measure's 262,144 per-pixel terms of
    /// an image in its own (blocked, multithreaded) order; segeval sums them exactly from the
    /// counts. The two differ by up to 1.6e-12 on one image (0.8 relative to 2e-12), which the
    /// means over 48 images shrink below `tolerance`.
    static let perImageTolerance = 5e-12
    static let perImageKeys: Set<String> = ["adpDice", "adpSensitivity", "adpSpecificity", "adpPrecision", "adpEmeasure", "adpFmeasure"]

    @Test("reproduces every value of the reference: curves and summary within 1e-12, per-image values within 5e-12", arguments: cases)
    func reproduces(_ reference: Case) throws {
        let dataset = SharedData.dataset
        let data = try Data(contentsOf: URL(fileURLWithPath: dataset + "/EvaluateResults-json/" + reference.referenceFile))
        // JSONDecoder rounds each decimal to the nearest double; JSONSerialization on Linux can be
        // an ulp or more off, which would show up here as differences of 1e-12.
        let expected = try JSONDecoder().decode([String: ReferenceValue].self, from: data)
        let jobs = try LayoutResolver(predictionRoot: dataset + "/" + reference.predictionFolder,
                                      groundTruthRoot: dataset + "/" + reference.groundTruthFolder).resolve()
        #expect(jobs.count == 1)
        let result = try #require(try Evaluator().runKeepingImages(jobs).first)
        #expect(result.images.count == 48)
        let summary = result.summary

        // Every key the reference files use, with segeval's value for it.
        var scalars: [String: Double] = ["Sm": summary.sMeasure, "mae": summary.meanAbsoluteError, "adpIoU": summary.adaptiveIoU]
        for (suffix, metric) in [("Dic", CurveMetric.dice), ("Sen", .sensitivity), ("Spe", .specificity), ("Em", .emeasure), ("Fm", .fmeasure)] {
            scalars["mean" + suffix] = summary.meanCurve[metric]
            scalars["max" + suffix] = summary.maxCurve[metric]
            scalars["adp" + suffix] = summary.adaptive[metric]
        }
        var arrays: [String: [Double]] = [:]
        for (key, metric) in [("column_Dic", CurveMetric.dice), ("column_Sen", .sensitivity), ("column_Spe", .specificity),
                              ("column_Pr", .precision), ("column_E", .emeasure), ("column_F", .fmeasure), ("column_Rec", .sensitivity)] {
            arrays[key] = summary.curves[metric]
        }
        // Per-image adaptive values, in MATLAB dir order.
        for (key, metric) in [("adpDice", CurveMetric.dice), ("adpSensitivity", .sensitivity), ("adpSpecificity", .specificity),
                              ("adpPrecision", .precision), ("adpEmeasure", .emeasure), ("adpFmeasure", .fmeasure)] {
            arrays[key] = result.images.map { $0.adaptive[metric] }
        }

        var largest = 0.0, largestPerImage = 0.0
        for (key, value) in expected.sorted(by: { $0.key < $1.key }) {
            let where_ = "\(reference.referenceFile) \(key)"
            switch value {
            case .number(let number) where key == "wFm":
                // The toolbox never computed the weighted F-measure: every file stores 0.
                #expect(number == 0, "\(where_): expected the 0 placeholder")
            case .number(let number):
                guard let ours = scalars[key] else { Issue.record("\(where_): a reference value segeval does not check"); continue }
                #expect(abs(ours - number) <= Self.tolerance, "\(where_): segeval \(ours), reference \(number)")
                largest = max(largest, abs(ours - number))
            case .list(let list):
                guard let ours = arrays[key] else { Issue.record("\(where_): a reference list segeval does not check"); continue }
                #expect(ours.count == list.count, "\(where_): \(ours.count) values, reference \(list.count)")
                let worst = zip(ours, list).map { abs($0 - $1) }.max() ?? .infinity
                if Self.perImageKeys.contains(key) {
                    #expect(worst <= Self.perImageTolerance, "\(where_): max difference \(worst)")
                    largestPerImage = max(largestPerImage, worst)
                } else {
                    #expect(worst <= Self.tolerance, "\(where_): max difference \(worst)")
                    largest = max(largest, worst)
                }
            }
        }
        print("\(reference.referenceFile): largest difference \(largest) (curves and summary), \(largestPerImage) (per image)")
        // The newer files hold 14 values, the older ones 32.
        #expect(expected.count == (reference.referenceFile.hasPrefix("previous/") ? 32 : 14))
    }

    @Test("the palette label map GT/ gives the published numbers of GT-1/ and GT-2/ (class k = index k)")
    func labelMapGroundTruth() throws {
        let dataset = SharedData.dataset
        // A ground-truth root that holds only the label map, so the resolver must take it.
        let tree = TemporaryTree()
        try FileManager.default.createSymbolicLink(atPath: tree.path("GT"),
                                                   withDestinationPath: dataset + "/Dataset/TestingSet/MultiClassInfection-Test/GT")
        let jobs = try LayoutResolver(predictionRoot: dataset + "/Results/Multi-class lung infection segmentation",
                                      groundTruthRoot: tree.root).resolve().filter { Self.multiClassModels.contains($0.model) }
        #expect(jobs.count == 2 * Self.multiClassModels.count)
        #expect(jobs.allSatisfy { job in job.pairs.allSatisfy { $0.groundTruth.label == job.classLabel && $0.groundTruth.path.contains(tree.root) } })
        for result in try Evaluator().runKeepingImages(jobs) {
            let label = try #require(result.classLabel)
            let file = dataset + "/EvaluateResults-json/previous/MultiClassInfection-Test-\(label)-mat/\(result.model).json"
            let expected = try JSONDecoder().decode([String: ReferenceValue].self, from: Data(contentsOf: URL(fileURLWithPath: file)))
            #expect(result.images.count == 48)
            for (key, ours) in [("meanDic", result.summary.meanCurve[.dice]), ("Sm", result.summary.sMeasure),
                                ("mae", result.summary.meanAbsoluteError), ("meanEm", result.summary.meanCurve[.emeasure])] {
                guard case .number(let value) = expected[key] else { Issue.record("\(file): no \(key)"); continue }
                #expect(abs(ours - value) <= Self.tolerance, "\(result.model) class \(label) \(key): segeval \(ours), reference \(value)")
            }
        }
    }
}

/// A value of a reference file: a number or a list of numbers.
enum ReferenceValue: Decodable {
    case number(Double)
    case list([Double])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else {
            self = .list(try container.decode([Double].self))
        }
    }
}
