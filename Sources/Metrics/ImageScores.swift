/// Per-threshold values of every curve metric of a table (index 0 = threshold 1, index 255 =
/// threshold 0), one array per metric in table order (no hashing on the hot path).
public struct ThresholdCurves: Sendable, Hashable {
    private var storage: [[Double]]

    /// - Parameter values: a curve for each of `table`'s metrics.
    public init(values: [CurveMetric: [Double]], table: MetricTable = .standard) {
        storage = table.curves.map { values[$0] ?? [] }
    }

    /// - Parameter ordered: one curve per metric, in table order.
    init(ordered: [[Double]]) {
        storage = ordered
    }

    public subscript(metric: CurveMetric) -> [Double] { storage[metric.index] }

    /// The curves by metric, for `table`'s metrics.
    public func values(_ table: MetricTable = .standard) -> [CurveMetric: [Double]] {
        Dictionary(uniqueKeysWithValues: table.curves.map { ($0, storage[$0.index]) })
    }
}

/// Everything segeval measures on one (ground truth, prediction) pair.
public struct ImageScores: Sendable, Hashable {
    public var name: String
    public var curves: ThresholdCurves
    /// Scores at the adaptive threshold 2 * mean(pred) (see `ImageEvaluator`).
    public var adaptive: CurveValues
    public var adaptiveThreshold: Double
    /// The table's per-image metrics (nil: not computed; NaN: undefined).
    public var values: ImageValues
    /// Size and class of the GT, for reports.
    public var groundTruthForeground: Int
    public var pixelCount: Int
    /// Quirks met and undefined values (never silent; worded by the layers that talk to users).
    public var findings: [Finding]

    public init(name: String, curves: ThresholdCurves, adaptive: CurveValues, adaptiveThreshold: Double,
                values: ImageValues, groundTruthForeground: Int, pixelCount: Int, findings: [Finding]) {
        self.name = name
        self.curves = curves
        self.adaptive = adaptive
        self.adaptiveThreshold = adaptiveThreshold
        self.values = values
        self.groundTruthForeground = groundTruthForeground
        self.pixelCount = pixelCount
        self.findings = findings
    }

    public var sMeasure: Double { values[.sMeasure] ?? .nan }
    public var meanAbsoluteError: Double { values[.meanAbsoluteError] ?? .nan }
    /// nil when not computed; NaN when undefined (empty ground truth, textbook convention).
    public var weightedFMeasure: Double? { values[.weightedFMeasure] }

    /// The mean over the 256 thresholds of one curve.
    public func mean(_ metric: CurveMetric) -> Double {
        let curve = curves[metric]
        return curve.reduce(0, +) / Double(curve.count)
    }

    /// The max over the 256 thresholds of one curve (MATLAB `max`: NaN points are ignored; NaN
    /// when every point is).
    public func max(_ metric: CurveMetric) -> Double {
        ModelSummary.maximum(curves[metric])
    }

    /// One statistic of one curve metric for this image.
    public func value(_ metric: CurveMetric, _ statistic: CurveMetric.Statistic) -> Double {
        switch statistic {
        case .mean: mean(metric)
        case .max: max(metric)
        case .adaptive: adaptive[metric]
        }
    }
}
