import Metrics

/// A model-level number that a table can show: a key (as in `summary.json`), a column header,
/// and how to read it from a `ModelSummary`. Derived from the metric table (`MetricTable`): each
/// curve metric gives one column per statistic in its `summaryStatistics`, each per-image metric
/// (S-measure, MAE, weighted F) one (its mean over images), and the printed tables' adpIoU one.
public struct SummaryMetric: Sendable, Hashable {
    /// The key in `summary.json` (e.g. `meanDice`).
    public let key: String
    /// The column header in the paper's notation.
    public let header: String
    public let latexHeader: String
    /// false for errors (MAE): the best value is the smallest.
    public let higherIsBetter: Bool
    /// Short names `--metrics` accepts for it (lower-case).
    public let aliases: [String]
    /// The mean of a per-image metric computed only when asked for (`ImageMetric.isOnRequest`):
    /// nil when it was not, written as null.
    public var isOnRequest = false
    let read: @Sendable (ModelSummary) -> Double?

    public static func == (a: SummaryMetric, b: SummaryMetric) -> Bool { a.key == b.key }
    public func hash(into hasher: inout Hasher) { hasher.combine(key) }

    public func value(in summary: ModelSummary) -> Double? { read(summary) }

    /// The column of one statistic of a curve metric.
    public static func curve(_ metric: CurveMetric, _ statistic: CurveMetric.Statistic) -> SummaryMetric {
        let header = metric.headers[statistic]!
        return SummaryMetric(key: metric.key(statistic), header: header.text, latexHeader: header.latex, higherIsBetter: metric.higherIsBetter,
                             aliases: statistic == .mean ? metric.aliases : []) { $0.value(metric, statistic) }
    }

    /// The column of a per-image metric: its mean over images.
    public static func image(_ metric: ImageMetric) -> SummaryMetric {
        var column = SummaryMetric(key: metric.key, header: metric.header.text, latexHeader: metric.header.latex,
                                   higherIsBetter: metric.higherIsBetter, aliases: metric.aliases) { $0.values[metric] }
        column.isOnRequest = metric.isOnRequest
        return column
    }

    /// What the printed tables call adpIoU (see `ModelSummary.adaptiveIoU`): not the mean of a
    /// per-image value under the Inf-Net presets, so a column of its own.
    static let adaptiveIoU = SummaryMetric(key: "adpIoU", header: "adpIoU", latexHeader: "adpIoU", higherIsBetter: true,
                                           aliases: []) { $0.adaptiveIoU }

    /// The documented key order of `summary.json` and `summary.csv` format 1 (docs/summary-json.md).
    static let formatOneOrder = [
        "meanDice", "maxDice", "adpDice", "meanSensitivity", "maxSensitivity", "adpSensitivity",
        "meanSpecificity", "maxSpecificity", "adpSpecificity", "meanPrecision", "maxPrecision", "adpPrecision", "adpIoU",
        "meanFmeasure", "maxFmeasure", "adpFmeasure", "Smeasure", "meanEmeasure", "maxEmeasure", "adpEmeasure", "MAE", "wFmeasure",
        "meanIoU", "maxIoU", "meanFmeasureBeta03", "maxFmeasureBeta03", "adpFmeasureBeta03",
    ]

    /// Every column of `table`: format 1's keys in their documented order, then any other metric's
    /// columns in table order.
    public static func all(for table: MetricTable) -> [SummaryMetric] {
        let columns = [adaptiveIoU] + table.curves.flatMap { metric in metric.summaryStatistics.map { curve(metric, $0) } }
            + table.images.map(image)
        let documented = formatOneOrder.compactMap { key in columns.first { $0.key == key } }
        return documented + columns.filter { !formatOneOrder.contains($0.key) }
    }

    /// Every metric of the standard table, in `summary.json` order.
    public static let all: [SummaryMetric] = all(for: .standard)

    /// The paper's six columns: Dice, Sen., Spec., S_alpha, E_phi^mean, MAE.
    public static let paperDefault = ["meanDice", "meanSensitivity", "meanSpecificity", "Smeasure", "meanEmeasure", "MAE"]

    /// Short names accepted by `--metrics`, each to its key.
    public static var aliases: [String: String] {
        Dictionary(all.flatMap { metric in metric.aliases.map { ($0, metric.key) } }, uniquingKeysWith: { first, _ in first })
    }

    /// Looks up a metric of the standard table by key or alias, case-insensitively.
    public static func named(_ name: String) -> SummaryMetric? { named(name, in: .standard) }

    /// Looks up a metric of `table` by key or alias, case-insensitively.
    public static func named(_ name: String, in table: MetricTable) -> SummaryMetric? {
        let columns = table == .standard ? all : all(for: table)
        let lowered = name.lowercased()
        if let aliased = columns.first(where: { $0.aliases.contains(lowered) }) { return aliased }
        return columns.first { $0.key.lowercased() == lowered }
    }
}
