import Foundation
import ImageIO
import SegevalTestSupport
import Testing

/// The command line, end to end, on synthetic data (no ../shared needed).
@Suite("segeval evaluate (command line)")
struct EvaluateCommandTests {
    let tree = TemporaryTree()

    /// Two models, three slices; one prediction is half the GT's size.
    func makeData() {
        let gt: [UInt8] = [0, 0, 0, 0, 0, 255, 255, 0, 0, 255, 255, 0, 0, 0, 0, 0]
        for name in ["a", "b", "c"] {
            tree.gray("GT/\(name).png", width: 4, height: 4, gt)
            tree.gray("Pred/Good/\(name).png", width: 4, height: 4, gt.map { $0 == 255 ? 230 : 20 })
        }
        tree.gray("Pred/Poor/a.png", width: 4, height: 4, [UInt8](repeating: 0, count: 16))
        tree.gray("Pred/Poor/b.png", width: 4, height: 4, (0..<16).map { UInt8($0 * 16) })
        tree.gray("Pred/Poor/c.png", width: 2, height: 2, [0, 255, 255, 0])
    }

    static func digest(_ folder: String) -> [String: Data] {
        var result: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(atPath: folder)!
        while let relative = enumerator.nextObject() as? String {
            if let data = FileManager.default.contents(atPath: folder + "/" + relative) { result[relative] = data }
        }
        return result
    }

    /// Runs the command with `--out out` on the synthetic data.
    func evaluateWithOut() throws -> CommandRunner.Outcome {
        makeData()
        return try CommandRunner.run(["--pred", tree.path("Pred"), "--gt", tree.path("GT"), "--out", tree.path("out")])
    }

    @Test("prints the paper's table, with a note on the resized prediction")
    func table() throws {
        let outcome = try evaluateWithOut()
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect(outcome.standardOutput.contains("Dice"))
        #expect(outcome.standardOutput.contains("Good"))
        #expect(outcome.standardOutput.contains("Poor"))
        #expect(outcome.standardError.contains("resized in memory"))
    }

    @Test("inputs are never modified")
    func inputsUntouched() throws {
        makeData()
        let before = Self.digest(tree.path("Pred")).merging(Self.digest(tree.path("GT"))) { a, _ in a }
        let outcome = try CommandRunner.run(["--pred", tree.path("Pred"), "--gt", tree.path("GT"), "--out", tree.path("out")])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let after = Self.digest(tree.path("Pred")).merging(Self.digest(tree.path("GT"))) { a, _ in a }
        #expect(before == after)
        #expect(before.count == 9)
    }

    @Test("--out writes every file")
    func outputFiles() throws {
        let outcome = try evaluateWithOut()
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let written = Set(try FileManager.default.contentsOfDirectory(atPath: tree.path("out")))
        #expect(written == ["summary.csv", "per_image.csv", "curves.csv", "summary.json", "table.md", "table.tex"])
    }

    @Test("summary.json keeps its contract: keys, models, images, curves")
    func jsonContract() throws {
        let outcome = try evaluateWithOut()
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: tree.path("out/summary.json")))) as! [String: Any]
        #expect(json["segeval"] is String)
        #expect(json["protocol"] as? String == "infnet")
        let results = json["results"] as! [[String: Any]]
        #expect(results.map { $0["model"] as! String } == ["Good", "Poor"])
        #expect(results[0]["class"] is NSNull)
        #expect(results[0]["count"] as? Int == 3)
        let summary = results[0]["summary"] as! [String: Any]
        for key in ["meanDice", "maxDice", "adpDice", "meanSensitivity", "maxSensitivity", "adpSensitivity", "meanSpecificity",
                    "maxSpecificity", "adpSpecificity", "meanPrecision", "maxPrecision", "adpPrecision", "adpIoU", "meanFmeasure",
                    "maxFmeasure", "adpFmeasure", "Smeasure", "meanEmeasure", "maxEmeasure", "adpEmeasure", "MAE", "wFmeasure"] {
            #expect(summary[key] is Double, "summary.\(key)")
        }
        let curves = results[0]["curves"] as! [String: Any]
        for key in ["dice", "sensitivity", "specificity", "precision", "fmeasure", "emeasure"] {
            #expect((curves[key] as? [Any])?.count == 256, "curves.\(key)")
        }
        let images = results[0]["images"] as! [[String: Any]]
        #expect(images.map { $0["name"] as! String } == ["a.png", "b.png", "c.png"])
        for key in ["Smeasure", "MAE", "wFmeasure", "adpDice", "adpSensitivity", "adpSpecificity", "adpPrecision",
                    "adpEmeasure", "meanDice", "maxDice", "meanEmeasure", "maxEmeasure"] {
            #expect(images[0][key] is Double, "images[0].\(key)")
        }
        #expect(images[0]["warnings"] is [Any])
        // A perfect separation: Dice 1 at every threshold between the two levels.
        #expect((summary["maxDice"] as! Double) == 1)
    }

    @Test("per_image.csv has a row per image and model, curves.csv one per threshold and model")
    func detailCSVs() throws {
        let outcome = try evaluateWithOut()
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let perImage = try String(contentsOfFile: tree.path("out/per_image.csv"), encoding: .utf8)
        #expect(perImage.split(separator: "\n").count == 1 + 6)
        let curvesCSV = try String(contentsOfFile: tree.path("out/curves.csv"), encoding: .utf8)
        #expect(curvesCSV.split(separator: "\n").count == 1 + 2 * 256)
    }

    /// `--format format -q` on the synthetic data: standard output's lines.
    func formatted(_ format: String) throws -> [String] {
        makeData()
        let outcome = try CommandRunner.run(["--pred", tree.path("Pred"), "--gt", tree.path("GT"), "--format", format, "-q"])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect(outcome.standardError.isEmpty)
        return outcome.standardOutput.split(separator: "\n").map(String.init)
    }

    @Test("markdown and LaTeX mark the best value in bold", arguments: ["markdown", "latex"])
    func boldBest(_ format: String) throws {
        let lines = try formatted(format)
        // Good normalises to exactly its GT (210 * (1/210) == 1): it is best in every column,
        // MAE (lower is better) included, so its row is bold throughout and Poor's nowhere.
        let bold = format == "markdown" ? "**" : "\\textbf{"
        let separator = format == "markdown" ? "|" : "&"
        func cells(_ model: String) throws -> [String] {
            let line = try #require(lines.first { $0.hasPrefix(format == "markdown" ? "| \(model) |" : "\(model) &") })
            return Array(line.split(separator: Character(separator)).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.dropFirst())
        }
        let good = try cells("Good"), poor = try cells("Poor")
        #expect(good.count == 6 && poor.count == 6)
        #expect(good.allSatisfy { $0.hasPrefix(bold) }, "\(good)")
        #expect(poor.allSatisfy { !$0.contains(bold) }, "\(poor)")
    }

    @Test("csv is exact: every cell reads back as the JSON's double; Good's mean Dice by hand")
    func csvExact() throws {
        let lines = try formatted("csv")
        // JSONDecoder, not JSONSerialization: the latter can be an ulp off on Linux.
        struct Document: Decodable {
            struct Result: Decodable { var model: String; var summary: [String: Double?] }
            var results: [Result]
        }
        let json = try CommandRunner.run(["--pred", tree.path("Pred"), "--gt", tree.path("GT"), "--format", "json", "-q"])
        let results = try JSONDecoder().decode(Document.self, from: Data(json.standardOutput.utf8)).results
        let header = lines[0].split(separator: ",").map(String.init)
        #expect(Array(header.prefix(3)) == ["model", "class", "meanDice"])
        #expect(lines.count == 3 && results.count == 2)
        // One value worked out by hand: Good's mean Dice, 1 at the 255 thresholds above 0 and
        // 2*4 / (4 + 16) = 0.4 at t = 0.
        let goodDice = try #require(Double(lines[1].split(separator: ",", omittingEmptySubsequences: false)[2]))
        #expect(abs(goodDice - (255 + 0.4) / 256) < 1e-12)
        for (line, result) in zip(lines.dropFirst(), results) {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            #expect(cells[0] == result.model)
            for (key, cell) in zip(header.dropFirst(2), cells.dropFirst(2)) {
                // The CSV's shortest round-trip decimals read back to the very double of the JSON.
                #expect(Double(cell) == result.summary[key] ?? nil, "\(cells[0]) \(key): csv \(cell)")
            }
        }
    }

    @Test("json: Good's mean Dice by hand, MAE 0")
    func jsonValues() throws {
        let output = try formatted("json").joined(separator: "\n")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        let results = try #require(document["results"] as? [[String: Any]])
        let summary = try #require(results.first?["summary"] as? [String: Any])
        // Dice 1 at the 255 thresholds above 0; at t = 0 every pixel: 2*4 / (4 + 16) = 0.4.
        let meanDice = try #require(summary["meanDice"] as? Double)
        #expect(abs(meanDice - (255 + 0.4) / 256) < 1e-12)
        #expect(summary["MAE"] as? Double == 0)
    }

    @Test("a truncated prediction: non-zero exit, the file named, no report written")
    func truncatedPrediction() throws {
        makeData()
        let good = try Data(contentsOf: URL(fileURLWithPath: tree.path("Pred/Good/b.png")))
        try good.prefix(good.count - 20).write(to: URL(fileURLWithPath: tree.path("Pred/Good/b.png")))
        let outcome = try CommandRunner.run(["--pred", tree.path("Pred"), "--gt", tree.path("GT"), "--out", tree.path("out")])
        #expect(outcome.status != 0)
        #expect(outcome.standardError.contains(tree.path("Pred/Good/b.png")))
        #expect(!FileManager.default.fileExists(atPath: tree.path("out/summary.json")))
        let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: tree.path("out"))) ?? []
        #expect(leftovers.isEmpty)
    }

    @Test("a model left with no images (--skip-missing): its S-measure and MAE are undefined (NaN, the mean of nothing), said in summary.json")
    func modelWithoutImages() throws {
        makeData()
        tree.gray("Pred/Orphan/zz.png", width: 4, height: 4, [UInt8](repeating: 0, count: 16))
        let outcome = try CommandRunner.run(["--pred", tree.path("Pred"), "--gt", tree.path("GT"), "--skip-missing",
                                             "--metrics", "sm,mae", "--out", tree.path("out"), "-q"])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let row = try #require(outcome.standardOutput.split(separator: "\n").first { $0.hasPrefix("Orphan") })
        // Its row shows its count (0 beside Good's and Poor's 3), and a warning names what it lacks.
        #expect(row.split(separator: " ").dropFirst().map(String.init) == ["(n=0)", "NaN", "NaN"], "\(row)")
        #expect(outcome.standardError.contains("warning: Orphan: scored on 0 of the 3 images the other models were scored on"), "\(outcome.standardError)")
        let json = try String(contentsOfFile: tree.path("out/summary.json"), encoding: .utf8)
        #expect(json.contains("summary.Smeasure is undefined (NaN); written as null"))
        #expect(json.contains("summary.MAE is undefined (NaN); written as null"))
    }

    @Test("0/1 ground truths: warnings that -q does not hide, the fix named, and a run whose GTs are all empty fails unless --allow-empty-gt")
    func allEmptyGroundTruth() throws {
        for name in ["a", "b"] {
            tree.gray("GT01/\(name).png", width: 4, height: 4, [0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0])
            tree.gray("Pred01/\(name).png", width: 4, height: 4, [0, 0, 0, 0, 0, 255, 255, 0, 0, 255, 255, 0, 0, 0, 0, 0])
        }
        let outcome = try CommandRunner.run(["--pred", tree.path("Pred01"), "--gt", tree.path("GT01"), "-q"])
        #expect(outcome.status != 0, "an all-empty run exited 0")
        #expect(outcome.standardError.contains("every ground truth mask is empty"), "\(outcome.standardError)")
        #expect(outcome.standardError.contains("2 of 2 ground truth(s) read as empty although their files hold values up to 1"))
        #expect(outcome.standardError.contains("save binary masks as 0/255"))
        #expect(outcome.standardError.contains("--allow-empty-gt"))
        #expect(!outcome.standardError.contains("Usage:"))
        let allowed = try CommandRunner.run(["--pred", tree.path("Pred01"), "--gt", tree.path("GT01"), "-q", "--allow-empty-gt"])
        #expect(allowed.status == 0, "\(allowed.standardError)")
        #expect(allowed.standardError.contains("every ground truth mask is empty"))
        // One 0/1 mask among 0/255 ones: the run has foreground, and the odd mask is still named.
        makeData()
        tree.gray("GT/b.png", width: 4, height: 4, [0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0])
        let mixed = try CommandRunner.run(["--pred", tree.path("Pred"), "--gt", tree.path("GT"), "-q"])
        #expect(mixed.status == 0, "\(mixed.standardError)")
        #expect(mixed.standardError.contains("Good: 1 of 3 ground truth(s) read as empty although their files hold values up to 1"), "\(mixed.standardError)")
        #expect(!mixed.standardError.contains("every ground truth mask is empty"))
        // A label map given as a binary GT folder: the class layout is suggested.
        tree.gray("Labels/a.png", width: 4, height: 4, [0, 0, 0, 0, 0, 1, 2, 0, 0, 1, 2, 0, 0, 0, 0, 0])
        tree.gray("Labels/b.png", width: 4, height: 4, [0, 0, 0, 0, 0, 2, 2, 0, 0, 1, 1, 0, 0, 0, 0, 0])
        let labels = try CommandRunner.run(["--pred", tree.path("Pred01"), "--gt", tree.path("Labels"), "-q"])
        #expect(labels.status != 0)
        #expect(labels.standardError.contains("values up to 2"), "\(labels.standardError)")
        #expect(labels.standardError.contains("a label map (values 0..2) is read per class with the class layout"))
        // A GT with foreground says nothing of the kind.
        let normal = try CommandRunner.run(["--pred", tree.path("Pred"), "--gt", tree.path("GT"), "-q", "--models", "Poor"])
        #expect(!normal.standardError.contains("every ground truth mask is empty"))
    }

    @Test("models scored on different images: every row shows its count and a warning names the model and what it lacks, even with -q")
    func differentImageSets() throws {
        makeData()
        try FileManager.default.removeItem(atPath: tree.path("Pred/Poor/b.png"))
        try FileManager.default.removeItem(atPath: tree.path("Pred/Poor/c.png"))
        let outcome = try CommandRunner.run(["--pred", tree.path("Pred"), "--gt", tree.path("GT"), "-q", "--metrics", "dice"])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let rows = outcome.standardOutput.split(separator: "\n").map(String.init)
        #expect(rows.contains { $0.hasPrefix("Good (n=3) ") }, "\(rows)")
        #expect(rows.contains { $0.hasPrefix("Poor (n=1) ") }, "\(rows)")
        #expect(outcome.standardError.contains("warning: Poor: scored on 1 of the 3 images the other models were scored on (2 missing: b.png, c.png)"), "\(outcome.standardError)")
        #expect(!outcome.standardError.contains("warning: Good:"))
        let markdown = try CommandRunner.run(["--pred", tree.path("Pred"), "--gt", tree.path("GT"), "-q", "--metrics", "dice", "--format", "markdown"])
        #expect(markdown.standardOutput.contains("| Poor (n=1) |"))
        // Equal counts: the table is the paper's, without counts.
        makeData()
        let equal = try CommandRunner.run(["--pred", tree.path("Pred"), "--gt", tree.path("GT"), "-q", "--metrics", "dice"])
        #expect(!equal.standardOutput.contains("(n="))
        #expect(!equal.standardError.contains("images the other models"))
    }

    @Test("per-image notes are grouped by kind with each image's own numbers, never '#' placeholders")
    func groupedNotes() throws {
        makeData()
        tree.gray("Pred/Good/a.png", width: 4, height: 4, [UInt8](repeating: 7, count: 16))
        tree.gray("Pred/Good/b.png", width: 4, height: 4, [UInt8](repeating: 9, count: 16))
        tree.gray("Pred/Good/c.png", width: 4, height: 4, [UInt8](repeating: 9, count: 16))
        let outcome = try CommandRunner.run(["--pred", tree.path("Pred/Good"), "--gt", tree.path("GT"), "--metrics", "dice"])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect(outcome.standardError.contains("note: Good: 3 image(s): a.png: prediction is constant (every pixel 7); min-max normalisation leaves it unchanged; b.png: prediction is constant (every pixel 9)"), "\(outcome.standardError)")
        #expect(!outcome.standardError.contains("#"))
    }

    @Test("option mistakes name the problem (the command's usage, never the bare 'segeval <subcommand>'); nothing is evaluated")
    func optionMistakes() throws {
        makeData()
        let cases: [([String], String)] = [
            (["--models", "Nope"], "--models: no model folder named Nope; found: Good, Poor"),
            (["--class", "GGO"], "--class expects NAME=K"),
            (["--class", "GGO=0"], "the label must be at least 1"),
            (["--class", "GGO=1", "--class", "GGO=2"], "--class gives 'GGO' twice (labels 1 and 2)"),
            (["--class", "A=1", "--class", "B=1"], "--class maps both 'A' and 'B' to label 1"),
            (["--metrics", ""], "--metrics: give at least one metric"),
            (["--metrics", "dice,meanDice"], "--metrics names meanDice twice"),
            (["--max-pixels", "0"], "--max-pixels must be at least 1"),
        ]
        for (extra, message) in cases {
            let outcome = try CommandRunner.run(["--pred", tree.path("Pred"), "--gt", tree.path("GT")] + extra)
            #expect(outcome.status != 0, "\(extra)")
            #expect(outcome.standardError.contains(message), "\(extra): \(outcome.standardError)")
            #expect(!outcome.standardError.contains("Usage: segeval <subcommand>"), "\(extra): \(outcome.standardError)")
            #expect(outcome.standardOutput.isEmpty, "\(extra)")
        }
    }

    @Test("an image whose header declares more pixels than --max-pixels is refused before decoding, naming its size")
    func maxPixels() throws {
        makeData()
        let outcome = try CommandRunner.run(["--pred", tree.path("Pred"), "--gt", tree.path("GT"), "--max-pixels", "15"])
        #expect(outcome.status != 0)
        #expect(outcome.standardError.contains("image of 4 x 4 pixels is over the limit of 15 pixels"), "\(outcome.standardError)")
        #expect(outcome.standardError.contains("--max-pixels"))
        let fine = try CommandRunner.run(["--pred", tree.path("Pred"), "--gt", tree.path("GT"), "--max-pixels", "16", "-q"])
        #expect(fine.status == 0, "\(fine.standardError)")
    }

    @Test("a FIFO, a broken link or a link loop named *.png is an error naming it, never a hang or a silent skip")
    func specialFiles() throws {
        makeData()
        #expect(mkfifo(tree.path("Pred/Good/fifo.png"), 0o600) == 0)
        tree.gray("GT/fifo.png", width: 4, height: 4, [UInt8](repeating: 0, count: 16))
        let fifo = try CommandRunner.run(["--pred", tree.path("Pred/Good"), "--gt", tree.path("GT"), "-q"])
        #expect(fifo.status != 0)
        #expect(fifo.standardError.contains("\(tree.path("Pred/Good/fifo.png")): a FIFO (named pipe), not a regular file"), "\(fifo.standardError)")
        try FileManager.default.removeItem(atPath: tree.path("Pred/Good/fifo.png"))
        try FileManager.default.createSymbolicLink(atPath: tree.path("Pred/Good/fifo.png"), withDestinationPath: tree.path("nowhere.png"))
        let broken = try CommandRunner.run(["--pred", tree.path("Pred/Good"), "--gt", tree.path("GT"), "-q"])
        #expect(broken.status != 0)
        #expect(broken.standardError.contains("fifo.png: a broken link (its target does not exist)"), "\(broken.standardError)")
        // The same GT as a FIFO: named as well.
        try FileManager.default.removeItem(atPath: tree.path("Pred/Good/fifo.png"))
        tree.gray("Pred/Good/fifo.png", width: 4, height: 4, [UInt8](repeating: 0, count: 16))
        try FileManager.default.removeItem(atPath: tree.path("GT/fifo.png"))
        #expect(mkfifo(tree.path("GT/fifo.png"), 0o600) == 0)
        let gt = try CommandRunner.run(["--pred", tree.path("Pred/Good"), "--gt", tree.path("GT"), "-q"])
        #expect(gt.status != 0)
        #expect(gt.standardError.contains("\(tree.path("GT/fifo.png")): a FIFO (named pipe)"), "\(gt.standardError)")
    }

    @Test("a missing ground truth lists the file; --skip-missing evaluates the rest and says what was skipped")
    func missingGroundTruth() throws {
        makeData()
        tree.gray("Pred/Good/zz.png", width: 4, height: 4, [UInt8](repeating: 9, count: 16))
        let failing = try CommandRunner.run(["--pred", tree.path("Pred"), "--gt", tree.path("GT")])
        #expect(failing.status != 0)
        #expect(failing.standardError.contains("zz.png"))
        let skipping = try CommandRunner.run(["--pred", tree.path("Pred"), "--gt", tree.path("GT"), "--skip-missing"])
        #expect(skipping.status == 0)
        #expect(skipping.standardError.contains("skipped 1 prediction(s) without ground truth: zz.png"))
    }

    @Test("segeval alone prints the overview with the subcommands")
    func noArguments() throws {
        let outcome = try CommandRunner.run([])
        #expect(outcome.status == 0)
        #expect(outcome.standardOutput.contains("SUBCOMMANDS"))
        #expect(outcome.standardOutput.contains("predict"))
    }

    @Test("unknown options are refused with a helpful message", arguments: [
        ["--protocol", "matlab"], ["--format", "xlsx"], ["--metrics", "dice,foo"], ["--layout", "flat"], ["--class", "GGO"],
    ])
    func badOptions(_ extra: [String]) throws {
        makeData()
        let outcome = try CommandRunner.run(["--pred", tree.path("Pred"), "--gt", tree.path("GT")] + extra)
        #expect(outcome.status != 0)
        #expect(!outcome.standardError.isEmpty)
    }

    @Test("--models picks and orders the rows; an unknown name lists what exists; --decimals")
    func modelSelection() throws {
        makeData()
        let outcome = try CommandRunner.run(["--pred", tree.path("Pred"), "--gt", tree.path("GT"), "--models", "Poor,Good",
                                             "--metrics", "dice", "--decimals", "5", "-q"])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let rows = outcome.standardOutput.split(separator: "\n").map(String.init).filter { $0.hasPrefix("Good") || $0.hasPrefix("Poor") }
        #expect(rows.map { String($0.prefix(4)) } == ["Poor", "Good"])
        // Good's mean Dice: 1 at the 255 thresholds above 0 (210 * (1/210) == 1), 0.4 at t = 0.
        #expect(rows[1].hasSuffix(" 0.99766"))
        let unknown = try CommandRunner.run(["--pred", tree.path("Pred"), "--gt", tree.path("GT"), "--models", "Good,Nope"])
        #expect(unknown.status != 0)
        #expect(unknown.standardError.contains("--models: no model folder named Nope; found: Good, Poor"))
    }

    @Test("--layout single takes a folder as one model; --class names an unknown class folder")
    func forcedLayoutAndClassMapping() throws {
        makeData()
        let single = try CommandRunner.run(["--pred", tree.path("Pred/Good"), "--gt", tree.path("GT"), "--layout", "single", "--format", "csv", "-q"])
        #expect(single.status == 0, "\(single.standardError)")
        #expect(single.standardOutput.split(separator: "\n").dropFirst().map { $0.prefix(5) } == ["Good,"])
        // A class folder with an unknown name: an error naming it, then accepted with --class.
        for name in ["a", "b", "c"] {
            tree.gray("Classes/Lesion/Net/\(name).png", width: 4, height: 4, [UInt8](repeating: 0, count: 12) + [255, 255, 0, 0])
            tree.gray("Labels/GT-3/\(name).png", width: 4, height: 4, [UInt8](repeating: 0, count: 12) + [255, 255, 0, 0])
        }
        let refused = try CommandRunner.run(["--pred", tree.path("Classes"), "--gt", tree.path("Labels"), "--layout", "classes"])
        #expect(refused.status != 0)
        #expect(refused.standardError.contains("unknown class folder 'Lesion'; map it to a label with --class 'Lesion=K'"))
        let mapped = try CommandRunner.run(["--pred", tree.path("Classes"), "--gt", tree.path("Labels"), "--class", "Lesion=3",
                                            "--format", "csv", "--metrics", "dice", "-q"])
        #expect(mapped.status == 0, "\(mapped.standardError)")
        #expect(mapped.standardOutput.contains("Net,Lesion,"))
    }

    @Test("empty and full ground truth, constant maps and 1x1 images evaluate, with notes")
    func degenerateInputs() throws {
        tree.gray("GT/empty.png", width: 3, height: 3, [UInt8](repeating: 0, count: 9))
        tree.gray("GT/full.png", width: 3, height: 3, [UInt8](repeating: 255, count: 9))
        tree.gray("GT/one.png", width: 1, height: 1, [255])
        tree.gray("Pred/M/empty.png", width: 3, height: 3, [UInt8](repeating: 0, count: 9))
        tree.gray("Pred/M/full.png", width: 3, height: 3, [UInt8](repeating: 128, count: 9))
        tree.gray("Pred/M/one.png", width: 1, height: 1, [77])
        for preset in ["infnet", "infnet-latest", "standard"] {
            let outcome = try CommandRunner.run(["--pred", tree.path("Pred/M"), "--gt", tree.path("GT"), "--protocol", preset,
                                                 "--format", "json"])
            #expect(outcome.status == 0, "\(preset): \(outcome.standardError)")
            #expect(outcome.standardError.contains("ground truth is empty"))
            #expect(outcome.standardError.contains("constant"))
            let json = try JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as! [String: Any]
            #expect(json["protocol"] as? String == preset)
        }
        // --quiet drops the notes but never the warnings about undefined values.
        let quiet = try CommandRunner.run(["--pred", tree.path("Pred/M"), "--gt", tree.path("GT"), "--protocol", "standard", "-q"])
        #expect(quiet.status == 0)
        #expect(quiet.standardError.contains("warning: M: curve.sensitivity:"))
        #expect(!quiet.standardError.contains("note:"))
        #expect(!quiet.standardOutput.contains("protocol:"))
        // The 1x1 image's toolbox E-measure (~1e15) is kept, printed in scientific notation, and warned of.
        let toolbox = try CommandRunner.run(["--pred", tree.path("Pred/M"), "--gt", tree.path("GT"), "-q", "--metrics", "em", "--allow-empty-gt"])
        #expect(toolbox.standardError.contains("warning: M: 1 one-pixel image(s) (one.png): the image has one pixel"), "\(toolbox.standardError)")
        let row = try #require(toolbox.standardOutput.split(separator: "\n").first { $0.hasPrefix("M ") })
        #expect(row.contains("e+14") || row.contains("e+15"), "\(row)")
        #expect(row.count < 30, "\(row)")
    }
}
