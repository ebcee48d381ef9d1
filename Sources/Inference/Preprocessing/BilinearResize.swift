/// Bilinear resize with half-pixel centres and no antialiasing: PyTorch
/// `interpolate(mode='bilinear', align_corners=False)` and OpenCV `INTER_LINEAR` (spec section 3):
/// per axis, s = (in / out) * (o + 0.5) - 0.5, clamped below at 0; i0 = floor(s),
/// i1 = min(i0 + 1, in - 1), weights (1 - (s - i0), s - i0); rows then columns as
/// l0 * (m0 * a + m1 * b) + l1 * (m0 * c + m1 * d).
public enum BilinearResize {
    struct Taps {
        var first: [Int]
        var second: [Int]
        var weightFirst: [Double]
        var weightSecond: [Double]
    }

    static func taps(input: Int, output: Int) -> Taps {
        var taps = Taps(first: [], second: [], weightFirst: [], weightSecond: [])
        let scale = Double(input) / Double(output)
        for o in 0..<output {
            var s = scale * (Double(o) + 0.5) - 0.5
            if s < 0 { s = 0 }
            var i0 = Int(s.rounded(.down))
            if i0 > input - 1 { i0 = input - 1 }
            let i1 = i0 < input - 1 ? i0 + 1 : i0
            let l1 = s - Double(i0)
            taps.first.append(i0)
            taps.second.append(i1)
            taps.weightFirst.append(1 - l1)
            taps.weightSecond.append(l1)
        }
        return taps
    }

    /// Resizes a row-major `height` x `width` plane of doubles.
    public static func resize(_ input: [Double], height: Int, width: Int, toHeight: Int, toWidth: Int) -> [Double] {
        precondition(input.count == height * width)
        if height == toHeight && width == toWidth { return input }
        let rows = taps(input: height, output: toHeight)
        let columns = taps(input: width, output: toWidth)
        var out = [Double](repeating: 0, count: toHeight * toWidth)
        input.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for y in 0..<toHeight {
                    let r0 = rows.first[y] * width, r1 = rows.second[y] * width
                    let l0 = rows.weightFirst[y], l1 = rows.weightSecond[y]
                    for x in 0..<toWidth {
                        let c0 = columns.first[x], c1 = columns.second[x]
                        let m0 = columns.weightFirst[x], m1 = columns.weightSecond[x]
                        dst[y * toWidth + x] = l0 * (m0 * src[r0 + c0] + m1 * src[r0 + c1]) + l1 * (m0 * src[r1 + c0] + m1 * src[r1 + c1])
                    }
                }
            }
        }
        return out
    }
}
