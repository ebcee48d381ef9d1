import Evaluation
import Metrics

/// `summary.json`: the documented contract (docs/summary-json.md).
///
/// `{"segeval", "protocol", "results": [{"model", "class", "count", "summary": {...},
/// "curves": {...}, "images": [...], "notes": [...], "warnings": [...]}]}`. A non-finite value is
/// written as `null`, with a warning naming the value and why.
public enum SummaryDocument {
    public static let formatVersion = 1

    /// The curves of `table` in the JSON's `curves` object and in `curves.csv`, keyed by
    /// `CurveMetric.rawValue`: format 1's in their documented order, then any other in table order.
    public static func curveKeys(for table: MetricTable) -> [(String, CurveMetric)] {
        let ordered = formatOneCurveKeys.compactMap(table.curve) + table.curves.filter { !formatOneCurveKeys.contains($0.rawValue) }
        return ordered.map { ($0.rawValue, $0) }
    }

    /// The curves of the standard table.
    public static let curveKeys = curveKeys(for: .standard)

    /// Format 1's curves, in the order of `curves` and `curves.csv`; their columns and members
    /// keep their documented places, and metrics added since come after them.
    public static let formatOneCurveKeys = ["dice", "sensitivity", "specificity", "precision", "fmeasure", "emeasure", "iou",
                                            "fmeasureBeta03"]
    /// Format 1's per-image metrics.
    static let formatOneImageKeys = ["Smeasure", "MAE", "wFmeasure"]

    /// The curve statistics of each image in the JSON's `images`: format 1's (in their documented
    /// order, after the per-image metrics), then every statistic of any other curve metric.
    static func imageStatistics(for table: MetricTable) -> [(CurveMetric, CurveMetric.Statistic)] {
        let documented: [(String, CurveMetric.Statistic)] = [
            ("dice", .adaptive), ("sensitivity", .adaptive), ("specificity", .adaptive), ("precision", .adaptive),
            ("emeasure", .adaptive), ("dice", .mean), ("dice", .max), ("emeasure", .mean), ("emeasure", .max),
            ("fmeasure", .adaptive), ("iou", .adaptive),
        ]
        // The curves of format 1 (new ones, in any table, standard included, get every statistic).
        let known = Set(formatOneCurveKeys)
        return documented.compactMap { key, statistic in table.curve(key).map { ($0, statistic) } }
            + table.curves.filter { !known.contains($0.rawValue) }.flatMap { metric in CurveMetric.Statistic.allCases.map { (metric, $0) } }
    }

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
        let table = result.summary.table
        let summary: [(String, JSONValue)] = SummaryMetric.all(for: table).compactMap { metric in
            let value = metric.value(in: result.summary)
            if value == nil && metric.isOnRequest { return (metric.key, .null) }  // not computed (weighted F unless asked for)
            return (metric.key, number(value, "summary.\(metric.key)"))
        }
        let curves: [(String, JSONValue)] = curveKeys(for: table).map { key, metric in
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
            var members: [(String, JSONValue)] = [("name", .string(image.name))]
            for metric in table.images {
                members.append((metric.key, image.values[metric].map { imageNumber($0, metric.key) } ?? .null))
            }
            for (metric, statistic) in imageStatistics(for: table) {
                let key = metric.key(statistic)
                members.append((key, imageNumber(image.value(metric, statistic), key)))
            }
            members += [
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
