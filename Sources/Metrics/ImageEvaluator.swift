/// Evaluates one pair: decode -> counts (one pass) -> every metric from the counts.
public struct ImageEvaluator: Sendable {
    public var evaluationProtocol: EvaluationProtocol
    /// The weighted F-measure needs a per-pixel distance transform and filter; it is computed
    /// only when asked for.
    public var computesWeightedFMeasure: Bool

    public init(protocol evaluationProtocol: EvaluationProtocol = .infnet, computesWeightedFMeasure: Bool = false) {
        self.evaluationProtocol = evaluationProtocol
        self.computesWeightedFMeasure = computesWeightedFMeasure
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
        var warnings: [String] = []
        if range.lowest == range.highest {
            warnings.append("prediction is constant (every pixel \(range.lowest)); min-max normalisation leaves it unchanged")
        }
        if groundTruth.isEmpty { warnings.append("ground truth is empty") }
        if groundTruth.isFull { warnings.append("ground truth is full") }

        let curves = thresholdCurves(cumulative)
        let (adaptiveThreshold, adaptive) = adaptiveScores(cumulative, histogram: histogram, levelValues: levelValues)

        let structure = SMeasure.score(histogram: histogram, levelValues: levelValues,
                                       width: groundTruth.width, height: groundTruth.height,
                                       centroid: groundTruth.centroid, emptyBlockRule: evaluationProtocol.emptyBlockRule)
        if structure.hasEmptyBlock {
            switch evaluationProtocol.emptyBlockRule {
            case .undefined:
                warnings.append("S-measure undefined: the GT centroid (\(groundTruth.centroid.x), \(groundTruth.centroid.y)) lies on the last column or row, so a region block is empty (MATLAB returns NaN)")
            case .weightZero:
                warnings.append("S-measure: an empty region block (GT centroid on the last column or row) was given weight 0")
            }
        }
        let mae = MeanAbsoluteError.score(histogram: histogram, levelValues: levelValues)

        var weighted: Double? = nil
        if computesWeightedFMeasure {
            let pixelValues = Self.pixelValues(prediction, levelValues: levelValues)
            if let score = WeightedFMeasure.score(prediction: pixelValues, groundTruth: groundTruth, preparation: preparation) {
                weighted = score
            } else {
                switch evaluationProtocol.countConvention {
                case .toolboxZeroWhenNoTruePositive:
                    weighted = 0
                    warnings.append("weighted F-measure set to 0: ground truth is empty (PySODMetrics convention)")
                case .textbook:
                    weighted = .nan
                }
            }
        }
        for metric in CurveMetric.allCases where evaluationProtocol.countConvention == .textbook {
            let undefined = curves[metric].filter(\.isNaN).count
            if undefined > 0 {
                warnings.append("\(metric.rawValue) undefined at \(undefined) of 256 thresholds (zero denominator)")
            }
        }
        return ImageScores(name: name, curves: curves, adaptive: adaptive, adaptiveThreshold: adaptiveThreshold,
                           sMeasure: structure.value, meanAbsoluteError: mae, weightedFMeasure: weighted,
                           groundTruthForeground: groundTruth.foregroundCount, pixelCount: groundTruth.pixelCount,
                           warnings: warnings)
    }

    /// Per threshold: `Fmeasure_calu` scores on `pred >= t`, and the E-measure on the protocol's
    /// binarisation (`pred > t` in the published tables).
    func thresholdCurves(_ cumulative: CumulativeCounts) -> ThresholdCurves {
        let thresholds = ThresholdLadder.values(for: evaluationProtocol.thresholdValues)
        let count = thresholds.count
        var dice = [Double](repeating: 0, count: count), iou = dice, sensitivity = dice, specificity = dice
        var precision = dice, fmeasure = dice, fmeasureBeta03 = dice, emeasure = dice
        let eMeasureInclusive = evaluationProtocol.eMeasureBinarization == .greaterOrEqual
        for (index, threshold) in thresholds.enumerated() {
            let scores = BinaryScores(cumulative.counts(threshold: threshold, inclusive: true),
                                      convention: evaluationProtocol.countConvention)
            dice[index] = scores.dice
            iou[index] = scores.iou
            sensitivity[index] = scores.sensitivity
            specificity[index] = scores.specificity
            precision[index] = scores.precision
            fmeasure[index] = scores.fmeasure
            fmeasureBeta03[index] = scores.fmeasureBeta03
            emeasure[index] = EMeasure.score(cumulative.counts(threshold: threshold, inclusive: eMeasureInclusive),
                                             denominator: evaluationProtocol.eMeasureDenominator)
        }
        // In `CurveMetric.allCases` order.
        return ThresholdCurves(ordered: [dice, iou, sensitivity, specificity, precision, fmeasure, fmeasureBeta03, emeasure])
    }

    /// The adaptive threshold `2 * mean(pred)`, uncapped. The ratio scores go through
    /// `Fmeasure_calu`, which caps it at 1 and binarises with `>=`; the E-measure binarises with
    /// the protocol's rule on the *uncapped* value (`pred > 2 mean` in the published tables).
    func adaptiveScores(_ cumulative: CumulativeCounts, histogram: PairHistogram, levelValues: [Double]) -> (Double, [CurveMetric: Double]) {
        let foreground = histogram.foregroundByLevel
        let background = histogram.backgroundByLevel
        var sum = 0.0
        for level in levelValues.indices where foreground[level] + background[level] != 0 {
            sum += Double(foreground[level] + background[level]) * levelValues[level]
        }
        let threshold = 2 * (sum / Double(histogram.pixelCount))
        let capped = threshold > 1 ? 1 : threshold
        let scores = BinaryScores(cumulative.counts(threshold: capped, inclusive: true),
                                  convention: evaluationProtocol.countConvention)
        let eMeasure = EMeasure.score(
            cumulative.counts(threshold: threshold, inclusive: evaluationProtocol.eMeasureBinarization == .greaterOrEqual),
            denominator: evaluationProtocol.eMeasureDenominator)
        return (threshold, [
            .dice: scores.dice, .iou: scores.iou, .sensitivity: scores.sensitivity, .specificity: scores.specificity,
            .precision: scores.precision, .fmeasure: scores.fmeasure, .fmeasureBeta03: scores.fmeasureBeta03,
            .emeasure: eMeasure,
        ])
    }

    static func pixelValues(_ prediction: PredictionMap, levelValues: [Double]) -> [Double] {
        switch prediction.levels {
        case .uint8(let levels): return levels.map { levelValues[Int($0)] }
        case .uint16(let levels): return levels.map { levelValues[Int($0)] }
        }
    }
}
