import Evaluation
import Foundation
import Metrics
import Output
@testable import Report

/// An evaluation as the command line records it (`ImageRecorder` spooling per-image text into a
/// temporary folder, kept alive with this value), and its streamed outputs as text.
struct RecordedRun {
    let spools: StagedFiles
    let record: EvaluationRecord
    let reportScores: [[ReportImageScore]]

    init(jobs: [ModelJob], evaluator: Evaluator = Evaluator(), protocolName: String = "infnet") throws {
        spools = StagedFiles(folder: NSTemporaryDirectory())
        let recorder = try ImageRecorder(jobs: jobs, table: evaluator.imageEvaluator.table, spools: spools, keepsReportScores: true)
        let results = try evaluator.run(jobs, consume: recorder.record)
        let (rows, images) = try recorder.entries()
        record = EvaluationRecord(protocolName: protocolName, thresholds: ThresholdLadder.values(for: evaluator.imageEvaluator.evaluationProtocol.thresholdValues),
                                  results: results, digests: recorder.digests, rows: rows, images: images,
                                  imageSetWarnings: EvaluationRecord.imageSetWarnings(jobs))
        reportScores = recorder.reportScores
    }

    /// One model's images, scored already.
    init(model: String, images: [ImageScores], table: MetricTable, protocol evaluationProtocol: EvaluationProtocol) throws {
        spools = StagedFiles(folder: NSTemporaryDirectory())
        let recorder = try ImageRecorder(models: [(model, nil)], table: table, spools: spools, keepsReportScores: true)
        var accumulator = ModelAccumulator(table: table)
        for image in images {
            accumulator.add(image)
            recorder.record(job: 0, image: image)
        }
        let result = ModelResult(model: model, className: nil, classLabel: nil, accumulator: accumulator, protocol: evaluationProtocol,
                                 pairCount: images.count, resizedCount: 0, folderNotes: [])
        let (rows, entries) = try recorder.entries()
        record = EvaluationRecord(protocolName: evaluationProtocol.name, thresholds: ThresholdLadder.values(for: evaluationProtocol.thresholdValues),
                                  results: [result], digests: recorder.digests, rows: rows, images: entries, imageSetWarnings: [])
        reportScores = recorder.reportScores
    }

    var results: [ModelResult] { record.results }

    /// summary.json's text.
    func json() throws -> String {
        let output = StringOutput()
        try SummaryDocument.write(record, to: output)
        return output.text
    }

    func perImageCSV() throws -> String {
        let output = StringOutput()
        try record.writePerImageCSV(to: output)
        return output.text
    }

    var series: [ReportSeries] { zip(record.results, reportScores).map { ReportSeries($0, images: $1) } }
}
