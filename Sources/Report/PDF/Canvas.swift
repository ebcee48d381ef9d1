import CCairo
import Foundation

/// Horizontal alignment of a text run relative to its anchor point.
public enum TextAlignment: Sendable {
    case left, center, right
}

/// Drawing on one Cairo context in page points (origin top left, y down): vector lines, shapes
/// and text in DejaVu Sans (resolved by fontconfig through Cairo's toy text API, so the PDF
/// embeds a subset and the text stays selectable), and RGB rasters.
///
/// A thin value wrapper: it does not own the context (see `PDFDocument`).
public struct Canvas {
    /// The font family every text is set in.
    public static let fontFamily = "DejaVu Sans"

    let context: OpaquePointer

    // MARK: Paths

    func setColor(_ color: RGBColor, alpha: Double = 1) {
        cairo_set_source_rgba(context, color.red, color.green, color.blue, alpha)
    }

    /// A straight line; `dash` is an on/off pattern in points (empty: solid).
    public func line(from start: (Double, Double), to end: (Double, Double), color: RGBColor = .black,
                     width: Double = 0.5, dash: [Double] = []) {
        polyline([start, end], color: color, width: width, dash: dash)
    }

    /// Connected line segments through `points`; a non-finite point breaks the line.
    public func polyline(_ points: [(Double, Double)], color: RGBColor, width: Double, dash: [Double] = []) {
        var penDown = false
        for (x, y) in points {
            guard x.isFinite, y.isFinite else { penDown = false; continue }
            if penDown { cairo_line_to(context, x, y) } else { cairo_move_to(context, x, y); penDown = true }
        }
        setColor(color)
        cairo_set_line_width(context, width)
        cairo_set_line_join(context, CAIRO_LINE_JOIN_ROUND)
        cairo_set_line_cap(context, CAIRO_LINE_CAP_BUTT)
        dash.withUnsafeBufferPointer { cairo_set_dash(context, $0.baseAddress, Int32(dash.count), 0) }
        cairo_stroke(context)
        cairo_set_dash(context, nil, 0, 0)
    }

    public func fill(_ rect: Rect, color: RGBColor, alpha: Double = 1) {
        cairo_rectangle(context, rect.x, rect.y, rect.width, rect.height)
        setColor(color, alpha: alpha)
        cairo_fill(context)
    }

    public func stroke(_ rect: Rect, color: RGBColor = .black, width: Double = 0.5) {
        cairo_rectangle(context, rect.x, rect.y, rect.width, rect.height)
        setColor(color)
        cairo_set_line_width(context, width)
        cairo_stroke(context)
    }

    public func dot(at center: (Double, Double), radius: Double, color: RGBColor) {
        cairo_new_sub_path(context)
        cairo_arc(context, center.0, center.1, radius, 0, 2 * Double.pi)
        setColor(color)
        cairo_fill(context)
    }

    /// Runs `body` with drawing limited to `rect`.
    public func clipped(to rect: Rect, _ body: () -> Void) {
        cairo_save(context)
        cairo_rectangle(context, rect.x, rect.y, rect.width, rect.height)
        cairo_clip(context)
        body()
        cairo_restore(context)
    }

    // MARK: Text

    private func selectFont(size: Double, bold: Bool) {
        cairo_select_font_face(context, Self.fontFamily, CAIRO_FONT_SLANT_NORMAL,
                               bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(context, size)
    }

    /// The advance width of `text` in points.
    public func textWidth(_ text: String, size: Double, bold: Bool = false) -> Double {
        selectFont(size: size, bold: bold)
        var extents = cairo_text_extents_t()
        cairo_text_extents(context, text, &extents)
        return extents.x_advance
    }

    /// Draws `text` with its baseline at `y`, anchored at `x` as `alignment` says.
    /// - Returns: the advance width.
    @discardableResult
    public func text(_ text: String, x: Double, y: Double, size: Double, bold: Bool = false,
                     color: RGBColor = .black, alignment: TextAlignment = .left) -> Double {
        let width = textWidth(text, size: size, bold: bold)
        let left: Double
        switch alignment {
        case .left: left = x
        case .center: left = x - width / 2
        case .right: left = x - width
        }
        setColor(color)
        cairo_move_to(context, left, y)
        cairo_show_text(context, text)
        return width
    }

    /// Draws `text` rotated 90 degrees counter-clockwise (reading upwards), centred on `y`,
    /// with its baseline at `x`.
    public func verticalText(_ text: String, x: Double, y: Double, size: Double, color: RGBColor = .black) {
        cairo_save(context)
        cairo_translate(context, x, y)
        cairo_rotate(context, -Double.pi / 2)
        self.text(text, x: 0, y: 0, size: size, color: color, alignment: .center)
        cairo_restore(context)
    }

    /// Shortens `text` with an ellipsis until it fits `width` points.
    public func fitted(_ text: String, width: Double, size: Double, bold: Bool = false) -> String {
        guard textWidth(text, size: size, bold: bold) > width else { return text }
        var characters = Array(text)
        while characters.count > 1 {
            characters.removeLast()
            let candidate = String(characters) + "…"
            if textWidth(candidate, size: size, bold: bold) <= width { return candidate }
        }
        return "…"
    }

    // MARK: Rasters

    /// Draws `raster` scaled into `rect` (aspect ratio kept, centred). `nearest`: no smoothing
    /// (for label maps and masks, whose pixels must stay crisp).
    public func image(_ raster: RGBRaster, in rect: Rect, nearest: Bool) {
        guard let surface = RasterSurface(raster) else { return }
        draw(surface, in: Self.fitted(width: raster.width, height: raster.height, in: rect), nearest: nearest)
    }

    /// Paints a raster surface stretched over `frame`. Painting the same `RasterSurface` again
    /// reuses one image in the PDF.
    public func draw(_ surface: RasterSurface, in frame: Rect, nearest: Bool) {
        cairo_save(context)
        cairo_translate(context, frame.x, frame.y)
        cairo_scale(context, frame.width / Double(surface.width), frame.height / Double(surface.height))
        cairo_set_source_surface(context, surface.surface, 0, 0)
        cairo_pattern_set_filter(cairo_get_source(context), nearest ? CAIRO_FILTER_NEAREST : CAIRO_FILTER_GOOD)
        cairo_rectangle(context, 0, 0, Double(surface.width), Double(surface.height))
        cairo_fill(context)
        cairo_restore(context)
    }

    /// Paints `color` at `alpha` through an 8-bit mask stretched over `frame`, nearest filter
    /// (the PDF holds the mask as a soft mask image and a solid fill).
    public func mask(_ surface: RasterSurface, in frame: Rect, color: RGBColor, alpha: Double) {
        guard let pattern = cairo_pattern_create_for_surface(surface.surface) else { return }
        defer { cairo_pattern_destroy(pattern) }
        cairo_pattern_set_filter(pattern, CAIRO_FILTER_NEAREST)
        cairo_save(context)
        cairo_translate(context, frame.x, frame.y)
        cairo_scale(context, frame.width / Double(surface.width), frame.height / Double(surface.height))
        setColor(color, alpha: alpha)
        cairo_mask(context, pattern)
        cairo_restore(context)
    }

    /// The largest rectangle of the image's aspect ratio inside `rect`, centred.
    public static func fitted(width: Int, height: Int, in rect: Rect) -> Rect {
        let scale = min(rect.width / Double(width), rect.height / Double(height))
        let w = Double(width) * scale
        let h = Double(height) * scale
        return Rect(x: rect.x + (rect.width - w) / 2, y: rect.y + (rect.height - h) / 2, width: w, height: h)
    }
}

/// A Cairo image surface holding a copy of an RGB raster (`CAIRO_FORMAT_RGB24`, native-endian
/// xRGB) or of a binary mask (`CAIRO_FORMAT_A8`, 255 where the mask is 1).
public final class RasterSurface {
    let surface: OpaquePointer
    public let width: Int
    public let height: Int

    public init?(_ raster: RGBRaster) {
        guard raster.width > 0, raster.height > 0,
              let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(raster.width), Int32(raster.height)) else { return nil }
        self.surface = surface
        width = raster.width
        height = raster.height
        cairo_surface_flush(surface)
        let stride = Int(cairo_image_surface_get_stride(surface))
        guard let data = cairo_image_surface_get_data(surface) else { return }
        raster.pixels.withUnsafeBufferPointer { source in
            for row in 0..<raster.height {
                let line = UnsafeMutableRawPointer(data + row * stride).assumingMemoryBound(to: UInt32.self)
                var index = row * raster.width * 3
                for column in 0..<raster.width {
                    line[column] = UInt32(source[index]) << 16 | UInt32(source[index + 1]) << 8 | UInt32(source[index + 2])
                    index += 3
                }
            }
        }
        cairo_surface_mark_dirty(surface)
    }

    /// - Precondition: `mask.count == width * height`.
    public init?(mask: [UInt8], width: Int, height: Int) {
        precondition(mask.count == width * height, "mask size mismatch")
        guard width > 0, height > 0,
              let surface = cairo_image_surface_create(CAIRO_FORMAT_A8, Int32(width), Int32(height)) else { return nil }
        self.surface = surface
        self.width = width
        self.height = height
        cairo_surface_flush(surface)
        let stride = Int(cairo_image_surface_get_stride(surface))
        guard let data = cairo_image_surface_get_data(surface) else { return }
        mask.withUnsafeBufferPointer { source in
            for row in 0..<height {
                let line = data + row * stride
                for column in 0..<width { line[column] = source[row * width + column] != 0 ? 255 : 0 }
            }
        }
        cairo_surface_mark_dirty(surface)
    }

    deinit { cairo_surface_destroy(surface) }
}
