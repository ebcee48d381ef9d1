import Evaluation

/// Page 1: the title block and the paper's table, one per class, best value per column in bold.
enum TablePage {
    static let protocolDescriptions = [
        "infnet": "the arithmetic of the published Inf-Net tables",
        "infnet-latest": "the Inf-Net toolbox since 2020-11-21: E-measure binarised with >=",
        "standard": "textbook definitions; undefined values left out of the means",
    ]

    static func draw(_ canvas: Canvas, data: ReportData, info: ReportInfo, notes: [String], pageNumber: Int, footer: String) {
        let content = info.pageSize.content
        let imageCounts = data.classGroups.map { group in
            let counts = group.series.map(\.images.count)
            let images = Set(counts).count > 1 ? "\(counts.min()!) to \(counts.max()!) images (n per row)" : "\(counts.first ?? 0) images"
            return (group.className.map { $0 + ": " } ?? "") + "\(images) x \(group.series.count) models"
        }
        let block: [(String, String)] = info.dataset.enumerated().map { ($0.offset == 0 ? "Dataset" : "", $0.element) } + [
            ("Images", imageCounts.joined(separator: "; ")),
            ("Protocol", data.protocolName + (protocolDescriptions[data.protocolName].map { " (\($0))" } ?? "")),
            ("Date", info.date),
            ("Version", "segeval \(SegevalVersion.string)" + (data.computedBy == SegevalVersion.string ? "" : " (numbers from segeval \(data.computedBy))")),
        ]
        var y = drawHeading(canvas, info: info, block: block, pageNumber: pageNumber, footer: footer)
        y = drawGroups(canvas, table: PaperTable.make(data: data, metrics: info.metrics), top: y, area: content, palette: info.palette,
                       modelNames: data.modelNames)
        let footnote = [
            "Columns as in the Inf-Net paper: Dice, Sen., Spec. and Eφ mean are means over the 256 thresholds of the curves",
            "averaged over images; Sα and MAE are means over images. Best value per column in bold (compared as printed).",
        ] + notes
        drawFootnote(canvas, footnote, top: y, area: content)
    }

    /// The first page's frame: footer and page number, the title over a rule, and the block of
    /// (label, value) lines; returns the y where the tables start.
    static func drawHeading(_ canvas: Canvas, info: ReportInfo, block: [(String, String)], pageNumber: Int, footer: String) -> Double {
        let content = info.pageSize.content
        let footerY = info.pageSize.height - PageSize.margin / 2
        canvas.text(footer, x: content.x, y: footerY, size: Style.tinySize, color: Style.muted)
        canvas.text("\(pageNumber)", x: content.maxX, y: footerY, size: Style.tinySize, color: Style.muted, alignment: .right)
        var y = content.y + Style.titleSize
        canvas.text(info.title, x: content.x, y: y, size: Style.titleSize, bold: true)
        y += 8
        canvas.line(from: (content.x, y), to: (content.maxX, y), color: Style.rule, width: 0.6)
        y += 6
        for (label, value) in block {
            y += Style.bodySize + 4
            canvas.text(label, x: content.x, y: y, size: Style.bodySize, bold: true)
            canvas.text(canvas.fitted(value, width: content.width - 60, size: Style.bodySize), x: content.x + 60, y: y, size: Style.bodySize)
        }
        return y + 22
    }

    /// Every group of `table` (its class or label as a heading, then its rows) from `top`; returns
    /// the y below the last.
    static func drawGroups(_ canvas: Canvas, table: ResultTable, top: Double, area: Rect, palette: ModelPalette, modelNames: [String]) -> Double {
        var y = top
        for group in table.groups {
            if let name = group.className {
                canvas.text(name, x: area.x, y: y, size: Style.headingSize, bold: true)
                y += 8
            }
            y = drawTable(canvas, table: table, group: group, top: y, area: area, palette: palette, modelNames: modelNames)
            y += 20
        }
        return y
    }

    /// Small muted lines under the tables, from `top`.
    static func drawFootnote(_ canvas: Canvas, _ lines: [String], top: Double, area: Rect) {
        var y = top
        for line in lines {
            canvas.text(canvas.fitted(line, width: area.width, size: Style.smallSize), x: area.x, y: y, size: Style.smallSize, color: Style.muted)
            y += Style.smallSize + 3
        }
    }

    /// Draws one group's table with its top at `top`; returns the y below it.
    static func drawTable(_ canvas: Canvas, table: ResultTable, group: ResultTable.Group, top: Double, area: Rect,
                          palette: ModelPalette, modelNames: [String]) -> Double {
        let size = Style.bodySize
        let rowHeight = size + 6
        let swatch = 7.0
        let modelWidth = max(60, group.rows.map { canvas.textWidth(group.label($0), size: size, bold: true) }.max() ?? 0) + swatch + 10
        let columnWidth = min(70, (area.width - modelWidth) / Double(max(table.metrics.count, 1)))
        let width = modelWidth + columnWidth * Double(table.metrics.count)
        let best = table.bestRows(in: group, decimals: 3)
        var y = top
        canvas.line(from: (area.x, y), to: (area.x + width, y), width: 1)
        y += rowHeight
        canvas.text("Model", x: area.x + 2, y: y - 4, size: size, bold: true)
        for (column, metric) in table.metrics.enumerated() {
            let right = area.x + modelWidth + columnWidth * Double(column + 1) - 4
            MetricHeader(metric.header).draw(canvas, x: right, y: y - 4, size: size, bold: true, alignment: .right)
        }
        y += 2
        canvas.line(from: (area.x, y), to: (area.x + width, y), width: 0.5)
        for (index, row) in group.rows.enumerated() {
            y += rowHeight
            let color = palette.color(at: modelNames.firstIndex(of: row.model) ?? index)
            canvas.fill(Rect(x: area.x + 2, y: y - 4 - swatch + 1, width: swatch, height: swatch), color: color)
            canvas.text(group.label(row), x: area.x + swatch + 6, y: y - 4, size: size)
            for (column, value) in row.values.enumerated() {
                let right = area.x + modelWidth + columnWidth * Double(column + 1) - 4
                canvas.text(NumberFormat.fixed(value, decimals: 3), x: right, y: y - 4, size: size,
                            bold: best[column].contains(index), alignment: .right)
            }
        }
        y += 3
        canvas.line(from: (area.x, y), to: (area.x + width, y), width: 1)
        return y
    }
}

/// The paper's table from report data (a `ResultTable`, so that bold marks the same cells as
/// `segeval evaluate --format markdown`).
enum PaperTable {
    static func make(data: ReportData, metrics: [SummaryMetric]) -> ResultTable {
        var table = ResultTable(results: [], metrics: metrics)
        table.groups = data.classGroups.map { group in
            ResultTable.Group(className: group.className, rows: group.series.map { series in
                ResultTable.Row(model: series.model, images: series.images.count, values: metrics.map { series.values[$0.key] ?? nil })
            })
        }
        return table
    }
}
