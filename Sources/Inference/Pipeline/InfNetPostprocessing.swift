/// The Inf-Net test script's post-processing of the prediction `lateral_map_2` (logits, 352x352)
/// into the float map it saves and the 8-bit levels of its PNG (Inf-Net spec, sections 4, 5, 7),
/// bit for bit against PyTorch 2.x on an x86-64 CPU (float32) and scipy 1.2.2 under numpy 1.x.
///
/// - May 2020 script (`probability(logits:size:toWidth:toHeight:)`, made the published maps): the
///   logits are resized to the slice's own size H x W (bilinear, align_corners=False) **before**
///   the sigmoid; then p = (s - min s) / (max s - min s + 1e-8).
/// - Script from 2020-08-15 on (`probabilityAtNetworkSize(logits:size:)`): the same without the
///   resize; the map stays 352 x 352.
/// - Either map is written by `scipy.misc.imsave`, whose `bytescale` re-stretches it to 0...255 and
///   rounds half-up in float32 (`pngLevels(_:)`).
///
/// Float32 details that decide the last bit (each was matched against `../shared/golden/infnet`):
/// - resize, per axis (input length n, output length m): r = Float(n) / Float(m);
///   src = fma(r, o + 0.5, -0.5) rounded once (PyTorch's `r * (o + 0.5) - 0.5`, contracted to a
///   fused multiply-add in its x86 kernels), clamped below at 0; i0 = min(floor(src), n - 1),
///   i1 = i0 + 1 if i0 < n - 1 else i0; l1 = src - i0 (exact), l0 = 1 - l1. n == m copies.
///   Two taps a, b combine as fma(a, l0, b * l1): first along x within the two source rows, then
///   the same along y (out = fma(top, ly0, bottom * ly1)). Plainly rounded products differ in
///   ~28 % of the pixels by up to 4.8e-7. PyTorch switches kernels for tiny outputs: when
///   toHeight + toWidth <= 128 (its `_use_vectorized_kernel_cond_2d`) it forms the four weights
///   w_ij = ly_i * lx_j and sums fma(d, w11, fma(c, w10, fma(a, w00, b * w01))) instead.
/// - sigmoid(x) = 1 / (1 + exp(-x)) with SLEEF's `expf_u10` (PyTorch's vectorised exp; not
///   correctly rounded: a correctly rounded exp differs by one ulp in ~4 % of the pixels).
/// - min-max: d = Float(Double(max - min) + 1e-8) (the float32 difference promoted to float64 by
///   the Python float, the sum rounded back to float32 by the array division);
///   p = (s - min) / d in float32.
public enum InfNetPostprocessing {
    /// The network's output size (both sides).
    public static let networkSize = 352

    /// The May 2020 script: the row-major `size` x `size` logits resized to `toHeight` x `toWidth`
    /// (the slice's own size), their sigmoid, and the min-max map the script saves. Both planes
    /// are row-major `toHeight` x `toWidth`. A constant input gives `probability` all 0.
    /// Non-finite logits are outside the contract (the script's output is then NaN or undefined).
    public static func probability(logits: [Float], size: Int = networkSize, toWidth: Int, toHeight: Int)
        -> (sigmoid: [Float], probability: [Float]) {
        precondition(size >= 1 && toWidth >= 1 && toHeight >= 1, "sizes must be at least 1")
        precondition(logits.count == size * size, "logit count does not match the size")
        let resized = resize(logits, height: size, width: size, toHeight: toHeight, toWidth: toWidth)
        let sigmoid = resized.map(Self.sigmoid)
        return (sigmoid, minMax(sigmoid))
    }

    /// The script from 2020-08-15 on (HEAD): no resize; the sigmoid of the row-major
    /// `size` x `size` logits, min-max normalised, still `size` x `size`.
    public static func probabilityAtNetworkSize(logits: [Float], size: Int = networkSize) -> (sigmoid: [Float], probability: [Float]) {
        precondition(size >= 1, "size must be at least 1")
        precondition(logits.count == size * size, "logit count does not match the size")
        let sigmoid = logits.map(Self.sigmoid)
        return (sigmoid, minMax(sigmoid))
    }

    /// The 8-bit levels `scipy.misc.imsave` (scipy 1.2.2: `toimage` -> `bytescale`) writes for a
    /// float map: cmin = min p, cmax = max p, cscale = cmax - cmin (float32; 1 when 0);
    /// scale = Float(255.0 / Double(cscale)); v = trunc(clamp((p - cmin) * scale, 0, 255) + 0.5),
    /// every step in float32. The smallest value maps to 0 and the largest to 255; a constant map
    /// gives all 0. Empty in, empty out.
    public static func pngLevels(_ probability: [Float]) -> [UInt8] {
        guard let low = probability.min(), let high = probability.max() else { return [] }
        var range: Float = high - low
        if range == 0 { range = 1 }
        let scale = Float(255.0 / Double(range))
        return probability.map { value in
            let scaled: Float = (value - low) * scale
            let clipped: Float = min(max(scaled, 0), 255)
            return UInt8((clipped + 0.5).rounded(.towardZero))
        }
    }

    // MARK: - Steps

    /// (s - min) / Float(Double(max - min) + 1e-8), elementwise in float32.
    static func minMax(_ s: [Float]) -> [Float] {
        guard let low = s.min(), let high = s.max() else { return [] }
        let range: Float = high - low
        let denominator = Float(Double(range) + 1e-8)
        return s.map { ($0 - low) / denominator }
    }

    /// 1 / (1 + exp(-x)) in float32, with `sleefExp`.
    static func sigmoid(_ x: Float) -> Float {
        1 / (1 + sleefExp(-x))
    }

    /// SLEEF 3's `xexpf` (`Sleef_expf8_u10`, as PyTorch's `Vectorized<float>::exp` calls it) with
    /// every multiply-add fused: q = rint(d / ln 2) (ties to even); s = d - q * ln 2 in two fused
    /// steps; a degree-5 polynomial u in s; 1 + (s^2 * u + s), scaled by 2^q as two powers of two;
    /// 0 below -104, +infinity above 100, NaN for NaN.
    static func sleefExp(_ d: Float) -> Float {
        if d.isNaN { return d }
        if d < -104 { return 0 }
        if d > 100 { return .infinity }
        let inverseLn2: Float = 1.442695040888963407359924681001892137426645954152985934135449406931
        let q = Int32((d * inverseLn2).rounded(.toNearestOrEven))
        let qf = Float(q)
        var s = d.addingProduct(qf, -0.693145751953125)
        s = s.addingProduct(qf, -1.428606765330187045e-06)
        var u: Float = 0.000198527617612853646278381
        u = Float(0.00139304355252534151077271).addingProduct(u, s)
        u = Float(0.00833336077630519866943359).addingProduct(u, s)
        u = Float(0.0416664853692054748535156).addingProduct(u, s)
        u = Float(0.166666671633720397949219).addingProduct(u, s)
        u = Float(0.5).addingProduct(u, s)
        u = 1 + s.addingProduct(s * s, u)
        let half = q >> 1
        return u * powerOfTwo(half) * powerOfTwo(q - half)
    }

    /// 2^e for -127 < e < 128 built from its exponent bits (SLEEF's `vpow2i`).
    static func powerOfTwo(_ e: Int32) -> Float {
        Float(bitPattern: UInt32(bitPattern: (e &+ 0x7f) << 23))
    }

    /// One axis of PyTorch's float32 `upsample_bilinear2d` (align_corners=False).
    static func taps(input: Int, output: Int) -> LinearTaps {
        var taps = LinearTaps()
        if input == output {
            taps.first = Array(0..<output)
            taps.second = taps.first
            taps.weightFirst = [Float](repeating: 1, count: output)
            taps.weightSecond = [Float](repeating: 0, count: output)
            return taps
        }
        let ratio = Float(input) / Float(output)
        for o in 0..<output {
            var source = Float(-0.5).addingProduct(ratio, Float(o) + 0.5)
            if source < 0 { source = 0 }
            let i0 = min(Int(source.rounded(.down)), input - 1)
            let i1 = i0 < input - 1 ? i0 + 1 : i0
            let lambda = min(max(source - Float(i0), 0), 1)
            taps.first.append(i0)
            taps.second.append(i1)
            taps.weightFirst.append(1 - lambda)
            taps.weightSecond.append(lambda)
        }
        return taps
    }

    /// PyTorch's `F.interpolate(mode='bilinear', align_corners=False)` of a row-major
    /// `height` x `width` float32 plane to `toHeight` x `toWidth`, bit for bit (see the type's notes).
    static func resize(_ input: [Float], height: Int, width: Int, toHeight: Int, toWidth: Int) -> [Float] {
        precondition(input.count == height * width, "value count does not match the size")
        let rows = taps(input: height, output: toHeight)
        let columns = taps(input: width, output: toWidth)
        var out = [Float](repeating: 0, count: toHeight * toWidth)
        if toHeight + toWidth <= 128 {
            for y in 0..<toHeight {
                let r0 = rows.first[y] * width, r1 = rows.second[y] * width
                let l0 = rows.weightFirst[y], l1 = rows.weightSecond[y]
                for x in 0..<toWidth {
                    let c0 = columns.first[x], c1 = columns.second[x]
                    let m0 = columns.weightFirst[x], m1 = columns.weightSecond[x]
                    let w00 = l0 * m0, w01 = l0 * m1, w10 = l1 * m0, w11 = l1 * m1
                    var sum = (input[r0 + c1] * w01).addingProduct(input[r0 + c0], w00)
                    sum.addProduct(input[r1 + c0], w10)
                    sum.addProduct(input[r1 + c1], w11)
                    out[y * toWidth + x] = sum
                }
            }
            return out
        }
        input.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for y in 0..<toHeight {
                    let r0 = rows.first[y] * width, r1 = rows.second[y] * width
                    let l0 = rows.weightFirst[y], l1 = rows.weightSecond[y]
                    for x in 0..<toWidth {
                        let c0 = columns.first[x], c1 = columns.second[x]
                        let m0 = columns.weightFirst[x], m1 = columns.weightSecond[x]
                        let top = (src[r0 + c1] * m1).addingProduct(src[r0 + c0], m0)
                        let bottom = (src[r1 + c1] * m1).addingProduct(src[r1 + c0], m0)
                        dst[y * toWidth + x] = (bottom * l1).addingProduct(top, l0)
                    }
                }
            }
        }
        return out
    }
}
