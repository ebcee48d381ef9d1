import ArgumentParser
import Evaluation
import Files
import Foundation
import ImageIO
import Metrics
import Output
import Report

/// The options shared by `evaluate` and `report`: where the maps are and how to read them.
///
/// `--pred` and `--gt` are optional here because `report --from summary.json` needs neither;
/// `evaluate` requires both (its `validate`), and `folders()` says so to anyone who reads them.
struct EvaluationOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Prediction maps: a folder of PNGs (one model), a folder of model folders, or a folder of class folders holding model folders.", valueName: "folder"))
    var pred: String?

    @Option(name: .long, help: ArgumentHelp("Ground truth: a folder of masks with the predictions' file names; for classes, a folder with GT-1/, GT-2/ or a label map GT/.", valueName: "folder"))
    var gt: String?

    // Optional (their defaults applied where they are read) so that `report --from` can tell an
    // option given from one left out.
    @Option(name: .customLong("protocol"), help: ArgumentHelp("infnet (the published tables; default), infnet-latest (E-measure with >=) or standard (textbook definitions). See docs/protocols.md.", valueName: "name"))
    var protocolName: ProtocolOption?

    @Option(name: .long, help: ArgumentHelp("auto (default), single (one model), models (a folder per model) or classes (class folders of model folders).", valueName: "layout"))
    var layout: LayoutOption?

    @Option(name: .customLong("class"), help: ArgumentHelp("Map a class folder to a label, e.g. --class 'Ground-glass opacities=1'. Repeatable.", valueName: "name=k"))
    var classMappings: [String] = []

    @Option(name: .long, help: ArgumentHelp("Models to evaluate, in this order (comma-separated folder names); default: all, in file-name order.", valueName: "list"))
    var models: String?

    @Flag(name: .long, help: "Evaluate the predictions that have a ground truth and list those that do not, instead of stopping.")
    var skipMissing = false

    @Option(name: .long, help: ArgumentHelp("Refuse an image with more pixels than this, read from its header before decoding (default 178956970, Pillow's decompression-bomb limit).", valueName: "n"))
    var maxPixels: Int = ImageLimits.defaultMaxPixels

    @Flag(name: .long, help: "Evaluate even when every ground truth of the run is empty (otherwise an error: almost always 0/1 masks or the wrong folder).")
    var allowEmptyGt = false

    @Option(name: .long, help: ArgumentHelp("Worker threads (default: the CPUs this process may use, e.g. SLURM's --cpus-per-task). The numbers do not depend on it.", valueName: "n"))
    var threads: Int?

    @Flag(name: .shortAndLong, help: "No progress bar, notes or summary lines on standard error, and no 'protocol:' line above the text table (warnings about undefined values are still printed).")
    var quiet = false

    /// `--pred` and `--gt`, both given.
    func folders() throws -> (pred: String, gt: String) {
        guard let pred, let gt else { throw ValidationError("give the prediction maps with --pred FOLDER and the ground truth with --gt FOLDER") }
        return (pred, gt)
    }

    /// `--pred` and `--gt` (those given), which no output may replace or be written into.
    var protectedInputs: ProtectedInputs {
        var inputs = ProtectedInputs()
        if let pred { inputs.add(pred, option: "--pred") }
        if let gt { inputs.add(gt, option: "--gt") }
        return inputs
    }

    /// Whether any option that shapes an evaluation was given (they do not apply to `report --from`).
    var shapesAnEvaluation: Bool {
        pred != nil || gt != nil || protocolName != nil || layout != nil || !classMappings.isEmpty || skipMissing
    }

    func evaluationProtocol() throws -> EvaluationProtocol {
        (protocolName ?? .infnet).evaluationProtocol
    }

    func validate() throws {
        guard maxPixels >= 1 else { throw ValidationError("--max-pixels must be at least 1") }
        if let threads, !(1...4096).contains(threads) { throw ValidationError("--threads must be between 1 and 4096") }
        _ = try classLabels()
    }

    /// `--class NAME=K` as a table: K >= 1 (0 is the background of a label map), each name and
    /// each label at most once.
    func classLabels() throws -> [String: Int] {
        var labels: [String: Int] = [:]
        for mapping in classMappings {
            let parts = mapping.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, let label = Int(parts[1].trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError("--class expects NAME=K with a class folder's name and an integer label K, got '\(mapping)'")
            }
            guard label >= 1 else {
                throw ValidationError("--class \(mapping): the label must be at least 1 (0 is the background of a label map)")
            }
            if let earlier = labels[parts[0]] {
                throw ValidationError("--class gives '\(parts[0])' twice (labels \(earlier) and \(label)); give each class folder once")
            }
            if let other = labels.first(where: { $0.value == label })?.key {
                throw ValidationError("--class maps both '\(other)' and '\(parts[0])' to label \(label); each label is one class")
            }
            labels[parts[0]] = label
        }
        return labels
    }

    func resolver() throws -> LayoutResolver {
        let forced = layout?.forced
        let labels = try classLabels()
        let (pred, gt) = try folders()
        return LayoutResolver(predictionRoot: pred, groundTruthRoot: gt, forcedLayout: forced,
                              classLabels: labels, skipMissing: skipMissing)
    }

    /// Resolves the layout and evaluates as a stream, with a progress bar on a terminal.
    /// - Parameters:
    ///   - spools: where per-image text (per_image.csv rows, summary.json entries) is spooled; nil
    ///     when the run writes neither.
    ///   - keepsReportScores: keep each image's Dice and S-measure (the report's pages).
    ///   - shard: the part of the pairs to evaluate. A shard's run does not check that every
    ///     ground truth is empty (the merge does, over all shards).
    func evaluateJobs(computesWeightedFMeasure: Bool = false, distances: DistanceSettings? = nil, spools: StagedFiles? = nil,
                      keepsReportScores: Bool = false, shard: Shard = .whole) throws -> (EvaluationProtocol, [ModelJob], EvaluationRecord, ImageRecorder) {
        ImageLimits.maxPixels = maxPixels
        let chosen = try evaluationProtocol()
        let (pred, _) = try folders()
        let resolution = try resolver().resolution()
        if !quiet { for note in resolution.notes { Terminal.note("note: \(pred): \(note)") } }
        let jobs = try selectModels(resolution.jobs)
        let evaluator = Evaluator(protocol: chosen, computesWeightedFMeasure: computesWeightedFMeasure, distances: distances,
                                  threads: threads ?? AvailableCPUs.count)
        let recorder = try ImageRecorder(jobs: jobs, table: evaluator.imageEvaluator.table, spools: spools, keepsReportScores: keepsReportScores)
        let progress = ProgressBar(label: "evaluating", quiet: quiet)
        let results = try evaluator.run(jobs, shard: shard, progress: { done, total in progress.update(done: done, total: total) },
                                        consume: recorder.record)
        progress.finish()
        let (rows, images) = try recorder.entries()
        var record = EvaluationRecord(protocolName: chosen.name, thresholds: ThresholdLadder.values(for: chosen.thresholdValues),
                                      results: results, digests: recorder.digests, rows: rows, images: images,
                                      imageSetWarnings: EvaluationRecord.imageSetWarnings(jobs))
        record.distances = distances
        if shard.isWhole {
            Self.reportNotes(record, quiet: quiet)
            try Self.checkGroundTruths(record, allowEmpty: allowEmptyGt)
        }
        return (chosen, jobs, record, recorder)
    }

    /// Volumes (NIfTI): resolves the layout, scores every case with a progress bar on a terminal,
    /// prints the warnings (and, unless --quiet, the notes), and stops when every GT volume is empty
    /// unless --allow-empty-gt (`goingOn` words what the user is kept from doing).
    func evaluateVolumes(pred: String, gt: String, options: VolumeOptions, threshold: Double?,
                         goingOn: String) throws -> (VolumeLayout, VolumeEvaluator, VolumeRecord) {
        let layout = try VolumeLayout.resolve(predictionRoot: pred, groundTruthRoot: gt, skipMissing: skipMissing)
        let evaluator = try options.evaluator(threads: threads ?? AvailableCPUs.count, threshold: threshold)
        let progress = ProgressBar(label: "evaluating", quiet: quiet, unit: "volumes")
        let results = try evaluator.run(layout) { done, total in progress.update(done: done, total: total) }
        progress.finish()
        let names = Dictionary(uniqueKeysWithValues: try classLabels().map { (Int32($0.value), $0.key) })
        let record = VolumeRecord(evaluator: evaluator, layout: layout, results: results, labelNames: names)
        for warning in record.warnings { Terminal.note("warning: \(warning)") }
        if !quiet { for note in record.notes { Terminal.note("note: \(note)") } }
        if record.everyGroundTruthEmpty, !allowEmptyGt {
            throw EvaluationError("every GT volume is empty: pass --allow-empty-gt to \(goingOn) anyway")
        }
        return (layout, evaluator, record)
    }

    /// An error when every ground truth of the run is empty, unless allowed.
    static func checkGroundTruths(_ record: EvaluationRecord, allowEmpty: Bool) throws {
        if record.everyGroundTruthEmpty, !allowEmpty {
            throw EvaluationError("every ground truth of this run is empty (no pixel above 128), so every Dice, sensitivity and precision is 0 or undefined: almost certainly 0/1 masks or the wrong --gt folder (see the warnings above). Pass --allow-empty-gt to evaluate anyway.")
        }
    }

    /// Applies `--models` (subset and order); unknown names are an error listing what exists.
    func selectModels(_ jobs: [ModelJob]) throws -> [ModelJob] {
        guard let models else { return jobs }
        let wanted = models.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let known = Set(jobs.map(\.model))
        let unknown = wanted.filter { !known.contains($0) }
        guard unknown.isEmpty else {
            throw EvaluationError("--models: no model folder named \(unknown.joined(separator: ", ")); found: \(jobs.map(\.model).uniqued().joined(separator: ", "))")
        }
        var selected: [ModelJob] = []
        let classes = jobs.map(\.className).uniqued()
        for className in classes {
            for model in wanted {
                selected += jobs.filter { $0.className == className && $0.model == model }
            }
        }
        return selected
    }

    /// On standard error: warnings about undefined values and all-empty ground truths (always),
    /// and notes about the folders with a digest of per-image warnings (unless --quiet).
    static func reportNotes(_ record: EvaluationRecord, quiet: Bool) {
        for warning in record.imageSetWarnings { Terminal.note("warning: \(warning)") }
        for (result, digest) in zip(record.results, record.digests) {
            let name = [result.className, result.model].compactMap { $0 }.joined(separator: "/")
            for warning in result.summary.warnings { Terminal.note("warning: \(name): \(warning)") }
            // Almost certainly a mistake (0/1 masks, label maps, or the wrong folder): said even with -q.
            for warning in digest.groundTruthWarnings { Terminal.note("warning: \(name): \(warning)") }
            if let warning = digest.singlePixelWarning { Terminal.note("warning: \(name): \(warning)") }
            if quiet { continue }
            for note in result.notes { Terminal.note("note: \(name): \(note)") }
            for line in digest.lines { Terminal.note("note: \(name): \(line)") }
        }
    }
}



extension Array where Element: Hashable {
    /// The elements in order, without repeats.
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
