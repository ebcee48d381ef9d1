import ArgumentParser
import Evaluation
import Metrics
import VolumeIO

extension DistanceConvention: ExpressibleByArgument {}

/// The options of the distance metrics and volume evaluation: whose distance definitions, NSD's
/// tolerance, a probability map's threshold, which labels and the size limit (volumes), the pixel
/// spacing (2-D maps).
struct VolumeOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Whose definitions the distance metrics and empty-mask answers follow: metricsreloaded (default), medpy, monai, deepmind or seg-metrics. See docs/distances.md.", valueName: "name"))
    var distances: DistanceConvention?

    @Option(name: .long, help: ArgumentHelp("NSD's tolerance in mm (default 1).", valueName: "mm"))
    var tolerance: Double?

    @Option(name: .long, help: ArgumentHelp("Labels to score, comma-separated (default: every non-zero label in the GT or the prediction).", valueName: "list"))
    var labels: String?

    @Option(name: .long, help: ArgumentHelp("Refuse a volume with more voxels than this, read from its header before its data (default 2^30).", valueName: "n"))
    var maxVoxels: Int?

    @Option(name: .long, help: ArgumentHelp("2-D maps (PNG): mm per pixel for the distance metrics (default 1: distances in pixels). Volumes take NIfTI's pixdim.", valueName: "mm"))
    var spacing: Double?

    /// Whether any option of volumes was given.
    var given: Bool { distances != nil || tolerance != nil || labels != nil || maxVoxels != nil || spacing != nil }

    /// On 2-D maps: the distance settings when --distances (or another distance option) is given;
    /// --labels and --max-voxels are for volumes.
    func planarSettings(folder: String, threshold: Double?) throws -> DistanceSettings? {
        guard given || threshold != nil else { return nil }
        if labels != nil || maxVoxels != nil {
            throw ValidationError("--labels and --max-voxels apply to NIfTI volumes; \(folder) holds none")
        }
        return DistanceSettings(convention: distances ?? .standard, spacing: spacing ?? 1, tolerance: tolerance ?? 1, threshold: threshold ?? 0.5)
    }

    func validate() throws {
        if let tolerance, !(tolerance.isFinite && tolerance >= 0) { throw ValidationError("--tolerance must be a distance in mm, 0 or more") }
        if let maxVoxels, maxVoxels < 1 { throw ValidationError("--max-voxels must be at least 1") }
        if let spacing, !(spacing.isFinite && spacing > 0) { throw ValidationError("--spacing must be a positive number of mm per pixel") }
        _ = try parsedLabels()
    }

    func parsedLabels() throws -> [Int32]? {
        guard let labels else { return nil }
        var result: [Int32] = []
        for part in labels.split(separator: ",", omittingEmptySubsequences: false) {
            guard let label = Int32(part.trimmingCharacters(in: .whitespaces)), label != 0 else {
                throw ValidationError("--labels expects non-zero integer labels separated by commas, e.g. --labels 1,2; got '\(labels)'")
            }
            guard !result.contains(label) else { throw ValidationError("--labels names \(label) twice") }
            result.append(label)
        }
        return result
    }

    func evaluator(threads: Int, threshold: Double?) throws -> VolumeEvaluator {
        if let maxVoxels { VolumeLimits.maxVoxels = maxVoxels }
        return VolumeEvaluator(convention: distances ?? .standard, tolerance: tolerance ?? 1, threshold: threshold ?? 0.5,
                               labels: try parsedLabels(), threads: threads)
    }
}
