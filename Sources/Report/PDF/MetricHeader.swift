/// A metric header in the paper's notation, e.g. `S_alpha` -> S with subscript α,
/// `E_phi^mean` -> E with subscript φ and superscript "mean".
struct MetricHeader: Equatable {
    var base: String
    var subscriptText: String?
    var superscriptText: String?

    static let greek: [String: String] = ["alpha": "α", "beta": "β", "phi": "φ"]

    /// Parses `base[_sub][^sup]` (the `SummaryMetric.header` notation).
    init(_ header: String) {
        var rest = Substring(header)
        var superscript: String?
        if let caret = rest.firstIndex(of: "^") {
            superscript = String(rest[rest.index(after: caret)...])
            rest = rest[..<caret]
        }
        var sub: String?
        if let underscore = rest.firstIndex(of: "_") {
            sub = String(rest[rest.index(after: underscore)...])
            rest = rest[..<underscore]
        }
        base = String(rest)
        subscriptText = sub.map { Self.greek[$0] ?? $0 }
        superscriptText = superscript.map { Self.greek[$0] ?? $0 }
    }

    /// The scripts' size relative to the base.
    static let scriptScale = 0.7

    func width(_ canvas: Canvas, size: Double, bold: Bool) -> Double {
        let scripts = [subscriptText, superscriptText].compactMap { $0 }
            .map { canvas.textWidth($0, size: size * Self.scriptScale, bold: bold) }.max() ?? 0
        return canvas.textWidth(base, size: size, bold: bold) + scripts
    }

    /// Draws with the baseline at `y`, right-aligned at `x` when `rightAligned`, else centred.
    func draw(_ canvas: Canvas, x: Double, y: Double, size: Double, bold: Bool, alignment: TextAlignment) {
        let total = width(canvas, size: size, bold: bold)
        var left = x
        switch alignment {
        case .left: break
        case .center: left = x - total / 2
        case .right: left = x - total
        }
        let advance = canvas.text(base, x: left, y: y, size: size, bold: bold)
        let scriptSize = size * Self.scriptScale
        if let subscriptText {
            canvas.text(subscriptText, x: left + advance, y: y + size * 0.25, size: scriptSize, bold: bold)
        }
        if let superscriptText {
            canvas.text(superscriptText, x: left + advance, y: y - size * 0.4, size: scriptSize, bold: bold)
        }
    }
}
