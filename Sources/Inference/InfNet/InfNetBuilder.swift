/// Builds `InfNet`'s steps and buffers, one part of the network per method, in the order the
/// forward pass runs them (Inf-Net spec, section 3): backbone, receptive-field blocks, partial
/// decoder, edge branch, reverse attention. Each method appends its layers and returns the
/// activations the next part reads. Every "CB" (convolution + BatchNorm, no activation) is one
/// convolution with the BatchNorm folded in; ReLUs and residual sums run as post-ops.
struct InfNetBuilder {
    let weights: InfNetWeights
    private(set) var net: NetworkBuilder

    init(weights: InfNetWeights, context: DNNLContext) {
        self.weights = weights
        // F(4x4, 3x3) Winograd: the maps stay within 3.6e-5 of the golden (tolerance 2e-4; 2.8e-5
        // with F(2x2)) and the 3x3 layers take 1.8x fewer multiply-adds.
        net = NetworkBuilder(context: context, winogradTile: 4)
    }

    func buffer(_ c: Int, _ h: Int, _ w: Int) throws(InferenceError) -> Activation { try net.buffer(c, h, w) }

    /// `conv` on `source` into a new buffer of its output size.
    mutating func conv(_ folded: FoldedConv, _ source: Activation, stride: Int = 1, geometry: ConvGeometry? = nil,
                       postOps: [PostOp] = [], name: String) throws(InferenceError) -> Activation {
        let g = geometry ?? ConvGeometry(kernel: folded.kernelHeight, stride: stride)
        let out = try net.buffer(folded.outChannels, after: g, on: source)
        try net.conv(folded, from: source, into: out, geometry: g, postOps: postOps, name: name)
        return out
    }

    /// A convolution with one output channel (+ `plus`, elementwise). oneDNN's fast kernels need
    /// whole channel blocks at the output: it runs with zero output channels up to a block, and
    /// channel 0 is taken out (and `plus` added, one float32 addition as PyTorch's) on the host.
    mutating func singleChannel(_ folded: FoldedConv, _ source: Activation, plus: Activation? = nil,
                                name: String) throws(InferenceError) -> Activation {
        let block = net.context.configuration.channelBlock ?? 1
        let wide = try conv(folded.paddingOutputs(to: block), source, name: name)
        let out = try buffer(1, wide.height, wide.width)
        net.append(.host {
            for p in 0..<out.count {
                let value = wide.pointer[wide.offset(channel: 0, pixel: p)]
                out.pointer[p] = plus.map { value + $0.pointer[p] } ?? value
            }
        })
        return out
    }

    // MARK: - Backbone (spec 3.1)

    /// The deep stem and layer1 ... layer4: returns x1 (1/4), x2 (1/8), x3 (1/16), x4 (1/32).
    mutating func backbone(_ x: Activation) throws(InferenceError) -> [Activation] {
        var t = try conv(weights.folded("resnet.conv1.0", batchNorm: "resnet.conv1.1"), x, stride: 2, postOps: [.relu], name: "resnet.conv1.0")
        t = try conv(weights.folded("resnet.conv1.3", batchNorm: "resnet.conv1.4"), t, postOps: [.relu], name: "resnet.conv1.3")
        t = try conv(weights.folded("resnet.conv1.6", batchNorm: "resnet.bn1"), t, postOps: [.relu], name: "resnet.conv1.6")
        var running = try buffer(t.channels, t.height / 2, t.width / 2)
        try net.pool(.max, kernel: 3, stride: 2, padding: 1, from: t, into: running)
        var outputs: [Activation] = []
        for (layer, (blocks, planes)) in InfNetArchitecture.layers.enumerated() {
            for block in 0..<blocks {
                running = try bottleneck(running, prefix: "resnet.layer\(layer + 1).\(block)", planes: planes,
                                         stride: block == 0 && layer > 0 ? 2 : 1, first: block == 0)
            }
            outputs.append(running)
        }
        return outputs
    }

    /// One `Bottle2neck` (spec 3.1). Chunks of a width that is not a whole number of channel
    /// blocks (26 and 52 channels) are padded with channels that are exactly 0 (zero weights and
    /// bias), so that every tensor keeps the blocked layout oneDNN's fast kernels need. The chunks
    /// u0...u3 are then consecutive parts of `conv1`'s output, and y0, y1, y2, r consecutive parts
    /// of `conv3`'s input (`NetworkBuilder.concatenation`: views, no copies); `conv3` reads the
    /// padding with zero weights and adds onto the shortcut (the input itself, updated in place,
    /// except in a layer's first block).
    mutating func bottleneck(_ input: Activation, prefix: String, planes: Int, stride: Int, first: Bool) throws(InferenceError) -> Activation {
        let w = InfNetArchitecture.chunkWidth(planes: planes)
        let block = net.context.configuration.channelBlock ?? 1
        let padded = (w + block - 1) / block * block
        let widths = [Int](repeating: padded, count: 4)
        let conv1 = weights.folded(prefix + ".conv1", batchNorm: prefix + ".bn1")
        let chunks = try net.concatenation(widths, input.height, input.width)
        if chunks.viewed {
            try net.conv(conv1.paddingOutputs(groups: 4, width: w, to: padded), from: input, into: chunks.whole, postOps: [.relu],
                         name: prefix + ".conv1")
        } else {
            for k in 0..<4 {
                try net.conv(conv1.outputChannels(from: k * w, count: w).paddingOutputs(to: padded), from: input, into: chunks.parts[k],
                             postOps: [.relu], name: prefix + ".conv1[\(k)]")
            }
        }
        let u = chunks.parts
        let blockStride = first ? stride : 1
        let (outH, outW) = ConvGeometry(kernel: 3, stride: blockStride).output(height: input.height, width: input.width)
        let concatenated = try net.concatenation(widths, outH, outW)
        let y = concatenated.parts
        for i in 0..<3 {
            var source = u[i]
            if !first && i > 0 {
                // The hierarchical sum y(i-1) + u(i).
                source = try buffer(padded, input.height, input.width)
                try net.binary(.add, y[i - 1], u[i], into: source)
            }
            let folded = weights.folded(prefix + ".convs.\(i)", batchNorm: prefix + ".bns.\(i)")
            try net.conv(folded.paddingInputs(groups: 1, width: w, to: padded).paddingOutputs(to: padded), from: source, into: y[i],
                         stride: blockStride, postOps: [.relu], name: prefix + ".convs.\(i)")
        }
        if first {
            // 3x3 average pooling at the block's stride, zero padding counted (always / 9).
            try net.pool(.averageCountingPadding, kernel: 3, stride: blockStride, padding: 1, from: u[3], into: y[3])
        } else {
            try net.copy(u[3], into: y[3], channelOffset: 0)
        }
        try net.gather(concatenated)
        let output: Activation
        if first {
            // The shortcut: 2x2 average pooling (stride 2 only), then the 1x1 convolution.
            var shortcutInput = input
            if stride == 2 {
                shortcutInput = try buffer(input.channels, input.height / 2, input.width / 2)
                try net.pool(.average, kernel: 2, stride: 2, padding: 0, from: input, into: shortcutInput)
            }
            output = try conv(weights.folded(prefix + ".downsample.1", batchNorm: prefix + ".downsample.2"), shortcutInput,
                              name: prefix + ".downsample")
        } else {
            output = input
        }
        try net.conv(weights.folded(prefix + ".conv3", batchNorm: prefix + ".bn3").paddingInputs(groups: 4, width: w, to: padded),
                     from: concatenated.whole, into: output, postOps: [.sum, .relu], name: prefix + ".conv3")
        return output
    }

    // MARK: - Receptive-field blocks (spec 3.2)

    mutating func receptiveField(_ input: Activation, name: String) throws(InferenceError) -> Activation {
        var branches = [try conv(weights.cb(name + ".branch0.0"), input, name: name + ".branch0")]
        for (k, n) in InfNetArchitecture.branchKernels.enumerated() {
            let branch = "\(name).branch\(k + 1)"
            var t = try conv(weights.cb(branch + ".0"), input, name: branch + ".0")
            t = try conv(weights.cb(branch + ".1"), t, geometry: ConvGeometry(kernelHeight: 1, kernelWidth: n, paddingHeight: 0, paddingWidth: n / 2),
                         name: branch + ".1")
            t = try conv(weights.cb(branch + ".2"), t, geometry: ConvGeometry(kernelHeight: n, kernelWidth: 1, paddingHeight: n / 2, paddingWidth: 0),
                         name: branch + ".2")
            // oneDNN's blocked kernels do not take padding this wide (its reference kernel would
            // run, 100x slower); on NHWC its GEMM-based convolution does.
            let geometry = ConvGeometry(kernelHeight: 3, kernelWidth: 3, paddingHeight: n, paddingWidth: n, dilation: n)
            let plain = try net.buffer(t.channels, t.height, t.width, allowBlocks: false)
            try net.copy(t, into: plain, channelOffset: 0)
            let dilated = try net.buffer(InfNetArchitecture.channels, t.height, t.width, allowBlocks: false)
            try net.conv(weights.cb(branch + ".3"), from: plain, into: dilated, geometry: geometry, postOps: [], name: branch + ".3")
            branches.append(dilated)
        }
        let concatenated = try net.concatenate(branches)
        let out = try conv(weights.cb(name + ".conv_res"), input, name: name + ".conv_res")
        try net.conv(weights.cb(name + ".conv_cat"), from: concatenated, into: out, postOps: [.sum, .relu], name: name + ".conv_cat")
        return out
    }

    // MARK: - Parallel partial decoder (spec 3.3)

    /// U: bilinear x2 with align_corners=True.
    mutating func upsample(_ x: Activation) throws(InferenceError) -> Activation {
        let out = try buffer(x.channels, x.height * 2, x.width * 2)
        try net.resizeAligningCorners(x, into: out)
        return out
    }

    mutating func product(_ a: Activation, _ b: Activation) throws(InferenceError) -> Activation {
        let out = try buffer(a.channels, a.height, a.width)
        try net.binary(.multiply, a, b, into: out)
        return out
    }

    /// g ("ra5_feat"), 1 channel at 1/8, from f4, f3, f2.
    mutating func decoder(f4: Activation, f3: Activation, f2: Activation) throws(InferenceError) -> Activation {
        let uf4 = try upsample(f4), uuf4 = try upsample(uf4), uf3 = try upsample(f3)
        let a3 = try product(try conv(weights.cb("ParDec.conv_upsample1"), uf4, name: "ParDec.conv_upsample1"), f3)
        let p = try conv(weights.cb("ParDec.conv_upsample2"), uuf4, name: "ParDec.conv_upsample2")
        let q = try conv(weights.cb("ParDec.conv_upsample3"), uf3, name: "ParDec.conv_upsample3")
        let a2 = try product(try product(p, q), f2)
        let c4 = try conv(weights.cb("ParDec.conv_upsample4"), uf4, name: "ParDec.conv_upsample4")
        let b3 = try conv(weights.cb("ParDec.conv_concat2"), try net.concatenate([a3, c4]), name: "ParDec.conv_concat2")
        let c5 = try conv(weights.cb("ParDec.conv_upsample5"), try upsample(b3), name: "ParDec.conv_upsample5")
        let b2 = try conv(weights.cb("ParDec.conv_concat3"), try net.concatenate([a2, c5]), name: "ParDec.conv_concat3")
        let h = try conv(weights.cb("ParDec.conv4"), b2, name: "ParDec.conv4")
        return try singleChannel(weights.plain("ParDec.conv5"), h, name: "ParDec.conv5")
    }

    // MARK: - Edge branch (spec 3.4)

    /// e ("edge_guidance", 64 channels at 1/4) and its 1-channel logit.
    mutating func edge(x1: Activation) throws(InferenceError) -> (guidance: Activation, logit: Activation) {
        var e = try conv(weights.cb("edge_conv1"), x1, name: "edge_conv1")
        e = try conv(weights.cb("edge_conv2"), e, name: "edge_conv2")
        e = try conv(weights.cb("edge_conv3"), e, name: "edge_conv3")
        return (e, try singleChannel(weights.cb("edge_conv4"), e, name: "edge_conv4"))
    }

    // MARK: - Reverse attention (spec 3.5)

    /// R(t) to `height` x `width` (align_corners=False, no antialiasing).
    mutating func resized(_ t: Activation, _ height: Int, _ width: Int) throws(InferenceError) -> Activation {
        let out = try buffer(t.channels, height, width)
        try net.resize(t, into: out)
        return out
    }

    /// One reverse-attention stage on backbone features `x` guided by the coarser map `coarse`:
    /// c = R(coarse) at x's size; h = cat[CB conv1(Gate(c, x)), R(e)]; the ReLU'd middle
    /// convolutions; s = CB last(h) + c. Returns (c, s).
    mutating func reverseAttention(_ x: Activation, coarse: Activation, edge e: Activation, prefix: String,
                                   last: Int) throws(InferenceError) -> (crop: Activation, map: Activation) {
        let c = try resized(coarse, x.height, x.width)
        let gated = try buffer(x.channels, x.height, x.width)
        let gate = ReverseAttentionGate(guide: c, features: x, destination: gated)
        net.append(.host { gate.run() })
        let reduced = try conv(weights.cb(prefix + "_conv1"), gated, name: prefix + "_conv1")
        var h = try net.concatenate([reduced, try resized(e, x.height, x.width)])
        for i in 2..<last {
            h = try conv(weights.cb(prefix + "_conv\(i)"), h, postOps: [.relu], name: prefix + "_conv\(i)")
        }
        // s = CB(h) + c.
        return (c, try singleChannel(weights.cb(prefix + "_conv\(last)"), h, plus: c, name: prefix + "_conv\(last)"))
    }
}
