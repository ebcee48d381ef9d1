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

    /// Reference curve key -> our curve.
    static let curveKeys: [(String, CurveMetric)] = [
        ("column_Dic", .dice), ("column_Sen", .sensitivity), ("column_Spe", .specificity),
        ("column_Pr", .precision), ("column_E", .emeasure), ("column_F", .fmeasure), ("column_Rec", .sensitivity),
    ]

    @Test("reproduces the reference within 1e-9", arguments: cases)
    func reproduces(_ reference: Case) throws {
        let dataset = SharedData.dataset
        let data = try Data(contentsOf: URL(fileURLWithPath: dataset + "/EvaluateResults-json/" + reference.referenceFile))
        let expected = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let jobs = try LayoutResolver(predictionRoot: dataset + "/" + reference.predictionFolder,
                                      groundTruthRoot: dataset + "/" + reference.groundTruthFolder).resolve()
        #expect(jobs.count == 1)
        let result = try #require(try Evaluator().run(jobs).first)
        #expect(result.images.count == 48)
        let summary = result.summary
        var checked = 0

        func check(_ key: String, _ actual: Double) {
            guard let value = expected[key] as? Double else { return }
            checked += 1
            #expect(abs(actual - value) <= 1e-9, "\(reference.referenceFile) \(key): segeval \(actual), reference \(value)")
        }
        for (key, metric) in Self.curveKeys {
            guard let curve = expected[key] as? [Double] else { continue }
            checked += 1
            let ours = summary.curves[metric]
            #expect(ours.count == 256)
            let worst = zip(ours, curve).map { abs($0 - $1) }.max() ?? .infinity
            #expect(worst <= 1e-9, "\(reference.referenceFile) \(key): max difference \(worst)")
        }
        check("Sm", summary.sMeasure)
        check("mae", summary.meanAbsoluteError)
        for (prefix, metric) in [("Dic", CurveMetric.dice), ("Sen", .sensitivity), ("Spe", .specificity), ("Em", .emeasure), ("Fm", .fmeasure)] {
            check("mean" + prefix, summary.meanCurve[metric]!)
            check("max" + prefix, summary.maxCurve[metric]!)
        }
        for (key, metric) in [("adpDic", CurveMetric.dice), ("adpSen", .sensitivity), ("adpSpe", .specificity), ("adpEm", .emeasure), ("adpFm", .fmeasure)] {
            check(key, summary.adaptive[metric]!)
        }
        check("adpIoU", summary.adaptiveIoU)
        // Per-image adaptive values, in MATLAB dir order.
        for (key, metric) in [("adpDice", CurveMetric.dice), ("adpSensitivity", .sensitivity), ("adpSpecificity", .specificity),
                              ("adpPrecision", .precision), ("adpEmeasure", .emeasure), ("adpFmeasure", .fmeasure)] {
            guard let values = expected[key] as? [Double] else { continue }
            checked += 1
            let ours = result.images.map { $0.adaptive[metric]! }
            let worst = zip(ours, values).map { abs($0 - $1) }.max() ?? .infinity
            #expect(worst <= 1e-9, "\(reference.referenceFile) per-image \(key): max difference \(worst)")
        }
        #expect(checked >= 10)
    }
}
