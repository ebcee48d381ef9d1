import Foundation
import Testing
@testable import Metrics

/// Values worked out by hand on tiny images.
@Suite("Hand-computed values")
struct HandComputedTests {
    /// GT [1 0; 0 0], prediction levels [255 0; 51 0] -> values [1 0; 0.2 0].
    static let mask = GroundTruthMask(width: 2, height: 2, pixels: [1, 0, 0, 0])
    static let prediction = PredictionMap.uint8(width: 2, height: 2, pixels: [255, 0, 51, 0])

    @Test func ratiosFromCounts() {
        let counts = ConfusionCounts(truePositives: 2, falsePositives: 1, falseNegatives: 1, trueNegatives: 4)
        let s = BinaryScores(counts, convention: .toolboxZeroWhenNoTruePositive)
        #expect(s.dice == 4.0 / 6.0)
        #expect(s.sensitivity == 2.0 / 3.0)
        #expect(s.specificity == 4.0 / 5.0)
        #expect(s.precision == 2.0 / 3.0)
        #expect(s.iou == 2.0 / 4.0)
        #expect(abs(s.fmeasure - 2.0 / 3.0) < 1e-15)
        #expect(abs(s.fmeasureBeta03 - 2.0 / 3.0) < 1e-15) // P == R makes every F equal to them
        let unequal = BinaryScores(ConfusionCounts(truePositives: 1, falsePositives: 3, falseNegatives: 0, trueNegatives: 0),
                                   convention: .textbook)
        // P = 1/4, R = 1: F_0.3 = 1.3 * 0.25 / (0.3 * 0.25 + 1) = 0.325 / 1.075.
        #expect(abs(unequal.fmeasureBeta03 - 0.325 / 1.075) < 1e-15)
        #expect(abs(unequal.fmeasure - 0.4) < 1e-15)
    }

    @Test("toolbox quirk: specificity is 0 when TP is 0; textbook: TN/(TN+FP)")
    func specificityQuirk() {
        let emptyBoth = ConfusionCounts(truePositives: 0, falsePositives: 0, falseNegatives: 0, trueNegatives: 10)
        #expect(BinaryScores(emptyBoth, convention: .toolboxZeroWhenNoTruePositive).specificity == 0)
        let textbook = BinaryScores(emptyBoth, convention: .textbook)
        #expect(textbook.specificity == 1)
        #expect(textbook.precision.isNaN)   // nothing predicted
        #expect(textbook.sensitivity.isNaN) // nothing to find
        #expect(textbook.dice.isNaN)
    }

    @Test func maeAndAdaptive() {
        let scores = ImageEvaluator().evaluate(name: "t", groundTruth: Self.mask, prediction: Self.prediction)
        #expect(abs(scores.meanAbsoluteError - 0.05) < 1e-15)   // (0 + 0 + 0.2 + 0) / 4
        #expect(abs(scores.adaptiveThreshold - 0.6) < 1e-15)    // 2 * 1.2 / 4
        #expect(scores.adaptive[.dice] == 1)                     // only the 1.0 pixel passes
        #expect(scores.curves[.dice][0] == 1)                    // threshold 1
        #expect(scores.curves[.dice][255] == 2.0 / 5.0)          // threshold 0: all 4 predicted
        #expect(scores.curves[.specificity][255] == 0)           // TN = 0
        #expect(scores.curves[.sensitivity][255] == 1)
    }

    @Test("E-measure of a perfect 2x2 map: 4/(4-1) under infnet (w*h - 1), 1 under standard")
    func eMeasureDenominator() {
        let perfect = ConfusionCounts(truePositives: 1, falsePositives: 0, falseNegatives: 0, trueNegatives: 3)
        #expect(abs(EMeasure.score(perfect, denominator: .pixelsMinusOne) - 4.0 / 3.0) < 1e-12)
        #expect(abs(EMeasure.score(perfect, denominator: .pixels) - 1.0) < 1e-12)
        // Empty GT, empty map: enhanced = 1 - FM = 1 everywhere.
        let empty = ConfusionCounts(truePositives: 0, falsePositives: 0, falseNegatives: 0, trueNegatives: 4)
        #expect(EMeasure.score(empty, denominator: .pixels) == 1)
        // Empty GT, one false positive: 3 / 4.
        let oneWrong = ConfusionCounts(truePositives: 0, falsePositives: 1, falseNegatives: 0, trueNegatives: 3)
        #expect(EMeasure.score(oneWrong, denominator: .pixels) == 0.75)
        // Inverted map on a half/half GT: every aligned term is -1 -> enhanced 0.
        let inverted = ConfusionCounts(truePositives: 0, falsePositives: 2, falseNegatives: 2, trueNegatives: 0)
        #expect(abs(EMeasure.score(inverted, denominator: .pixels)) < 1e-12)
    }

    @Test("S-measure: empty GT gives 1 - mean, full GT gives mean")
    func sMeasureDegenerate() {
        let prediction = PredictionMap.uint8(width: 2, height: 2, pixels: [255, 0, 0, 0])
        let empty = GroundTruthMask(width: 2, height: 2, pixels: [0, 0, 0, 0])
        let full = GroundTruthMask(width: 2, height: 2, pixels: [1, 1, 1, 1])
        #expect(ImageEvaluator().evaluate(name: "e", groundTruth: empty, prediction: prediction).sMeasure == 0.75)
        #expect(ImageEvaluator().evaluate(name: "f", groundTruth: full, prediction: prediction).sMeasure == 0.25)
    }

    @Test("S-measure: centroid on the last row makes an empty block (NaN under infnet, weight 0 under standard)")
    func sMeasureEmptyBlock() {
        // 1x2 image, GT [1 0]: centroid X = 1, Y = 1 = height -> the bottom blocks are empty.
        let mask = GroundTruthMask(width: 2, height: 1, pixels: [1, 0])
        #expect(mask.centroid.x == 1 && mask.centroid.y == 1)
        let prediction = PredictionMap.uint8(width: 2, height: 1, pixels: [255, 0])
        let infnet = ImageEvaluator(protocol: .infnet).evaluate(name: "b", groundTruth: mask, prediction: prediction)
        #expect(infnet.sMeasure.isNaN)
        #expect(infnet.findings.contains(.sMeasureUndefined(centroidX: 1, centroidY: 1)))
        let standard = ImageEvaluator(protocol: .standard).evaluate(name: "b", groundTruth: mask, prediction: prediction)
        // Object: O_FG = 2/(1+1+0) = 1, O_BG = 1 -> 1; region: two 1-pixel blocks, each 1 (alpha = beta = 0).
        #expect(abs(standard.sMeasure - 1) < 1e-12)
    }

    @Test("centroid rounds half away from zero (MATLAB round)")
    func centroidRounding() {
        // Foreground columns 1 and 2 (1-based) -> 1.5 -> 2; rows 1 and 2 -> 2.
        let mask = GroundTruthMask(width: 4, height: 4, pixels: [1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
        #expect(mask.centroid.x == 2 && mask.centroid.y == 2)
        let empty = GroundTruthMask(width: 5, height: 3, pixels: [UInt8](repeating: 0, count: 15))
        #expect(empty.centroid.x == 3 && empty.centroid.y == 2) // round(2.5) = 3, round(1.5) = 2
    }

    @Test("min-max normalisation multiplies by the reciprocal; a constant map is left unchanged")
    func normalisation() {
        let values = MinMaxNormalization.levelValues(rawValues: LevelScale.uint8, lowestLevel: 3, highestLevel: 200)
        let gain = 1.0 / (200.0 / 255.0 - 3.0 / 255.0)
        for level in 3...200 { #expect(values[level] == (Double(level) / 255.0 - 3.0 / 255.0) * gain) }
        let constant = MinMaxNormalization.levelValues(rawValues: LevelScale.uint8, lowestLevel: 255, highestLevel: 255)
        #expect(constant[255] == 1)
        let constantPrediction = PredictionMap.uint8(width: 2, height: 2, pixels: [255, 255, 255, 255])
        let scores = ImageEvaluator().evaluate(name: "c", groundTruth: Self.mask, prediction: constantPrediction)
        #expect(abs(scores.meanAbsoluteError - 0.75) < 1e-15)
        #expect(scores.findings.contains(.constantPrediction(level: 255)))
    }

    @Test("1x1 images")
    func singlePixel() {
        let mask = GroundTruthMask(width: 1, height: 1, pixels: [1])
        let prediction = PredictionMap.uint8(width: 1, height: 1, pixels: [200])
        let scores = ImageEvaluator(protocol: .infnet, computesWeightedFMeasure: true)
            .evaluate(name: "one", groundTruth: mask, prediction: prediction)
        // A constant map stays 200/255: thresholds above it predict nothing (Dice 0), the rest all (Dice 1).
        #expect(scores.curves[.dice][0] == 0)
        #expect(scores.curves[.dice][255] == 1)
        #expect(scores.sMeasure == 200.0 / 255.0)             // full GT: mean(pred)
        #expect(abs(scores.meanAbsoluteError - 55.0 / 255.0) < 1e-15)
    }
}
