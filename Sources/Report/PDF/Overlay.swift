/// A binary mask (0 or 1 per pixel, row-major) to be drawn in one colour.
public struct OverlayLayer: Sendable {
    public var mask: [UInt8]
    public var color: (UInt8, UInt8, UInt8)

    public init(mask: [UInt8], color: (UInt8, UInt8, UInt8)) {
        self.mask = mask
        self.color = color
    }
}

/// Pixel composition of a grid cell: the CT slice, predictions as translucent fills, ground
/// truth as opaque contours on top. Pure: same inputs, same pixels.
public enum Overlay {
    /// The opacity of a prediction fill.
    public static let fillOpacity = 0.45
    /// The contour's width in pixels, measured inwards from the region's edge.
    public static let contourWidth = 2

    /// - Parameters:
    ///   - base: the CT slice (or a plain background) as RGB.
    ///   - fills: blended in order at `fillOpacity` where the mask is 1.
    ///   - contours: each mask's inner boundary (see `boundary`) painted opaque, in order.
    /// - Precondition: every mask has `base.width * base.height` pixels.
    public static func compose(base: RGBRaster, fills: [OverlayLayer], contours: [OverlayLayer]) -> RGBRaster {
        let edges = contours.map { layer in
            OverlayLayer(mask: boundary(of: layer.mask, width: base.width, height: base.height, thickness: contourWidth), color: layer.color)
        }
        return compose(base: base, fills: fills, edges: edges)
    }

    /// As `compose(base:fills:contours:)`, with the contour bands already computed (`edges`,
    /// painted opaque as they are).
    public static func compose(base: RGBRaster, fills: [OverlayLayer], edges: [OverlayLayer]) -> RGBRaster {
        var result = base
        let count = base.width * base.height
        let alpha = fillOpacity
        result.pixels.withUnsafeMutableBufferPointer { pixels in
            for layer in fills {
                precondition(layer.mask.count == count, "fill mask size mismatch")
                // round(old * (1 - alpha) + colour * alpha), tabulated per channel for speed.
                let tables = [layer.color.0, layer.color.1, layer.color.2].map { component in
                    (0...255).map { old in UInt8((Double(old) * (1 - alpha) + Double(component) * alpha).rounded()) }
                }
                let (red, green, blue) = (tables[0], tables[1], tables[2])
                layer.mask.withUnsafeBufferPointer { mask in
                    for index in 0..<count where mask[index] != 0 {
                        pixels[3 * index] = red[Int(pixels[3 * index])]
                        pixels[3 * index + 1] = green[Int(pixels[3 * index + 1])]
                        pixels[3 * index + 2] = blue[Int(pixels[3 * index + 2])]
                    }
                }
            }
            for layer in edges {
                precondition(layer.mask.count == count, "contour mask size mismatch")
                let edge = layer.mask
                for index in 0..<count where edge[index] != 0 {
                    pixels[3 * index] = layer.color.0
                    pixels[3 * index + 1] = layer.color.1
                    pixels[3 * index + 2] = layer.color.2
                }
            }
        }
        return result
    }

    /// The inner boundary of a mask: foreground pixels that have a background pixel, or the
    /// image's edge, within Chebyshev distance `thickness` (i.e. `mask AND NOT erode(mask)` with a
    /// `(2 * thickness + 1)`-square). A band `thickness` pixels wide, always inside the region.
    public static func boundary(of mask: [UInt8], width: Int, height: Int, thickness: Int = 1) -> [UInt8] {
        let t = max(thickness, 1)
        // Separable erosion: first the horizontal window, then the vertical window over it.
        var rowInterior = [UInt8](repeating: 0, count: mask.count)
        for y in 0..<height {
            for x in 0..<width where mask[y * width + x] != 0 {
                guard x - t >= 0, x + t < width else { continue }
                var keep: UInt8 = 1
                for xx in (x - t)...(x + t) where mask[y * width + xx] == 0 { keep = 0; break }
                rowInterior[y * width + x] = keep
            }
        }
        var edge = [UInt8](repeating: 0, count: mask.count)
        for y in 0..<height {
            for x in 0..<width where mask[y * width + x] != 0 {
                var interior = y - t >= 0 && y + t < height
                if interior {
                    for yy in (y - t)...(y + t) where rowInterior[yy * width + x] == 0 { interior = false; break }
                }
                if !interior { edge[y * width + x] = 1 }
            }
        }
        return edge
    }
}
