/// A colour with components in 0...1.
public struct RGBColor: Sendable, Hashable {
    public var red: Double
    public var green: Double
    public var blue: Double

    public init(red: Double, green: Double, blue: Double) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    /// From 8-bit components.
    public init(_ red: UInt8, _ green: UInt8, _ blue: UInt8) {
        self.init(red: Double(red) / 255, green: Double(green) / 255, blue: Double(blue) / 255)
    }

    /// `#RRGGBB` or `RRGGBB` (case-insensitive); nil for anything else.
    public init?(hex: String) {
        var digits = Substring(hex.trimmingCharacters(in: .whitespaces))
        if digits.hasPrefix("#") { digits = digits.dropFirst() }
        guard digits.count == 6, let value = UInt32(digits, radix: 16) else { return nil }
        self.init(UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF))
    }

    /// The 8-bit components, rounded.
    public var bytes: (UInt8, UInt8, UInt8) {
        func byte(_ v: Double) -> UInt8 { UInt8((min(max(v, 0), 1) * 255).rounded()) }
        return (byte(red), byte(green), byte(blue))
    }

    public static let black = RGBColor(red: 0, green: 0, blue: 0)
    public static let white = RGBColor(red: 1, green: 1, blue: 1)
    public static func gray(_ level: Double) -> RGBColor { RGBColor(red: level, green: level, blue: level) }
}

import Foundation

/// The colours of the model lines: `--colors` first, then a fixed qualitative palette
/// (Tableau 10), cycling when there are more models than colours.
public struct ModelPalette: Sendable {
    public static let standard: [RGBColor] = [
        "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
        "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
    ].compactMap { RGBColor(hex: $0) }

    public var colors: [RGBColor]

    public init(colors: [RGBColor] = []) {
        self.colors = colors + Self.standard
    }

    /// Parses `--colors`: comma-separated `#RRGGBB` values.
    /// - Throws: `ReportError` naming the first value that is not a colour.
    public static func parse(_ list: String) throws(ReportError) -> ModelPalette {
        var parsed: [RGBColor] = []
        for item in list.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !item.isEmpty {
            guard let color = RGBColor(hex: item) else {
                throw ReportError("--colors: '\(item)' is not a colour; use #RRGGBB values separated by commas")
            }
            parsed.append(color)
        }
        return ModelPalette(colors: parsed)
    }

    /// The colour of the model at `index` (in report order).
    public func color(at index: Int) -> RGBColor { colors[index % colors.count] }
}
