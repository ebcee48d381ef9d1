import ArgumentParser
import Evaluation
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

        Metrics (--metrics, comma-separated; keys of summary.json or short names):
          dice sen spe sm em mae wfm iou precision, or any key such as maxDice, adpEmeasure, meanFmeasureBeta03.

        Examples:
          segeval --pred 'Results/Lung infection segmentation' --gt LungInfection-Test/GT
          segeval --pred Results/Multi-class --gt MultiClassInfection-Test --format markdown
          segeval --pred OUT --gt GT --out eval/   (summary.csv, per_image.csv, curves.csv, summary.json)
        """
    )

    @OptionGroup var input: EvaluationOptions

    @Option(name: .long, help: ArgumentHelp("Columns of the table, comma-separated (default: dice,sen,spe,sm,em,mae).", valueName: "list"))
    var metrics: String?

    @Option(name: .long, help: ArgumentHelp("Table format on standard output: text, markdown, csv, latex or json.", valueName: "format"))
    var format: TableFormat = .text

    @Option(name: .long, help: ArgumentHelp("Also write summary.csv, per_image.csv, curves.csv, summary.json, table.md and table.tex into this folder (atomically).", valueName: "folder"))
    var out: String?

    @Option(name: .long, help: "Decimals in text, Markdown and LaTeX tables.")
    var decimals: Int = 3

    func validate() throws {
        // `segeval` alone: the overview with the subcommands (not an error about --pred).
        if CommandLine.arguments.count <= 1 { throw CleanExit.helpRequest(Segeval.self) }
        _ = try input.folders()
        guard (0...17).contains(decimals) else { throw ValidationError("--decimals must be between 0 and 17") }
        _ = try chosenMetrics()
    }

    func chosenMetrics() throws -> [SummaryMetric] {
        let names = metrics.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
            ?? SummaryMetric.paperDefault
        let chosen = try names.filter { !$0.isEmpty }.map { name in
            guard let metric = SummaryMetric.named(name) else {
                throw ValidationError("unknown metric '\(name)'; known: \(SummaryMetric.all.map(\.key).joined(separator: ", "))")
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

    func run() throws {
        let columns = try chosenMetrics()
        if let out { try input.protectedInputs.check(out) }
        let needsWeightedF = out != nil || format == .json || columns.contains(where: \.isOnRequest)
        let (chosen, results) = try input.evaluate(computesWeightedFMeasure: needsWeightedF)
        let table = ResultTable(results: results, metrics: columns)
        func json() -> String { SummaryDocument.make(results: results, protocolName: chosen.name).serialized() + "\n" }

        if let out {
            let thresholds = ThresholdLadder.values(for: chosen.thresholdValues)
            let full = ResultTable(results: results, metrics: SummaryMetric.all)
            try OutputFolder(path: out).write([
                ("summary.csv", full.csv()),
                ("per_image.csv", DetailTables.perImageCSV(results)),
                ("curves.csv", DetailTables.curvesCSV(results, thresholds: thresholds)),
                ("summary.json", json()),
                ("table.md", table.markdown(decimals: decimals)),
                ("table.tex", table.latex(decimals: decimals)),
            ])
            if !input.quiet { Terminal.note("wrote summary.csv, per_image.csv, curves.csv, summary.json, table.md, table.tex to \(out)") }
        }

        switch format {
        case .markdown: print(table.markdown(decimals: decimals), terminator: "")
        case .csv: print(table.csv(), terminator: "")
        case .latex: print(table.latex(decimals: decimals), terminator: "")
        case .json: print(json(), terminator: "")
        case .text:
            if !input.quiet { print("protocol: \(chosen.name)  (\(results.map(\.images.count).reduce(0, +)) image pairs)\n") }
            print(table.text(decimals: decimals), terminator: "")
        }
    }
}
