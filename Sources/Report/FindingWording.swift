import Metrics

/// How findings are worded for users: in `summary.json`, `per_image.csv` and on the terminal.
extension Finding {
    /// The sentence for this finding.
    public var sentence: String {
        switch self {
        case .constantPrediction(let level):
            "prediction is constant (every pixel \(level)); min-max normalisation leaves it unchanged"
        case .emptyGroundTruth: "ground truth is empty"
        case .groundTruthBelowThreshold(let maximum):
            "ground truth reads as empty, but its file holds values up to \(maximum), none above 128: a 0/1 mask or a label map?"
        case .fullGroundTruth: "ground truth is full"
        case .sMeasureUndefined(let x, let y):
            "S-measure undefined: the GT centroid (\(x), \(y)) lies on the last column or row, so a region block is empty (MATLAB returns NaN)"
        case .sMeasureEmptyBlockWeightedZero:
            "S-measure: an empty region block (GT centroid on the last column or row) was given weight 0"
        case .weightedFMeasureZero: "weighted F-measure set to 0: ground truth is empty (PySODMetrics convention)"
        case .undefinedCurvePoints(let metric, let count):
            "\(metric.rawValue) undefined at \(count) of 256 thresholds (zero denominator)"
        case .predictionResized(let width, let height, let toWidth, let toHeight):
            "prediction is \(width)x\(height), ground truth \(toWidth)x\(toHeight): resized in memory with MATLAB's bicubic imresize"
        case .eMeasureSinglePixel:
            "the image has one pixel: the toolbox's E-measure divides by w*h - 1 = 0 (plus eps), so its E-measure is about 1e15 and swamps every mean it enters (kept as MATLAB computes it)"
        case .unreadChannels(let channels):
            "prediction has colour: only its first channel was read, as the toolbox does; its \(channels.joined(separator: ", ")) channel(s) hold something else and were not read"
        case .metricNote(let metric, let note): "\(metric): \(note)"
        case .leftOut(.meanOverThresholds(let metric), let count):
            "\(ModelSummary.Quantity.meanOverThresholds(metric)): \(count) threshold(s) at which no image is defined left out of the mean over thresholds"
        case .leftOut(let quantity, let count):
            "\(quantity): \(count) undefined value(s) left out of the mean"
        case .averagedIn(let quantity, let count):
            "\(quantity): \(count) undefined (NaN) value(s) averaged in as MATLAB does: the mean is NaN (--protocol standard leaves them out)"
        }
    }
}

extension ImageScores {
    /// The image's findings, worded.
    public var warnings: [String] { findings.map(\.sentence) }
}

extension ModelSummary {
    /// The model's findings, worded.
    public var warnings: [String] { findings.map(\.sentence) }
}
