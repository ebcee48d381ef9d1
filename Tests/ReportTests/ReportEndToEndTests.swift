import Evaluation
import Foundation
import ImageIO
import Metrics
import Testing
@testable import Report

/// Evaluates a synthetic tree, composes the grid and draws the PDF, as `segeval report` does.
struct Pipeline {
    var data: ReportData
    var grid: GridContent
    var warnings: [String]
    var pdf: [UInt8]
    var pages: Int

    init(pred: String, gt: String, images: String?, cases: CaseSelection = .all) throws {
        let jobs = try LayoutResolver(predictionRoot: pred, groundTruthRoot: gt).resolve()
        let run = try RecordedRun(jobs: jobs)
        data = ReportData(protocolName: "infnet", thresholds: ThresholdLadder.matlabColon,
                          series: run.series, computedBy: SegevalVersion.string)
        let composer = try GridComposer(jobs: jobs, data: data, imagesFolder: images, threshold: 0.5)
        let picks = try cases.pick(names: composer.imageNames, scores: CaseSelection.scores(data.series))
        let (rows, warnings) = composer.compose(picks)
        self.warnings = warnings
        grid = GridContent(rows: rows, columns: composer.columns, classes: composer.classes, threshold: 0.5)
        let info = ReportInfo(title: "Synthetic report", dataset: ["synthetic"], date: "2026-01-01")
        (pdf, pages) = try ReportBuilder(info: info).build(data: data, grid: grid)
    }
}

@Suite struct ReportEndToEndTests {
    @Test func singleClassReportHasTheExpectedPagesAndFonts() throws {
        let fixture = try Fixture.singleClass()
        let run = try Pipeline(pred: fixture.root + "/Pred", gt: fixture.root + "/GT", images: fixture.root + "/Imgs")
        // Tables, curves, box plots, one grid page.
        #expect(run.pages == 4)
        #expect(PDFBytes.pageCount(run.pdf) == 4)
        #expect(PDFBytes.text(run.pdf).hasPrefix("%PDF-"))
        #expect(PDFBytes.text(run.pdf).contains("+DejaVuSans"))
        #expect(PDFBytes.text(run.pdf).contains("+DejaVuSans-Bold"))
    }

    @Test(.enabled(if: Poppler.path("pdftotext") != nil, "pdftotext (poppler-utils) is not installed: the report's text is not checked"))
    func singleClassReportShowsTheEvaluationsNumbers() throws {
        let fixture = try Fixture.singleClass()
        let run = try Pipeline(pred: fixture.root + "/Pred", gt: fixture.root + "/GT", images: fixture.root + "/Imgs")
        let path = fixture.root + "/report.pdf"
        try ReportWriter.writePDF(run.pdf, to: path)
        let text = try #require(try Poppler.run("pdftotext", ["-layout", path, "-"]))
        for needle in ["Synthetic report", "ModelA", "ModelB", "Threshold curves", "Precision", "Per-image scores", "Visual comparison"] {
            #expect(text.contains(needle), "missing \(needle)")
        }
        // The table numbers are those of the evaluation, printed as `segeval evaluate` prints them.
        let table = ResultTable(results: try Evaluator().run(LayoutResolver(predictionRoot: fixture.root + "/Pred", groundTruthRoot: fixture.root + "/GT").resolve()),
                                metrics: SummaryMetric.paperDefault.compactMap(SummaryMetric.named))
        for group in table.groups {
            for row in group.rows {
                let printed = row.values.map { NumberFormat.fixed($0, decimals: 3) }.joined(separator: " ")
                let line = text.split(separator: "\n").first { $0.contains(row.model) && $0.contains("0.") }
                let numbers = line.map { $0.split(separator: " ").filter { $0.contains(".") && Double($0) != nil }.joined(separator: " ") }
                #expect(numbers == printed, "row \(row.model)")
            }
        }
    }

    @Test func gridIsDrawnAsSharedLayers() throws {
        let fixture = try Fixture.singleClass()
        let run = try Pipeline(pred: fixture.root + "/Pred", gt: fixture.root + "/GT", images: fixture.root + "/Imgs")
        // Per row: GT fill, contour band, two model fills (8-bit masks); plus one CT image for
        // each of the 2 rows that have one, shared by the row's cells.
        let images = PDFBytes.text(run.pdf).components(separatedBy: "/Subtype /Image").count - 1
        #expect(images == 3 * 4 + 2)
    }

    @Test func missingCTSliceShowsMissingAndWarns() throws {
        let fixture = try Fixture.singleClass()
        let run = try Pipeline(pred: fixture.root + "/Pred", gt: fixture.root + "/GT", images: fixture.root + "/Imgs")
        let row = try #require(run.grid.rows.first { $0.pick.name == "3.png" })
        #expect(row.cells[0].raster == nil && row.cells[0].note == "missing")
        #expect(row.cells[1].raster != nil)
        #expect(run.warnings.count == 1 && run.warnings[0].contains("3.png"))
        #expect(run.grid.columns.titles == ["CT", "GT", "ModelA", "ModelB"])
        #expect(row.cells[2].label == ["0.994"])   // ModelA's mean Dice (254 + 0.4) / 256, see OutputTests
        #expect(row.cells[1].label.isEmpty)
    }

    @Test func pngCellsShowContourFillAndCT() throws {
        let fixture = try Fixture.singleClass()
        let run = try Pipeline(pred: fixture.root + "/Pred", gt: fixture.root + "/GT", images: fixture.root + "/Imgs")
        let folder = fixture.root + "/cells"
        let written = try ReportWriter.writeCells(run.grid.rows, columns: run.grid.columns, to: folder)
        #expect(written == 3 * 4 - 1)  // slice 3 has no CT cell
        #expect(!FileManager.default.fileExists(atPath: folder + "/3_CT.png"))
        let ct = try RGBImage(folder + "/1_CT.png")
        #expect(ct[0, 0] == (100, 100, 100))
        // ModelB predicts the square 9..<21; the GT is 6..<18 (contour: 2-pixel inner band, yellow).
        let cell = try RGBImage(folder + "/1_ModelB.png")
        #expect(cell[6, 10] == ClassStyle.infection.contour)   // GT boundary, no prediction
        #expect(cell[17, 12] == ClassStyle.infection.contour)  // GT boundary under the prediction
        #expect(cell[12, 12] == (170, 55, 55))                 // prediction inside the GT: red fill over CT 100
        #expect(cell[20, 20] == (170, 55, 55))                 // prediction outside the GT
        #expect(cell[1, 1] == (100, 100, 100))                 // neither: the CT
        #expect(cell[10, 10] == (170, 55, 55))                 // prediction inside the GT, off its boundary band
        #expect(cell[8, 8] == (100, 100, 100))                 // GT interior without prediction: plain CT
    }

    @Test func multiClassCellsAreRedForGGOAndGreenForConsolidation() throws {
        let fixture = try Fixture.multiClass()
        let run = try Pipeline(pred: fixture.root + "/Pred", gt: fixture.root + "/GT", images: fixture.root + "/Imgs")
        #expect(run.data.classGroups.map(\.className) == ["Ground-glass opacities", "Consolidation"])
        #expect(run.pages == 1 + 2 + 2 + 1)
        let folder = fixture.root + "/cells"
        _ = try ReportWriter.writeCells(run.grid.rows, columns: run.grid.columns, to: folder)
        let cell = try RGBImage(folder + "/5_Net.png")
        // CT 80 blended with red / green at 0.45: 80 * 0.55 = 44.
        #expect(cell[8, 12] == (159, 44, 44))                  // GGO interior
        #expect(cell[16, 12] == (44, 134, 44))                 // consolidation interior
        #expect(cell[1, 1] == (80, 80, 80))                    // background: CT only
        #expect(cell[4, 12] == ClassStyle.groundGlass.contour) // GGO GT boundary
        #expect(cell[19, 12] == ClassStyle.consolidation.contour)
        let label = run.grid.rows[0].cells[2].label
        #expect(label.count == 2 && label[0].hasPrefix("GGO ") && label[1].hasPrefix("Cons "))
    }

    @Test func modelWithNoImagesStillRenders() throws {
        var series = ReportSeries(model: "Empty", className: nil, classLabel: nil, values: ["meanDice": .nan],
                                  curves: [.dice: Array(repeating: .nan, count: 256)], images: [])
        let full = ReportSeries(model: "Full", className: nil, classLabel: nil, values: ["meanDice": 0.5],
                                curves: [.dice: (0..<256).map { Double($0) / 255 }],
                                images: [ReportImageScore(name: "1.png", meanDice: 0.5, sMeasure: 0.7)])
        series.values["MAE"] = .some(nil)
        let data = ReportData(protocolName: "infnet", thresholds: ThresholdLadder.matlabColon, series: [series, full], computedBy: SegevalVersion.string)
        let (pdf, pages) = try ReportBuilder(info: ReportInfo(title: "t", dataset: [], date: "d")).build(data: data, grid: nil)
        #expect(pages == 3)
        #expect(PDFBytes.pageCount(pdf) == 3)
    }

    @Test func letterPagesAndModelSelection() throws {
        let fixture = try Fixture.singleClass()
        let run = try Pipeline(pred: fixture.root + "/Pred", gt: fixture.root + "/GT", images: nil)
        let selected = try run.data.selecting(models: ["ModelB"])
        #expect(selected.modelNames == ["ModelB"])
        #expect(throws: ReportError.self) { try run.data.selecting(models: ["Nope"]) }
        let info = ReportInfo(title: "t", dataset: [], date: "d", pageSize: .letter)
        let (pdf, _) = try ReportBuilder(info: info).build(data: selected, grid: nil)
        #expect(PDFBytes.text(pdf).contains("/MediaBox [ 0 0 612 792 ]"))
        #expect(run.grid.columns.titles == ["GT", "ModelA", "ModelB"])
    }
}

/// A PNG read back as RGB.
struct RGBImage {
    let image: DecodedImage

    init(_ path: String) throws { image = try PNGCodec.read(path: path) }

    subscript(x: Int, y: Int) -> (UInt8, UInt8, UInt8) {
        guard case .uint8(let s) = image.samples else { return (0, 0, 0) }
        let base = (y * image.width + x) * image.channels
        return (s[base], s[base + 1], s[base + 2])
    }
}
