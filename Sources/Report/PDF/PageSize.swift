/// A page size in PostScript points (1/72 inch).
public struct PageSize: Sendable, Hashable {
    public var name: String
    public var width: Double
    public var height: Double

    public init(name: String, width: Double, height: Double) {
        self.name = name
        self.width = width
        self.height = height
    }

    /// ISO A4, 210 x 297 mm (the default).
    public static let a4 = PageSize(name: "a4", width: 595.2756, height: 841.8898)
    /// US Letter, 8.5 x 11 in.
    public static let letter = PageSize(name: "letter", width: 612, height: 792)

    /// `a4` or `letter`, case-insensitively; nil otherwise.
    public static func named(_ name: String) -> PageSize? {
        switch name.lowercased() {
        case "a4": return .a4
        case "letter", "us-letter": return .letter
        default: return nil
        }
    }

    /// The margin every page keeps on all four sides.
    public static let margin = 42.0

    /// The drawable area inside the margins.
    public var content: Rect {
        Rect(x: Self.margin, y: Self.margin, width: width - 2 * Self.margin, height: height - 2 * Self.margin)
    }
}

/// An axis-aligned rectangle in page points (origin top left, y down).
public struct Rect: Sendable, Hashable {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double

    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    public var maxX: Double { x + width }
    public var maxY: Double { y + height }

    /// The rectangle shrunk by `dx` on the left and right and `dy` on the top and bottom.
    public func inset(_ dx: Double, _ dy: Double) -> Rect {
        Rect(x: x + dx, y: y + dy, width: width - 2 * dx, height: height - 2 * dy)
    }
}
