/// Builds `CoSupNet`'s steps and buffers, one part of the network per method, in the order the
/// forward pass runs them (spec section 3): encoder, bridge, decoder, side heads, gate. Each
/// method appends its layers to `steps` and returns the activations the next part reads.
struct CoSupBuilder {
    let weights: CoSupWeights
    let context: DNNLContext
    /// Channels of the first layer.
    let channels: Int
    private var net: NetworkBuilder
    var steps: [NetworkStep] { net.steps }

    init(weights: CoSupWeights, context: DNNLContext) {
        self.weights = weights
        self.context = context
        channels = weights.width
        net = NetworkBuilder(context: context)
    }

    func buffer(_ c: Int, _ h: Int, _ w: Int, allowBlocks: Bool = true) throws(InferenceError) -> Activation {
        try net.buffer(c, h, w, allowBlocks: allowBlocks)
    }

    /// A convolution: Winograd where it applies, else oneDNN (`NetworkBuilder.conv`).
    mutating func conv(_ folded: FoldedConv, from source: Activation, into destination: Activation, stride: Int = 1,
                       postOps: [PostOp], name: String, hasBias: Bool = true) throws(InferenceError) {
        try net.conv(folded, from: source, into: destination, stride: stride, postOps: postOps, name: name, hasBias: hasBias)
    }

    /// The ResNet encoder: conv1 + max pool, then layer1 ... layer4. Returns
    /// [down_x0, down_x1, down_x2, down_x3, down_x4] (the skips, bottom last).
    mutating func encoder(input x: Activation) throws(InferenceError) -> [Activation] {
        let w = channels, height = x.height, width = x.width
        let e = try buffer(w, height, width)
        try conv(weights.foldedConv("ResNet.conv1", batchNorm: "ResNet.bn1", hasBias: false), from: x, into: e, postOps: [.relu], name: "ResNet.conv1")
        var running = try buffer(w, height / 2, width / 2)
        try net.pool(.max, kernel: 2, stride: 2, padding: 0, from: e, into: running)
        var skips = [e]
        for (layer, blocks) in CoSupArchitecture.layerBlocks.enumerated() {
            let c = w << layer
            let scale = 2 << layer
            let mid = try buffer(c, height / scale, width / scale)
            for block in 0..<blocks {
                let prefix = "ResNet.layer\(layer + 1).\(block)"
                var source = running
                if block == 0 && layer > 0 {
                    // The identity path: downsample into the new running buffer, then add onto it.
                    let next = try buffer(c, height / scale, width / scale)
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
        return skips
    }

    /// The bridge: two 3x3 conv + BN + ReLU at 1/16 of the input.
    mutating func bridge(_ bottom: Activation) throws(InferenceError) -> Activation {
        let bridgeMid = try buffer(8 * channels, bottom.height, bottom.width)
        let bridge = try buffer(8 * channels, bottom.height, bottom.width)
        try conv(weights.foldedConv("bridge.bridge.0.conv", batchNorm: "bridge.bridge.0.bn", hasBias: true), from: bottom, into: bridgeMid, postOps: [.relu], name: "bridge.0")
        try conv(weights.foldedConv("bridge.bridge.1.conv", batchNorm: "bridge.bridge.1.bn", hasBias: true), from: bridgeMid, into: bridge, postOps: [.relu], name: "bridge.1")
        return bridge
    }

    /// The decoder: up_blocks[i](h, skip) = CBR(CBR(concat[ConvT(h), skip])). Returns
    /// [bridge, after up_blocks.0, ..., after up_blocks.3]; the last is u3.
    mutating func decoder(bridge: Activation, skips: [Activation]) throws(InferenceError) -> [Activation] {
        var after = [bridge]
        var h = bridge
        for (i, up) in CoSupArchitecture.upBlocks(width: channels).enumerated() {
            let skip = skips[3 - i]
            let (oh, ow) = (h.height * 2, h.width * 2)
            let upsampled = try buffer(up.upsampled, oh, ow)
            let upsample = weights.foldedConv("up_blocks.\(i).upsample", batchNorm: nil, hasBias: true)
            net.append(.deconv(try DeconvLayer(weights: upsample.floatWeights, bias: upsample.floatBias, source: h,
                                                 destination: upsampled, context: context, name: "up_blocks.\(i).upsample"), h, upsampled))
            // Channel blocks only where both parts of the concatenation start on a block.
            let concat = try buffer(up.upsampled + up.skip, oh, ow, allowBlocks: up.upsampled % (context.configuration.channelBlock ?? 1) == 0)
            try net.copy(upsampled, into: concat, channelOffset: 0)
            try net.copy(skip, into: concat, channelOffset: up.upsampled)
            let mid = try buffer(up.output, oh, ow)
            let out = try buffer(up.output, oh, ow)
            try conv(weights.foldedConv("up_blocks.\(i).conv_block_1.conv", batchNorm: "up_blocks.\(i).conv_block_1.bn", hasBias: true),
                     from: concat, into: mid, postOps: [.relu], name: "up_blocks.\(i).conv_block_1")
            try conv(weights.foldedConv("up_blocks.\(i).conv_block_2.conv", batchNorm: "up_blocks.\(i).conv_block_2.bn", hasBias: true),
                     from: mid, into: out, postOps: [.relu], name: "up_blocks.\(i).conv_block_2")
            after.append(out)
            h = out
        }
        return after
    }

    /// The attention fusion's side heads on src_i = after[4 - i]: `other` = sum over i of
    /// sigmoid(gate head) * bridge head, both at full resolution; with `sideOutputs`, the five
    /// auxiliary maps (double sigmoid of the up head).
    mutating func sideHeads(_ after: [Activation], sideOutputs: Bool) throws(InferenceError) -> (other: Activation, auxiliary: [Activation]) {
        let w = channels, height = after[4].height, width = after[4].width
        let upHead = weights.foldedConv("up.bridge", batchNorm: nil, hasBias: true)
        let other = try buffer(w, height, width)
        let zFull = try buffer(w, height, width)
        let gFull = try buffer(w, height, width)
        var auxiliary: [Activation] = []
        for i in 0..<5 {
            let source = after[4 - i]
            let bridgeHead = weights.foldedConv("fout.\(i).bridge", batchNorm: nil, hasBias: true)
            let gateHead = LinearFusion.compose(outer: weights.foldedConv("fout.\(i).conv", batchNorm: nil, hasBias: true), inner: bridgeHead)
            let auxHead = LinearFusion.compose(outer: upHead, inner: bridgeHead)
            let aux = sideOutputs ? try buffer(1, height, width) : nil
            if i == 0 {
                try conv(bridgeHead, from: source, into: zFull, postOps: [], name: "fout.0.bridge")
                try conv(gateHead, from: source, into: gFull, postOps: [.sigmoid], name: "fout.0.conv")
                if let aux { try conv(auxHead, from: source, into: aux, postOps: [.sigmoid, .sigmoid], name: "up.bridge (aux0)") }
            } else {
                let (lh, lw) = (source.height, source.width)
                let zLow = try buffer(w, lh, lw), gLow = try buffer(w, lh, lw)
                try conv(bridgeHead, from: source, into: zLow, postOps: [], name: "fout.\(i).bridge")
                try conv(gateHead, from: source, into: gLow, postOps: [], name: "fout.\(i).conv")
                try net.resize(zLow, into: zFull)
                try net.resize(gLow, into: gFull, postOps: [.sigmoid])
                if let aux {
                    let aLow = try buffer(1, lh, lw)
                    try conv(auxHead, from: source, into: aLow, postOps: [], name: "up.bridge (aux\(i))")
                    try net.resize(aLow, into: aux, postOps: [.sigmoid, .sigmoid])
                }
            }
            try net.binary(.multiply, gFull, zFull, into: other, accumulate: i > 0)
            if let aux { auxiliary.append(aux) }
        }
        return (other, auxiliary)
    }

    /// The gate: xg from u3 in one fused 3x3 convolution (`LinearFusion.gateConvolution`; border
    /// corrections applied in the forward pass), and its sigmoid gate gx.
    mutating func gate(u3: Activation) throws(InferenceError) -> (x: Activation, g: Activation) {
        let gate = LinearFusion.gateConvolution(
            upsample: weights.foldedConv("final_upsample", batchNorm: nil, hasBias: true),
            finalConv: weights.foldedConv("final_conv", batchNorm: nil, hasBias: true),
            gateBridge: weights.foldedConv("gate.bridge", batchNorm: nil, hasBias: true))
        let gateX = try buffer(channels, u3.height, u3.width)
        let gateG = try buffer(channels, u3.height, u3.width)
        try conv(gate.conv, from: u3, into: gateX, postOps: [], name: "final branch + gate.bridge")
        let corrections = gate.corrections.map { $0.map(Float.init) }
        net.append(.host { CoSupNet.correctGateBorders(gateX, corrections: corrections) })
        try conv(weights.foldedConv("gate.conv", batchNorm: nil, hasBias: true), from: gateX, into: gateG, postOps: [.sigmoid], name: "gate.conv")
        return (gateX, gateG)
    }
}
