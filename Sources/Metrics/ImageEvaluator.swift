/// Evaluates one pair: counts (one pass over the pixels) -> every metric of the table from the counts.
public struct ImageEvaluator: Sendable {
    public var evaluationProtocol: EvaluationProtocol
    /// The metrics measured (`MetricTable.standard` unless given).
    public var table: MetricTable
    /// The weighted F-measure needs a per-pixel distance transform and filter; it is computed
    /// only when asked for.
    public var computesWeightedFMeasure: Bool
    /// The surface distances' settings, when asked for (`--distances` on 2-D maps; the table
    /// is then `MetricTable.withDistances`).
    public var distances: DistanceSettings?

    public init(protocol evaluationProtocol: EvaluationProtocol = .infnet, computesWeightedFMeasure: Bool = false,
                table: MetricTable? = nil, distances: DistanceSettings? = nil) {
        self.evaluationProtocol = evaluationProtocol
        self.table = table ?? (distances == nil ? .standard : .withDistances)
        self.computesWeightedFMeasure = computesWeightedFMeasure
        self.distances = distances
    }

    /// - Parameter preparation: the GT's part of the weighted F-measure, when computed once for
    ///   several predictions of the same GT (see `WeightedFMeasure.Preparation`).
    public func evaluate(name: String, groundTruth: GroundTruthMask, prediction: PredictionMap,
                         preparation: WeightedFMeasure.Preparation? = nil) -> ImageScores {
        let histogram = PairHistogram(groundTruth: groundTruth, prediction: prediction)
        let range = histogram.levelRange ?? (0, 0)
        let levelValues = MinMaxNormalization.levelValues(rawValues: prediction.rawLevelValues,
                                                          lowestLevel: range.lowest, highestLevel: range.highest)
        let cumulative = CumulativeCounts(histogram: histogram, levelValues: levelValues)
        var findings: [Finding] = []
        if range.lowest == range.highest { findings.append(.constantPrediction(level: range.lowest)) }
        if groundTruth.isEmpty { findings.append(.emptyGroundTruth) }
        if groundTruth.pixelCount == 1, evaluationProtocol.eMeasureDenominator == .pixelsMinusOne {
            findings.append(.eMeasureSinglePixel)
        }
        if groundTruth.unreadMaximum > 0 { findings.append(.groundTruthBelowThreshold(maximum: groundTruth.unreadMaximum)) }
        if groundTruth.isFull { findings.append(.fullGroundTruth) }

        let curves = thresholdCurves(cumulative)
        let (adaptiveThreshold, adaptive) = adaptiveScores(cumulative, histogram: histogram, levelValues: levelValues)

        let pair = ImageMetric.Input(groundTruth: groundTruth, prediction: prediction, histogram: histogram, levelValues: levelValues,
                             evaluationProtocol: evaluationProtocol, computesWeightedFMeasure: computesWeightedFMeasure,
                             preparation: preparation,
                             distanceScores: distances?.scores(groundTruth: groundTruth, prediction: prediction))
        var values: [Double?] = []
        for metric in table.images {
            let measured = metric.measure(pair)
            values.append(measured.value)
            findings += measured.findings
        }
        for metric in table.curves where evaluationProtocol.countConvention == .textbook {
            let undefined = curves[metric].filter(\.isNaN).count
            if undefined > 0 { findings.append(.undefinedCurvePoints(metric, count: undefined)) }
        }
        return ImageScores(name: name, curves: curves, adaptive: adaptive, adaptiveThreshold: adaptiveThreshold,
                           values: ImageValues(values),
                           groundTruthForeground: groundTruth.foregroundCount, pixelCount: groundTruth.pixelCount,
                           findings: findings)
    }

    /// Per threshold: each curve metric from the counts there (`Fmeasure_calu` binarises with
    /// `pred >= t`, the E-measure with the protocol's rule: `pred > t` in the published tables).
    func thresholdCurves(_ cumulative: CumulativeCounts) -> ThresholdCurves {
        let thresholds = ThresholdLadder.values(for: evaluationProtocol.thresholdValues)
        var curves = [[Double]](repeating: [Double](repeating: 0, count: thresholds.count), count: table.curves.count)
        for (index, threshold) in thresholds.enumerated() {
            let counts = thresholdCounts(cumulative, ratioThreshold: threshold, eMeasureThreshold: threshold)
            for metric in table.curves { curves[metric.index][index] = metric.value(counts, protocol: evaluationProtocol) }
        }
        return ThresholdCurves(ordered: curves)
    }

    private func thresholdCounts(_ cumulative: CumulativeCounts, ratioThreshold: Double, eMeasureThreshold: Double) -> ThresholdCounts {
        let inclusive = cumulative.counts(threshold: ratioThreshold, inclusive: true)
        let eMeasureInclusive = evaluationProtocol.eMeasureBinarization == .greaterOrEqual
        let eMeasure = eMeasureInclusive && eMeasureThreshold == ratioThreshold
            ? inclusive : cumulative.counts(threshold: eMeasureThreshold, inclusive: eMeasureInclusive)
        return ThresholdCounts(inclusive: inclusive, eMeasure: eMeasure, convention: evaluationProtocol.countConvention)
    }

    /// The adaptive threshold `2 * mean(pred)`, uncapped. The ratio scores go through
    /// `Fmeasure_calu`, which caps it at 1 and binarises with `>=`; the E-measure binarises with
    /// the protocol's rule on the *uncapped* value (`pred > 2 mean` in the published tables).
    func adaptiveScores(_ cumulative: CumulativeCounts, histogram: PairHistogram, levelValues: [Double]) -> (Double, CurveValues) {
        let foreground = histogram.foregroundByLevel
        let background = histogram.backgroundByLevel
        var sum = 0.0
        for level in levelValues.indices where foreground[level] + background[level] != 0 {
            sum += Double(foreground[level] + background[level]) * levelValues[level]
        }
        let threshold = 2 * (sum / Double(histogram.pixelCount))
        let capped = threshold > 1 ? 1 : threshold
        let counts = thresholdCounts(cumulative, ratioThreshold: capped, eMeasureThreshold: threshold)
        return (threshold, CurveValues(table.curves.map { $0.value(counts, protocol: evaluationProtocol) }))
    }

    static func pixelValues(_ prediction: PredictionMap, levelValues: [Double]) -> [Double] {
        switch prediction.levels {
        case .uint8(let levels): return levels.map { levelValues[Int($0)] }
        case .uint16(let levels): return levels.map { levelValues[Int($0)] }
        }
    }
}
