import SegevalTestSupport
import Testing
@testable import Metrics

/// segeval's counting implementation against the naive per-pixel transliteration of the toolbox.
@Suite("Counting equals the per-pixel toolbox")
struct ToolboxEquivalenceTests {
    struct Sample: Sendable, CustomStringConvertible {
        var seed: UInt64
        var width: Int
        var height: Int
        var levels: Int      // distinct prediction levels used (2 = almost binary)
        var foreground: Double
        var description: String { "seed \(seed) \(width)x\(height) levels \(levels) fg \(foreground)" }
    }

    static let samples: [Sample] = [
        Sample(seed: 1, width: 9, height: 7, levels: 256, foreground: 0.3),
        Sample(seed: 2, width: 16, height: 11, levels: 12, foreground: 0.5),
        Sample(seed: 3, width: 5, height: 5, levels: 2, foreground: 0.2),
        Sample(seed: 4, width: 23, height: 17, levels: 256, foreground: 0.05),
        Sample(seed: 5, width: 8, height: 13, levels: 256, foreground: 0.0),
        Sample(seed: 6, width: 6, height: 4, levels: 256, foreground: 1.0),
        Sample(seed: 7, width: 31, height: 3, levels: 40, foreground: 0.7),
    ]

    static func make(_ sample: Sample) -> (GroundTruthMask, [Int], [Bool]) {
        var rng = SplitMix64(seed: sample.seed)
        let n = sample.width * sample.height
        let gt = (0..<n).map { _ in Double(rng.next() % 10_000) / 10_000 < sample.foreground }
        let step = 255 / max(sample.levels - 1, 1)
        // Predictions correlated with the GT, on `levels` distinct values; about 30 % of the pixels
        // ignore the GT, so false positives and false negatives occur at the same thresholds.
        let levels = gt.map { g -> Int in
            let base = Int(rng.next() % UInt64(sample.levels)) * step
            if rng.next() % 10 < 3 { return base }
            return g ? min(255, base / 2 + 128) : base / 2
        }
        let mask = GroundTruthMask(width: sample.width, height: sample.height, pixels: gt.map { $0 ? 1 : 0 })
        return (mask, levels, gt)
    }

    @Test(arguments: samples)
    func curvesMatch(_ sample: Sample) {
        let (mask, levels, gt) = Self.make(sample)
        let prediction = PredictionMap.uint8(width: sample.width, height: sample.height, pixels: levels.map(UInt8.init))
        let scores = ImageEvaluator(protocol: .infnet).evaluate(name: "x", groundTruth: mask, prediction: prediction)
        let s = NaiveToolbox.normalise(levels, scale: 255)
        for (k, t) in ThresholdLadder.matlabColon.enumerated() {
            let f = NaiveToolbox.fmeasureCalu(s, gt, t)
            #expect(same(scores.curves[.dice][k], f.dice))
            #expect(same(scores.curves[.precision][k], f.pre))
            #expect(same(scores.curves[.sensitivity][k], f.rec))
            #expect(same(scores.curves[.specificity][k], f.spe))
            let e = NaiveToolbox.emeasure(s, gt, t, strict: true)
            #expect(abs(scores.curves[.emeasure][k] - e) <= 1e-12)
        }
        let threshold = 2 * NaiveToolbox.mean(s)
        #expect(abs(scores.adaptiveThreshold - threshold) <= 1e-14)
        #expect(scores.adaptive[.dice] == NaiveToolbox.fmeasureCalu(s, gt, threshold).dice)
        #expect(abs(scores.adaptive[.emeasure] - NaiveToolbox.emeasure(s, gt, threshold, strict: true)) <= 1e-12)
        #expect(abs(scores.meanAbsoluteError - NaiveToolbox.mae(s, gt)) <= 1e-14)
        let sm = NaiveToolbox.smeasure(s, gt, width: sample.width, height: sample.height)
        if sm.isNaN {
            #expect(scores.sMeasure.isNaN)
        } else {
            #expect(abs(scores.sMeasure - sm) <= 1e-12, "S: \(scores.sMeasure) vs \(sm)")
        }
    }

    @Test("infnet-latest binarises the E-measure with >=", arguments: samples.prefix(3))
    func latestUsesGreaterOrEqual(_ sample: Sample) {
        let (mask, levels, gt) = Self.make(sample)
        let prediction = PredictionMap.uint8(width: sample.width, height: sample.height, pixels: levels.map(UInt8.init))
        let scores = ImageEvaluator(protocol: .infnetLatest).evaluate(name: "x", groundTruth: mask, prediction: prediction)
        let s = NaiveToolbox.normalise(levels, scale: 255)
        for (k, t) in ThresholdLadder.matlabColon.enumerated() {
            #expect(abs(scores.curves[.emeasure][k] - NaiveToolbox.emeasure(s, gt, t, strict: false)) <= 1e-12)
        }
    }

    @Test("standard: per image and over images, textbook ratios with undefined values left out")
    func standardMatchesTextbook() {
        let evaluator = ImageEvaluator(protocol: .standard)
        var images: [ImageScores] = []
        var naive: [(s: [Double], g: [Bool])] = []
        for sample in Self.samples {
            let (mask, levels, gt) = Self.make(sample)
            let prediction = PredictionMap.uint8(width: sample.width, height: sample.height, pixels: levels.map(UInt8.init))
            images.append(evaluator.evaluate(name: sample.description, groundTruth: mask, prediction: prediction))
            naive.append((NaiveToolbox.normalise(levels, scale: 255), gt))
        }
        let thresholds = (0..<256).map { Double(255 - $0) / 255 }
        let summary = ModelSummary(images: images, protocol: .standard)
        for metric in [CurveMetric.dice, .precision, .sensitivity, .specificity, .emeasure] {
            func value(_ pair: (s: [Double], g: [Bool]), _ t: Double) -> Double {
                let f = NaiveToolbox.textbook(pair.s, pair.g, t)
                switch metric {
                case .dice: return f.dice
                case .precision: return f.pre
                case .sensitivity: return f.rec
                case .specificity: return f.spe
                default: return NaiveToolbox.emeasureStandard(pair.s, pair.g, t)
                }
            }
            var curve: [Double] = []
            for (k, t) in thresholds.enumerated() {
                let perImage = naive.map { value($0, t) }
                for (image, expected) in zip(images, perImage) {
                    #expect(metric == .emeasure ? abs(image.curves[metric][k] - expected) <= 1e-12 || (expected.isNaN && image.curves[metric][k].isNaN)
                                                : same(image.curves[metric][k], expected), "\(image.name) \(metric) t[\(k)]")
                }
                let defined = perImage.filter { !$0.isNaN }
                curve.append(defined.isEmpty ? .nan : defined.reduce(0, +) / Double(defined.count))
            }
            #expect(zip(summary.curves[metric], curve).allSatisfy { same($0, $1) || abs($0 - $1) <= 1e-12 }, "\(metric) curve")
            let definedPoints = curve.filter { !$0.isNaN }
            #expect(abs(summary.meanCurve[metric] - definedPoints.reduce(0, +) / Double(definedPoints.count)) <= 1e-12, "\(metric) mean")
        }
        // The samples include an empty and a full GT: sensitivity and specificity are undefined there.
        #expect(summary.undefinedCounts[.curve(.sensitivity)]! >= 256)
        #expect(summary.undefinedCounts[.curve(.specificity)]! >= 256)
    }

    @Test func sixteenBitMapsAreCountedPerLevel() {
        var rng = SplitMix64(seed: 99)
        let width = 12, height = 9
        let gt = (0..<width * height).map { _ in rng.next() % 3 == 0 }
        let levels = gt.map { $0 ? Int(rng.next() % 30_000) + 35_000 : Int(rng.next() % 40_000) }
        let mask = GroundTruthMask(width: width, height: height, pixels: gt.map { $0 ? 1 : 0 })
        let prediction = PredictionMap.uint16(width: width, height: height, pixels: levels.map(UInt16.init))
        let scores = ImageEvaluator().evaluate(name: "x", groundTruth: mask, prediction: prediction)
        let s = NaiveToolbox.normalise(levels, scale: 65535)
        for (k, t) in ThresholdLadder.matlabColon.enumerated() {
            let f = NaiveToolbox.fmeasureCalu(s, gt, t)
            #expect(same(scores.curves[.dice][k], f.dice))
            #expect(same(scores.curves[.precision][k], f.pre))
            #expect(same(scores.curves[.sensitivity][k], f.rec))
            #expect(same(scores.curves[.specificity][k], f.spe))
        }
        #expect(abs(scores.meanAbsoluteError - NaiveToolbox.mae(s, gt)) <= 1e-14)
    }
}

/// Equal, or both NaN (MATLAB's 0/0 where the toolbox divides by zero).
func same(_ a: Double, _ b: Double) -> Bool { a == b || (a.isNaN && b.isNaN) }
