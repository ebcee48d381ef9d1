import Metrics
@testable import Report
import Testing

/// The sentences users read for each finding (summary.json, per_image.csv, the terminal): the
/// wording segeval has always printed, now kept out of Metrics.
@Suite("Findings worded for users")
struct FindingWordingTests {
    @Test("every finding's sentence")
    func sentences() {
        let expected: [(Finding, String)] = [
            (.constantPrediction(level: 255), "prediction is constant (every pixel 255); min-max normalisation leaves it unchanged"),
            (.emptyGroundTruth, "ground truth is empty"),
            (.fullGroundTruth, "ground truth is full"),
            (.sMeasureUndefined(centroidX: 1, centroidY: 2),
             "S-measure undefined: the GT centroid (1, 2) lies on the last column or row, so a region block is empty (MATLAB returns NaN)"),
            (.sMeasureEmptyBlockWeightedZero, "S-measure: an empty region block (GT centroid on the last column or row) was given weight 0"),
            (.weightedFMeasureZero, "weighted F-measure set to 0: ground truth is empty (PySODMetrics convention)"),
            (.undefinedCurvePoints(.precision, count: 155), "precision undefined at 155 of 256 thresholds (zero denominator)"),
            (.predictionResized(width: 2, height: 2, toWidth: 4, toHeight: 4),
             "prediction is 2x2, ground truth 4x4: resized in memory with MATLAB's bicubic imresize"),
            (.leftOut(.meanOverThresholds(.precision), count: 155),
             "mean.precision: 155 threshold(s) at which no image is defined left out of the mean over thresholds"),
            (.leftOut(.curve(.sensitivity), count: 256), "curve.sensitivity: 256 undefined value(s) left out of the mean"),
            (.leftOut(.image(.sMeasure), count: 2), "sMeasure: 2 undefined value(s) left out of the mean"),
            (.averagedIn(.adaptive(.specificity), count: 1),
             "adaptive.specificity: 1 undefined (NaN) value(s) averaged in as MATLAB does: the mean is NaN (--protocol standard leaves them out)"),
            (.metricNote(metric: "HD95", note: "empty prediction"), "HD95: empty prediction"),
        ]
        for (finding, sentence) in expected { #expect(finding.sentence == sentence) }
    }
}
