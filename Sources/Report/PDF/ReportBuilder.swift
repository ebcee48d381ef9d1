import Evaluation

/// The grid part of a report: composed rows and how to caption them.
public struct GridContent: Sendable {
    public var rows: [GridRow]
    public var columns: GridColumns
    public var classes: [GridComposer.ClassEntry]
    public var threshold: Double

    public init(rows: [GridRow], columns: GridColumns, classes: [GridComposer.ClassEntry], threshold: Double) {
        self.rows = rows
        self.columns = columns
        self.classes = classes
        self.threshold = threshold
    }
}

/// Draws the whole report, in the order: title block and tables; threshold curves per
/// class; box plots per class; the comparison grid (when given). Pure apart from Cairo's memory.
public struct ReportBuilder {
    public var info: ReportInfo

    public init(info: ReportInfo) { self.info = info }

    /// Pages the report will have.
    public func pageCount(data: ReportData, grid: GridContent?) -> Int {
        let classes = data.classGroups.count
        let distances = data.classGroups.filter(Self.hasDistances).count
        return 1 + 2 * classes + distances + (grid.map { gridLayout($0.columns, classes: $0.classes.count).pageCount(rows: $0.rows.count) } ?? 0)
    }

    func gridLayout(_ columns: GridColumns, classes: Int) -> GridLayout {
        var area = info.pageSize.content
        let top = area.y + Style.pageTitleSize + 30  // title, rule, two legend lines
        area.height = area.maxY - top
        area.y = top
        let layout = GridLayout(area: area, columns: columns.titles.count)
        // Two header lines when a model name does not fit a cell at the header size (about 3.9
        // points per character of DejaVu Sans Bold at 6.5 points).
        let longest = columns.titles.map(\.count).max() ?? 0
        let headerLines = Double(longest) * 3.9 > layout.cellSize ? 2 : 1
        return GridLayout(area: area, columns: columns.titles.count, headerLines: headerLines, labelLines: classes)
    }

    /// Whether a class's images carry distances (a run with `--distances`): then a page of HD95
    /// and NSD box plots follows its Dice and S-measure page.
    static func hasDistances(_ group: (className: String?, series: [ReportSeries])) -> Bool {
        group.series.contains { $0.images.contains { $0.hd95 != nil || $0.nsd != nil } }
    }

    /// - Parameter notes: extra lines under the tables (e.g. why there is no grid).
    /// - Returns: the PDF bytes and the page count.
    public func build(data: ReportData, grid: GridContent?, notes: [String] = []) throws(ReportError) -> (pdf: [UInt8], pages: Int) {
        let document = try PDFDocument(pageSize: info.pageSize, title: info.title, creator: "segeval \(SegevalVersion.string)")
        let footer = "\(info.title) · segeval \(SegevalVersion.string) · \(info.date)"
        var number = 0
        func next() -> Int { number += 1; return number }
        document.page { TablePage.draw($0, data: data, info: info, notes: notes, pageNumber: next(), footer: footer) }
        for group in data.classGroups {
            document.page { CurvePage.draw($0, className: group.className, series: group.series, data: data, info: info, pageNumber: next(), footer: footer) }
        }
        for group in data.classGroups {
            document.page { BoxPlotPage.draw($0, className: group.className, series: group.series, data: data, info: info, pageNumber: next(), footer: footer) }
            if Self.hasDistances(group) {
                document.page { BoxPlotPage.drawDistances($0, className: group.className, series: group.series, data: data, info: info, pageNumber: next(), footer: footer) }
            }
        }
        if let grid, !grid.rows.isEmpty {
            let layout = gridLayout(grid.columns, classes: grid.classes.count)
            let pages = layout.pageCount(rows: grid.rows.count)
            let legend = GridPage.legend(styles: grid.classes.map { ($0.name, $0.style) }, threshold: grid.threshold)
            for page in 0..<pages {
                let start = page * layout.rowsPerPage
                let rows = grid.rows[start..<min(start + layout.rowsPerPage, grid.rows.count)]
                document.page {
                    GridPage.draw($0, rows: rows, columns: grid.columns, layout: layout,
                                  title: "Visual comparison" + (pages > 1 ? " (\(page + 1)/\(pages))" : ""),
                                  legend: legend, pageNumber: next(), footer: footer, page: info.pageSize)
                }
            }
        }
        let bytes = try document.finish()
        return (bytes, document.pageCount)
    }
}
