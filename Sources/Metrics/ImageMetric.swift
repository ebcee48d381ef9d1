/// A metric with one value per image (S-measure, MAE, weighted F-measure; surface distances
/// next), as one entry of a `MetricTable`: how it is measured on a pair and named. Its model-level
/// value is the mean over images (undefined values handled as the protocol says); its summary
/// column, per-image JSON member and `per_image.csv` column all derive from the entry.
public struct ImageMetric: Sendable, Hashable, CustomStringConvertible {
    /// Its key in `summary.json` (summary and per image) and its `per_image.csv` column (`Smeasure`).
    public let key: String
    /// Position in its table's `images`.
    public let index: Int
    /// Its name in warnings about undefined values (`sMeasure`; `ModelSummary.Quantity`).
    public let label: String
    public let header: CurveMetric.Header
    /// false for errors (MAE): the best value is the smallest.
    public let higherIsBetter: Bool
    /// Short names `--metrics` accepts (lower-case).
    public let aliases: [String]
    /// Computed only when asked for (it costs a pass of its own, as the weighted F-measure):
    /// `measure` may then return nil, the model's value is nil when no image computed it, and
    /// `summary.json` writes it as null without a warning. Every other metric always has a value
    /// (NaN when undefined, and a model with no images has NaN).
    public let isOnRequest: Bool
    /// Undefined values are left out of the model's mean (and counted) under every protocol, not
    /// averaged in as the toolbox does: for metrics outside the published toolbox (distances).
    public let leavesOutUndefined: Bool
    /// Measures one pair; nil when not computed (see `ImageEvaluator.computesWeightedFMeasure`).
    let measure: @Sendable (Input) -> ImageValue

    public init(_ key: String, index: Int, label: String, header: CurveMetric.Header, higherIsBetter: Bool = true,
                aliases: [String] = [], isOnRequest: Bool = false, leavesOutUndefined: Bool = false,
                measure: @escaping @Sendable (Input) -> ImageValue) {
        self.key = key
        self.index = index
        self.label = label
        self.header = header
        self.higherIsBetter = higherIsBetter
        self.aliases = aliases
        self.isOnRequest = isOnRequest
        self.leavesOutUndefined = leavesOutUndefined
        self.measure = measure
    }

    public func measure(_ pair: Input) -> ImageValue { measure(pair) }

    public var description: String { key }

    public static func == (a: ImageMetric, b: ImageMetric) -> Bool { a.key == b.key }
    public func hash(into hasher: inout Hasher) { hasher.combine(key) }

    /// What a per-image metric reads: the pair's counts by level (`histogram`, with the min-max
    /// normalised value of each level), the masks themselves, and the evaluation's settings.
    public struct Input: Sendable {
        public var groundTruth: GroundTruthMask
        public var prediction: PredictionMap
        public var histogram: PairHistogram
        public var levelValues: [Double]
        public var evaluationProtocol: EvaluationProtocol
        /// Whether the weighted F-measure is asked for (it needs a per-pixel pass of its own).
        public var computesWeightedFMeasure: Bool
        /// The GT's part of the weighted F-measure, when computed once for several predictions.
        public var preparation: WeightedFMeasure.Preparation?
        /// The distance metrics of the pair, when asked for (`ImageEvaluator.distances`).
        public var distanceScores: VolumeScores?
    }
}


/// One per-image metric's value on one pair, and what was met computing it (never silent).
public struct ImageValue: Sendable, Hashable {
    /// nil: not computed; NaN: undefined.
    public var value: Double?
    public var findings: [Finding]

    public init(_ value: Double?, findings: [Finding] = []) {
        self.value = value
        self.findings = findings
    }
}

/// Per-image metric values of a table (one per `ImageMetric`, nil when not computed), in table order.
public struct ImageValues: Sendable, Hashable {
    private var storage: [Double?]

    public init(_ ordered: [Double?]) { storage = ordered }

    public subscript(metric: ImageMetric) -> Double? { storage[metric.index] }
}
