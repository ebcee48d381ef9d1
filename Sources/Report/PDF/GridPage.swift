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

    static let headerSize = 6.5

    /// Splits a column title over at most `lines` lines, breaking after `_`, `-` or a space
    /// (long model names such as `Semi-Inf-Net_FCN8s_1100`); the last line is shortened if needed.
    static func wrapped(_ canvas: Canvas, _ title: String, width: Double, lines: Int) -> [String] {
        var result: [String] = []
        var rest = Substring(title)
        while !rest.isEmpty {
            if result.count == lines - 1 || canvas.textWidth(String(rest), size: headerSize, bold: true) <= width {
                result.append(canvas.fitted(String(rest), width: width, size: headerSize, bold: true))
                break
            }
            // The longest prefix ending at a break character that fits.
            var cut: Substring.Index?
            for index in rest.indices where "_- ".contains(rest[index]) {
                let candidate = rest[...index]
                if canvas.textWidth(String(candidate), size: headerSize, bold: true) <= width { cut = rest.index(after: index) } else { break }
            }
            guard let cut else {
                result.append(canvas.fitted(String(rest), width: width, size: headerSize, bold: true))
                break
            }
            result.append(String(rest[..<cut]))
            rest = rest[cut...]
        }
        return result
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
            let lines = wrapped(canvas, name, width: layout.cellSize, lines: layout.headerLines)
            for (index, line) in lines.enumerated() {
                canvas.text(line, x: layout.columnCenter(column),
                            y: layout.area.y + layout.headerHeight - 3 - Double(lines.count - 1 - index) * GridLayout.headerLineHeight,
                            size: headerSize, bold: true, alignment: .center)
            }
        }
        for (offset, row) in rows.enumerated() {
            // The cells of a row share their CT and contour arrays: one surface (one PDF image) each.
            var surfaces = SurfaceCache()
            let top = layout.rowTop(offset)
            var caption = row.pick.name
            if let group = row.pick.group { caption += "  ·  \(group)" }
            if !row.pick.score.isNaN { caption += "  ·  mean Dice over models \(NumberFormat.fixed(row.pick.score, decimals: 3))" }
            canvas.text(caption, x: layout.area.x, y: top + GridLayout.captionHeight - 2.5, size: Style.smallSize)
            for (column, cell) in row.cells.enumerated() {
                let rect = layout.cell(row: offset, column: column)
                canvas.fill(rect, color: .gray(0.93))
                if cell.hasPicture {
                    let frame = Canvas.fitted(width: cell.width, height: cell.height, in: rect)
                    if let base = cell.base, let surface = surfaces.rgb(base) {
                        canvas.draw(surface, in: frame, nearest: false)
                    } else {
                        canvas.fill(frame, color: .black)
                    }
                    for layer in cell.fills {
                        if let surface = surfaces.mask(layer.mask, width: cell.width, height: cell.height) {
                            canvas.mask(surface, in: frame, color: RGBColor(layer.color.0, layer.color.1, layer.color.2), alpha: Overlay.fillOpacity)
                        }
                    }
                    for layer in cell.edges {
                        if let surface = surfaces.mask(layer.mask, width: cell.width, height: cell.height) {
                            canvas.mask(surface, in: frame, color: RGBColor(layer.color.0, layer.color.1, layer.color.2), alpha: 1)
                        }
                    }
                } else {
                    canvas.text(cell.note ?? "missing", x: rect.x + rect.width / 2, y: rect.y + rect.height / 2 + 2,
                                size: Style.smallSize, color: RGBColor(red: 0.75, green: 0.1, blue: 0.1), alignment: .center)
                }
                for (index, line) in cell.label.enumerated() {
                    canvas.text(canvas.fitted(line, width: rect.width, size: Style.smallSize), x: rect.x + rect.width / 2,
                                y: rect.maxY + GridLayout.labelLineHeight * Double(index + 1) - 0.5, size: Style.smallSize,
                                alignment: .center)
                }
            }
        }
    }
}

/// Surfaces keyed by the storage of the arrays they copy, so that a row's shared CT and
/// contour arrays become one PDF image each.
struct SurfaceCache {
    private var surfaces: [UnsafeRawPointer: RasterSurface] = [:]

    private static func key(_ array: [UInt8]) -> UnsafeRawPointer? {
        array.withUnsafeBytes { $0.baseAddress }
    }

    mutating func rgb(_ raster: RGBRaster) -> RasterSurface? {
        guard let key = Self.key(raster.pixels) else { return nil }
        if let cached = surfaces[key] { return cached }
        let surface = RasterSurface(raster)
        surfaces[key] = surface
        return surface
    }

    mutating func mask(_ mask: [UInt8], width: Int, height: Int) -> RasterSurface? {
        guard let key = Self.key(mask) else { return nil }
        if let cached = surfaces[key] { return cached }
        let surface = RasterSurface(mask: mask, width: width, height: height)
        surfaces[key] = surface
        return surface
    }
}
