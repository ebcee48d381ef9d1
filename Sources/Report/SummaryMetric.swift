import Metrics

/// A model-level number that a table can show: a key (as in `summary.json`), a column header,
/// and how to read it from a `ModelSummary`.
public struct SummaryMetric: Sendable, Hashable {
    /// The key in `summary.json` (e.g. `meanDice`).
    public let key: String
    /// The column header in the paper's notation.
    public let header: String
    public let latexHeader: String
    /// false for errors (MAE): the best value is the smallest.
    public let higherIsBetter: Bool
    let read: @Sendable (ModelSummary) -> Double?

    public static func == (a: SummaryMetric, b: SummaryMetric) -> Bool { a.key == b.key }
    public func hash(into hasher: inout Hasher) { hasher.combine(key) }

    public func value(in summary: ModelSummary) -> Double? { read(summary) }

    static func curve(_ kind: String, _ metric: CurveMetric, _ name: String, _ header: String, _ latex: String) -> [SummaryMetric] {
        [
            SummaryMetric(key: "mean" + name, header: header, latexHeader: latex, higherIsBetter: true) { $0.meanCurve[metric] },
            SummaryMetric(key: "max" + name, header: "max" + header, latexHeader: "max" + latex, higherIsBetter: true) { $0.maxCurve[metric] },
            SummaryMetric(key: "adp" + name, header: "adp" + header, latexHeader: "adp" + latex, higherIsBetter: true) { $0.adaptive[metric] },
        ]
    }

    /// Every metric, in `summary.json` order (the contract's keys first).
    public static let all: [SummaryMetric] = {
        var metrics: [SummaryMetric] = []
        metrics += curve("", .dice, "Dice", "Dice", "Dice")
        metrics += curve("", .sensitivity, "Sensitivity", "Sen.", "Sen.")
        metrics += curve("", .specificity, "Specificity", "Spec.", "Spec.")
        metrics += curve("", .precision, "Precision", "Prec.", "Prec.")
        metrics.append(SummaryMetric(key: "adpIoU", header: "adpIoU", latexHeader: "adpIoU", higherIsBetter: true) { $0.adaptiveIoU })
        metrics += curve("", .fmeasure, "Fmeasure", "F1", "$F_1$")
        metrics.append(SummaryMetric(key: "Smeasure", header: "S_alpha", latexHeader: "$S_\\alpha$", higherIsBetter: true) { $0.sMeasure })
        metrics += [
            SummaryMetric(key: "meanEmeasure", header: "E_phi^mean", latexHeader: "$E_\\phi^{mean}$", higherIsBetter: true) { $0.meanCurve[.emeasure] },
            SummaryMetric(key: "maxEmeasure", header: "E_phi^max", latexHeader: "$E_\\phi^{max}$", higherIsBetter: true) { $0.maxCurve[.emeasure] },
            SummaryMetric(key: "adpEmeasure", header: "E_phi^adp", latexHeader: "$E_\\phi^{adp}$", higherIsBetter: true) { $0.adaptive[.emeasure] },
        ]
        metrics.append(SummaryMetric(key: "MAE", header: "MAE", latexHeader: "MAE", higherIsBetter: false) { $0.meanAbsoluteError })
        metrics.append(SummaryMetric(key: "wFmeasure", header: "wF", latexHeader: "$F_\\beta^w$", higherIsBetter: true) { $0.weightedFMeasure })
        // Beyond the contract: IoU curve and F with beta^2 = 0.3.
        metrics += [
            SummaryMetric(key: "meanIoU", header: "IoU", latexHeader: "IoU", higherIsBetter: true) { $0.meanCurve[.iou] },
            SummaryMetric(key: "maxIoU", header: "maxIoU", latexHeader: "maxIoU", higherIsBetter: true) { $0.maxCurve[.iou] },
        ]
        metrics += curve("", .fmeasureBeta03, "FmeasureBeta03", "F_0.3", "$F_{\\beta}$")
        return metrics
    }()

    /// The paper's six columns: Dice, Sen., Spec., S_alpha, E_phi^mean, MAE.
    public static let paperDefault = ["meanDice", "meanSensitivity", "meanSpecificity", "Smeasure", "meanEmeasure", "MAE"]

    /// Short names accepted by `--metrics`.
    public static let aliases: [String: String] = [
        "dice": "meanDice", "sen": "meanSensitivity", "sensitivity": "meanSensitivity",
        "spe": "meanSpecificity", "spec": "meanSpecificity", "specificity": "meanSpecificity",
        "precision": "meanPrecision", "pre": "meanPrecision", "sm": "Smeasure", "s": "Smeasure",
        "em": "meanEmeasure", "e": "meanEmeasure", "mae": "MAE", "wfm": "wFmeasure", "wf": "wFmeasure",
        "iou": "meanIoU", "f": "meanFmeasure", "fm": "meanFmeasure",
    ]

    /// Looks up a metric by key or alias, case-insensitively.
    public static func named(_ name: String) -> SummaryMetric? {
        let lowered = name.lowercased()
        let key = aliases[lowered] ?? name
        return all.first { $0.key.lowercased() == key.lowercased() }
    }
}
