/// Surface distances on 2-D maps (PNG layouts): `--distances` with `--spacing` and `--threshold`.
///
/// The GT mask is the one every metric reads (`GroundTruthMask`); the prediction is binarised at
/// `threshold` on its `im2double` value (`level / 255`, `>=`), not min-max normalised as the
/// Inf-Net curves are. Each image is a 2-D grid (rank 2: no neighbours across images) with square
/// pixels of `spacing` mm, and is scored under `convention` exactly as a 2-D NIfTI file would be.
public struct DistanceSettings: Sendable, Hashable {
    public var convention: DistanceConvention
    /// mm per pixel (default 1: distances in pixels).
    public var spacing: Double
    /// NSD's tolerance, in mm.
    public var tolerance: Double
    /// A pixel of the prediction is foreground when its value (0...1) is >= this.
    public var threshold: Double

    public init(convention: DistanceConvention = .standard, spacing: Double = 1, tolerance: Double = 1, threshold: Double = 0.5) {
        self.convention = convention
        self.spacing = spacing
        self.tolerance = tolerance
        self.threshold = threshold
    }

    /// Every distance metric of one image pair.
    public func scores(groundTruth: GroundTruthMask, prediction: PredictionMap) -> VolumeScores {
        let foreground = prediction.rawLevelValues.map { $0 >= threshold }
        let isPrediction: (Int) -> Bool = switch prediction.levels {
        case .uint8(let levels): { foreground[Int(levels[$0])] }
        case .uint16(let levels): { foreground[Int(levels[$0])] }
        }
        let pixels = groundTruth.pixels
        let pair = MaskPair(size: [groundTruth.width, groundTruth.height, 1], spacing: [spacing, spacing, 1], rank: 2,
                            prediction: isPrediction, groundTruth: { pixels[$0] != 0 })
        return convention.scores(pair, tolerance: tolerance)
    }
}

extension MetricTable {
    /// The standard table and the distance metrics (HD, HD95, ASSD, MASD, NSD), each image's value
    /// from `ImageMetric.Input.distanceScores` (computed once per pair when distances are asked for).
    public static let withDistances: MetricTable = {
        var table = MetricTable.standard
        for metric in [VolumeMetric.hd, .hd95, .assd, .masd, .nsd] {
            let unit = metric == .nsd ? "" : " (mm)"
            table = table.adding(image: { index in
                ImageMetric(metric.rawValue, index: index, label: metric.rawValue, header: .init(metric.rawValue + unit, latex: metric.rawValue + unit),
                            higherIsBetter: metric == .nsd, aliases: [metric.rawValue.lowercased()], isOnRequest: true, leavesOutUndefined: true) { pair in
                    guard let scores = pair.distanceScores else { return ImageValue(nil) }
                    switch scores[metric] {
                    case .number(let value) where value.isFinite: return ImageValue(value)
                    case .number(let value):
                        let empty = pair.prediction.pixelCount > 0 && pair.groundTruth.isEmpty ? "; empty GT" : ""
                        return ImageValue(.nan, findings: [.metricNote(metric: metric.rawValue, note: (value.isNaN ? "NaN" : "inf") + empty)])
                    case .raises(let reason): return ImageValue(.nan, findings: [.metricNote(metric: metric.rawValue, note: reason)])
                    case .notDefined: return ImageValue(nil)
                    }
                }
            })
        }
        return table
    }()
}
