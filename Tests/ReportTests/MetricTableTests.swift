import Evaluation
import Foundation
import Metrics
@testable import Report
import Testing

/// A metric is one table entry: a toy curve metric and a toy per-image metric, added here and
/// nowhere else, come out in the curves, the statistics, `summary.json`, the CSV files, the tables
/// and the `--metrics` names, with values worked out from first principles.
@Suite("The metric table: a new metric is one entry")
struct MetricTableTests {
    /// Balanced accuracy, (sensitivity + specificity) / 2, a function of the counts at each threshold.
    static let table = MetricTable.standard
        .adding { index in
            CurveMetric("balancedAccuracy", index: index, name: "BalancedAccuracy", header: .init("BAcc", latex: "BAcc"),
                        aliases: ["bacc"]) { counts, _ in
                let c = counts.inclusive
                return (Double(c.truePositives) / Double(c.actualPositives)
                    + Double(c.trueNegatives) / Double(c.trueNegatives + c.falsePositives)) / 2
            }
        }
        .adding(image: { index in
            // The share of GT pixels that are foreground: one value per image.
            ImageMetric("gtShare", index: index, label: "gtShare", header: .init("GT share", latex: "GT share"),
                        higherIsBetter: false, aliases: ["share"]) { input in
                ImageValue(Double(input.groundTruth.foregroundCount) / Double(input.groundTruth.pixelCount))
            }
        })

    /// 8 x 8 images; GT: the left half; the prediction: 255 on `predicted` pixels, 0 elsewhere.
    static func pair(predicted: (Int, Int) -> Bool) -> (GroundTruthMask, PredictionMap) {
        var gt = [UInt8](repeating: 0, count: 64), pred = gt
        for y in 0..<8 {
            for x in 0..<8 {
                gt[y * 8 + x] = x < 4 ? 1 : 0
                pred[y * 8 + x] = predicted(x, y) ? 255 : 0
            }
        }
        return (GroundTruthMask(width: 8, height: 8, pixels: gt), PredictionMap.uint8(width: 8, height: 8, pixels: pred))
    }

    @Test("values, statistics, summary.json, CSV, tables and names of the two toy entries")
    func toyMetrics() throws {
        let evaluator = ImageEvaluator(protocol: .standard, table: Self.table)
        // Image a: columns 0..5 predicted (TP 32, FP 16, FN 0, TN 16): BAcc = (1 + 0.5) / 2 = 0.75.
        // Image b: columns 0..1 predicted (TP 16, FP 0, FN 16, TN 32): BAcc = (0.5 + 1) / 2 = 0.75.
        // Neither is binary at threshold 0 (every pixel positive: sensitivity 1, specificity 0,
        // BAcc 0.5); every threshold above 0 gives the map itself.
        let (gtA, predA) = Self.pair { x, _ in x < 6 }
        let (gtB, predB) = Self.pair { x, _ in x < 2 }
        let images = [evaluator.evaluate(name: "a", groundTruth: gtA, prediction: predA),
                      evaluator.evaluate(name: "b", groundTruth: gtB, prediction: predB)]
        let toy = try #require(Self.table.curve("balancedAccuracy"))
        let share = try #require(Self.table.image("gtShare"))
        for image in images {
            let curve = image.curves[toy]
            #expect(curve.count == 256)
            #expect(curve.dropLast().allSatisfy { $0 == 0.75 } && curve.last == 0.5)
            #expect(image.mean(toy) == (255 * 0.75 + 0.5) / 256)
            #expect(image.max(toy) == 0.75)
            #expect(image.adaptive[toy] == 0.75)  // 2 * mean(pred) = 1.5 and 0.5: both binarise to the map
            #expect(image.values[share] == 0.5)
            // The standard entries are still measured: MAE = 16 wrong pixels of 64; weighted F not asked for.
            #expect(image.values[.meanAbsoluteError] == 0.25 && image.values[.sMeasure] != nil && image.values[.weightedFMeasure] == nil)
        }
        let summary = ModelSummary(images: images, protocol: .standard, table: Self.table)
        #expect(summary.meanCurve[toy] == (255 * 0.75 + 0.5) / 256)
        #expect(summary.maxCurve[toy] == 0.75)
        #expect(summary.adaptive[toy] == 0.75)
        #expect(summary.values[share] == 0.5)

        let run = try RecordedRun(model: "M", images: images, table: Self.table, protocol: .standard)
        let result = run.results[0]
        #expect(result.summary == summary)
        // summary.json: the documented keys first, then the new ones; per image too; the curve.
        let document = try run.json()
        let json = try JSONValue.parse(Data(document.utf8))
        let entry = try #require(json["results"]?.arrayValue?.first)
        // Key order, from the text (parsing does not keep it): the lines of the "summary" object.
        let summaryLines = document.components(separatedBy: "\"summary\": {\n")[1].components(separatedBy: "\n").prefix { !$0.hasSuffix("}") && !$0.hasSuffix("},") }
        let keys = summaryLines.map { $0.trimmingCharacters(in: .whitespaces).split(separator: "\"")[0] }.map(String.init)
        #expect(Array(keys.prefix(SummaryMetric.formatOneOrder.count)) == SummaryMetric.formatOneOrder)
        #expect(Array(keys.suffix(4)) == ["meanBalancedAccuracy", "maxBalancedAccuracy", "adpBalancedAccuracy", "gtShare"])
        #expect(entry["summary"]?["adpBalancedAccuracy"]?.numberValue == 0.75)
        #expect(entry["summary"]?["gtShare"]?.numberValue == 0.5)
        #expect(entry["curves"]?["balancedAccuracy"]?.arrayValue?.count == 256)
        let image = try #require(entry["images"]?.arrayValue?.first)
        #expect(image["gtShare"]?.numberValue == 0.5)
        #expect(image["maxBalancedAccuracy"]?.numberValue == 0.75)
        // CSV files.
        let perImage = try run.perImageCSV().split(separator: "\n").map(String.init)
        // Format 1's columns keep their places; the new ones come after them, before the warnings.
        #expect(perImage[0].hasPrefix("model,class,image,Smeasure,MAE,wFmeasure,adpThreshold,adpDice,"))
        #expect(perImage[0].hasSuffix(",maxEmeasure,gtShare,adpBalancedAccuracy,meanBalancedAccuracy,maxBalancedAccuracy,warnings"))
        #expect(DetailTables.curvesCSV([result], thresholds: ThresholdLadder.exact).hasPrefix(
            "model,class,index,threshold,dice,sensitivity,specificity,precision,fmeasure,emeasure,iou,fmeasureBeta03,balancedAccuracy\n"))
        // Names and tables.
        #expect(SummaryMetric.named("bacc", in: Self.table)?.key == "meanBalancedAccuracy")
        #expect(SummaryMetric.named("share", in: Self.table)?.higherIsBetter == false)
        #expect(SummaryMetric.named("bacc") == nil, "not in the standard table")
        let columns = ["bacc", "share"].compactMap { SummaryMetric.named($0, in: Self.table) }
        let text = ResultTable(results: [result], metrics: columns).text()
        #expect(text.contains("BAcc") && text.contains("GT share") && text.contains("0.749"))  // (255 * 0.75 + 0.5) / 256 = 0.7490…
    }
}
