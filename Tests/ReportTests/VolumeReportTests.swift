import Evaluation
import Foundation
import Metrics
@testable import Report
import SegevalTestSupport
import Testing

/// The volume report: each case's slice with the largest GT area, the grid's cells, the pages.
@Suite("Volume report (slices, grid cells, pages)")
struct VolumeReportTests {
    let tree = TemporaryTree()

    /// A 4 x 3 x 3 label map: slice 0 has 2 labelled voxels, slice 1 has 5 (labels 1 and 2), slice 2 has 3.
    static let groundTruth: [UInt8] = [1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                       1, 1, 1, 0, 2, 2, 0, 0, 0, 0, 0, 0,
                                       0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0]
    static let prediction: [UInt8] = [0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                      0, 1, 1, 1, 2, 0, 0, 0, 0, 0, 0, 0,
                                      0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0]

    func write(_ labels: [UInt8], _ name: String) {
        var file = NIfTIFile()
        file.dims = [3, 4, 3, 3]
        file.pixdim = [1, 1, 1, 2]
        file.setData(labels)
        tree.bytes(name, file.bytes)
    }

    @Test("the slice with the most GT voxels (z = 1); each label a fill in the GT cell, the prediction's fills over the GT's contours, Dice per label under it; the PDF has a table page, a box-plot page per label and the grid")
    func sliceCellsAndPages() throws {
        write(Self.groundTruth, "gt/a.nii")
        write(Self.prediction, "pred/a.nii")
        let layout = try VolumeLayout.resolve(predictionRoot: tree.path("pred"), groundTruthRoot: tree.path("gt"), skipMissing: false)
        let evaluator = VolumeEvaluator(convention: .metricsreloaded, tolerance: 1, threshold: 0.5, labels: nil, threads: 1)
        let slices = try VolumeReport.slices(layout, evaluator: evaluator)
        #expect(slices.count == 1 && slices[0].z == 1 && slices[0].width == 4 && slices[0].height == 3)
        #expect(slices[0].groundTruth == Array(Self.groundTruth[12..<24]).map(Int32.init))
        #expect(slices[0].predictions == [Array(Self.prediction[12..<24]).map(Int32.init)])

        let record = VolumeRecord(evaluator: evaluator, layout: layout, results: try evaluator.run(layout), labelNames: [1: "GGO"])
        let rows = VolumeReport.gridRows(record, slices: slices, labels: [1, 2])
        #expect(rows.count == 1 && rows[0].cells.count == 2)
        let (gtCell, modelCell) = (rows[0].cells[0], rows[0].cells[1])
        #expect(gtCell.fills.count == 2 && gtCell.edges.isEmpty)
        #expect(gtCell.fills[0].mask == [1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0])
        #expect(modelCell.fills.map(\.mask) == [[0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]])
        #expect(modelCell.edges.count == 2)
        // Label 1: |G| = 2 + 3 + 3, |P| = 1 + 3 + 2, TP = 1 + 2 + 2 over the volume: 10/14; label 2: |G| = 2, |P| = 1, TP = 1: 2/3.
        #expect(modelCell.label == ["GGO 0.714 2 0.667"])

        let info = ReportInfo(title: "t", dataset: ["d"], date: "2026-12-02")
        let (pdf, pages) = try VolumeReport.build(record, slices: slices, info: info, columns: VolumeRecord.defaultColumns)
        #expect(pdf.starts(with: Array("%PDF-".utf8)))
        #expect(pages == 1 + 2 + 1)
    }
}
