import ArgumentParser
import Evaluation
import Files
import Foundation
import Metrics
import Report
import Output

/// `segeval report`: the paper's figures as a PDF (tables, threshold curves, box plots, the
/// visual comparison grid). See docs/report.md.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Draw the paper's figures (tables, curves, box plots, visual comparison) as a PDF.",
        discussion: """
        Pages: title block and tables (one per class, best in bold); threshold curves and a \
        precision-recall curve per class; box plots of per-image Dice and S-measure per class; the \
        visual comparison grid (CT | GT | each model).
        For NIfTI volumes: the table per label; box plots of per-volume HD95 and NSD per label; the \
        grid of each case's axial slice with the largest GT area (GT | each model).

        Examples:
          segeval report --pred 'Results/Lung infection segmentation' --gt LungInfection-Test/GT \\
                         --images LungInfection-Test/Imgs --out report.pdf
          segeval report --pred Results/Multi-class --gt MultiClassInfection-Test \\
                         --images MultiClassInfection-Test/Imgs --cases 18,21,36
          segeval report --from eval/summary.json --out tables.pdf   (tables, curves, box plots only)
          segeval report --pred nnUNet/predictions --gt labelsTs --distances deepmind --out volumes.pdf
        """
    )

    @OptionGroup var input: EvaluationOptions

    @OptionGroup(title: "Volumes (NIfTI)") var volume: VolumeOptions

    @Option(name: .long, help: ArgumentHelp("A summary.json written by 'segeval evaluate --out' (same segeval version): tables, curves and box plots without re-evaluating; no comparison grid.", valueName: "file"))
    var from: String?

    @Option(name: .long, help: ArgumentHelp("CT slices (PNG or JPEG), matched to predictions by file stem; shown in the grid.", valueName: "folder"))
    var images: String?

    @Option(name: .long, help: ArgumentHelp("The PDF to write (atomically).", valueName: "file"))
    var out: String = "report.pdf"

    @Option(name: .long, help: ArgumentHelp("Title on the first page and in the PDF metadata.", valueName: "text"))
    var title: String = "Lung infection segmentation: evaluation report"

    @Option(name: .long, help: ArgumentHelp("Grid rows: best,median,worst (2 each, by mean Dice over models), 'all', or slice names such as 18,21,36.", valueName: "list"))
    var cases: String = "best,median,worst"

    @Option(name: .long, help: ArgumentHelp("Prediction threshold for the grid's fill, on the min-max normalised map (0...1); for volumes, a probability map is foreground where >= this.", valueName: "t"))
    var threshold: Double = 0.5

    @Option(name: .customLong("png-dir"), help: ArgumentHelp("Also write every grid cell as a PNG into this folder.", valueName: "folder"))
    var pngDir: String?

    @Option(name: .long, help: ArgumentHelp("Model line colours, comma-separated #RRGGBB, in model order.", valueName: "list"))
    var colors: String?

    @Option(name: .long, help: ArgumentHelp("Paper size: a4 or letter.", valueName: "size"))
    var page: PageOption = .a4

    func validate() throws {
        if from == nil {
            guard input.pred != nil, input.gt != nil else {
                throw ValidationError("give --pred and --gt (the evaluation's folders), or --from summary.json")
            }
        } else if input.shapesAnEvaluation {
            throw ValidationError("--from reads the numbers from summary.json as they were evaluated: --pred, --gt, --protocol, --layout, --class and --skip-missing do not apply")
        }
        guard threshold >= 0, threshold <= 1 else { throw ValidationError("--threshold must be between 0 and 1") }
        if let message = Self.problem(cases: cases, colors: colors) { throw ValidationError(message) }
    }

    /// What is wrong with --cases or --colors, if anything.
    static func problem(cases: String, colors: String?) -> String? {
        if case .failure(let error) = Result(catching: { () throws(ReportError) in try CaseSelection.parse(cases) }) {
            return error.description
        }
        if let colors, case .failure(let error) = Result(catching: { () throws(ReportError) in try ModelPalette.parse(colors) }) {
            return error.description
        }
        return nil
    }

    static func today() -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: Date())
    }

    /// What the report shows and says, from summary.json or from an evaluation.
    struct Contents {
        var data: ReportData
        var grid: GridContent?
        var dataset: [String]
        var notes: [String] = []
        var warnings: [String] = []
    }

    func run() throws {
        if from == nil, let pred = input.pred, VolumeLayout.holdsVolumes(pred) { return try reportVolumes(pred: pred) }
        if volume.given, from != nil { throw ValidationError("--distances and the other distance options do not apply to --from (the numbers are in the summary.json)") }
        var inputs = input.protectedInputs
        if let images { inputs.add(images, option: "--images") }
        if let from { inputs.add(from, option: "--from") }
        try inputs.check(out)
        if let pngDir { try inputs.check(pngDir) }
        let files = try ReportFiles(pdfPath: out)
        if from == nil, let images, let problem = FolderListing.notAFolder(images) {
            throw ReportError("\(images): CT slice folder \(problem) (--images)")
        }
        if from == nil, let pngDir, FolderListing.isFile(pngDir) {
            throw ReportError("\(pngDir): exists and is not a folder (--png-dir)")
        }
        let palette = try colors.map { try ModelPalette.parse($0) } ?? ModelPalette()
        var contents = try from.map(summaryContents) ?? evaluatedContents(cellsInto: files)
        for series in contents.data.series where series.images.isEmpty {
            let name = [series.className, series.model].compactMap { $0 }.joined(separator: "/")
            contents.warnings.append("\(name): no images; its table row is undefined and its curves, boxes and grid cells are empty")
        }
        for warning in contents.warnings { Terminal.note("warning: \(warning)") }

        let info = ReportInfo(title: title, dataset: contents.dataset, date: Self.today(), pageSize: page.size, palette: palette)
        let (pdf, pages) = try ReportBuilder(info: info).build(data: contents.data, grid: contents.grid, notes: contents.notes)
        try files.commit(pdf: pdf)
        if !input.quiet {
            Terminal.note("wrote \(out) (\(pages) page\(pages == 1 ? "" : "s"))")
            if let pngDir { Terminal.note("wrote \(files.cellCount) grid cell(s) as PNG to \(pngDir)") }
        }
    }

    /// Volumes: evaluates them, then tables, box plots of HD95 and NSD per label, and the grid of
    /// each case's slice with the largest GT area.
    private func reportVolumes(pred: String) throws {
        let (_, gt) = try input.folders()
        try input.protectedInputs.check(out)
        let files = try ReportFiles(pdfPath: out)
        let palette = try colors.map { try ModelPalette.parse($0) } ?? ModelPalette()
        let (layout, evaluator, record) = try input.evaluateVolumes(pred: pred, gt: gt, options: volume, threshold: threshold,
                                                                   goingOn: "draw the report")
        let slices = try VolumeReport.slices(layout, evaluator: evaluator)
        let info = ReportInfo(title: title, dataset: ["predictions: \(pred)", "ground truth: \(gt)"], date: Self.today(), pageSize: page.size, palette: palette)
        let (pdf, pages) = try VolumeReport.build(record, slices: slices, info: info, columns: VolumeRecord.defaultColumns)
        try files.commit(pdf: pdf)
        if !input.quiet { Terminal.note("wrote \(out) (\(pages) page\(pages == 1 ? "" : "s"))") }
    }

    /// The models selected with --models, if any.
    private var wantedModels: [String]? {
        input.models.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
    }

    /// `--from summary.json`: the numbers of an earlier evaluation, no grid.
    private func summaryContents(_ path: String) throws -> Contents {
        var contents = Contents(data: try SummaryReader.read(path: path).selecting(models: wantedModels),
                                dataset: ["\(path) (numbers from a previous evaluation)"])
        contents.notes.append("No visual comparison: a report from summary.json has the numbers but not the images (use --pred/--gt).")
        if images != nil || pngDir != nil { contents.warnings.append("--images and --png-dir are ignored with --from (no comparison grid)") }
        return contents
    }

    /// `--pred/--gt`: evaluates, composes the grid and, with --png-dir, stages its cells in `files`.
    private func evaluatedContents(cellsInto files: ReportFiles) throws -> Contents {
        // --distances on 2-D maps: a page of per-image HD95 and NSD box plots per class too.
        let distances = try volume.planarSettings(folder: try input.folders().pred, threshold: nil)
        let (chosen, jobs, record, recorder) = try input.evaluateJobs(distances: distances, keepsReportScores: true)
        let data = ReportData(protocolName: chosen.name, thresholds: record.thresholds,
                              series: zip(record.results, recorder.reportScores).map { ReportSeries($0, images: $1) },
                              computedBy: SegevalVersion.string)
        let (pred, gt) = try input.folders()
        var contents = Contents(data: data, dataset: ["predictions: \(pred)", "ground truth: \(gt)"] + (images.map { ["CT slices: \($0)"] } ?? []))

        let composer = try GridComposer(jobs: jobs, data: data, imagesFolder: images, threshold: threshold)
        let picks = try CaseSelection.parse(cases).pick(names: composer.imageNames, scores: CaseSelection.scores(data.series))
        let gridBar = ProgressBar(label: "composing grid", quiet: input.quiet)
        let (rows, gridWarnings) = composer.compose(picks) { done, total in gridBar.update(done: done, total: total) }
        gridBar.finish()
        contents.warnings += gridWarnings
        contents.grid = GridContent(rows: rows, columns: composer.columns, classes: composer.classes, threshold: threshold)
        if images == nil { contents.notes.append("No CT slices given (--images): the grid shows masks on black.") }
        if let pngDir { try files.stageCells(rows, columns: composer.columns, in: pngDir) }
        return contents
    }
}
