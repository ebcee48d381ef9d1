/// Exact algebraic fusions of consecutive linear layers, computed in double at load time.
/// They change only float32 rounding, never the function.
enum LinearFusion {
    /// The 1x1 convolution `outer ∘ inner` (outer: [O, M, 1, 1], inner: [M, I, k, k]) as one
    /// [O, I, k, k] convolution: W = outer · inner, b = outer · b_inner + b_outer.
    static func compose(outer: FoldedConv, inner: FoldedConv) -> FoldedConv {
        let o = outer.outChannels, m = inner.outChannels
        precondition(outer.inChannels == m && outer.kernel == 1)
        let perOut = inner.shape.dropFirst().reduce(1, *)
        var weights = [Double](repeating: 0, count: o * perOut)
        var bias = outer.bias
        for a in 0..<o {
            for b in 0..<m {
                let scale = outer.weights[a * m + b]
                bias[a] += scale * inner.bias[b]
                for k in 0..<perOut { weights[a * perOut + k] += scale * inner.weights[b * perOut + k] }
            }
        }
        return FoldedConv(shape: [o] + inner.shape.dropFirst(), weights: weights, bias: bias)
    }

    /// The final branch and gate input of CoSupNet as one 3x3 convolution on u3 at H x W:
    ///
    ///     xg = mean2x2( gate.bridge( final_conv( final_upsample(u3) ) ) )
    ///
    /// final_upsample is ConvTranspose k2 s2 (weights [C, C, 2, 2], PyTorch [in, out, kH, kW]),
    /// final_conv a 3x3 pad-1 conv at 2H x 2W, gate.bridge a 1x1 conv, then the exact 2x2 mean
    /// (bilinear 2H -> H). Output pixel (i, j) reads upsampled rows 2i-1 .. 2i+2, which come from u3
    /// rows i-1 .. i+1: a 3x3 conv with pad 1 on u3. The ConvTranspose bias is zero-padded at 2H
    /// resolution, so pixels on the image border get a bias correction (`borderCorrection`).
    struct GateConvolution {
        /// [C, C, 3, 3] OIHW and bias [C] for interior pixels.
        var conv: FoldedConv
        /// Subtract `corrections[rowClass * 3 + columnClass]` (C values) from the output at a
        /// border pixel; class 0 = first row/column, 1 = interior, 2 = last.
        var corrections: [[Double]]
    }

    static func gateConvolution(upsample: FoldedConv, finalConv: FoldedConv, gateBridge: FoldedConv) -> GateConvolution {
        // upsample.shape = [Cin, Cout, 2, 2] (PyTorch ConvTranspose layout).
        let cin = upsample.shape[0], cmid = upsample.shape[1]
        let combined = compose(outer: gateBridge, inner: finalConv)   // [C3, cmid, 3, 3]
        let c3 = combined.outChannels
        // KB[c3][ky][kx] = sum_co K[c3][co][ky][kx] * bt[co]: how the upsample bias reaches each tap.
        var kb = [Double](repeating: 0, count: c3 * 9)
        var weights = [Double](repeating: 0, count: c3 * cin * 9)
        for o in 0..<c3 {
            for ky in 0..<3 {
                for kx in 0..<3 {
                    for co in 0..<cmid {
                        kb[o * 9 + ky * 3 + kx] += combined.weights[((o * cmid + co) * 3 + ky) * 3 + kx] * upsample.bias[co]
                    }
                }
            }
        }
        // Each output pixel averages 4 sub-pixels (a, b); tap (ky, kx) of sub-pixel (a, b) reads the
        // upsampled pixel at offset t = a + ky - 1 in {-1, 0, 1, 2}: u3 row offset floor(t / 2),
        // transposed-kernel row t - 2 floor(t / 2).
        func split(_ t: Int) -> (offset: Int, kernelIndex: Int) {
            let offset = t < 0 ? -1 : t / 2
            return (offset, t - 2 * offset)
        }
        for a in 0..<2 {
            for ky in 0..<3 {
                let (dy, ty) = split(a + ky - 1)
                for b in 0..<2 {
                    for kx in 0..<3 {
                        let (dx, tx) = split(b + kx - 1)
                        for o in 0..<c3 {
                            for co in 0..<cmid {
                                let k = 0.25 * combined.weights[((o * cmid + co) * 3 + ky) * 3 + kx]
                                if k == 0 { continue }
                                for ci in 0..<cin {
                                    let t = upsample.weights[((ci * cmid + co) * 2 + ty) * 2 + tx]
                                    weights[((o * cin + ci) * 3 + dy + 1) * 3 + dx + 1] += k * t
                                }
                            }
                        }
                    }
                }
            }
        }
        var bias = combined.bias
        for o in 0..<c3 {
            for tap in 0..<9 { bias[o] += kb[o * 9 + tap] }
        }
        // Border corrections: taps whose upsampled row or column falls outside the image.
        var corrections: [[Double]] = []
        for rowClass in 0..<3 {
            for columnClass in 0..<3 {
                var correction = [Double](repeating: 0, count: c3)
                for a in 0..<2 {
                    for ky in 0..<3 {
                        let t = a + ky - 1
                        let rowOut = (rowClass == 0 && t < 0) || (rowClass == 2 && t > 1)
                        for b in 0..<2 {
                            for kx in 0..<3 {
                                let s = b + kx - 1
                                let columnOut = (columnClass == 0 && s < 0) || (columnClass == 2 && s > 1)
                                guard rowOut || columnOut else { continue }
                                for o in 0..<c3 { correction[o] += 0.25 * kb[o * 9 + ky * 3 + kx] }
                            }
                        }
                    }
                }
                corrections.append(correction)
            }
        }
        return GateConvolution(conv: FoldedConv(shape: [c3, cin, 3, 3], weights: weights, bias: bias), corrections: corrections)
    }
}
