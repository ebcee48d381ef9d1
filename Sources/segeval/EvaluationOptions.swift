import ArgumentParser
import Evaluation
import Foundation
import ImageIO
import Metrics
import Output

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

    /// Resolves the layout and evaluates, with a progress bar on a terminal.
    func evaluate(computesWeightedFMeasure: Bool) throws -> (EvaluationProtocol, [ModelResult]) {
        let (chosen, _, results) = try evaluateJobs(computesWeightedFMeasure: computesWeightedFMeasure)
        return (chosen, results)
    }

    /// Like `evaluate`, also returning the jobs (the report's grid reads their files again).
    func evaluateJobs(computesWeightedFMeasure: Bool = false) throws -> (EvaluationProtocol, [ModelJob], [ModelResult]) {
        ImageLimits.maxPixels = maxPixels
        let chosen = try evaluationProtocol()
        let (pred, _) = try folders()
        let resolution = try resolver().resolution()
        if !quiet { for note in resolution.notes { Terminal.note("note: \(pred): \(note)") } }
        let jobs = try selectModels(resolution.jobs)
        let progress = ProgressBar(label: "evaluating", quiet: quiet)
        let results = try Evaluator(protocol: chosen, computesWeightedFMeasure: computesWeightedFMeasure)
            .run(jobs) { done, total in progress.update(done: done, total: total) }
        progress.finish()
        reportNotes(results)
        let images = results.flatMap(\.images)
        if !images.isEmpty, !allowEmptyGt, images.allSatisfy({ $0.groundTruthForeground == 0 }) {
            throw EvaluationError("every ground truth of this run is empty (no pixel above 128), so every Dice, sensitivity and precision is 0 or undefined: almost certainly 0/1 masks or the wrong --gt folder (see the warnings above). Pass --allow-empty-gt to evaluate anyway.")
        }
        return (chosen, jobs, results)
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
    func reportNotes(_ results: [ModelResult]) {
        for warning in Self.imageSetWarnings(results) { Terminal.note("warning: \(warning)") }
        for result in results {
            let name = [result.className, result.model].compactMap { $0 }.joined(separator: "/")
            for warning in result.summary.warnings { Terminal.note("warning: \(name): \(warning)") }
            // Almost certainly a mistake (0/1 masks, label maps, or the wrong folder): said even with -q.
            for warning in Self.groundTruthWarnings(result.images) { Terminal.note("warning: \(name): \(warning)") }
            let singlePixel = result.images.filter { $0.findings.contains(.eMeasureSinglePixel) }.map(\.name)
            if !singlePixel.isEmpty {
                Terminal.note("warning: \(name): \(singlePixel.count) one-pixel image(s) (\(EvaluationError.list(singlePixel, limit: 5))): \(Finding.eMeasureSinglePixel.sentence)")
            }
            if quiet { continue }
            for note in result.notes { Terminal.note("note: \(name): \(note)") }
            for line in Self.findingDigest(result.images) { Terminal.note("note: \(name): \(line)") }
        }
    }

    /// Models of one class scored on fewer images than the others (they are not comparable): one
    /// warning per such model, naming the images it lacks.
    static func imageSetWarnings(_ results: [ModelResult]) -> [String] {
        var warnings: [String] = []
        for className in results.map(\.className).uniqued() {
            let group = results.filter { $0.className == className }
            let all = Set(group.flatMap { $0.images.map(\.name) })
            for result in group where result.images.count < all.count {
                let missing = all.subtracting(result.images.map(\.name)).sorted()
                let name = [result.className, result.model].compactMap { $0 }.joined(separator: "/")
                warnings.append("\(name): scored on \(result.images.count) of the \(all.count) images the other models were scored on (\(missing.count) missing: \(EvaluationError.list(missing, limit: 5))); its row is not comparable with theirs")
            }
        }
        return warnings
    }

    /// What is almost certainly wrong with a model's (or class's) ground truths: all empty, or
    /// some read as empty although their files hold small values (0/1 masks, label maps).
    static func groundTruthWarnings(_ images: [ImageScores]) -> [String] {
        var warnings: [String] = []
        let unread = images.compactMap { image in
            image.findings.lazy.compactMap { finding -> Int? in
                if case .groundTruthBelowThreshold(let maximum) = finding { maximum } else { nil }
            }.first
        }
        if !images.isEmpty, images.allSatisfy({ $0.groundTruthForeground == 0 }) {
            warnings.append("every ground truth mask is empty (no pixel above 128), so Dice, sensitivity and precision are 0 or undefined")
        }
        if let maximum = unread.max() {
            var fix = "the published protocol reads a GT pixel as foreground only above 128: save binary masks as 0/255"
            if maximum > 1 {
                fix += "; a label map (values 0..\(maximum)) is read per class with the class layout: --gt the folder holding GT/ (or GT-k/), or --class NAME=K"
            }
            warnings.append("\(unread.count) of \(images.count) ground truth(s) read as empty although their files hold values up to \(maximum) (0/1 masks or label maps?); \(fix)")
        }
        return warnings
    }

    /// One line per kind of per-image finding: the count and the images, with each image's own
    /// numbers when they differ (never a placeholder for them).
    static func findingDigest(_ images: [ImageScores]) -> [String] {
        var kinds: [String] = []
        var byKind: [String: [(image: String, sentence: String)]] = [:]
        for image in images {
            for finding in image.findings {
                let kind = Mirror(reflecting: finding).children.first?.label ?? "\(finding)"
                if byKind[kind] == nil { kinds.append(kind) }
                byKind[kind, default: []].append((image.name, finding.sentence))
            }
        }
        return kinds.map { kind in
            let items = byKind[kind]!
            if Set(items.map(\.sentence)).count == 1 {
                return "\(items.count) image(s): \(items[0].sentence): \(EvaluationError.list(items.map(\.image), limit: 5))"
            }
            let shown = items.prefix(3).map { "\($0.image): \($0.sentence)" }.joined(separator: "; ")
            return "\(items.count) image(s): " + shown + (items.count > 3 ? "; and \(items.count - 3) more of this kind" : "")
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
