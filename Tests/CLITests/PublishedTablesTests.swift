import Foundation
import SegevalTestSupport
import Testing

/// `EvaluateResults/*.txt`: the tables as the toolbox printed them (`%.3f`). segeval's printed
/// table must show every one of those numbers identically.
@Suite("Published tables, printed", .enabled(if: SharedData.isAvailable, "../shared is not present"))
struct PublishedTablesTests {
    struct Table: Sendable, CustomStringConvertible {
        var file: String
        var predictionRoot: String
        var groundTruth: String
        var description: String { file }
    }

    static let lung = "Results/Lung infection segmentation"
    static let multi = "Results/Multi-class lung infection segmentation"
    static let tables: [Table] = [
        Table(file: "previous/LungInfection-Test-1_result.txt", predictionRoot: lung, groundTruth: "Dataset/TestingSet/LungInfection-Test/GT"),
        Table(file: "previous/MultiClassInfection-Test-1_result.txt", predictionRoot: multi + "/Ground-glass opacities", groundTruth: "Dataset/TestingSet/MultiClassInfection-Test/GT-1"),
        Table(file: "previous/MultiClassInfection-Test-2_result.txt", predictionRoot: multi + "/Consolidation", groundTruth: "Dataset/TestingSet/MultiClassInfection-Test/GT-2"),
        Table(file: "LungInfection-Test-1_result.txt", predictionRoot: lung, groundTruth: "Dataset/TestingSet/LungInfection-Test/GT"),
        Table(file: "MultiClassInfection-Test-1_result.txt", predictionRoot: multi + "/Ground-glass opacities", groundTruth: "Dataset/TestingSet/MultiClassInfection-Test/GT-1"),
        Table(file: "MultiClassInfection-Test-2_result.txt", predictionRoot: multi + "/Consolidation", groundTruth: "Dataset/TestingSet/MultiClassInfection-Test/GT-2"),
    ]

    /// Toolbox label -> segeval metric key.
    static let keys: [String: String] = [
        "adpDice/adpF1": "adpDice", "adpEm": "adpEmeasure", "adpIoU": "adpIoU", "adpPre": "adpPrecision",
        "adpRec/adpSen": "adpSensitivity", "adpSpe": "adpSpecificity", "meanDic": "meanDice", "meanEm": "meanEmeasure",
        "meanFm": "meanFmeasure", "meanSen": "meanSensitivity", "meanSpe": "meanSpecificity", "maxDic": "maxDice",
        "maxEm": "maxEmeasure", "maxFm": "maxFmeasure", "Sm": "Smeasure", "MAE": "MAE",
    ]

    /// `(Dataset:X; Model:M) key:0.123; key:0.456.` -> [model: [key: "0.123"]]
    static func parse(_ text: String) -> [String: [String: String]] {
        var result: [String: [String: String]] = [:]
        for line in text.split(separator: "\n") {
            guard let modelRange = line.range(of: "Model:"), let close = line.range(of: ")") else { continue }
            let model = String(line[modelRange.upperBound..<close.lowerBound])
            var values: [String: String] = [:]
            for item in line[close.upperBound...].split(separator: ";") {
                let parts = item.trimmingCharacters(in: .whitespaces).split(separator: ":")
                guard parts.count == 2 else { continue }
                var value = String(parts[1])
                if value.hasSuffix(".") { value.removeLast() }
                values[String(parts[0])] = value
            }
            result[model] = values
        }
        return result
    }

    @Test(arguments: tables)
    func printsEveryNumber(_ table: Table) throws {
        let dataset = SharedData.dataset
        let published = Self.parse(try String(contentsOfFile: dataset + "/EvaluateResults/" + table.file, encoding: .utf8))
        #expect(!published.isEmpty)
        let labels = Self.keys.keys.sorted()
        let outcome = try CommandRunner.run([
            "--pred", dataset + "/" + table.predictionRoot, "--gt", dataset + "/" + table.groundTruth,
            "--models", published.keys.sorted().joined(separator: ","),
            "--metrics", labels.map { Self.keys[$0]! }.joined(separator: ","), "-q",
        ])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        // Rows: model name, then one column per metric in `labels` order.
        var printed: [String: [String]] = [:]
        for line in outcome.standardOutput.split(separator: "\n") {
            let cells = line.split(separator: " ").map(String.init)
            if let model = cells.first, published[model] != nil { printed[model] = Array(cells.dropFirst()) }
        }
        var compared = 0
        for (model, values) in published {
            let row = try #require(printed[model], "no row for \(model)")
            for (label, value) in values {
                let column = try #require(labels.firstIndex(of: label), "unknown label \(label)")
                guard column < row.count else { Issue.record("\(table.file) \(model): the printed row has \(row.count) cells"); break }
                #expect(row[column] == value, "\(table.file) \(model) \(label): printed \(row[column]), published \(value)")
                compared += 1
            }
        }
        #expect(compared >= 6 * published.count)
    }
}
