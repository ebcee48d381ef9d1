import Foundation
import ImageIO
import SegevalTestSupport
import Testing

/// `segeval report` end to end on synthetic data (no ../shared needed).
@Suite("segeval report (command line)")
struct ReportCommandTests {
    let tree = TemporaryTree()

    /// One model, two slices with CT images; GT squares.
    func makeData() {
        let gt: [UInt8] = (0..<64).map { ($0 / 8 >= 2 && $0 / 8 < 6 && $0 % 8 >= 2 && $0 % 8 < 6) ? 255 : 0 }
        for name in ["1", "2"] {
            tree.gray("GT/\(name).png", width: 8, height: 8, gt)
            tree.gray("Pred/Net/\(name).png", width: 8, height: 8, gt.map { $0 == 255 ? 200 : 30 })
            tree.gray("Imgs/\(name).png", width: 8, height: 8, [UInt8](repeating: 90, count: 64))
        }
    }

    @Test("a PDF and the grid cells, written together; inputs untouched")
    func pdfAndCells() throws {
        makeData()
        let outcome = try CommandRunner.run(["report", "--pred", tree.path("Pred"), "--gt", tree.path("GT"), "--images", tree.path("Imgs"),
                                             "--out", tree.path("report.pdf"), "--png-dir", tree.path("cells"), "--cases", "all", "-q"])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let pdf = try Data(contentsOf: URL(fileURLWithPath: tree.path("report.pdf")))
        #expect(pdf.starts(with: Array("%PDF-".utf8)))
        // Two slices x (CT, GT, Net).
        #expect(try FileManager.default.contentsOfDirectory(atPath: tree.path("cells")).sorted()
                == ["1_CT.png", "1_GT.png", "1_Net.png", "2_CT.png", "2_GT.png", "2_Net.png"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: tree.path("Imgs")).sorted() == ["1.png", "2.png"])
    }

    @Test("a missing --images folder is an error before any work, and nothing is written")
    func missingImages() throws {
        makeData()
        let outcome = try CommandRunner.run(["report", "--pred", tree.path("Pred"), "--gt", tree.path("GT"), "--images", tree.path("Nope"),
                                             "--out", tree.path("report.pdf"), "--png-dir", tree.path("cells")])
        #expect(outcome.status != 0)
        #expect(outcome.standardError.contains("\(tree.path("Nope")): CT slice folder not found (--images)"))
        // Files where folders are wanted are called files.
        let file = try CommandRunner.run(["report", "--pred", tree.path("Pred"), "--gt", tree.path("GT"), "--images", tree.path("GT/1.png"), "--out", tree.path("r.pdf")])
        #expect(file.standardError.contains("\(tree.path("GT/1.png")): CT slice folder is a file, not a folder (--images)"), "\(file.standardError)")
        tree.bytes("existing.txt", [0])
        let out = try CommandRunner.run(["report", "--pred", tree.path("Pred"), "--gt", tree.path("GT"), "--out", tree.path("existing.txt/r.pdf")])
        #expect(out.standardError.contains("\(tree.path("existing.txt/r.pdf")): \(tree.path("existing.txt")) is a file, not a folder (--out)"), "\(out.standardError)")
        #expect(!FileManager.default.fileExists(atPath: tree.path("report.pdf")))
        #expect(!FileManager.default.fileExists(atPath: tree.path("cells")))
    }

    @Test("--from takes the numbers of summary.json; options that would change them are refused")
    func fromSummary() throws {
        makeData()
        let evaluate = try CommandRunner.run(["--pred", tree.path("Pred"), "--gt", tree.path("GT"), "--out", tree.path("eval"), "-q"])
        #expect(evaluate.status == 0, "\(evaluate.standardError)")
        let report = try CommandRunner.run(["report", "--from", tree.path("eval/summary.json"), "--out", tree.path("r.pdf"), "-q"])
        #expect(report.status == 0, "\(report.standardError)")
        #expect(FileManager.default.fileExists(atPath: tree.path("r.pdf")))
        for extra in [["--protocol", "standard"], ["--protocol", "infnet"], ["--layout", "auto"], ["--class", "X=1"], ["--skip-missing"], ["--gt", "GT"]] {
            let refused = try CommandRunner.run(["report", "--from", tree.path("eval/summary.json"), "--out", tree.path("r2.pdf")] + extra)
            #expect(refused.status != 0, "\(extra)")
            #expect(refused.standardError.contains("do not apply"), "\(extra): \(refused.standardError)")
        }
        #expect(!FileManager.default.fileExists(atPath: tree.path("r2.pdf")))
    }
}
