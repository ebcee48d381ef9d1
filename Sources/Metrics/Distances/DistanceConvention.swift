/// Whose definitions the distance metrics (HD, HD95, ASSD, MASD, NSD) and the empty-mask answers
/// follow: `--distances NAME`. Each case reproduces that library's own numbers
/// (../shared/spec/distances.md; `fixtures/distances/reference.json` holds each library's values
/// and `Tests/VolumeIOTests/ConventionReferenceTests` checks them); docs/distances.md has the table.
///
/// One file per library (`MedPyConvention.swift`, ...) says, top to bottom, what it computes for
/// every metric of `VolumeMetric`, including the overlap metrics' empty-mask answers and where a
/// library works in float32.
public enum DistanceConvention: String, CaseIterable, Sendable, Codable {
    case medpy, monai, deepmind, metricsreloaded
    case segMetrics = "seg-metrics"

    /// The default: Metrics Reloaded's consensus definitions, with its empty-mask crash replaced.
    public static let standard = DistanceConvention.metricsreloaded

    /// The library and version (or commit) reproduced.
    public var library: String {
        switch self {
        case .medpy: "MedPy 0.5.2"
        case .monai: "MONAI 1.6.1 (CPU)"
        case .deepmind: "DeepMind surface-distance (git 1f805ce)"
        case .metricsreloaded: "Metrics Reloaded (git ca3d352)"
        case .segMetrics: "seg-metrics 1.2.8"
        }
    }

    /// Every metric of one label's mask pair; `tolerance` (mm) is NSD's.
    public func scores(_ pair: MaskPair, tolerance: Double) -> VolumeScores {
        var scores = switch self {
        case .medpy: MedPyConvention.scores(pair, tolerance: tolerance)
        case .monai: MONAIConvention.scores(pair, tolerance: tolerance)
        case .deepmind: DeepMindConvention.scores(pair, tolerance: tolerance)
        case .metricsreloaded: MetricsReloadedConvention.scores(pair, tolerance: tolerance)
        case .segMetrics: SegMetricsConvention.scores(pair, tolerance: tolerance)
        }
        scores[.volumeGT] = .number(Double(pair.counts.actualPositives) * pair.voxelVolume)
        scores[.volumePred] = .number(Double(pair.counts.predictedPositives) * pair.voxelVolume)
        return scores
    }
}
