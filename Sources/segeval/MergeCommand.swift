import ArgumentParser
import Evaluation
import Foundation
import Output
import Report

/// `segeval merge`: the shards of one run, into every output a single run writes.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge the partial results of a sharded evaluation (segeval --shard i/n) into one.",
        discussion: """
        Writes what one run over all the pairs writes (summary.csv, per_image.csv, curves.csv, \
        summary.json, table.md, table.tex), identical in every byte, and prints its table. The sums \
        over images are exact, so neither the shard boundaries nor the order of the parts matter.

        Example (4 shards, e.g. a SLURM job array; see scripts/slurm/evaluate-array.sbatch):
          for i in 0 1 2 3; do segeval --pred P --gt G --shard $i/4 --out parts/$i & done; wait
          segeval merge parts/* --out eval/
        """
    )

    @Argument(help: ArgumentHelp("The part folders, one per shard (any order).", valueName: "part"))
    var parts: [String] = []

    @Option(name: .long, help: ArgumentHelp("Write summary.csv, per_image.csv, curves.csv, summary.json, table.md and table.tex into this folder (atomically).", valueName: "folder"))
    var out: String?

    @Option(name: .long, help: ArgumentHelp("Columns of the table, comma-separated (default: dice,sen,spe,sm,em,mae).", valueName: "list"))
    var metrics: String?

    @Option(name: .long, help: ArgumentHelp("Table format on standard output: text, markdown, csv, latex or json.", valueName: "format"))
    var format: TableFormat = .text

    @Option(name: .long, help: "Decimals in text, Markdown and LaTeX tables.")
    var decimals: Int = 3

    @Flag(name: .shortAndLong, help: "No notes on standard error (warnings are still printed).")
    var quiet = false

    func validate() throws {
        guard !parts.isEmpty else { throw ValidationError("give the part folders, e.g. segeval merge parts/* --out eval/") }
        guard (0...17).contains(decimals) else { throw ValidationError("--decimals must be between 0 and 17") }
        _ = try columns()
    }

    func columns() throws -> [SummaryMetric] {
        try EvaluateCommand.chosenMetrics(metrics, measuresDistances: false)
    }

    func run() throws {
        let columns = try columns()
        if let out {
            var inputs = ProtectedInputs()
            for part in parts { inputs.add(part, option: "part") }
            try inputs.check(out)
        }
        let partials = try parts.map { folder throws(ReportError) in try PartialResult.read(folder: folder) }
        let (record, first) = try PartialResult.merge(partials, folders: parts)
        EvaluationOptions.reportNotes(record, quiet: quiet)
        try EvaluationOptions.checkGroundTruths(record, allowEmpty: first.allowEmptyGroundTruth)
        try StagedFiles.staging(into: out) { files in
            try EvaluateCommand.write(record, columns: columns, format: format, decimals: decimals, out: out, files: files, quiet: quiet)
        }
    }
}
