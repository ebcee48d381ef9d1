/// The visual comparison: rows = slices, columns = CT | GT | each model, as many pages as needed.
enum GridPage {
    /// The legend line under the page title.
    static func legend(styles: [(String?, ClassStyle)], threshold: Double) -> [String] {
        let single = styles.count == 1 && styles[0].0 == nil
        let colours = single ? "ground truth: yellow contour; prediction: red fill"
            : styles.map { "\($0.0 ?? "class"): \(colorName($0.1))" }.joined(separator: ", ") + " (ground truth: contour; prediction: fill)"
        return ["\(colours); prediction shown where ≥ \(NumberFormat.fixed(threshold, decimals: 2)) on the min-max normalised map.",
                "Under each cell: the model's per-image Dice (mean over the 256 thresholds, as in the box plots); rows ranked by its mean over models."]
    }

    static func colorName(_ style: ClassStyle) -> String {
        switch style.fill {
        case (255, 0, 0): return "red"
        case (0, 200, 0): return "green"
        case (40, 90, 255): return "blue"
        case (255, 200, 0): return "yellow"
        default: return "magenta"
        }
    }

    /// Draws the rows of one page.
    static func draw(_ canvas: Canvas, rows: ArraySlice<GridRow>, columns: GridColumns, layout: GridLayout, title: String,
                     legend: [String], pageNumber: Int, footer: String, page: PageSize) {
        _ = PageChrome.draw(canvas, page: page, title: title, pageNumber: pageNumber, footer: footer)
        for (index, line) in legend.enumerated() {
            canvas.text(canvas.fitted(line, width: layout.area.width, size: Style.tinySize), x: layout.area.x,
                        y: layout.area.y - 4 - Double(legend.count - 1 - index) * 8, size: Style.tinySize, color: Style.muted)
        }
        for (column, name) in columns.titles.enumerated() {
            canvas.text(canvas.fitted(name, width: layout.cellSize, size: Style.smallSize, bold: true), x: layout.columnCenter(column),
                        y: layout.area.y + GridLayout.headerHeight - 3, size: Style.smallSize, bold: true, alignment: .center)
        }
        for (offset, row) in rows.enumerated() {
            let top = layout.rowTop(offset)
            var caption = row.pick.name
            if let group = row.pick.group { caption += "  ·  \(group)" }
            if !row.pick.score.isNaN { caption += "  ·  mean Dice over models \(NumberFormat.fixed(row.pick.score, decimals: 3))" }
            canvas.text(caption, x: layout.area.x, y: top + GridLayout.captionHeight - 2.5, size: Style.smallSize)
            for (column, cell) in row.cells.enumerated() {
                let rect = layout.cell(row: offset, column: column)
                canvas.fill(rect, color: .gray(0.93))
                if let raster = cell.raster {
                    canvas.image(raster, in: rect, nearest: true)
                } else {
                    canvas.text(cell.note ?? "missing", x: rect.x + rect.width / 2, y: rect.y + rect.height / 2 + 2,
                                size: Style.smallSize, color: RGBColor(red: 0.75, green: 0.1, blue: 0.1), alignment: .center)
                }
                if !cell.label.isEmpty {
                    canvas.text(canvas.fitted(cell.label, width: rect.width, size: Style.tinySize), x: rect.x + rect.width / 2,
                                y: rect.maxY + GridLayout.labelHeight - 2.5, size: Style.tinySize, alignment: .center)
                }
            }
        }
    }
}
