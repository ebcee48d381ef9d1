/// The metrics segeval measures, one entry each: the table everything else iterates over. Adding
/// a curve metric is adding one `CurveMetric` entry here (or to a copy, with `adding`); its
/// curve, statistics, keys, headers and aliases follow.
///
/// Order: `curves` is the order of per-image CSV columns and of array-backed storage. Files of
/// format 1 (`summary.json`, `summary.csv`) list their documented keys in their documented order
/// first and any further metric after them, in table order (see `SummaryMetric`).
public struct MetricTable: Sendable, Hashable {
    public private(set) var curves: [CurveMetric]

    /// The curve metric with this key, if any.
    public func curve(_ rawValue: String) -> CurveMetric? { curves.first { $0.rawValue == rawValue } }

    /// This table with one more curve metric (its `index` is set to its position).
    public func adding(_ make: (_ index: Int) -> CurveMetric) -> MetricTable {
        var table = self
        let metric = make(curves.count)
        precondition(metric.index == curves.count && curve(metric.rawValue) == nil, "a new key, at the end of the table")
        table.curves.append(metric)
        return table
    }

    /// Every metric of the published toolbox and the textbook extras.
    public static let standard: MetricTable = {
        typealias H = CurveMetric.Header
        func ratio(_ score: @escaping @Sendable (BinaryScores) -> Double) -> @Sendable (ThresholdCounts, EvaluationProtocol) -> Double {
            { counts, evaluationProtocol in score(BinaryScores(counts.inclusive, convention: evaluationProtocol.countConvention)) }
        }
        let entries: [(Int) -> CurveMetric] = [
            { CurveMetric("dice", index: $0, name: "Dice", header: H("Dice", latex: "Dice"), aliases: ["dice"], value: ratio(\.dice)) },
            // adpIoU is a summary column of its own (`SummaryMetric.adaptiveIoU`): under the Inf-Net
            // presets it is computed from the mean adaptive F, not averaged.
            { CurveMetric("iou", index: $0, name: "IoU", header: H("IoU", latex: "IoU"), summaryStatistics: [.mean, .max],
                          aliases: ["iou"], value: ratio(\.iou)) },
            { CurveMetric("sensitivity", index: $0, name: "Sensitivity", header: H("Sen.", latex: "Sen."),
                          aliases: ["sen", "sensitivity"], value: ratio(\.sensitivity)) },
            { CurveMetric("specificity", index: $0, name: "Specificity", header: H("Spec.", latex: "Spec."),
                          aliases: ["spe", "spec", "specificity"], value: ratio(\.specificity)) },
            { CurveMetric("precision", index: $0, name: "Precision", header: H("Prec.", latex: "Prec."),
                          aliases: ["precision", "pre"], value: ratio(\.precision)) },
            { CurveMetric("fmeasure", index: $0, name: "Fmeasure", header: H("F1", latex: "$F_1$"), aliases: ["f", "fm"],
                          value: ratio(\.fmeasure)) },
            { CurveMetric("fmeasureBeta03", index: $0, name: "FmeasureBeta03", header: H("F_0.3", latex: "$F_{\\beta}$"),
                          value: ratio(\.fmeasureBeta03)) },
            { CurveMetric("emeasure", index: $0, name: "Emeasure", header: H("E_phi^mean", latex: "$E_\\phi^{mean}$"),
                          headers: [.max: H("E_phi^max", latex: "$E_\\phi^{max}$"), .adaptive: H("E_phi^adp", latex: "$E_\\phi^{adp}$")],
                          aliases: ["em", "e"]) { counts, evaluationProtocol in
                    EMeasure.score(counts.eMeasure, denominator: evaluationProtocol.eMeasureDenominator)
                } },
        ]
        var table = MetricTable(curves: [])
        for entry in entries { table = table.adding(entry) }
        return table
    }()
}

extension CurveMetric {
    /// The standard table's entries, by name.
    public static let dice = MetricTable.standard.curve("dice")!
    public static let iou = MetricTable.standard.curve("iou")!
    public static let sensitivity = MetricTable.standard.curve("sensitivity")!
    public static let specificity = MetricTable.standard.curve("specificity")!
    public static let precision = MetricTable.standard.curve("precision")!
    public static let fmeasure = MetricTable.standard.curve("fmeasure")!
    public static let fmeasureBeta03 = MetricTable.standard.curve("fmeasureBeta03")!
    public static let emeasure = MetricTable.standard.curve("emeasure")!

    /// The standard table's curve metrics.
    public static var allCases: [CurveMetric] { MetricTable.standard.curves }
}
