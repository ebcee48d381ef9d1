/// What the report says about itself (title block, page footers) and how it draws.
public struct ReportInfo: Sendable {
    public var title: String
    /// Lines describing the data (folders or the summary.json read).
    public var dataset: [String]
    /// The evaluation date, `YYYY-MM-DD`.
    public var date: String
    public var pageSize: PageSize
    public var palette: ModelPalette
    /// The table's columns.
    public var metrics: [SummaryMetric]

    public init(title: String, dataset: [String], date: String, pageSize: PageSize = .a4,
                palette: ModelPalette = ModelPalette(),
                metrics: [SummaryMetric] = SummaryMetric.paperDefault.compactMap(SummaryMetric.named)) {
        self.title = title
        self.dataset = dataset
        self.date = date
        self.pageSize = pageSize
        self.palette = palette
        self.metrics = metrics
    }
}

/// Font sizes and colours shared by every page.
enum Style {
    static let titleSize = 17.0
    static let pageTitleSize = 12.0
    static let headingSize = 10.5
    static let bodySize = 8.5
    static let smallSize = 7.0
    static let tinySize = 6.0
    static let muted = RGBColor.gray(0.35)
    static let rule = RGBColor.gray(0.55)
}

/// The frame every page shares: a title at the top, a footer with the version and page number.
enum PageChrome {
    /// Draws the frame and returns the area left for the page's content.
    static func draw(_ canvas: Canvas, page: PageSize, title: String, pageNumber: Int, footer: String) -> Rect {
        let content = page.content
        canvas.text(title, x: content.x, y: content.y + Style.pageTitleSize, size: Style.pageTitleSize, bold: true)
        canvas.line(from: (content.x, content.y + Style.pageTitleSize + 5), to: (content.maxX, content.y + Style.pageTitleSize + 5),
                    color: Style.rule, width: 0.6)
        let footerY = page.height - PageSize.margin / 2
        canvas.text(footer, x: content.x, y: footerY, size: Style.tinySize, color: Style.muted)
        canvas.text("\(pageNumber)", x: content.maxX, y: footerY, size: Style.tinySize, color: Style.muted, alignment: .right)
        let top = content.y + Style.pageTitleSize + 14
        return Rect(x: content.x, y: top, width: content.width, height: content.maxY - top)
    }
}
