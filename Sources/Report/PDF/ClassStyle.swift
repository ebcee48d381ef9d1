/// How a class is drawn in the comparison grid (the Inf-Net paper's colours: GGO red,
/// consolidation green).
public struct ClassStyle: Sendable, Equatable {
    /// Short name in cell labels.
    public var shortName: String
    /// Translucent prediction fill (and the GT column's fill).
    public var fill: (UInt8, UInt8, UInt8)
    /// Opaque ground-truth contour.
    public var contour: (UInt8, UInt8, UInt8)

    public static func == (a: ClassStyle, b: ClassStyle) -> Bool {
        a.shortName == b.shortName && a.fill == b.fill && a.contour == b.contour
    }

    /// Single-class infection: red fill, yellow contour (so that the two never look alike).
    public static let infection = ClassStyle(shortName: "Dice", fill: (255, 0, 0), contour: (255, 230, 0))
    /// Label 1, ground-glass opacities: red (contour in a light tint, to stand out on the fill).
    public static let groundGlass = ClassStyle(shortName: "GGO", fill: (255, 0, 0), contour: (255, 150, 150))
    /// Label 2, consolidation: green (contour in a light tint).
    public static let consolidation = ClassStyle(shortName: "Cons", fill: (0, 200, 0), contour: (150, 255, 150))

    static let others: [ClassStyle] = [
        ClassStyle(shortName: "", fill: (40, 90, 255), contour: (90, 140, 255)),
        ClassStyle(shortName: "", fill: (255, 200, 0), contour: (255, 230, 60)),
        ClassStyle(shortName: "", fill: (220, 0, 220), contour: (255, 60, 255)),
    ]

    /// The style of a class: nil label (single class) -> `infection`; 1 -> red; 2 -> green;
    /// other labels -> blue, yellow, magenta, named after the class folder.
    public static func forClass(label: Int?, name: String?) -> ClassStyle {
        switch label {
        case nil: return .infection
        case 1?: return .groundGlass
        case 2?: return .consolidation
        case let other?:
            var style = others[(other - 3 + others.count * 100) % others.count]
            style.shortName = String((name ?? "class \(other)").prefix(6))
            return style
        }
    }
}
