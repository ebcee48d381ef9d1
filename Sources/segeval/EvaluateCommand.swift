import ArgumentParser
import Evaluation
import Files
import Foundation
import Metrics
import Output
import Report

/// `segeval evaluate` (the default command): the paper's table.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Evaluate prediction maps against ground truth and print the paper's table.",
        // --pred and --gt are optional in the shared options (report --from needs neither) but
        // required here (validate): the usage line says so.
        usage: "segeval [evaluate] --pred <folder> --gt <folder> [<options>]",
        discussion: """
        Layouts are found automatically:
          --pred holds PNGs                 one model, named after the folder
          --pred holds folders of PNGs      one model per folder
          --pred holds class folders        e.g. 'Ground-glass opacities/<model>/', 'Consolidation/<model>/';
                                            class k is read from --gt/GT-k/ or from the label map --gt/GT/ (== k)
          --pred holds .nii/.nii.gz volumes one model (or folders of volumes: one model each), paired with
                                            --gt's volumes by name (nnU-Net's layout as it is); every label
                                            scored with Dice, IoU, sensitivity, specificity, precision, HD,
                                            HD95, ASSD, MASD, NSD and volumes (--distances: whose definitions)

        Metrics (--metrics, comma-separated; keys of summary.json or short names):
          dice sen spe sm em mae wfm iou precision, or any key such as maxDice, adpEmeasure, meanFmeasureBeta03.

        Examples:
          segeval --pred 'Results/Lung infection segmentation' --gt LungInfection-Test/GT
          segeval --pred Results/Multi-class --gt MultiClassInfection-Test --format markdown
          segeval --pred OUT --gt GT --out eval/   (summary.csv, per_image.csv, curves.csv, summary.json)
          segeval --pred P --gt G --shard 0/4 --out part0   (then: segeval merge part0 part1 part2 part3 --out eval/)
          segeval --pred nnUNet/predictions --gt nnUNet_raw/Dataset001/labelsTs --distances deepmind --out eval/
          segeval --pred Results/Inf-Net --gt GT --distances medpy --spacing 0.7   (HD, HD95, ASSD, MASD, NSD on PNGs)
        """
    )

    @OptionGroup var input: EvaluationOptions

    @OptionGroup(title: "Distances and volumes") var volume: VolumeOptions

    @Option(name: .long, help: ArgumentHelp("For the distance metrics: a probability map is foreground where its value (0...1; PNG: level / 255) is >= this (default 0.5).", valueName: "t"))
    var threshold: Double?

    @Option(name: .long, help: ArgumentHelp("Columns of the table, comma-separated (default: dice,sen,spe,sm,em,mae).", valueName: "list"))
    var metrics: String?

    @Option(name: .long, help: ArgumentHelp("Table format on standard output: text, markdown, csv, latex or json.", valueName: "format"))
    var format: TableFormat = .text

    @Option(name: .long, help: ArgumentHelp("Also write summary.csv, per_image.csv, curves.csv, summary.json, table.md and table.tex into this folder (atomically).", valueName: "folder"))
    var out: String?

    @Option(name: .long, help: "Decimals in text, Markdown and LaTeX tables.")
    var decimals: Int = 3

    func validate() throws {
        if shard != nil {
            _ = try parsedShard()
            guard out != nil else { throw ValidationError("--shard writes a partial result: give its folder with --out (then merge the parts with segeval merge)") }
        }
        // `segeval` alone: the overview with the subcommands (not an error about --pred).
        if CommandLine.arguments.count <= 1 { throw CleanExit.helpRequest(Segeval.self) }
        _ = try input.folders()
        guard (0...17).contains(decimals) else { throw ValidationError("--decimals must be between 0 and 17") }
        if let threshold, !threshold.isFinite { throw ValidationError("--threshold must be a number") }
        if let pred = input.pred, VolumeLayout.holdsVolumes(pred) { _ = try volumeColumns() } else { _ = try chosenMetrics() }
    }

    func chosenMetrics() throws -> [SummaryMetric] {
        try Self.chosenMetrics(metrics, measuresDistances: volume.given || threshold != nil)
    }

    /// `--metrics` as columns. With --distances on 2-D maps the table has the distance metrics
    /// too (default columns: the paper's, then HD95, ASSD and NSD).
    static func chosenMetrics(_ metrics: String?, measuresDistances: Bool) throws -> [SummaryMetric] {
        let table: MetricTable = measuresDistances ? .withDistances : .standard
        let names = metrics.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
            ?? SummaryMetric.paperDefault + (measuresDistances ? ["HD95", "ASSD", "NSD"] : [])
        let chosen = try names.filter { !$0.isEmpty }.map { name in
            guard let metric = SummaryMetric.named(name, in: table) else {
                throw ValidationError("unknown metric '\(name)'; known: \(SummaryMetric.all(for: table).map(\.key).joined(separator: ", "))")
            }
            return metric
        }
        guard !chosen.isEmpty else { throw ValidationError("--metrics: give at least one metric, e.g. --metrics dice,sm") }
        var seen: Set<String> = []
        for metric in chosen where !seen.insert(metric.key).inserted {
            throw ValidationError("--metrics names \(metric.key) twice (short names and keys are aliases)")
        }
        return chosen
    }

    @Option(name: .long, help: ArgumentHelp("Evaluate only shard i of n (i from 0; e.g. $SLURM_ARRAY_TASK_ID/8) and write a partial result to --out, for 'segeval merge'.", valueName: "i/n"))
    var shard: String?

    func parsedShard() throws -> Shard {
        guard let shard else { return .whole }
        return try Shard(parsing: shard)
    }

    func run() throws {
        let (pred, _) = try input.folders()
        if VolumeLayout.holdsVolumes(pred) { return try evaluateVolumes() }
        let distances = try volume.planarSettings(folder: pred, threshold: threshold)
        if distances != nil, shard != nil { throw ValidationError("--distances with --shard: not yet; evaluate the 2-D distances in one run") }
        let columns = try chosenMetrics()
        let shard = try parsedShard()
        if let out { try input.protectedInputs.check(out) }
        let needsWeightedF = out != nil || format == .json || columns.contains { $0.key == ImageMetric.weightedFMeasure.key }
        // Per-image text is spooled beside the outputs (in the output folder), or in the temporary
        // folder when the JSON goes to standard output only.
        try StagedFiles.staging(into: out, orElse: format == .json ? NSTemporaryDirectory() : nil) { files in
            try evaluate(columns: columns, shard: shard, weightedF: needsWeightedF, distances: distances, files: files)
        }
    }

    private func evaluate(columns: [SummaryMetric], shard: Shard, weightedF: Bool, distances: DistanceSettings?, files: StagedFiles?) throws {
        let (_, _, record, _) = try input.evaluateJobs(computesWeightedFMeasure: weightedF, distances: distances, spools: files, shard: shard)
        if !shard.isWhole, let out, let files {
            try PartialResult.stage(record, shard: shard, weightedFMeasure: weightedF, allowEmptyGroundTruth: input.allowEmptyGt, into: files)
            try files.commit()
            if !input.quiet { Terminal.note("wrote shard \(shard) (\(record.imageCount) image pairs) to \(out); merge every shard with: segeval merge PART... --out FOLDER") }
            return
        }
        try Self.write(record, columns: columns, format: format, decimals: decimals, out: out, files: files, quiet: input.quiet)
    }

    /// The outputs of a whole run or of a merge: the files with --out, then the table (or JSON)
    /// on standard output.
    static func write(_ record: EvaluationRecord, columns: [SummaryMetric], format: TableFormat, decimals: Int,
                      out: String?, files: StagedFiles?, quiet: Bool) throws {
        let table = ResultTable(results: record.results, metrics: columns)
        if let out, let files {
            try EvaluationOutputs.stage(record, table: table, decimals: decimals, into: files)
            try files.commit()
            if !quiet { Terminal.note("wrote \(EvaluationOutputs.names.joined(separator: ", ")) to \(out)") }
        }
        switch format {
        case .markdown: print(table.markdown(decimals: decimals), terminator: "")
        case .csv: print(table.csv(), terminator: "")
        case .latex: print(table.latex(decimals: decimals), terminator: "")
        case .json:
            fflush(nil)
            let output = StandardOutput()
            if let out {
                // The very bytes of the summary.json just written.
                try output.append(contentsOfFile: (files?.folder ?? out) + "/summary.json", naming: "summary.json")
            } else {
                try SummaryDocument.write(record, to: output)
            }
            try output.flush()
        case .text:
            if !quiet { print("protocol: \(record.protocolName)  (\(record.imageCount) image pairs)\n") }
            print(table.text(decimals: decimals), terminator: "")
        }
    }

    /// Volumes: every (case, model, label) scored; the table, and with --out every file.
    private func evaluateVolumes() throws {
        guard shard == nil else { throw ValidationError("--shard splits 2-D runs; volume runs are not sharded yet") }
        guard input.protocolName == nil else { throw ValidationError("--protocol applies to 2-D maps; for volumes choose the distance definitions with --distances") }
        let (pred, gt) = try input.folders()
        if let out { try input.protectedInputs.check(out) }
        let columns = try volumeColumns()
        let (layout, evaluator, record) = try input.evaluateVolumes(pred: pred, gt: gt, options: volume, threshold: threshold, goingOn: "evaluate")
        let table = record.table(columns)
        try StagedFiles.staging(into: out, orElse: nil) { files in
            if let out, let files {
                try VolumeOutputs.stage(record, table: table, decimals: decimals, into: files)
                try files.commit()
                if !input.quiet { Terminal.note("wrote \(VolumeOutputs.names.joined(separator: ", ")) to \(out)") }
            }
        }
        switch format {
        case .markdown: print(table.markdown(decimals: decimals), terminator: "")
        case .csv: print(table.csv(), terminator: "")
        case .latex: print(table.latex(decimals: decimals), terminator: "")
        case .json: print(record.document.serialized())
        case .text:
            if !input.quiet {
                print("volumes: \(layout.cases.count), distances: \(evaluator.convention.rawValue) (\(evaluator.convention.library)), NSD tolerance \(NumberFormat.exact(evaluator.tolerance)) mm\n")
            }
            print(table.text(decimals: decimals), terminator: "")
        }
    }

    /// `--metrics` for volumes: names of `VolumeMetric` (any letter case), default Dice, HD95, ASSD, NSD.
    func volumeColumns() throws -> [VolumeMetric] {
        guard let metrics else { return VolumeRecord.defaultColumns }
        let names = metrics.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let chosen = try names.map { name in
            guard let metric = VolumeMetric.allCases.first(where: { $0.rawValue.lowercased() == name.lowercased() }) else {
                throw ValidationError("unknown volume metric '\(name)'; known: \(VolumeMetric.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return metric
        }
        guard !chosen.isEmpty else { throw ValidationError("--metrics: give at least one metric, e.g. --metrics Dice,HD95") }
        return chosen
    }
}
