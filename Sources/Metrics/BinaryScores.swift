/// The ratio metrics of one binarised prediction, each a small function of `ConfusionCounts`.
public struct BinaryScores: Sendable, Hashable {
    public var dice: Double
    public var iou: Double
    public var sensitivity: Double
    public var specificity: Double
    public var precision: Double
    /// F-measure with beta^2 = 1 (the toolbox's; equal to Dice up to rounding).
    public var fmeasure: Double
    /// F-measure with beta^2 = 0.3 (saliency papers).
    public var fmeasureBeta03: Double

    public init(dice: Double, iou: Double, sensitivity: Double, specificity: Double, precision: Double,
                fmeasure: Double, fmeasureBeta03: Double) {
        self.dice = dice
        self.iou = iou
        self.sensitivity = sensitivity
        self.specificity = specificity
        self.precision = precision
        self.fmeasure = fmeasure
        self.fmeasureBeta03 = fmeasureBeta03
    }

    static let allZero = BinaryScores(dice: 0, iou: 0, sensitivity: 0, specificity: 0, precision: 0,
                                      fmeasure: 0, fmeasureBeta03: 0)

    /// Scores under a protocol's count convention.
    public init(_ counts: ConfusionCounts, convention: EvaluationProtocol.CountConvention) {
        switch convention {
        case .toolboxZeroWhenNoTruePositive: self = Self.toolbox(counts)
        case .textbook: self = Self.textbook(counts)
        }
    }

    /// The toolbox's `Fmeasure_calu`. Quirk: when TP == 0 every score is 0 — specificity
    /// too, even where TN/(TN+FP) is 1 (e.g. empty GT and empty prediction).
    static func toolbox(_ c: ConfusionCounts) -> BinaryScores {
        let tp = Double(c.truePositives)
        guard c.truePositives != 0 else { return .allZero }
        let precision = tp / Double(c.predictedPositives)
        let recall = tp / Double(c.actualPositives)
        let tn = Double(c.trueNegatives)
        return BinaryScores(
            dice: 2 * tp / Double(c.actualPositives + c.predictedPositives),
            iou: tp / Double(c.truePositives + c.falsePositives + c.falseNegatives),
            sensitivity: recall,
            specificity: tn / (tn + Double(c.falsePositives)),
            precision: precision,
            fmeasure: fScore(precision: precision, recall: recall, betaSquared: 1),
            fmeasureBeta03: fScore(precision: precision, recall: recall, betaSquared: 0.3))
    }

    /// Textbook definitions: a ratio whose denominator is 0 is undefined (NaN); F is 0 when
    /// precision and recall are both 0.
    static func textbook(_ c: ConfusionCounts) -> BinaryScores {
        let tp = Double(c.truePositives)
        let precision = ratio(tp, c.predictedPositives)
        let recall = ratio(tp, c.actualPositives)
        let fmeasure: (Double) -> Double = { betaSquared in
            guard !precision.isNaN, !recall.isNaN else { return .nan }
            return precision + recall == 0 ? 0 : fScore(precision: precision, recall: recall, betaSquared: betaSquared)
        }
        return BinaryScores(
            dice: ratio(2 * tp, c.actualPositives + c.predictedPositives),
            iou: ratio(tp, c.truePositives + c.falsePositives + c.falseNegatives),
            sensitivity: recall,
            specificity: ratio(Double(c.trueNegatives), c.trueNegatives + c.falsePositives),
            precision: precision,
            fmeasure: fmeasure(1),
            fmeasureBeta03: fmeasure(0.3))
    }

    /// `((1 + b2) * P * R) / (b2 * P + R)`; for b2 = 1 this is the toolbox's `(2*P*R)/(P+R)`.
    static func fScore(precision: Double, recall: Double, betaSquared: Double) -> Double {
        ((1 + betaSquared) * precision * recall) / (betaSquared * precision + recall)
    }

    private static func ratio(_ numerator: Double, _ denominator: Int) -> Double {
        denominator == 0 ? .nan : numerator / Double(denominator)
    }
}
