/// Convolution parameters in double precision (OIHW weights), ready to be fused further or cast.
struct FoldedConv {
    var shape: [Int]
    var weights: [Double]
    var bias: [Double]

    var outChannels: Int { shape[0] }
    var inChannels: Int { shape[1] }
    /// The kernel's rows (a square kernel's side).
    var kernel: Int { shape[2] }
    var kernelHeight: Int { shape[2] }
    var kernelWidth: Int { shape[3] }
    var floatWeights: [Float] { weights.map(Float.init) }
    var floatBias: [Float] { bias.map(Float.init) }

    /// The input channels [from, from + count) of this convolution (a 1x1 convolution on one part
    /// of a concatenation); the bias only when `keepBias`, else zero.
    func inputChannels(from: Int, count: Int, keepBias: Bool) -> FoldedConv {
        let taps = kernelHeight * kernelWidth
        var part: [Double] = []
        part.reserveCapacity(outChannels * count * taps)
        for o in 0..<outChannels {
            let start = (o * inChannels + from) * taps
            part += weights[start..<(start + count * taps)]
        }
        return FoldedConv(shape: [outChannels, count, kernelHeight, kernelWidth], weights: part,
                          bias: keepBias ? bias : [Double](repeating: 0, count: outChannels))
    }

    /// This convolution with zero output channels (weights and bias) appended up to `count`:
    /// they compute exactly 0 (and ReLU keeps them 0).
    func paddingOutputs(to count: Int) -> FoldedConv {
        guard count > outChannels else { return self }
        let perOut = inChannels * kernelHeight * kernelWidth
        return FoldedConv(shape: [count] + shape.dropFirst(), weights: weights + [Double](repeating: 0, count: (count - outChannels) * perOut),
                          bias: bias + [Double](repeating: 0, count: count - outChannels))
    }

    /// This convolution's outputs as `groups` consecutive groups of `width` channels, each
    /// widened to `paddedWidth` by zero channels (weights and bias).
    func paddingOutputs(groups: Int, width: Int, to paddedWidth: Int) -> FoldedConv {
        precondition(groups * width == outChannels, "the groups must cover the output channels")
        guard paddedWidth > width else { return self }
        let perOut = inChannels * kernelHeight * kernelWidth
        var padded = FoldedConv(shape: [groups * paddedWidth] + shape.dropFirst(), weights: [], bias: [])
        for g in 0..<groups {
            let part = outputChannels(from: g * width, count: width).paddingOutputs(to: paddedWidth)
            padded.weights += part.weights
            padded.bias += part.bias
        }
        precondition(padded.weights.count == groups * paddedWidth * perOut)
        return padded
    }

    /// This convolution reading `groups` consecutive groups of `width` input channels, each
    /// widened to `paddedWidth` by zero weights (for inputs whose extra channels are padding).
    func paddingInputs(groups: Int, width: Int, to paddedWidth: Int) -> FoldedConv {
        precondition(groups * width == inChannels, "the groups must cover the input channels")
        guard paddedWidth > width else { return self }
        let taps = kernelHeight * kernelWidth
        var padded: [Double] = []
        padded.reserveCapacity(outChannels * groups * paddedWidth * taps)
        let zeros = [Double](repeating: 0, count: (paddedWidth - width) * taps)
        for o in 0..<outChannels {
            for g in 0..<groups {
                let start = (o * inChannels + g * width) * taps
                padded += weights[start..<(start + width * taps)]
                padded += zeros
            }
        }
        return FoldedConv(shape: [outChannels, groups * paddedWidth, kernelHeight, kernelWidth], weights: padded, bias: bias)
    }

    /// The output channels [from, from + count) of this convolution.
    func outputChannels(from: Int, count: Int) -> FoldedConv {
        let perOut = inChannels * kernelHeight * kernelWidth
        return FoldedConv(shape: [count] + shape.dropFirst(), weights: Array(weights[(from * perOut)..<((from + count) * perOut)]),
                          bias: Array(bias[from..<(from + count)]))
    }
}

extension StateDict {
    /// The convolution `conv` (`conv.weight`, and `conv.bias` when `hasBias`) with the BatchNorm
    /// `batchNorm` folded in (eval mode, eps 1e-5), computed in double:
    /// w' = w * gamma / sqrt(var + eps), b' = (b - mean) * gamma / sqrt(var + eps) + beta.
    /// The caller has checked that every tensor exists with its shape.
    func foldedConv(_ conv: String, batchNorm: String?, hasBias: Bool) -> FoldedConv {
        func double(_ name: String) -> [Double] { self[name]!.values.map(Double.init) }
        let shape = self[conv + ".weight"]!.shape
        let outChannels = shape[0]
        let perOut = shape.dropFirst().reduce(1, *)
        var weights = double(conv + ".weight")
        var bias = hasBias ? double(conv + ".bias") : [Double](repeating: 0, count: outChannels)
        if let batchNorm {
            let gamma = double(batchNorm + ".weight"), beta = double(batchNorm + ".bias")
            let mean = double(batchNorm + ".running_mean"), variance = double(batchNorm + ".running_var")
            for o in 0..<outChannels {
                let scale = gamma[o] / (variance[o] + 1e-5).squareRoot()
                for k in 0..<perOut { weights[o * perOut + k] *= scale }
                bias[o] = (bias[o] - mean[o]) * scale + beta[o]
            }
        }
        return FoldedConv(shape: shape, weights: weights, bias: bias)
    }
}
