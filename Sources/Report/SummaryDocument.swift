import Evaluation
import Metrics

/// `summary.json`: the documented contract (docs/summary-json.md).
///
/// `{"segeval", "protocol", "results": [{"model", "class", "count", "summary": {...},
/// "curves": {...}, "images": [...], "notes": [...], "warnings": [...]}]}`. A non-finite value is
/// written as `null`, with a warning naming the value and why.
public enum SummaryDocument {
    public static let formatVersion = 1

    /// Curve names in the JSON, with the metric each holds.
    public static let curveKeys: [(String, CurveMetric)] = [
        ("dice", .dice), ("sensitivity", .sensitivity), ("specificity", .specificity), ("precision", .precision),
        ("fmeasure", .fmeasure), ("emeasure", .emeasure), ("iou", .iou), ("fmeasureBeta03", .fmeasureBeta03),
    ]

    public static func make(results: [ModelResult], protocolName: String) -> JSONValue {
        .object([
            ("segeval", .string(SegevalVersion.string)),
            ("format", .integer(formatVersion)),
            ("protocol", .string(protocolName)),
            ("results", .array(results.map(result))),
        ])
    }

    static func result(_ result: ModelResult) -> JSONValue {
        var warnings: [String] = result.summary.warnings
        func number(_ value: Double?, _ label: String) -> JSONValue {
            if let value, !value.isFinite {
                warnings.append("\(label) is \(value.isNaN ? "undefined (NaN)" : "infinite"); written as null")
            }
            return .finite(value)
        }
        let summary: [(String, JSONValue)] = SummaryMetric.all.compactMap { metric in
            let value = metric.value(in: result.summary)
            if metric.key == "wFmeasure" && value == nil { return (metric.key, .null) }
            return (metric.key, number(value, "summary.\(metric.key)"))
        }
        let curves: [(String, JSONValue)] = curveKeys.map { key, metric in
            let values = result.summary.curves[metric]
            let undefined = values.filter { !$0.isFinite }.count
            if undefined > 0 { warnings.append("curves.\(key): \(undefined) undefined point(s) written as null") }
            return (key, .array(values.map { .finite($0) }))
        }
        let images: [JSONValue] = result.images.map { image in
            var imageWarnings = image.warnings
            func imageNumber(_ value: Double?, _ label: String) -> JSONValue {
                if let value, !value.isFinite { imageWarnings.append("\(label) is undefined; written as null") }
                return .finite(value)
            }
            let members: [(String, JSONValue)] = [
                ("name", .string(image.name)),
                ("Smeasure", imageNumber(image.sMeasure, "Smeasure")),
                ("MAE", imageNumber(image.meanAbsoluteError, "MAE")),
                ("wFmeasure", image.weightedFMeasure.map { imageNumber($0, "wFmeasure") } ?? .null),
                ("adpDice", imageNumber(image.adaptive[.dice], "adpDice")),
                ("adpSensitivity", imageNumber(image.adaptive[.sensitivity], "adpSensitivity")),
                ("adpSpecificity", imageNumber(image.adaptive[.specificity], "adpSpecificity")),
                ("adpPrecision", imageNumber(image.adaptive[.precision], "adpPrecision")),
                ("adpEmeasure", imageNumber(image.adaptive[.emeasure], "adpEmeasure")),
                ("meanDice", imageNumber(image.mean(.dice), "meanDice")),
                ("maxDice", imageNumber(image.max(.dice), "maxDice")),
                ("meanEmeasure", imageNumber(image.mean(.emeasure), "meanEmeasure")),
                ("maxEmeasure", imageNumber(image.max(.emeasure), "maxEmeasure")),
                ("adpFmeasure", imageNumber(image.adaptive[.fmeasure], "adpFmeasure")),
                ("adpIoU", imageNumber(image.adaptive[.iou], "adpIoU")),
                ("adpThreshold", imageNumber(image.adaptiveThreshold, "adpThreshold")),
                ("warnings", .array(imageWarnings.map(JSONValue.string))),
            ]
            return .object(members)
        }
        return .object([
            ("model", .string(result.model)),
            ("class", result.className.map(JSONValue.string) ?? .null),
            ("classLabel", result.classLabel.map(JSONValue.integer) ?? .null),
            ("count", .integer(result.images.count)),
            ("summary", .object(summary)),
            ("curves", .object(curves)),
            ("images", .array(images)),
            ("notes", .array(result.notes.map(JSONValue.string))),
            ("warnings", .array(warnings.map(JSONValue.string))),
        ])
    }
}
