import ArgumentParser
import Evaluation
import Metrics
import VolumeIO

extension DistanceConvention: ExpressibleByArgument {}

/// The options of volume evaluation (NIfTI layouts): whose distance definitions, NSD's tolerance,
/// a probability map's threshold, which labels, and the size limit.
struct VolumeOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Whose definitions the distance metrics and empty-mask answers follow: metricsreloaded (default), medpy, monai, deepmind or seg-metrics. See docs/distances.md.", valueName: "name"))
    var distances: DistanceConvention?

    @Option(name: .long, help: ArgumentHelp("NSD's tolerance in mm (default 1).", valueName: "mm"))
    var tolerance: Double?

    @Option(name: .long, help: ArgumentHelp("A probability map's voxel (float volume) is foreground when its value is >= this (default 0.5).", valueName: "t"))
    var threshold: Double?

    @Option(name: .long, help: ArgumentHelp("Labels to score, comma-separated (default: every non-zero label in the GT or the prediction).", valueName: "list"))
    var labels: String?

    @Option(name: .long, help: ArgumentHelp("Refuse a volume with more voxels than this, read from its header before its data (default 2^30).", valueName: "n"))
    var maxVoxels: Int?

    var given: Bool { distances != nil || tolerance != nil || threshold != nil || labels != nil || maxVoxels != nil }

    func validate() throws {
        if let tolerance, !(tolerance.isFinite && tolerance >= 0) { throw ValidationError("--tolerance must be a distance in mm, 0 or more") }
        if let threshold, !threshold.isFinite { throw ValidationError("--threshold must be a number") }
        if let maxVoxels, maxVoxels < 1 { throw ValidationError("--max-voxels must be at least 1") }
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

    func evaluator(threads: Int) throws -> VolumeEvaluator {
        if let maxVoxels { VolumeLimits.maxVoxels = maxVoxels }
        return VolumeEvaluator(convention: distances ?? .standard, tolerance: tolerance ?? 1, threshold: threshold ?? 0.5,
                               labels: try parsedLabels(), threads: threads)
    }
}
