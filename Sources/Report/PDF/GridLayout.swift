/// Geometry of the comparison grid on a page: square cells in equal columns, a caption line
/// above each row and a label line under each cell. Pure.
public struct GridLayout: Sendable, Equatable {
    public var area: Rect
    public var columns: Int
    public static let gap = 3.0
    public static let headerLineHeight = 8.0
    public static let captionHeight = 10.0
    public static let labelLineHeight = 7.5
    public static let rowGap = 5.0
    /// Lines of the column headers (long model names wrap) and of the labels under the cells
    /// (one per class).
    public var headerLines: Int
    public var labelLines: Int

    public init(area: Rect, columns: Int, headerLines: Int = 1, labelLines: Int = 1) {
        self.area = area
        self.columns = max(columns, 1)
        self.headerLines = max(headerLines, 1)
        self.labelLines = max(labelLines, 1)
    }

    public var headerHeight: Double { 4 + Self.headerLineHeight * Double(headerLines) }
    public var labelHeight: Double { 1.5 + Self.labelLineHeight * Double(labelLines) }

    public var cellSize: Double {
        (area.width - Self.gap * Double(columns - 1)) / Double(columns)
    }

    public var rowHeight: Double { Self.captionHeight + cellSize + labelHeight + Self.rowGap }

    /// Rows that fit under the column headers (at least 1).
    public var rowsPerPage: Int {
        max(1, Int(((area.height - headerHeight) / rowHeight).rounded(.down)))
    }

    /// Pages needed for `rows` rows.
    public func pageCount(rows: Int) -> Int { rows == 0 ? 0 : (rows + rowsPerPage - 1) / rowsPerPage }

    public func columnCenter(_ column: Int) -> Double {
        area.x + Double(column) * (cellSize + Self.gap) + cellSize / 2
    }

    /// The top of row `row` (0-based on its page): where its caption starts.
    public func rowTop(_ row: Int) -> Double {
        area.y + headerHeight + Double(row) * rowHeight
    }

    /// The image square of a cell.
    public func cell(row: Int, column: Int) -> Rect {
        Rect(x: area.x + Double(column) * (cellSize + Self.gap), y: rowTop(row) + Self.captionHeight,
             width: cellSize, height: cellSize)
    }
}
