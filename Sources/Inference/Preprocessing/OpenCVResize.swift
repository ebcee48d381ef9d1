/// OpenCV's `cv2.resize(a, (toWidth, toHeight))` (default INTER_LINEAR) on an 8-bit image, bit for
/// bit, as the multi-class Inf-Net loader applies it to the slice and to its Semi-Inf-Net prior
/// (Inf-Net spec, section 9.1): plain bilinear on a 2-tap stencil (no antialiasing, unlike Pillow),
/// in fixed point with 11 fractional bits per axis. One channel is computed; a grey slice read by
/// `cv2.imread` has three equal channels, and each of them comes out as this channel.
///
/// - Per axis (input length n, output length m): r = 1 / (m / n) in double; for output o,
///   f = Float((o + 0.5) * r - 0.5) (the double expression rounded once to float32), i = floor(f),
///   l = f - Float(i) in float32; weights w0 = rne(Float(1 - l) * 2048), w1 = rne(l * 2048)
///   (`saturate_cast<short>`: round half to even).
/// - Columns: i < 0 -> i = 0, l = 0; i >= n - 1 -> i = n - 1, l = 0 (weights 2048, 0). Horizontal
///   value H = p[i] * w0 + p[i + 1] * w1 (int, scale 2048), kept at full precision per row.
/// - Rows: the weights are **not** clamped; only the two source rows i and i + 1 are clipped into
///   0 ... n - 1 (above the top both read row 0 with, e.g., weights 512 and 1536).
/// - Vertical pass as OpenCV's SIMD kernel (`VResizeLinearVec_32s8u`) computes it:
///   out = clamp((((H0 >> 4) * w0 >> 16) + ((H1 >> 4) * w1 >> 16) + 2) >> 2, 0, 255), arithmetic
///   shifts. The scalar formula (H0 * w0 + H1 * w1 + 2^21) >> 22 differs by 1 in ~12 % of values.
///   The spec notes that a 352-wide BGR row (1056 values) leaves no scalar tail; measured on the
///   x86-64 pip wheels of OpenCV 4.5.5 and 5.1.0, the SIMD formula also holds for every value of
///   rows whose length is not a multiple of the vector width (1- and 3-channel images).
/// - An exact 2x shrink on both axes (width == 2 * toWidth and height == 2 * toHeight) makes
///   OpenCV switch INTER_LINEAR to INTER_AREA (`resizeAreaFast`: (a + b + c + d + 2) >> 2 per 2x2
///   block). For 8-bit data the formulas above give exactly that value there (f = 2o + 0.5, so
///   l = 0.5, all four weights 1024, no clamping, and ((a + b) * 1024 >> 4) * 1024 >> 16 = a + b
///   without truncation), so no special case is needed. Not the case for the spec's slices anyway.
/// - Same size: a copy (the formulas above are the identity then anyway).
public enum OpenCVResize {
    /// Fixed-point fractional bits of one axis' weights (`INTER_RESIZE_COEF_BITS`).
    static let coefficientBits = 11
    /// 2^11 = 2048 (`INTER_RESIZE_COEF_SCALE`).
    static let coefficientScale = 1 << coefficientBits

    /// One axis' taps: output `o` reads `first[o]` and `second[o]` with the 11-bit weights
    /// `weightFirst[o]` and `weightSecond[o]`.
    struct Taps: Sendable, Equatable {
        var first: [Int]
        var second: [Int]
        var weightFirst: [Int]
        var weightSecond: [Int]
    }

    /// The unclamped float32 source position of output `o` and its floor: f = Float((o + 0.5) * r
    /// - 0.5) with r = 1 / (m / n) in double, i = floor(f), l = f - Float(i) in float32.
    static func position(input n: Int, output m: Int, index o: Int) -> (index: Int, fraction: Float) {
        let ratio = 1.0 / (Double(m) / Double(n))
        let f = Float((Double(o) + 0.5) * ratio - 0.5)
        let i = Int(f.rounded(.down))
        return (i, f - Float(i))
    }

    /// `saturate_cast<short>(w * 2048)` of a weight in [0, 1]: round half to even.
    static func fixedPoint(_ w: Float) -> Int {
        Int((w * Float(coefficientScale)).rounded(.toNearestOrEven))
    }

    /// The column taps (`clampWeights` true: positions outside 0 ... n - 1 read the edge pixel with
    /// weights (2048, 0)) or the row taps (`clampWeights` false: the weights stay as computed and
    /// the two row indices are clipped into 0 ... n - 1).
    static func taps(input n: Int, output m: Int, clampWeights: Bool) -> Taps {
        precondition(n >= 1 && m >= 1, "sizes must be at least 1")
        var taps = Taps(first: [], second: [], weightFirst: [], weightSecond: [])
        for o in 0..<m {
            var (i, l) = position(input: n, output: m, index: o)
            if clampWeights {
                if i < 0 { i = 0; l = 0 }
                if i >= n - 1 { i = n - 1; l = 0 }
            }
            taps.first.append(min(max(i, 0), n - 1))
            taps.second.append(min(max(i + 1, 0), n - 1))
            taps.weightFirst.append(fixedPoint(1 - l))
            taps.weightSecond.append(fixedPoint(l))
        }
        return taps
    }

    /// OpenCV's vertical SIMD step on two horizontal values (scale 2048) and the row weights.
    @inline(__always)
    static func vertical(_ h0: Int32, _ h1: Int32, _ w0: Int32, _ w1: Int32) -> UInt8 {
        let a = ((h0 >> 4) &* w0) >> 16
        let b = ((h1 >> 4) &* w1) >> 16
        let v = (a &+ b &+ 2) >> 2
        return v < 0 ? 0 : v > 255 ? 255 : UInt8(v)
    }

    /// Resizes one 8-bit channel (`height` x `width`, row-major) to `toHeight` x `toWidth` as
    /// `cv2.resize` with INTER_LINEAR does (see the type's notes; an exact 2x shrink included).
    public static func linear(_ pixels: [UInt8], width: Int, height: Int, toWidth: Int, toHeight: Int) -> [UInt8] {
        precondition(width >= 1 && height >= 1 && toWidth >= 1 && toHeight >= 1, "sizes must be at least 1")
        precondition(pixels.count == width * height, "pixel count does not match the size")
        if width == toWidth && height == toHeight { return pixels }
        let columns = taps(input: width, output: toWidth, clampWeights: true)
        let rows = taps(input: height, output: toHeight, clampWeights: false)

        // Horizontal values of every source row (scale 2048; at most 255 * 2048, fits Int32).
        var horizontal = [Int32](repeating: 0, count: height * toWidth)
        pixels.withUnsafeBufferPointer { src in
            horizontal.withUnsafeMutableBufferPointer { dst in
                for y in 0..<height {
                    let row = y * width
                    for x in 0..<toWidth {
                        let a = Int32(src[row + columns.first[x]]) * Int32(columns.weightFirst[x])
                        let b = Int32(src[row + columns.second[x]]) * Int32(columns.weightSecond[x])
                        dst[y * toWidth + x] = a + b
                    }
                }
            }
        }

        var out = [UInt8](repeating: 0, count: toHeight * toWidth)
        horizontal.withUnsafeBufferPointer { h in
            out.withUnsafeMutableBufferPointer { dst in
                for y in 0..<toHeight {
                    let r0 = rows.first[y] * toWidth, r1 = rows.second[y] * toWidth
                    let w0 = Int32(rows.weightFirst[y]), w1 = Int32(rows.weightSecond[y])
                    for x in 0..<toWidth {
                        dst[y * toWidth + x] = vertical(h[r0 + x], h[r1 + x], w0, w1)
                    }
                }
            }
        }
        return out
    }

    /// `linear` on a gray image.
    public static func linear(_ image: GrayImage, toWidth: Int, toHeight: Int) -> GrayImage {
        GrayImage(width: toWidth, height: toHeight,
                  pixels: linear(image.pixels, width: image.width, height: image.height, toWidth: toWidth, toHeight: toHeight))
    }
}
