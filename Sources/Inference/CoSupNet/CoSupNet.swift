import CDNNL

/// CoSupNet (the authors' `RPLFUnet`) for one input size, on oneDNN: every layer's primitive and
/// every activation buffer is created once here; `forward` reuses them. See
/// `shared/spec/cosup-model.md` section 3 for the semantics; this file follows it with these
/// exact rewrites: BatchNorm folded into convolutions; ReLU and the residual add fused as
/// post-ops; each side head's 1x1 convolutions composed and run before the bilinear resize
/// (convolution and resize commute); the final 2x branch plus gate.bridge and the 2x2 mean
/// computed as one 3x3 convolution on u3 (`LinearFusion.gateConvolution`); 3x3 stride-1
/// convolutions on channel blocks computed with Winograd F(2x2, 3x3) (`WinogradLayer`). Layouts and
/// kernels follow the context's `BackendConfiguration` (chosen per instruction set).
///
/// Not thread-safe: one forward pass at a time per instance.
public final class CoSupNet {
    public let width: Int
    public let height: Int
    public let imageWidth: Int
    public let sideOutputs: Bool
    let context: DNNLContext

    var steps: [Step] = []
    let input: Activation
    let u3: Activation
    let other: Activation
    let gateX: Activation
    let gateG: Activation
    let auxiliary: [Activation]
    let gateCorrections: [[Float]]
    let outWeights: [Float]

    /// One thing to run, in order.
    enum Step {
        case conv(ConvLayer, Activation, Activation)
        case winograd(WinogradLayer, Activation, Activation)
        case deconv(DeconvLayer, Activation, Activation)
        case pool(MaxPoolLayer, Activation, Activation)
        case resize(BilinearLayer, Activation, Activation)
        case multiply(MultiplyLayer, Activation, Activation, Activation)
        case copy(ChannelCopyLayer, Activation)
        /// Subtract the zero-padded ConvTranspose bias from border pixels of `gateX`.
        case correctGateBorders
    }

    /// Builds the network for inputs of `height` x `imageWidth` (both divisible by 16).
    public init(weights: CoSupWeights, height: Int, width imageWidth: Int, sideOutputs: Bool, context: DNNLContext) throws(InferenceError) {
        guard height >= 16, imageWidth >= 16, height % 16 == 0, imageWidth % 16 == 0 else {
            throw InferenceError("the network input must have sides divisible by 16 (got \(height)x\(imageWidth))")
        }
        let w = weights.width
        self.width = w
        self.height = height
        self.imageWidth = imageWidth
        self.sideOutputs = sideOutputs
        self.context = context
        var steps: [Step] = []
        func buffer(_ c: Int, _ h: Int, _ wd: Int, allowBlocks: Bool = true) throws(InferenceError) -> Activation {
            try Activation(channels: c, height: h, width: wd, allowBlocks: allowBlocks, context: context)
        }
        func conv(_ folded: FoldedConv, from source: Activation, into destination: Activation, stride: Int = 1,
                  postOps: [PostOp], name: String, hasBias: Bool = true) throws(InferenceError) {
            let threeByThree = folded.kernel == 3 && stride == 1
            if let layer = WinogradLayer(conv: folded, stride: stride, hasBias: hasBias, postOps: postOps, source: source,
                                         destination: destination, configuration: context.configuration) {
                steps.append(.winograd(layer, source, destination))
                context.record.winogradConvolutions += 1
                return
            }
            if threeByThree { context.record.directConvolutions += 1 }
            let layer = try ConvLayer(weights: folded.floatWeights, bias: hasBias ? folded.floatBias : nil,
                                      outChannels: folded.outChannels, inChannels: folded.inChannels, kernel: folded.kernel,
                                      stride: stride, padding: folded.kernel / 2, source: source, destination: destination,
                                      postOps: postOps, context: context, name: name)
            steps.append(.conv(layer, source, destination))
        }

        // Encoder.
        let x = try buffer(1, height, imageWidth)
        input = x
        let e = try buffer(w, height, imageWidth)
        try conv(weights.foldedConv("ResNet.conv1", batchNorm: "ResNet.bn1", hasBias: false), from: x, into: e, postOps: [.relu], name: "ResNet.conv1")
        var running = try buffer(w, height / 2, imageWidth / 2)
        steps.append(.pool(try MaxPoolLayer(source: e, destination: running, context: context), e, running))
        var skips = [e]
        for (layer, blocks) in CoSupArchitecture.layerBlocks.enumerated() {
            let c = w << layer
            let scale = 2 << layer
            let mid = try buffer(c, height / scale, imageWidth / scale)
            for block in 0..<blocks {
                let prefix = "ResNet.layer\(layer + 1).\(block)"
                var source = running
                if block == 0 && layer > 0 {
                    // The identity path: downsample into the new running buffer, then add onto it.
                    let next = try buffer(c, height / scale, imageWidth / scale)
                    try conv(weights.foldedConv(prefix + ".downsample.0", batchNorm: prefix + ".downsample.1", hasBias: false),
                             from: running, into: next, stride: 2, postOps: [], name: prefix + ".downsample")
                    source = running
                    running = next
                }
                let stride = block == 0 && layer > 0 ? 2 : 1
                try conv(weights.foldedConv(prefix + ".conv1", batchNorm: prefix + ".bn1", hasBias: true),
                         from: source, into: mid, stride: stride, postOps: [.relu], name: prefix + ".conv1")
                try conv(weights.foldedConv(prefix + ".conv2", batchNorm: prefix + ".bn2", hasBias: true),
                         from: mid, into: running, postOps: [.sum, .relu], name: prefix + ".conv2")
            }
            skips.append(running)
        }
        // skips = [down_x0, down_x1, down_x2, down_x3, down_x4]

        // Bridge.
        let bottom = (height / 16, imageWidth / 16)
        let bridgeMid = try buffer(8 * w, bottom.0, bottom.1)
        let bridge = try buffer(8 * w, bottom.0, bottom.1)
        try conv(weights.foldedConv("bridge.bridge.0.conv", batchNorm: "bridge.bridge.0.bn", hasBias: true), from: skips[4], into: bridgeMid, postOps: [.relu], name: "bridge.0")
        try conv(weights.foldedConv("bridge.bridge.1.conv", batchNorm: "bridge.bridge.1.bn", hasBias: true), from: bridgeMid, into: bridge, postOps: [.relu], name: "bridge.1")

        // Decoder: up_blocks[i](h, skip) = CBR(CBR(concat[ConvT(h), skip])).
        var after = [bridge]
        var h = bridge
        for (i, up) in CoSupArchitecture.upBlocks(width: w).enumerated() {
            let skip = skips[3 - i]
            let (oh, ow) = (h.height * 2, h.width * 2)
            let upsampled = try buffer(up.upsampled, oh, ow)
            let upsample = weights.foldedConv("up_blocks.\(i).upsample", batchNorm: nil, hasBias: true)
            steps.append(.deconv(try DeconvLayer(weights: upsample.floatWeights, bias: upsample.floatBias, source: h,
                                                 destination: upsampled, context: context, name: "up_blocks.\(i).upsample"), h, upsampled))
            // Channel blocks only where both parts of the concatenation start on a block.
            let concat = try buffer(up.upsampled + up.skip, oh, ow, allowBlocks: up.upsampled % (context.configuration.channelBlock ?? 1) == 0)
            steps.append(.copy(try ChannelCopyLayer(source: upsampled, destination: concat, channelOffset: 0, context: context), upsampled))
            steps.append(.copy(try ChannelCopyLayer(source: skip, destination: concat, channelOffset: up.upsampled, context: context), skip))
            let mid = try buffer(up.output, oh, ow)
            let out = try buffer(up.output, oh, ow)
            try conv(weights.foldedConv("up_blocks.\(i).conv_block_1.conv", batchNorm: "up_blocks.\(i).conv_block_1.bn", hasBias: true),
                     from: concat, into: mid, postOps: [.relu], name: "up_blocks.\(i).conv_block_1")
            try conv(weights.foldedConv("up_blocks.\(i).conv_block_2.conv", batchNorm: "up_blocks.\(i).conv_block_2.bn", hasBias: true),
                     from: mid, into: out, postOps: [.relu], name: "up_blocks.\(i).conv_block_2")
            after.append(out)
            h = out
        }
        u3 = h

        // Attention fusion: side heads on src_i = after[4 - i].
        let upHead = weights.foldedConv("up.bridge", batchNorm: nil, hasBias: true)
        let other = try buffer(w, height, imageWidth)
        self.other = other
        let zFull = try buffer(w, height, imageWidth)
        let gFull = try buffer(w, height, imageWidth)
        var auxiliary: [Activation] = []
        for i in 0..<5 {
            let source = after[4 - i]
            let bridgeHead = weights.foldedConv("fout.\(i).bridge", batchNorm: nil, hasBias: true)
            let gateHead = LinearFusion.compose(outer: weights.foldedConv("fout.\(i).conv", batchNorm: nil, hasBias: true), inner: bridgeHead)
            let auxHead = LinearFusion.compose(outer: upHead, inner: bridgeHead)
            let aux = sideOutputs ? try buffer(1, height, imageWidth) : nil
            if i == 0 {
                try conv(bridgeHead, from: source, into: zFull, postOps: [], name: "fout.0.bridge")
                try conv(gateHead, from: source, into: gFull, postOps: [.sigmoid], name: "fout.0.conv")
                if let aux { try conv(auxHead, from: source, into: aux, postOps: [.sigmoid, .sigmoid], name: "up.bridge (aux0)") }
            } else {
                let (lh, lw) = (source.height, source.width)
                let zLow = try buffer(w, lh, lw), gLow = try buffer(w, lh, lw)
                try conv(bridgeHead, from: source, into: zLow, postOps: [], name: "fout.\(i).bridge")
                try conv(gateHead, from: source, into: gLow, postOps: [], name: "fout.\(i).conv")
                steps.append(.resize(try BilinearLayer(source: zLow, destination: zFull, postOps: [], context: context), zLow, zFull))
                steps.append(.resize(try BilinearLayer(source: gLow, destination: gFull, postOps: [.sigmoid], context: context), gLow, gFull))
                if let aux {
                    let aLow = try buffer(1, lh, lw)
                    try conv(auxHead, from: source, into: aLow, postOps: [], name: "up.bridge (aux\(i))")
                    steps.append(.resize(try BilinearLayer(source: aLow, destination: aux, postOps: [.sigmoid, .sigmoid], context: context), aLow, aux))
                }
            }
            steps.append(.multiply(try MultiplyLayer(a: gFull, b: zFull, destination: other, accumulate: i > 0, context: context), gFull, zFull, other))
            if let aux { auxiliary.append(aux) }
        }
        self.auxiliary = auxiliary

        // Gate: xg from u3 in one fused 3x3 convolution (border corrections applied in `forward`).
        let gate = LinearFusion.gateConvolution(
            upsample: weights.foldedConv("final_upsample", batchNorm: nil, hasBias: true),
            finalConv: weights.foldedConv("final_conv", batchNorm: nil, hasBias: true),
            gateBridge: weights.foldedConv("gate.bridge", batchNorm: nil, hasBias: true))
        gateCorrections = gate.corrections.map { $0.map(Float.init) }
        let gateX = try buffer(w, height, imageWidth)
        let gateG = try buffer(w, height, imageWidth)
        try conv(gate.conv, from: u3, into: gateX, postOps: [], name: "final branch + gate.bridge")
        steps.append(.correctGateBorders)
        try conv(weights.foldedConv("gate.conv", batchNorm: nil, hasBias: true), from: gateX, into: gateG, postOps: [.sigmoid], name: "gate.conv")
        self.gateX = gateX
        self.gateG = gateG
        self.steps = steps
        outWeights = weights.values("out1.weight")
    }

    /// How this network runs here, e.g. "cpu: avx2, 2 threads; nChw8c; 3x3 convolutions: winograd
    /// (avx2 kernels); post-ops fused".
    public var backendSummary: String {
        let record = context.record, configuration = context.configuration
        var convolutions: String
        switch (record.winogradConvolutions, record.directConvolutions) {
        case (0, _): convolutions = "oneDNN direct"
        case (_, 0): convolutions = "winograd (\(configuration.winograd!) kernels)"
        case (let winograd, let direct): convolutions = "winograd (\(configuration.winograd!) kernels) \(winograd), oneDNN direct \(direct)"
        }
        let postOps = record.separatedPostOps == 0 ? "fused"
            : "\(record.separatedPostOps) of \(record.primitivesWithPostOps) run separately\(configuration.fusePostOps ? " (not implemented fused on this CPU)" : "")"
        let threads = DNNLContext.threadCount
        return "cpu: \(InstructionSet.current.name), \(threads) thread\(threads == 1 ? "" : "s"); \(configuration.layoutName); "
            + "3x3 convolutions: \(convolutions); post-ops \(postOps)"
    }
}
