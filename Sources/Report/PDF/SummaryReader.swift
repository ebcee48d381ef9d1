import Evaluation
import Foundation
import Metrics

/// Reads a `summary.json` written by `segeval evaluate --out` (see `SummaryDocument`) back into
/// `ReportData`, for `segeval report --from`. Only the same `format` and the same segeval version
/// are accepted: the numbers of another version may differ, and a report must not mix them.
public enum SummaryReader {
    public static func read(path: String) throws(ReportError) -> ReportData {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ReportError("\(path): cannot read file (--from)")
        }
        return try parse(data, name: path)
    }

    /// - Parameter name: the file's name in error messages.
    public static func parse(_ data: Data, name: String) throws(ReportError) -> ReportData {
        let root: [String: Any]
        do {
            guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw ReportError("\(name): not a segeval summary.json (the top level is not an object)")
            }
            root = object
        } catch let error as ReportError {
            throw error
        } catch {
            throw ReportError("\(name): not valid JSON (\(error.localizedDescription))")
        }
        guard let version = root["segeval"] as? String, let format = root["format"] as? Int else {
            throw ReportError("\(name): not a segeval summary.json (no \"segeval\" version and \"format\" fields)")
        }
        guard format == SummaryDocument.formatVersion else {
            throw ReportError("\(name): summary.json format \(format) is not supported by segeval \(SegevalVersion.string) (reads format \(SummaryDocument.formatVersion)); run 'segeval evaluate --out' again with this version")
        }
        guard version == SegevalVersion.string else {
            throw ReportError("\(name): written by segeval \(version), this is segeval \(SegevalVersion.string); numbers of another version are not mixed into a report: run 'segeval evaluate --out' again with this version, or report from --pred/--gt")
        }
        guard let protocolName = root["protocol"] as? String, let chosen = EvaluationProtocol.named(protocolName) else {
            throw ReportError("\(name): unknown or missing \"protocol\"")
        }
        guard let results = root["results"] as? [[String: Any]] else {
            throw ReportError("\(name): no \"results\" array")
        }
        var series: [ReportSeries] = []
        for (index, result) in results.enumerated() {
            series.append(try self.series(result, index: index, name: name))
        }
        return ReportData(protocolName: protocolName, thresholds: ThresholdLadder.values(for: chosen.thresholdValues),
                          series: series, computedBy: version)
    }

    static func series(_ result: [String: Any], index: Int, name: String) throws(ReportError) -> ReportSeries {
        guard let model = result["model"] as? String,
              let summary = result["summary"] as? [String: Any],
              let curves = result["curves"] as? [String: Any],
              let images = result["images"] as? [[String: Any]] else {
            throw ReportError("\(name): results[\(index)] lacks model, summary, curves or images")
        }
        var values: [String: Double?] = [:]
        for metric in SummaryMetric.all {
            guard let entry = summary[metric.key] else { continue }
            if metric.key == "wFmeasure", entry is NSNull { values[metric.key] = .some(nil); continue }
            values[metric.key] = number(entry)
        }
        var curveValues: [CurveMetric: [Double]] = [:]
        for (key, metric) in SummaryDocument.curveKeys {
            guard let array = curves[key] as? [Any] else { continue }
            curveValues[metric] = array.map(number)
        }
        let scores = images.map { image in
            ReportImageScore(name: image["name"] as? String ?? "?", meanDice: number(image["meanDice"] ?? NSNull()),
                             sMeasure: number(image["Smeasure"] ?? NSNull()))
        }
        return ReportSeries(model: model, className: result["class"] as? String, classLabel: result["classLabel"] as? Int,
                            values: values, curves: curveValues, images: scores)
    }

    /// A JSON number, or NaN for `null` (how the writer stores undefined values).
    static func number(_ value: Any) -> Double {
        (value as? NSNumber)?.doubleValue ?? .nan
    }
}
