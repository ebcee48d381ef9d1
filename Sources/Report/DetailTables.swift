import Evaluation
import Metrics

/// `per_image.csv` and `curves.csv`: every number behind the summary, exact.
public enum DetailTables {
    /// per_image.csv has one row per image x class x model, every metric (curve metrics in table
    /// order). Format 1's columns in their order (curves in table order), then any metric added to
    /// the table, then the warnings.
    struct Columns {
        var documentedImages: [ImageMetric], documentedCurves: [CurveMetric]
        var newImages: [ImageMetric], newCurves: [CurveMetric]

        init(_ table: MetricTable) {
            let formatOneCurves = Set(SummaryDocument.formatOneCurveKeys)
            let images = table.images.filter { SummaryDocument.formatOneImageKeys.contains($0.key) }
            let curves = table.curves.filter { formatOneCurves.contains($0.rawValue) }
            documentedImages = images
            documentedCurves = curves
            newImages = table.images.filter { !images.contains($0) }
            newCurves = table.curves.filter { !curves.contains($0) }
        }
    }

    /// per_image.csv's header line (with its newline).
    public static func perImageHeader(_ table: MetricTable) -> String {
        let columns = Columns(table)
        // The keys of summary.json (`adpDice`, `meanDice`, `maxDice`): one name per number everywhere.
        func curveHeader(_ metric: CurveMetric) -> [String] { [CurveMetric.Statistic.adaptive, .mean, .max].map(metric.key) }
        var header = ["model", "class", "image"] + columns.documentedImages.map(\.key) + ["adpThreshold"]
        header += columns.documentedCurves.flatMap(curveHeader) + columns.newImages.map(\.key) + columns.newCurves.flatMap(curveHeader)
        header.append("warnings")
        return header.map(CSV.field).joined(separator: ",") + "\n"
    }

    /// One image's row of per_image.csv (with its newline).
    public static func perImageRow(model: String, className: String?, image: ImageScores, table: MetricTable) -> String {
        let columns = Columns(table)
        func curveCells(_ metric: CurveMetric) -> [String] {
            [NumberFormat.exact(image.adaptive[metric]), NumberFormat.exact(image.mean(metric)), NumberFormat.exact(image.max(metric))]
        }
        func imageCell(_ metric: ImageMetric) -> String { image.values[metric].map(NumberFormat.exact) ?? "" }
        var cells = [model, className ?? "", image.name] + columns.documentedImages.map(imageCell)
        cells.append(NumberFormat.exact(image.adaptiveThreshold))
        cells += columns.documentedCurves.flatMap(curveCells) + columns.newImages.map(imageCell) + columns.newCurves.flatMap(curveCells)
        cells.append(image.warnings.joined(separator: "; "))
        return cells.map(CSV.field).joined(separator: ",") + "\n"
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
