import Evaluation
import Metrics

/// `per_image.csv` and `curves.csv`: every number behind the summary, exact.
public enum DetailTables {
    /// One row per image x class x model, every metric (curve metrics in table order).
    public static func perImageCSV(_ results: [ModelResult]) -> String {
        let table = results.first?.summary.table ?? .standard
        // Format 1's columns in their order (curves in table order), then any metric added to the
        // table, then the warnings.
        let formatOneCurves = Set(SummaryDocument.formatOneCurveKeys)
        let documentedImages = table.images.filter { SummaryDocument.formatOneImageKeys.contains($0.key) }
        let documentedCurves = table.curves.filter { formatOneCurves.contains($0.rawValue) }
        let newImages = table.images.filter { !documentedImages.contains($0) }
        let newCurves = table.curves.filter { !documentedCurves.contains($0) }
        // The keys of summary.json (`adpDice`, `meanDice`, `maxDice`): one name per number everywhere.
        func curveHeader(_ metric: CurveMetric) -> [String] { [CurveMetric.Statistic.adaptive, .mean, .max].map(metric.key) }
        var header = ["model", "class", "image"] + documentedImages.map(\.key) + ["adpThreshold"]
        header += documentedCurves.flatMap(curveHeader) + newImages.map(\.key) + newCurves.flatMap(curveHeader)
        header.append("warnings")
        var lines = [header.map(CSV.field).joined(separator: ",")]
        for result in results {
            for image in result.images {
                func curveCells(_ metric: CurveMetric) -> [String] {
                    [NumberFormat.exact(image.adaptive[metric]), NumberFormat.exact(image.mean(metric)), NumberFormat.exact(image.max(metric))]
                }
                func imageCell(_ metric: ImageMetric) -> String { image.values[metric].map(NumberFormat.exact) ?? "" }
                var cells = [result.model, result.className ?? "", image.name] + documentedImages.map(imageCell)
                cells.append(NumberFormat.exact(image.adaptiveThreshold))
                cells += documentedCurves.flatMap(curveCells) + newImages.map(imageCell) + newCurves.flatMap(curveCells)
                cells.append(image.warnings.joined(separator: "; "))
                lines.append(cells.map(CSV.field).joined(separator: ","))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// One row per model x class x threshold (256, index 0 = threshold 1).
    public static func curvesCSV(_ results: [ModelResult], thresholds: [Double]) -> String {
        let keys = SummaryDocument.curveKeys(for: results.first?.summary.table ?? .standard)
        var lines = [(["model", "class", "index", "threshold"] + keys.map(\.0)).joined(separator: ",")]
        for result in results {
            for index in 0..<thresholds.count {
                var cells = [CSV.field(result.model), CSV.field(result.className ?? ""), String(index), NumberFormat.exact(thresholds[index])]
                cells += keys.map { NumberFormat.exact(result.summary.curves[$0.1][index]) }
                lines.append(cells.joined(separator: ","))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
