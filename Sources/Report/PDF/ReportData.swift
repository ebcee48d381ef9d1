import Evaluation
import Metrics

/// One image's scores as the report uses them.
public struct ReportImageScore: Sendable, Hashable {
    public var name: String
    /// The per-image Dice: the mean of the image's Dice curve over the 256 thresholds (the
    /// quantity the tables average), as in `summary.json`'s `meanDice`.
    public var meanDice: Double
    public var sMeasure: Double
    /// HD95 (mm) and NSD of the image when the run measured distances (`--distances`): NaN where
    /// undefined, nil when not measured.
    public var hd95: Double?
    public var nsd: Double?

    public init(name: String, meanDice: Double, sMeasure: Double, hd95: Double? = nil, nsd: Double? = nil) {
        self.name = name
        self.meanDice = meanDice
        self.sMeasure = sMeasure
        self.hd95 = hd95
        self.nsd = nsd
    }
}

/// One model (for one class) as the report draws it: table values, curves, per-image scores.
/// Built either from an evaluation run or from a `summary.json` (see `SummaryReader`).
public struct ReportSeries: Sendable {
    public var model: String
    /// nil for single-class evaluation.
    public var className: String?
    public var classLabel: Int?
    /// Model-level values by `SummaryMetric.key` (nil: not computed; NaN: undefined).
    public var values: [String: Double?]
    /// Per-threshold curves (index 0 = threshold 1, index 255 = threshold 0).
    public var curves: [CurveMetric: [Double]]
    public var images: [ReportImageScore]

    public init(model: String, className: String?, classLabel: Int?, values: [String: Double?],
                curves: [CurveMetric: [Double]], images: [ReportImageScore]) {
        self.model = model
        self.className = className
        self.classLabel = classLabel
        self.values = values
        self.curves = curves
        self.images = images
    }

    /// From an evaluation result: every `SummaryMetric` and every curve; `images` as recorded
    /// (`ImageRecorder.reportScores`).
    public init(_ result: ModelResult, images: [ReportImageScore]) {
        var values: [String: Double?] = [:]
        for metric in SummaryMetric.all(for: result.summary.table) { values[metric.key] = metric.value(in: result.summary) }
        self.init(model: result.model, className: result.className, classLabel: result.classLabel, values: values,
                  curves: result.summary.curves.values(result.summary.table),
                  images: images)
    }
}

/// Everything the pages show, independent of where it came from.
public struct ReportData: Sendable {
    public var protocolName: String
    /// The thresholds of the curves (index 0 = 1.0); see `ThresholdLadder`.
    public var thresholds: [Double]
    /// In report order: classes in label order, models as selected.
    public var series: [ReportSeries]
    /// segeval version that computed the numbers.
    public var computedBy: String

    public init(protocolName: String, thresholds: [Double], series: [ReportSeries], computedBy: String) {
        self.protocolName = protocolName
        self.thresholds = thresholds
        self.series = series
        self.computedBy = computedBy
    }

    /// The class groups in order (one nil group for single-class data).
    public var classGroups: [(className: String?, series: [ReportSeries])] {
        var groups: [(className: String?, series: [ReportSeries])] = []
        for item in series {
            if let index = groups.firstIndex(where: { $0.className == item.className }) {
                groups[index].series.append(item)
            } else {
                groups.append((item.className, [item]))
            }
        }
        return groups
    }

    /// Model names in first-appearance order (the legend and colour order).
    public var modelNames: [String] {
        var seen = Set<String>()
        return series.map(\.model).filter { seen.insert($0).inserted }
    }

    /// Keeps `models` only, in that order within each class (nil: all).
    /// - Throws: `ReportError` naming unknown models and listing the known ones.
    public func selecting(models: [String]?) throws(ReportError) -> ReportData {
        guard let models else { return self }
        let known = modelNames
        let unknown = models.filter { !known.contains($0) }
        guard unknown.isEmpty else {
            throw ReportError("--models: no model named \(unknown.joined(separator: ", ")); found: \(known.joined(separator: ", "))")
        }
        var copy = self
        copy.series = classGroups.flatMap { group in models.compactMap { name in group.series.first { $0.model == name } } }
        return copy
    }
}
