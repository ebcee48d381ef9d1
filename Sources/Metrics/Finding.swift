/// Something met while measuring that a user must be told (a quirk of the protocol, an undefined
/// value, an unusual input), as data: Metrics never words it. The layers that talk to users turn
/// findings into sentences (`Report`'s `Finding.sentence`) and may group them by `kind`.
public enum Finding: Hashable, Sendable {
    // One image.
    /// Every prediction pixel has this level: min-max normalisation leaves the map unchanged.
    case constantPrediction(level: Int)
    case emptyGroundTruth
    /// The ground truth read empty although its file holds values up to `maximum` (at most the
    /// reading threshold): a 0/1 mask or a label map, most likely.
    case groundTruthBelowThreshold(maximum: Int)
    case fullGroundTruth
    /// The S-measure is undefined (MATLAB's NaN): the GT centroid (1-based column, row) lies on
    /// the last column or row, so a region block is empty.
    case sMeasureUndefined(centroidX: Int, centroidY: Int)
    /// The same empty block, given weight 0 (the textbook rule).
    case sMeasureEmptyBlockWeightedZero
    /// The weighted F-measure of an empty GT set to 0 (PySODMetrics' convention).
    case weightedFMeasureZero
    /// A curve metric with a zero denominator at `count` of the thresholds.
    case undefinedCurvePoints(CurveMetric, count: Int)
    /// The prediction was resized in memory to the GT's size (MATLAB's bicubic `imresize`).
    case predictionResized(width: Int, height: Int, toWidth: Int, toHeight: Int)
    /// A one-pixel image under the toolbox's E-measure: its `w*h - 1` denominator is 0 (MATLAB
    /// adds eps), so the E-measure is of the order of 1e15, kept as computed.
    case eMeasureSinglePixel
    /// The prediction has channels that differ from its first, which alone is read (the toolbox
    /// reads channel 1: red); named, e.g. `["green", "alpha"]`.
    case unreadChannels([String])
    /// What a metric added to the table reports, in its own words.
    case metricNote(metric: String, note: String)

    // A model's summary.
    /// Undefined values left out of a mean (textbook convention); for `.meanOverThresholds`, the
    /// thresholds at which no image defines the curve.
    case leftOut(ModelSummary.Quantity, count: Int)
    /// Undefined values averaged in as MATLAB does, making the mean NaN (toolbox convention).
    case averagedIn(ModelSummary.Quantity, count: Int)
}
