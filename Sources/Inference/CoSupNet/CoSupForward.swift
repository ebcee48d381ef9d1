import Foundation

/// The forward pass of a built `CoSupNet`.
extension CoSupNet {
    /// Runs the network on one preprocessed input (row-major H x W float32, as in spec section 2).
    public func forward(_ values: [Float]) throws(InferenceError) -> CoSupOutput {
        guard values.count == height * width else {
            throw InferenceError("input has \(values.count) values, expected \(height)x\(width)")
        }
        values.withUnsafeBufferPointer { input.pointer.update(from: $0.baseAddress!, count: $0.count) }
        try steps.run(context: context)
        let logits = (0..<outputs).map { fuseAndClassify(output: $0) }
        let sides = auxiliary.map { Array(UnsafeBufferPointer(start: $0.pointer, count: $0.count)) }
        guard outputs == 3 else {
            return CoSupOutput(height: height, width: width, probability: logits[0].map { 1 / (1 + expf(-$0)) }, sideOutputs: sides)
        }
        // The per-class network: softmax over (background, GGO, consolidation) per pixel, the
        // largest logit subtracted first (as PyTorch does); infection = GGO + consolidation.
        let pixels = height * width
        var classes = [[Float]](repeating: [Float](repeating: 0, count: pixels), count: 2)
        var infection = [Float](repeating: 0, count: pixels)
        for p in 0..<pixels {
            let top = max(logits[0][p], logits[1][p], logits[2][p])
            let e0 = expf(logits[0][p] - top), e1 = expf(logits[1][p] - top), e2 = expf(logits[2][p] - top)
            let sum = e0 + e1 + e2
            classes[0][p] = e1 / sum
            classes[1][p] = e2 / sum
            infection[p] = classes[0][p] + classes[1][p]
        }
        var output = CoSupOutput(height: height, width: width, probability: infection, sideOutputs: sides)
        output.classProbabilities = classes
        return output
    }

    /// xg at border pixels: remove the ConvTranspose bias that zero padding at 2H x 2W excludes.
    static func correctGateBorders(_ gateX: Activation, corrections gateCorrections: [[Float]]) {
        let c = gateX.channels, h = gateX.height, wd = gateX.width
        let data = gateX.pointer
        func fix(_ y: Int, _ x: Int) {
            let rowClass = y == 0 ? 0 : (y == h - 1 ? 2 : 1)
            let columnClass = x == 0 ? 0 : (x == wd - 1 ? 2 : 1)
            let correction = gateCorrections[rowClass * 3 + columnClass]
            let pixel = y * wd + x
            for k in 0..<c { data[gateX.offset(channel: k, pixel: pixel)] -= correction[k] }
        }
        for x in 0..<wd { fix(0, x); fix(h - 1, x) }
        for y in 1..<(h - 1) { fix(y, 0); fix(y, wd - 1) }
    }

    /// fused = ((other * (1 - gx)) + (gx * xg)) + xg; logit = out1[output] · fused per pixel.
    /// `other`, `gateX` and `gateG` share one layout (same shape).
    private func fuseAndClassify(output: Int) -> [Float] {
        let c = channels
        let pixels = height * width
        let otherP = other.pointer, xg = gateX.pointer, gx = gateG.pointer
        var logits = [Float](repeating: 0, count: pixels)
        outWeights[(output * c)..<((output + 1) * c)].withUnsafeBufferPointer { weights in
            logits.withUnsafeMutableBufferPointer { logit in
                // A constant block size, so that the lane loop is unrolled and vectorised.
                if other.block == 16 {
                    Self.fuseBlocked(lanes: 16, channels: c, pixels: pixels, other: otherP, xg: xg, gx: gx, weights: weights, into: logit)
                } else if other.block == 8 {
                    Self.fuseBlocked(lanes: 8, channels: c, pixels: pixels, other: otherP, xg: xg, gx: gx, weights: weights, into: logit)
                } else {
                    for p in 0..<pixels {
                        var sum: Float = 0
                        for k in 0..<c {
                            let i = p * c + k
                            let g = gx[i], x = xg[i], o = otherP[i]
                            sum += weights[k] * ((o * (1 - g) + g * x) + x)
                        }
                        logit[p] = sum
                    }
                }
            }
        }
        return logits
    }

    /// `fuseAndClassify`'s logits on `lanes`-channel blocks, summed block by block.
    @inline(__always)
    private static func fuseBlocked(lanes: Int, channels: Int, pixels: Int, other: UnsafeMutablePointer<Float>,
                                    xg: UnsafeMutablePointer<Float>, gx: UnsafeMutablePointer<Float>,
                                    weights: UnsafeBufferPointer<Float>, into logit: UnsafeMutableBufferPointer<Float>) {
        for block in 0..<(channels / lanes) {
            let base = block * pixels * lanes
            let w = weights.baseAddress! + block * lanes
            for p in 0..<pixels {
                var sum: Float = 0
                for lane in 0..<lanes {
                    let i = base + p * lanes + lane
                    let g = gx[i], x = xg[i], o = other[i]
                    sum += w[lane] * ((o * (1 - g) + g * x) + x)
                }
                logit[p] += sum
            }
        }
    }
}
