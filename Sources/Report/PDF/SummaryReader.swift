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
        let root: JSONValue
        do {
            root = try JSONValue.parse(data)
        } catch {
            throw ReportError("\(name): not valid JSON (\(error.localizedDescription))")
        }
        guard case .object = root else {
            throw ReportError("\(name): not a segeval summary.json (the top level is not an object)")
        }
        guard let version = root["segeval"]?.stringValue, let format = root["format"]?.integerValue else {
            throw ReportError("\(name): not a segeval summary.json (no \"segeval\" version and \"format\" fields)")
        }
        guard format == SummaryDocument.formatVersion else {
            throw ReportError("\(name): summary.json format \(format) is not supported by segeval \(SegevalVersion.string) (reads format \(SummaryDocument.formatVersion)); run 'segeval evaluate --out' again with this version")
        }
        guard version == SegevalVersion.string else {
            throw ReportError("\(name): written by segeval \(version), this is segeval \(SegevalVersion.string); numbers of another version are not mixed into a report: run 'segeval evaluate --out' again with this version, or report from --pred/--gt")
        }
        guard let protocolName = root["protocol"]?.stringValue, let chosen = EvaluationProtocol.named(protocolName) else {
            throw ReportError("\(name): unknown or missing \"protocol\"")
        }
        guard let results = root["results"]?.arrayValue else {
            throw ReportError("\(name): no \"results\" array")
        }
        var series: [ReportSeries] = []
        for (index, result) in results.enumerated() {
            series.append(try self.series(result, index: index, name: name))
        }
        return ReportData(protocolName: protocolName, thresholds: ThresholdLadder.values(for: chosen.thresholdValues),
                          series: series, computedBy: version)
    }

    static func series(_ result: JSONValue, index: Int, name: String) throws(ReportError) -> ReportSeries {
        guard let model = result["model"]?.stringValue,
              let summary = result["summary"], case .object = summary,
              let curves = result["curves"], case .object = curves,
              let images = result["images"]?.arrayValue else {
            throw ReportError("\(name): results[\(index)] lacks model, summary, curves or images")
        }
        var values: [String: Double?] = [:]
        for metric in SummaryMetric.all {
            guard let entry = summary[metric.key] else { continue }
            if metric.isOnRequest, entry.isNull { values[metric.key] = .some(nil); continue }
            values[metric.key] = entry.numberValue ?? .nan
        }
        var curveValues: [CurveMetric: [Double]] = [:]
        for (key, metric) in SummaryDocument.curveKeys {
            guard let array = curves[key]?.arrayValue else { continue }
            curveValues[metric] = array.map { $0.numberValue ?? .nan }
        }
        let scores = images.map { image in
            ReportImageScore(name: image["name"]?.stringValue ?? "?", meanDice: image["meanDice"]?.numberValue ?? .nan,
                             sMeasure: image["Smeasure"]?.numberValue ?? .nan,
                             hd95: image["HD95"].map { $0.numberValue ?? .nan }, nsd: image["NSD"].map { $0.numberValue ?? .nan })
        }
        return ReportSeries(model: model, className: result["class"]?.stringValue, classLabel: result["classLabel"]?.integerValue,
                            values: values, curves: curveValues, images: scores)
    }
}
