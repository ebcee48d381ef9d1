import Evaluation
import Metrics
import Testing
@testable import Report

@Suite struct ResultTableTests {
    static func metric(_ key: String) -> SummaryMetric { SummaryMetric.named(key)! }

    /// A table with the given rows, built directly (the numbers are the point, not an evaluation).
    static func table(_ rows: [(String, [Double?])], metrics: [String] = ["dice", "mae"], className: String? = nil) -> ResultTable {
        var table = ResultTable(results: [], metrics: metrics.map(metric))
        table.groups = [ResultTable.Group(className: className, rows: rows.map { ResultTable.Row(model: $0.0, images: 1, values: $0.1) })]
        return table
    }

    @Test func boldMarksTheBestAsPrintedLowerIsBetterForMAE() {
        // Dice 0.7124 and 0.7121 both print 0.712: both best. MAE: the smallest is best. NaN never.
        let table = Self.table([("A", [0.7124, 0.090]), ("B", [0.7121, 0.081]), ("C", [.nan, .nan])])
        #expect(table.bestRows(in: table.groups[0], decimals: 3) == [[0, 1], [1]])
        #expect(table.bestRows(in: table.groups[0], decimals: 4) == [[0], [1]])
        let single = Self.table([("A", [0.5, 0.1])])
        #expect(single.bestRows(in: single.groups[0], decimals: 3) == [[], []])
    }

    @Test func markdownEscapesNamesAndBoldsTheBest() {
        let table = Self.table([("Semi-Inf-Net_UNet", [0.7, 0.2]), ("a|b*c", [0.6, 0.1])])
        let lines = table.markdown().split(separator: "\n").map(String.init)
        #expect(lines[0] == "| Model | Dice | MAE |")
        #expect(lines[2] == "| Semi-Inf-Net\\_UNet | **0.700** | 0.200 |")
        #expect(lines[3] == "| a\\|b\\*c | 0.600 | **0.100** |")
    }

    @Test func latexEscapesNamesAndClassTitles() {
        let table = Self.table([("Semi-Inf-Net_UNet", [0.7, nil]), ("50%&~", [0.6, 0.1])], className: "GGO #1")
        let text = table.latex(decimals: 2)
        #expect(text.contains("\\multicolumn{3}{l}{\\textit{GGO \\#1}} \\\\"))
        #expect(text.contains("Semi-Inf-Net\\_UNet & \\textbf{0.70} & - \\\\"))
        #expect(text.contains("50\\%\\&\\textasciitilde{} & 0.60 & \\textbf{0.10} \\\\"))
    }

    @Test func csvQuotesFieldsAndKeepsExactValues() {
        let table = Self.table([("Net, v2 \"final\"", [1.0 / 3, nil])], className: "Consolidation")
        let lines = table.csv().split(separator: "\n").map(String.init)
        #expect(lines[0] == "model,class,meanDice,MAE")
        #expect(lines[1] == "\"Net, v2 \"\"final\"\"\",Consolidation,0.3333333333333333,")
        #expect(Double("0.3333333333333333") == 1.0 / 3)
    }

    @Test func numberFormats() {
        #expect(NumberFormat.fixed(0.6815, decimals: 3) == "0.681")   // 0.6815 is 0.68149999... in binary
        #expect(NumberFormat.fixed(.nan) == "NaN" && NumberFormat.fixed(nil) == "-" && NumberFormat.fixed(-.infinity) == "-Inf")
        // A million or more in scientific notation (a one-pixel image's toolbox E-measure is ~1e15).
        #expect(NumberFormat.fixed(1.5e15, decimals: 3) == "1.50e+15" && NumberFormat.fixed(999_999.5, decimals: 3) == "999999.500")
        #expect(NumberFormat.exact(0.1) == "0.1" && NumberFormat.exact(1) == "1.0" && NumberFormat.exact(.infinity) == "Inf")
        for value in [0.1 + 0.2, 1e-300, 0.8382649035585517, 5e-324] { #expect(Double(NumberFormat.exact(value)) == value) }
    }
}
