import Evaluation
import Metrics
import Output

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

    /// The document, streamed to `output`: each result's `images` array is copied from its
    /// spooled entries (`ImageEntries`), never held in memory.
    public static func write(_ record: EvaluationRecord, to output: some TextOutput) throws(OutputError) {
        var members: [(String, JSONValue)] = [
            ("segeval", .string(SegevalVersion.string)),
            ("format", .integer(formatVersion)),
            ("protocol", .string(record.protocolName)),
        ]
        if let distances = record.distances {
            members.append(("distances", .object([
                ("convention", .string(distances.convention.rawValue)),
                ("library", .string(distances.convention.library)),
                ("spacingMM", .number(distances.spacing)),
                ("toleranceMM", .number(distances.tolerance)),
                ("percentile", .integer(95)),
                ("threshold", .object([("value", .number(distances.threshold)), ("rule", .string(">= on im2double: level / 255 (8-bit), level / 65535 (16-bit)"))])),
            ])))
        }
        members.append(("results", .array(record.results.indices.map { result(record.results[$0], imagesPlaceholder: $0) })))
        let document = JSONValue.object(members).serialized() + "\n"
        // Each placeholder is a JSON string that no real string can serialise to (a NUL is written
        // escaped, and no model, class or file name holds one).
        var rest = Substring(document)
        for index in record.results.indices {
            let marker = JSONValue.quoted(placeholder(index))
            guard let range = rest.range(of: marker) else { preconditionFailure("placeholder written") }
            try output.write(String(rest[..<range.lowerBound]))
            try writeImages(record.images[index], to: output)
            rest = rest[range.upperBound...]
        }
        try output.write(String(rest))
    }

    static func placeholder(_ index: Int) -> String { "\u{0}segeval-images-\(index)" }

    /// Indentation of an image entry (`results[k].images[i]`) and of the array's closing bracket.
    static let imageIndent = 4
    static let imagePad = String(repeating: "  ", count: imageIndent)
    static let imagesClosingPad = String(repeating: "  ", count: imageIndent - 1)

    /// The `images` array from the spooled entries: `[]`, or one entry per line block.
    static func writeImages(_ entries: ImageEntries, to output: some TextOutput) throws(OutputError) {
        guard entries.count > 0 else { return try output.write("[]") }
        try output.write("[\n")
        var first = true
        for piece in entries.pieces where piece.count > 0 {
            if !first { try output.write(",\n") }
            try output.append(contentsOfFile: piece.path, naming: piece.name)
            first = false
        }
        try output.write("\n" + imagesClosingPad + "]")
    }

    /// One image's entry as it is spooled: padded, without separator (`ImageRecorder` joins
    /// entries with ",\n").
    public static func imageEntry(_ image: ImageScores, table: MetricTable) -> String {
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
        return imagePad + JSONValue.object(members).serialized(indent: imageIndent)
    }

    static func result(_ result: ModelResult, imagesPlaceholder index: Int) -> JSONValue {
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
        return .object([
            ("model", .string(result.model)),
            ("class", result.className.map(JSONValue.string) ?? .null),
            ("classLabel", result.classLabel.map(JSONValue.integer) ?? .null),
            ("count", .integer(result.imageCount)),
            ("summary", .object(summary)),
            ("curves", .object(curves)),
            ("images", .string(placeholder(index))),
            ("notes", .array(result.notes.map(JSONValue.string))),
            ("warnings", .array(warnings.map(JSONValue.string))),
        ])
    }
}
