/// Pillow's `Image.resize(size, Image.BILINEAR)` on an 8-bit band, bit for bit (Inf-Net spec,
/// section 2.2; Pillow 7.1 ... 12.x, `libImaging/Resample.c`): a triangle filter whose support
/// widens by the scale when shrinking (antialiased, unlike PyTorch or OpenCV bilinear), weights
/// in fixed point with 22 fractional bits, two separable passes.
///
/// - Per axis (input length n, output length m), in double: scale = n / m, filter scale
///   fs = max(scale, 1), support = fs, inv = 1 / fs; output o takes the input taps
///   lo = max(trunc(c - support + 0.5), 0) ..< hi = min(trunc(c + support + 0.5), n) around the
///   centre c = (o + 0.5) * scale with weights tri((j - c + 0.5) * inv), tri(t) = max(1 - |t|, 0),
///   divided by their sum (accumulated from lo upwards, skipped when it is 0) and quantised to
///   k_j = trunc(w_j * 2^22 + 0.5).
/// - One pass: out = clamp((2^21 + sum_j k_j * in[j]) >> 22, 0, 255).
/// - The horizontal pass runs first (over the input rows the vertical pass needs) and is stored
///   as 8-bit; then the vertical pass. A pass whose length does not change is skipped.
///
/// Not Pillow 13, which runs the vertical pass first for some sizes (±1 differences).
public enum PillowResize {
    /// Fixed-point fractional bits of the 8-bit resampler (`PRECISION_BITS = 32 - 8 - 2`).
    static let precisionBits = 22

    /// One axis' taps: output `o` reads input `start[o] ..< start[o] + count[o]` with the
    /// fixed-point weights `weights[o * stride ..< o * stride + count[o]]`.
    struct Coefficients: Sendable, Equatable {
        var start: [Int]
        var count: [Int]
        var stride: Int
        var weights: [Int32]
    }

    /// The normalised double-precision weights of output `o` and their first input index, exactly
    /// as Pillow's `precompute_coeffs` forms them for the triangle filter (box = whole axis).
    static func doubleWeights(input n: Int, output m: Int, index o: Int) -> (start: Int, weights: [Double]) {
        let scale = Double(n) / Double(m)
        let filterScale = max(scale, 1.0)
        let support = 1.0 * filterScale
        let inverse = 1.0 / filterScale
        let centre = (Double(o) + 0.5) * scale
        let lo = max(Int(centre - support + 0.5), 0)        // Int(_:) truncates toward zero, as C's (int)
        let hi = min(Int(centre + support + 0.5), n)
        var weights: [Double] = []
        var total = 0.0
        if hi > lo {
            for j in lo..<hi {
                let w = triangle((Double(j) - centre + 0.5) * inverse)
                weights.append(w)
                total += w
            }
        }
        if total != 0 {
            for i in weights.indices { weights[i] /= total }
        }
        return (lo, weights)
    }

    /// Pillow's `bilinear_filter`: 1 - |t| inside (-1, 1), else 0.
    static func triangle(_ t: Double) -> Double {
        let a = t < 0 ? -t : t
        return a < 1.0 ? 1.0 - a : 0.0
    }

    /// Pillow's `normalize_coeffs_8bpc`: round half away from zero to 22 fractional bits.
    static func fixedPoint(_ w: Double) -> Int32 {
        let scaled = w * Double(1 << precisionBits)
        return Int32(w < 0 ? -0.5 + scaled : 0.5 + scaled)
    }

    /// The fixed-point taps of one axis resized from `input` to `output` samples.
    static func coefficients(input: Int, output: Int) -> Coefficients {
        precondition(input >= 1 && output >= 1, "sizes must be at least 1")
        let perOutput = (0..<output).map { doubleWeights(input: input, output: output, index: $0) }
        let stride = max(perOutput.map(\.weights.count).max() ?? 0, 1)
        var result = Coefficients(start: [], count: [], stride: stride, weights: [Int32](repeating: 0, count: output * stride))
        for (o, taps) in perOutput.enumerated() {
            result.start.append(taps.start)
            result.count.append(taps.weights.count)
            for (i, w) in taps.weights.enumerated() { result.weights[o * stride + i] = fixedPoint(w) }
        }
        return result
    }

    /// Pillow's `clip8`: the accumulator (with its 2^21 rounding term) shifted down and clamped.
    @inline(__always)
    static func clip8(_ sum: Int) -> UInt8 {
        let v = sum >> precisionBits
        return v < 0 ? 0 : v > 255 ? 255 : UInt8(v)
    }

    /// Resizes one 8-bit band (`height` x `width`, row-major) to `toHeight` x `toWidth`.
    public static func bilinear(_ pixels: [UInt8], width: Int, height: Int, toWidth: Int, toHeight: Int) -> [UInt8] {
        precondition(width >= 1 && height >= 1 && toWidth >= 1 && toHeight >= 1, "sizes must be at least 1")
        precondition(pixels.count == width * height, "pixel count does not match the size")
        let needHorizontal = toWidth != width
        let needVertical = toHeight != height
        if !needHorizontal && !needVertical { return pixels }
        let rounding = 1 << (precisionBits - 1)

        var vertical = needVertical ? coefficients(input: height, output: toHeight) : nil
        var plane = pixels
        var planeWidth = width
        var planeHeight = height

        if needHorizontal {
            // Only the rows the vertical pass reads: first ..< last (all rows when it is skipped).
            var first = 0, last = height
            if var v = vertical {
                first = v.start[0]
                last = v.start[toHeight - 1] + v.count[toHeight - 1]
                for i in v.start.indices { v.start[i] -= first }
                vertical = v
            }
            let h = coefficients(input: width, output: toWidth)
            let rows = last - first
            var out = [UInt8](repeating: 0, count: rows * toWidth)
            plane.withUnsafeBufferPointer { src in
                h.weights.withUnsafeBufferPointer { k in
                    out.withUnsafeMutableBufferPointer { dst in
                        for y in 0..<rows {
                            let row = (y + first) * width
                            for x in 0..<toWidth {
                                let base = row + h.start[x], kBase = x * h.stride
                                var sum = rounding
                                for i in 0..<h.count[x] { sum += Int(src[base + i]) * Int(k[kBase + i]) }
                                dst[y * toWidth + x] = clip8(sum)
                            }
                        }
                    }
                }
            }
            plane = out
            planeWidth = toWidth
            planeHeight = rows
        }

        if let v = vertical {
            var out = [UInt8](repeating: 0, count: toHeight * planeWidth)
            plane.withUnsafeBufferPointer { src in
                v.weights.withUnsafeBufferPointer { k in
                    out.withUnsafeMutableBufferPointer { dst in
                        for y in 0..<toHeight {
                            let start = v.start[y], kBase = y * v.stride
                            for x in 0..<planeWidth {
                                var sum = rounding
                                for i in 0..<v.count[y] { sum += Int(src[(start + i) * planeWidth + x]) * Int(k[kBase + i]) }
                                dst[y * planeWidth + x] = clip8(sum)
                            }
                        }
                    }
                }
            }
            precondition(planeHeight >= v.start[toHeight - 1] + v.count[toHeight - 1])
            return out
        }
        return plane
    }

    /// `bilinear` on a gray image.
    public static func bilinear(_ image: GrayImage, toWidth: Int, toHeight: Int) -> GrayImage {
        GrayImage(width: toWidth, height: toHeight,
                  pixels: bilinear(image.pixels, width: image.width, height: image.height, toWidth: toWidth, toHeight: toHeight))
    }
}
