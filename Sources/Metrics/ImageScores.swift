/// A metric that has a value per threshold (and hence a curve, a mean, a max and an adaptive value).
public enum CurveMetric: String, CaseIterable, Sendable, Hashable, Codable {
    case dice, iou, sensitivity, specificity, precision, fmeasure, fmeasureBeta03, emeasure
}

extension CurveMetric {
    /// Position in `allCases`, for array-backed storage.
    @inline(__always)
    public var index: Int {
        switch self {
        case .dice: return 0
        case .iou: return 1
        case .sensitivity: return 2
        case .specificity: return 3
        case .precision: return 4
        case .fmeasure: return 5
        case .fmeasureBeta03: return 6
        case .emeasure: return 7
        }
    }
}

/// Per-threshold values of every `CurveMetric` (index 0 = threshold 1, index 255 = threshold 0).
/// Stored as one array per metric in `CurveMetric.allCases` order (no hashing on the hot path).
public struct ThresholdCurves: Sendable, Hashable {
    private var storage: [[Double]]

    public init(values: [CurveMetric: [Double]]) {
        storage = CurveMetric.allCases.map { values[$0] ?? [] }
    }

    /// - Parameter ordered: one curve per metric, in `CurveMetric.allCases` order.
    init(ordered: [[Double]]) {
        precondition(ordered.count == CurveMetric.allCases.count)
        storage = ordered
    }

    public subscript(metric: CurveMetric) -> [Double] { storage[metric.index] }

    public var values: [CurveMetric: [Double]] {
        Dictionary(uniqueKeysWithValues: CurveMetric.allCases.map { ($0, storage[$0.index]) })
    }
}

/// Everything segeval measures on one (ground truth, prediction) pair.
public struct ImageScores: Sendable, Hashable {
    public var name: String
    public var curves: ThresholdCurves
    /// Scores at the adaptive threshold 2 * mean(pred) (see `ImageEvaluator`).
    public var adaptive: [CurveMetric: Double]
    public var adaptiveThreshold: Double
    public var sMeasure: Double
    public var meanAbsoluteError: Double
    /// nil when not computed; NaN when undefined (empty ground truth).
    public var weightedFMeasure: Double?
    /// Size and class of the GT, for reports.
    public var groundTruthForeground: Int
    public var pixelCount: Int
    /// Human-readable notes on quirks met and undefined values (never silent).
    public var warnings: [String]

    public init(name: String, curves: ThresholdCurves, adaptive: [CurveMetric: Double], adaptiveThreshold: Double,
                sMeasure: Double, meanAbsoluteError: Double, weightedFMeasure: Double?,
                groundTruthForeground: Int, pixelCount: Int, warnings: [String]) {
        self.name = name
        self.curves = curves
        self.adaptive = adaptive
        self.adaptiveThreshold = adaptiveThreshold
        self.sMeasure = sMeasure
        self.meanAbsoluteError = meanAbsoluteError
        self.weightedFMeasure = weightedFMeasure
        self.groundTruthForeground = groundTruthForeground
        self.pixelCount = pixelCount
        self.warnings = warnings
    }

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
}
