import Evaluation
import Foundation
import Metrics
import Testing
@testable import Report

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
        defer { fixture.remove() }
        try ReportWriter.writePDF(Array("%PDF-1.5 test".utf8), to: fixture.root + "/r.pdf")
        #expect(try FileManager.default.contentsOfDirectory(atPath: fixture.root) == ["r.pdf"])
    }

    @Test func cellFileNamesAreSafe() {
        #expect(ReportWriter.cellFileName(slice: "18.png", column: "Semi-Inf-Net") == "18_Semi-Inf-Net.png")
        #expect(ReportWriter.cellFileName(slice: "a b.png", column: "x/y") == "a_b_x_y.png")
    }
}

@Suite struct SummaryReaderTests {
    static func document(version: String = SegevalVersion.string, format: Int = SummaryDocument.formatVersion) throws -> Data {
        let fixture = try Fixture.singleClass()
        defer { fixture.remove() }
        let results = try Evaluator().run(LayoutResolver(predictionRoot: fixture.root + "/Pred", groundTruthRoot: fixture.root + "/GT").resolve())
        var text = SummaryDocument.make(results: results, protocolName: "infnet").serialized()
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
        #expect(dice > 0.9)
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
