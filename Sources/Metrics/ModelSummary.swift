/// A model's scores over its images (spec section 9): curves are per-threshold means over images;
/// `mean`/`max` are taken over the 256 thresholds of those curves; adaptive values, S-measure,
/// MAE and weighted F are per-image means.
///
/// Under the toolbox convention every image counts in every mean (a NaN propagates, and
/// `findings` says where). Under the textbook convention undefined per-image values are left out of the
/// means and counted in `undefinedCounts` (and in `findings`), and so are the thresholds at which
/// no image defines a curve when the curve is averaged over thresholds.
public struct ModelSummary: Sendable, Hashable {
    public var imageCount: Int
    /// The curve metrics summarised.
    public var table: MetricTable
    public var curves: ThresholdCurves
    public var meanCurve: CurveValues
    public var maxCurve: CurveValues
    public var adaptive: CurveValues
    /// What the printed tables call adpIoU: `adpF / (2 - adpF)` under the Inf-Net presets (from
    /// the *mean* adaptive F), the mean per-image adaptive IoU under `standard`.
    public var adaptiveIoU: Double
    /// The mean over images of each per-image metric of the table (nil: not computed).
    public var values: ImageValues
    public var sMeasure: Double { values[.sMeasure] ?? .nan }
    public var meanAbsoluteError: Double { values[.meanAbsoluteError] ?? .nan }
    /// nil when not computed.
    public var weightedFMeasure: Double? { values[.weightedFMeasure] }
    /// Per quantity, the number of undefined values left out of its mean (textbook convention):
    /// per-image values, and for `mean.<metric>` the thresholds at which no image defines the curve.
    public var undefinedCounts: [Quantity: Int]
    /// Undefined values left out or averaged in, per quantity (worded by the layers above).
    public var findings: [Finding]

    /// One statistic of one curve metric over the model's images.
    public func value(_ metric: CurveMetric, _ statistic: CurveMetric.Statistic) -> Double {
        switch statistic {
        case .mean: meanCurve[metric]
        case .max: maxCurve[metric]
        case .adaptive: adaptive[metric]
        }
    }

    /// `table`: the metrics the images were measured with.
    public init(images: [ImageScores], protocol evaluationProtocol: EvaluationProtocol, table: MetricTable = .standard) {
        var accumulator = ModelAccumulator(table: table, thresholds: table.curves.first.flatMap { images.first?.curves[$0].count } ?? ThresholdLadder.count)
        for image in images { accumulator.add(image) }
        self.init(accumulator, protocol: evaluationProtocol)
    }

    /// The summary of the images an accumulator has seen (their exact sums, rounded once).
    public init(_ accumulator: ModelAccumulator, protocol evaluationProtocol: EvaluationProtocol) {
        let skipsUndefined = evaluationProtocol.countConvention == .textbook
        // Undefined values by quantity: left out of the mean (textbook), or averaged in as MATLAB
        // does, making it NaN (toolbox).
        var undefined: [Quantity: Int] = [:]
        var propagated: [Quantity: Int] = [:]
        func record(_ count: Int, _ label: Quantity) {
            guard count > 0 else { return }
            if skipsUndefined { undefined[label, default: 0] += count } else { propagated[label, default: 0] += count }
        }
        func average(_ mean: ModelAccumulator.Mean, _ label: Quantity, leavingOut: Bool = false) -> Double {
            // Metrics outside the published toolbox (surface distances) leave undefined values out
            // under every protocol, counted.
            if leavingOut && !skipsUndefined {
                if mean.undefined > 0 { undefined[label, default: 0] += mean.undefined }
            } else {
                record(mean.undefined, label)
            }
            return mean.mean(skippingUndefined: skipsUndefined || leavingOut)
        }

        let table = accumulator.table
        imageCount = accumulator.imageCount
        self.table = table
        var curveValues: [[Double]] = []
        var meanCurve: [Double] = [], maxCurve: [Double] = [], adaptive: [Double] = []
        for metric in table.curves {
            let points = accumulator.curves[metric.index]
            // Per threshold: the exact sum over images, rounded once, then one division.
            record(points.reduce(0) { $0 + $1.undefined }, .curve(metric))
            let curve = points.map { $0.mean(skippingUndefined: skipsUndefined) }
            curveValues.append(curve)
            // Textbook convention: thresholds that no image defines are left out here too. (Under
            // the toolbox convention a NaN point was already reported as curve.<metric>.)
            // Over thresholds, a curve's own points in order (MATLAB `mean` of one curve).
            if skipsUndefined {
                let defined = curve.filter { !$0.isNaN }
                record(curve.count - defined.count, .meanOverThresholds(metric))
                meanCurve.append(defined.isEmpty ? .nan : Self.plainMean(defined))
            } else {
                meanCurve.append(Self.plainMean(curve))
            }
            maxCurve.append(Self.maximum(curve))
            adaptive.append(average(accumulator.adaptive[metric.index], .adaptive(metric)))
        }
        curves = ThresholdCurves(ordered: curveValues)
        self.meanCurve = CurveValues(meanCurve)
        self.maxCurve = CurveValues(maxCurve)
        self.adaptive = CurveValues(adaptive)
        switch evaluationProtocol.countConvention {
        case .toolboxZeroWhenNoTruePositive:
            let f = self.adaptive[.fmeasure]
            adaptiveIoU = f / (2 - f)
        case .textbook:
            adaptiveIoU = self.adaptive[.iou]
        }
        values = ImageValues(table.images.map { metric -> Double? in
            // A metric computed on request and by no image has no value; every other has one.
            if metric.isOnRequest && !accumulator.computed[metric.index] { return nil }
            return average(accumulator.images[metric.index], .image(metric), leavingOut: metric.leavesOutUndefined)
        })
        // Sorted by name (curve.x, mean.x, adaptive.x, per-image labels), left out before averaged in.
        findings = undefined.sorted { $0.key.description < $1.key.description }.map { .leftOut($0.key, count: $0.value) }
            + propagated.sorted { $0.key.description < $1.key.description }.map { .averagedIn($0.key, count: $0.value) }
        undefinedCounts = undefined
    }

    /// Sum in order, then divide (MATLAB `mean`; over one curve's thresholds).
    static func plainMean(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return .nan }
        var sum = 0.0
        for value in values { sum += value }
        return sum / Double(values.count)
    }

    /// MATLAB `max`: NaN entries are ignored unless every entry is NaN.
    static func maximum(_ values: [Double]) -> Double {
        var result = Double.nan
        for value in values where !value.isNaN { if result.isNaN || value > result { result = value } }
        return result
    }
}

extension ModelSummary {
    /// A quantity averaged over images or thresholds whose undefined values are counted: named in
    /// warnings as `curve.dice`, `mean.dice`, `adaptive.dice`, or a per-image metric's label.
    public enum Quantity: Hashable, Sendable, CustomStringConvertible {
        /// A curve's points, over images (per threshold).
        case curve(CurveMetric)
        /// A model curve, over thresholds (`mean<Name>`).
        case meanOverThresholds(CurveMetric)
        /// The per-image adaptive values.
        case adaptive(CurveMetric)
        /// A per-image metric's values.
        case image(ImageMetric)

        public var description: String {
            switch self {
            case .curve(let metric): "curve.\(metric.rawValue)"
            case .meanOverThresholds(let metric): "mean.\(metric.rawValue)"
            case .adaptive(let metric): "adaptive.\(metric.rawValue)"
            case .image(let metric): metric.label
            }
        }
    }
}
