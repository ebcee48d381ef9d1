/// A metric measured on the prediction binarised at each threshold of the ladder, as one entry of
/// a `MetricTable`: its function of the counts, its names and how it is summarised. Everything
/// segeval does with a curve metric (per-threshold values, mean/max/adaptive per image and per
/// model, `summary.json`/CSV keys, table headers, `--metrics` aliases) derives from its entry.
///
/// Identity is `rawValue`; `index` is its position in its table (array-backed storage).
public struct CurveMetric: Sendable, Hashable, CustomStringConvertible {
    /// The statistics of a curve: the mean and max over thresholds, and the value at the
    /// adaptive threshold.
    public enum Statistic: String, Sendable, CaseIterable {
        case mean, max, adaptive

        /// The summary key prefix: `mean`, `max`, `adp`.
        public var prefix: String { self == .adaptive ? "adp" : rawValue }
    }

    /// A column header in text (the paper's notation) and LaTeX.
    public struct Header: Sendable, Hashable {
        public var text: String
        public var latex: String

        public init(_ text: String, latex: String) {
            self.text = text
            self.latex = latex
        }
    }

    /// The curve's key in `summary.json` and `curves.csv`, the suffix in `per_image.csv` (`dice`).
    public let rawValue: String
    /// Position in its table's `curves`.
    public let index: Int
    /// The stem of its summary keys: `mean<name>`, `max<name>`, `adp<name>` (`Dice`).
    public let name: String
    /// The column header of each statistic.
    public let headers: [Statistic: Header]
    /// The statistics that are model-level summary columns (all three unless stated).
    public let summaryStatistics: [Statistic]
    /// Always true so far; false would mark an error measure (lower is better).
    public let higherIsBetter: Bool
    /// Short names `--metrics` accepts for its mean (lower-case).
    public let aliases: [String]
    /// Its value at one threshold, from the counts there, under the protocol's conventions.
    let value: @Sendable (ThresholdCounts, EvaluationProtocol) -> Double

    /// An entry; `header` is the mean's header (text, LaTeX), from which `max…`/`adp…` follow
    /// unless `headers` gives them.
    public init(_ rawValue: String, index: Int, name: String, header: Header, headers: [Statistic: Header] = [:],
                summaryStatistics: [Statistic] = Statistic.allCases, higherIsBetter: Bool = true, aliases: [String] = [],
                value: @escaping @Sendable (ThresholdCounts, EvaluationProtocol) -> Double) {
        self.rawValue = rawValue
        self.index = index
        self.name = name
        var all: [Statistic: Header] = [
            .mean: header,
            .max: Header("max" + header.text, latex: "max" + header.latex),
            .adaptive: Header("adp" + header.text, latex: "adp" + header.latex),
        ]
        all.merge(headers) { _, given in given }
        self.headers = all
        self.summaryStatistics = summaryStatistics
        self.higherIsBetter = higherIsBetter
        self.aliases = aliases
        self.value = value
    }

    /// The summary key of a statistic, e.g. `meanDice`, `adpEmeasure`.
    public func key(_ statistic: Statistic) -> String { statistic.prefix + name }

    /// Its value from the counts at one threshold.
    public func value(_ counts: ThresholdCounts, protocol evaluationProtocol: EvaluationProtocol) -> Double {
        value(counts, evaluationProtocol)
    }

    public var description: String { rawValue }

    public static func == (a: CurveMetric, b: CurveMetric) -> Bool { a.rawValue == b.rawValue }
    public func hash(into hasher: inout Hasher) { hasher.combine(rawValue) }
}

/// The counts a curve metric reads at one threshold: the prediction binarised with `>=` (the
/// toolbox's `Fmeasure_calu`), and with the protocol's E-measure rule (`>` in the published
/// tables); and the ratio scores of the first, computed once for every metric that reads them.
public struct ThresholdCounts: Sendable, Hashable {
    public let inclusive: ConfusionCounts
    public let eMeasure: ConfusionCounts
    /// `BinaryScores` of `inclusive` under the protocol's count convention.
    public let scores: BinaryScores

    public init(inclusive: ConfusionCounts, eMeasure: ConfusionCounts, convention: EvaluationProtocol.CountConvention) {
        self.inclusive = inclusive
        self.eMeasure = eMeasure
        scores = BinaryScores(inclusive, convention: convention)
    }
}

/// Per-metric values of a table's curve metrics (one per metric, e.g. the adaptive values of an
/// image, or the mean over thresholds of a model), in table order.
public struct CurveValues: Sendable, Hashable {
    private var storage: [Double]

    public init(_ ordered: [Double]) { storage = ordered }

    public subscript(metric: CurveMetric) -> Double {
        get { storage[metric.index] }
        set { storage[metric.index] = newValue }
    }

    /// In table order.
    public var ordered: [Double] { storage }
}
