import Testing
@testable import Report

@Suite struct BoxStatisticsTests {
    @Test func quartilesWhiskersAndOutliers() throws {
        let stats = try #require(BoxStatistics([1, 2, 3, 4, 5, 6, 7, 8, 9, 100, .nan]))
        #expect(stats.count == 10 && stats.undefinedCount == 1)
        #expect(stats.median == 5.5)
        #expect(stats.lowerQuartile == 3.25)
        #expect(stats.upperQuartile == 7.75)
        #expect(stats.lowerWhisker == 1 && stats.upperWhisker == 9)
        #expect(stats.outliers == [100])
    }

    @Test func noDefinedValueGivesNoBox() {
        #expect(BoxStatistics([]) == nil)
        #expect(BoxStatistics([.nan]) == nil)
    }
}

@Suite struct PlotAxisTests {
    @Test func unitAxisAndWiderAxisWhenDataExceedOne() {
        #expect(PlotAxis.unitOrMore([0.2, 0.9]).ticks == [0, 0.2, 0.4, 0.6000000000000001, 0.8, 1])
        let wide = PlotAxis.unitOrMore([0.5, 1.02])
        #expect(wide.upper >= 1.02 && wide.lower == 0)
        #expect(PlotAxis.niceStep(0.21) == 0.25)
        #expect(PlotAxis(lower: 0, upper: 255, step: 50).ticks == [0, 50, 100, 150, 200, 250])
    }
}

@Suite struct CaseSelectionTests {
    static let names = (1...9).map { "\($0).png" }
    static let scores = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, Double($0) / 10) })

    @Test func parsesTheThreeForms() throws {
        #expect(try CaseSelection.parse("best,median,worst") == .standard)
        #expect(try CaseSelection.parse("all") == .all)
        #expect(try CaseSelection.parse("18, 21,36") == .named(["18", "21", "36"]))
        #expect(throws: ReportError.self) { try CaseSelection.parse("best,18") }
    }

    @Test func ranksByScore() throws {
        let picks = try CaseSelection.standard.pick(names: Self.names, scores: Self.scores)
        #expect(picks.map(\.name) == ["9.png", "8.png", "6.png", "5.png", "2.png", "1.png"])
        #expect(picks.map(\.group) == ["best", "best", "median", "median", "worst", "worst"])
    }

    @Test func namesMatchByStemAndUnknownNamesFail() throws {
        let picks = try CaseSelection.named(["3", "7.png"]).pick(names: Self.names, scores: Self.scores)
        #expect(picks.map(\.name) == ["3.png", "7.png"])
        #expect(throws: ReportError.self) { try CaseSelection.named(["42"]).pick(names: Self.names, scores: Self.scores) }
    }

    @Test func fewImagesAreNotRepeated() throws {
        let picks = try CaseSelection.standard.pick(names: ["a.png", "b.png", "c.png"], scores: ["a.png": 0.1, "b.png": 0.5, "c.png": .nan])
        #expect(picks.map(\.name) == ["b.png", "a.png", "c.png"])
    }
}

@Suite struct GridLayoutTests {
    @Test func cellsFillTheWidthAndRowsFitThePage() {
        let layout = GridLayout(area: Rect(x: 40, y: 80, width: 500, height: 700), columns: 6)
        let last = layout.cell(row: 0, column: 5)
        #expect(abs(last.maxX - 540) < 1e-9)
        #expect(layout.rowTop(layout.rowsPerPage) <= 780 + 1e-9)
        // Cell (500 - 5 gaps of 3) / 6 = 80.83; row = caption 10 + cell + label 9 + gap 5 = 104.83;
        // under a 12-point header, 688 / 104.83 = 6.6: 6 rows per page, 8 pages for 48 slices.
        #expect(layout.rowsPerPage == 6)
        #expect(layout.pageCount(rows: 48) == 8)
        #expect(layout.pageCount(rows: 49) == 9)
        #expect(layout.pageCount(rows: 0) == 0)
    }
}
