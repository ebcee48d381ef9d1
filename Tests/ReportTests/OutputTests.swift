import Evaluation
import Foundation
import ImageIO
import Metrics
import Testing
@testable import Report
import Output

@Suite struct ReportWriterTests {
    @Test func missingFolderIsAClearErrorAndWritesNothing() throws {
        let path = NSTemporaryDirectory() + "no-such-folder-\(UUID().uuidString)/report.pdf"
        do {
            try ReportWriter.writePDF(Array("%PDF-".utf8), to: path)
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("does not exist"))
        }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func writesAtomicallyWithoutLeftovers() throws {
        let fixture = try Fixture()
        try ReportWriter.writePDF(Array("%PDF-1.5 test".utf8), to: fixture.root + "/r.pdf")
        #expect(try FileManager.default.contentsOfDirectory(atPath: fixture.root) == ["r.pdf"])
    }

    @Test func cellFileNamesAreSafe() {
        #expect(ReportWriter.cellFileName(slice: "18.png", column: "Semi-Inf-Net") == "18_Semi-Inf-Net.png")
        #expect(ReportWriter.cellFileName(slice: "a b.png", column: "x/y") == "a_b_x_y.png")
    }

    @Test func cellFileNamesThatWouldClashGetASuffix() {
        // A model named "CT" beside the CT column, "U Net" beside "U_Net", and a name already
        // ending in _2.
        let names = ["1_CT.png", "1_CT.png", "1_U_Net.png", "1_U_Net.png", "1_CT_2.png", "1_CT.png", "1_ct.png"]
        #expect(ReportWriter.uniqueNames(names) == ["1_CT.png", "1_CT_3.png", "1_U_Net.png", "1_U_Net_2.png", "1_CT_2.png", "1_CT_4.png", "1_ct_5.png"])
    }

    @Test func anOutputFolderIsWrittenAllOrNothing() throws {
        let fixture = try Fixture()
        try OutputFolder(path: fixture.root).write([("summary.csv", "old")])
        // table.md is a folder: refused before any file is replaced.
        try FileManager.default.createDirectory(atPath: fixture.root + "/table.md", withIntermediateDirectories: true)
        #expect(throws: OutputError(path: fixture.root + "/table.md", reason: .isAFolder)) {
            try OutputFolder(path: fixture.root).write([("summary.csv", "new"), ("table.md", "new")])
        }
        #expect(try String(contentsOfFile: fixture.root + "/summary.csv", encoding: .utf8) == "old")
        #expect(try FileManager.default.contentsOfDirectory(atPath: fixture.root).sorted() == ["summary.csv", "table.md"])
        try OutputFolder(path: fixture.root).write([("summary.csv", "new"), ("table.tex", "new")])
        #expect(try String(contentsOfFile: fixture.root + "/summary.csv", encoding: .utf8) == "new")
    }
}

@Suite struct SummaryReaderTests {
    static func document(version: String = SegevalVersion.string, format: Int = SummaryDocument.formatVersion) throws -> Data {
        let fixture = try Fixture.singleClass()
        let run = try RecordedRun(jobs: LayoutResolver(predictionRoot: fixture.root + "/Pred", groundTruthRoot: fixture.root + "/GT").resolve())
        var text = try run.json()
        text = text.replacingOccurrences(of: "\"segeval\": \"\(SegevalVersion.string)\"", with: "\"segeval\": \"\(version)\"")
        text = text.replacingOccurrences(of: "\"format\": \(SummaryDocument.formatVersion)", with: "\"format\": \(format)")
        return Data(text.utf8)
    }

    @Test func readsBackTheNumbersOfAnEvaluation() throws {
        let data = try SummaryReader.parse(try Self.document(), name: "summary.json")
        #expect(data.modelNames == ["ModelA", "ModelB"])
        #expect(data.series[0].images.count == 3)
        #expect(data.series[0].curves[.dice]?.count == 256)
        let dice = try #require(data.series[0].values["meanDice"] ?? nil)
        // ModelA (230 on the GT square, 10 elsewhere) normalises to 0 and, through im2double,
        // (230/255 - 10/255) * (1 / (230/255 - 10/255)) = 1 - 2^-53 (computed here): nothing
        // reaches t = 1 (Dice 0), the square alone the 254 thresholds in (0, 1) (Dice 1), every
        // pixel t = 0 (2*144 / (144 + 576) = 0.4).
        let top = (230.0 / 255 - 10.0 / 255) * (1 / (230.0 / 255 - 10.0 / 255))
        #expect(top < 1)
        #expect(abs(dice - (254 + 0.4) / 256) < 1e-12)
        // Every number reads back as the very double the evaluation computed.
        let fixture = try Fixture.singleClass()
        let results = try Evaluator().run(LayoutResolver(predictionRoot: fixture.root + "/Pred", groundTruthRoot: fixture.root + "/GT").resolve())
        for (series, result) in zip(data.series, results) {
            for metric in SummaryMetric.all where metric.key != "wFmeasure" {
                let written = try #require(metric.value(in: result.summary))
                let read = try #require(series.values[metric.key] ?? nil)
                #expect(read == written || (read.isNaN && written.isNaN), "\(series.model) \(metric.key)")
            }
            for metric in CurveMetric.allCases where series.curves[metric] != nil {
                #expect(series.curves[metric]! == result.summary.curves[metric], "\(series.model) curve \(metric)")
            }
        }
        let (pdf, pages) = try ReportBuilder(info: ReportInfo(title: "t", dataset: [], date: "d")).build(data: data, grid: nil)
        #expect(pages == 3 && PDFBytes.pageCount(pdf) == 3)
    }

    @Test func anotherVersionIsAClearError() throws {
        do {
            _ = try SummaryReader.parse(try Self.document(version: "9.9.9"), name: "old.json")
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains("written by segeval 9.9.9"))
        }
        do {
            _ = try SummaryReader.parse(try Self.document(format: 2), name: "new.json")
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains("format 2"))
        }
        #expect(throws: ReportError.self) { try SummaryReader.parse(Data("{}".utf8), name: "x") }
        #expect(throws: ReportError.self) { try SummaryReader.parse(Data("not json".utf8), name: "x") }
    }
}
