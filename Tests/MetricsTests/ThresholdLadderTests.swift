import Testing
@testable import Metrics

@Suite("Thresholds")
struct ThresholdLadderTests {
    @Test("MATLAB's 1:-1/255:0 is symmetric: exact at both ends, within an ulp of k/255 inside")
    func matlabColon() {
        let ladder = ThresholdLadder.matlabColon
        #expect(ladder.count == 256)
        #expect(ladder[0] == 1 && ladder[255] == 0)
        let step = -1.0 / 255.0
        // Built from the top for k <= 127 and from the bottom for k >= 128.
        #expect(ladder[127] == 1 + 127 * step)
        #expect(ladder[128] == 0 - 127 * step)
        var differsFromExact = 0
        for k in 0..<256 {
            let exact = Double(255 - k) / 255
            #expect(abs(ladder[k] - exact) <= 2 * exact.ulp + 1e-300)
            if ladder[k] != exact { differsFromExact += 1 }
            if k > 0 { #expect(ladder[k] < ladder[k - 1]) }
        }
        // The difference is real: on an 8-bit map it moves pixels across thresholds.
        #expect(differsFromExact > 0)
        #expect(ThresholdLadder.exact.enumerated().allSatisfy { $0.element == Double(255 - $0.offset) / 255 })
    }

    @Test("each preset's conventions")
    func presets() {
        #expect(EvaluationProtocol.named("infnet") == .infnet)
        #expect(EvaluationProtocol.infnet.eMeasureBinarization == .strictlyGreater)
        #expect(EvaluationProtocol.infnetLatest.eMeasureBinarization == .greaterOrEqual)
        #expect(EvaluationProtocol.infnet.thresholdValues == .matlabColon)
        #expect(EvaluationProtocol.standard.thresholdValues == .exact)
        #expect(EvaluationProtocol.standard.countConvention == .textbook)
        #expect(EvaluationProtocol.standard.eMeasureDenominator == .pixels)
        #expect(EvaluationProtocol.standard.emptyBlockRule == .weightZero)
        #expect(EvaluationProtocol.named("matlab") == nil)
    }

    @Test("standard: undefined values are counted and left out of the means, never averaged in")
    func standardUndefinedCounting() {
        let emptyGT = GroundTruthMask(width: 2, height: 2, pixels: [0, 0, 0, 0])
        let someGT = GroundTruthMask(width: 2, height: 2, pixels: [1, 0, 0, 0])
        let prediction = PredictionMap.uint8(width: 2, height: 2, pixels: [255, 0, 0, 0])
        let evaluator = ImageEvaluator(protocol: .standard)
        let images = [evaluator.evaluate(name: "a", groundTruth: emptyGT, prediction: prediction),
                      evaluator.evaluate(name: "b", groundTruth: someGT, prediction: prediction)]
        // Sensitivity is undefined on the empty GT at every threshold: the mean is image b's alone.
        #expect(images[0].curves[.sensitivity].allSatisfy { $0.isNaN })
        let summary = ModelSummary(images: images, protocol: .standard)
        #expect(summary.curves[.sensitivity] == images[1].curves[.sensitivity])
        #expect(summary.undefinedCounts[.curve(.sensitivity)] == 256)
        #expect(summary.findings.contains(.leftOut(.curve(.sensitivity), count: 256)))
        // Under infnet the same pair averages a 0 in (the toolbox's quirk).
        let toolbox = ImageEvaluator(protocol: .infnet)
        let quirky = ModelSummary(images: [toolbox.evaluate(name: "a", groundTruth: emptyGT, prediction: prediction),
                                           toolbox.evaluate(name: "b", groundTruth: someGT, prediction: prediction)], protocol: .infnet)
        #expect(quirky.curves[.sensitivity][255] == 0.5)
        #expect(quirky.undefinedCounts.isEmpty)
        // A per-image curve undefined everywhere has an undefined max (MATLAB max), not -infinity.
        #expect(images[0].max(.sensitivity).isNaN)
        #expect(images[1].max(.sensitivity) == 1)
    }

    @Test("standard: thresholds that no image defines are left out of the mean over thresholds")
    func standardUndefinedThresholds() {
        // A constant map stays 100/255: thresholds (255 - k)/255 above it (k = 0...154) predict
        // nothing, so precision is 0/0 there; at the other 101 it is 1 of 4 pixels.
        let mask = GroundTruthMask(width: 2, height: 2, pixels: [1, 0, 0, 0])
        let image = ImageEvaluator(protocol: .standard).evaluate(name: "c", groundTruth: mask,
                                                                  prediction: .uint8(width: 2, height: 2, pixels: [100, 100, 100, 100]))
        #expect(image.curves[.precision].filter(\.isNaN).count == 155)
        let summary = ModelSummary(images: [image], protocol: .standard)
        #expect(summary.meanCurve[.precision] == 0.25)
        #expect(summary.maxCurve[.precision] == 0.25)
        #expect(summary.undefinedCounts[.meanOverThresholds(.precision)] == 155)
        #expect(summary.findings.contains(.leftOut(.meanOverThresholds(.precision), count: 155)))
        // Under the toolbox convention the same thresholds score 0 and count in the mean.
        let toolbox = ImageEvaluator(protocol: .infnet).evaluate(name: "c", groundTruth: mask,
                                                                 prediction: .uint8(width: 2, height: 2, pixels: [100, 100, 100, 100]))
        let quirky = ModelSummary(images: [toolbox], protocol: .infnet)
        #expect(quirky.undefinedCounts.isEmpty)
        #expect(quirky.meanCurve[.precision] < 0.25)
    }

    @Test("infnet: an undefined value is averaged in as MATLAB does (NaN), and a warning says where")
    func toolboxNaNIsReported() {
        // A full GT: specificity is TN / (TN + FP) = 0/0 wherever something is predicted; a map
        // of constant 255 stays 1, so at all 256 thresholds and at the adaptive one (2 capped at 1).
        let full = GroundTruthMask(width: 2, height: 2, pixels: [1, 1, 1, 1])
        let image = ImageEvaluator(protocol: .infnet).evaluate(name: "f", groundTruth: full,
                                                                prediction: .uint8(width: 2, height: 2, pixels: [255, 255, 255, 255]))
        let summary = ModelSummary(images: [image], protocol: .infnet)
        #expect(summary.meanCurve[.specificity].isNaN)
        #expect(summary.adaptive[.specificity].isNaN)
        #expect(summary.meanCurve[.dice] == 1)
        #expect(summary.undefinedCounts.isEmpty)   // nothing left out: the toolbox averages NaN in
        #expect(summary.findings == [.averagedIn(.adaptive(.specificity), count: 1), .averagedIn(.curve(.specificity), count: 256)])
    }

    @Test("adpIoU is adpF/(2-adpF) from the mean adaptive F under infnet")
    func adaptiveIoU() {
        let mask = GroundTruthMask(width: 2, height: 2, pixels: [1, 1, 0, 0])
        let a = ImageEvaluator().evaluate(name: "a", groundTruth: mask, prediction: .uint8(width: 2, height: 2, pixels: [255, 0, 0, 0]))
        let b = ImageEvaluator().evaluate(name: "b", groundTruth: mask, prediction: .uint8(width: 2, height: 2, pixels: [255, 255, 0, 0]))
        let summary = ModelSummary(images: [a, b], protocol: .infnet)
        let f = (a.adaptive[.fmeasure] + b.adaptive[.fmeasure]) / 2
        #expect(summary.adaptiveIoU == f / (2 - f))
    }
}
