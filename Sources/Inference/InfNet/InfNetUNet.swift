import Foundation

/// The multi-class U-Net of "Semi-Inf-Net + multi-class UNet" (the authors' `Inf_Net_UNet(6, 3)`;
/// Inf-Net spec, section 9.2) for one input size, on oneDNN. Input: the 6-channel tensor of
/// `InfNetMultiClass.input` (slice and Semi-Inf-Net prior); output: 3 logit planes (channel 0
/// GGO, 1 consolidation, 2 background). Exact rewrites: BatchNorm folded into the convolutions,
/// ReLU fused, 3x3 convolutions on channel blocks computed with Winograd F(2x2, 3x3); the
/// decoder's x2 upsampling (align_corners=True) is `AlignCornersResize`.
///
/// Not thread-safe: one forward pass at a time per instance.
public final class InfNetUNet {
    public let height: Int
    public let width: Int
    let context: DNNLContext
    let steps: [NetworkStep]
    let input: Activation
    let logits: Activation

    /// Builds the network for inputs of `height` x `width` pixels (both divisible by 16; the
    /// authors' script feeds 352 x 352).
    public init(weights: InfNetUNetWeights, height: Int = 352, width: Int = 352, context: DNNLContext) throws(InferenceError) {
        guard height >= 16, width >= 16, height % 16 == 0, width % 16 == 0 else {
            throw InferenceError("the U-Net input must have sides divisible by 16 (got \(height)x\(width))")
        }
        self.height = height
        self.width = width
        self.context = context
        // F(4x4, 3x3) Winograd: the logits stay within 3.2e-4 of the golden (tolerance 5e-4; 8e-5
        // with F(2x2); ONNX Runtime's differ from PyTorch's by 1.6e-4) and the 3x3 layers, nearly
        // all of the U-Net's work, take 1.8x fewer multiply-adds (AVX-512: 205 -> 151 ms).
        var net = NetworkBuilder(context: context, winogradTile: 4)
        input = try net.buffer(InfNetUNetArchitecture.inputChannels, height, width, planar: true)

        /// DC into `out` (a buffer of the block's output channels).
        func doubleConv(_ x: Activation, _ block: Int, into out: Activation) throws(InferenceError) {
            let (prefix, _, middle, _) = InfNetUNetArchitecture.blocks[block]
            let mid = try net.buffer(middle, x.height, x.width)
            try net.conv(weights.conv(prefix, 0), from: x, into: mid, postOps: [.relu], name: prefix + ".double_conv.0")
            try net.conv(weights.conv(prefix, 3), from: mid, into: out, postOps: [.relu], name: prefix + ".double_conv.3")
        }

        // Each decoder stage reads cat[skip, U(low)]: the encoder writes its skips, and the
        // upsampling its output, straight into the parts of those concatenations (views, no copies).
        let blocks = InfNetUNetArchitecture.blocks
        var concatenations: [Concatenation] = []
        for level in 0..<4 {
            let side = (height >> level, width >> level)
            concatenations.append(try net.concatenation([blocks[level].output, blocks[8 - level].input - blocks[level].output], side.0, side.1))
        }
        var x = input
        for level in 0..<4 {
            let skip = concatenations[level].parts[0]
            try doubleConv(x, level, into: skip)
            let pooled = try net.buffer(skip.channels, skip.height / 2, skip.width / 2)
            try net.pool(.max, kernel: 2, stride: 2, padding: 0, from: skip, into: pooled)
            x = pooled
        }
        var y = try net.buffer(blocks[4].output, height >> 4, width >> 4)
        try doubleConv(x, 4, into: y)
        for level in (0..<4).reversed() {
            let concatenation = concatenations[level]
            try net.resizeAligningCorners(y, into: concatenation.parts[1])
            try net.gather(concatenation)
            let block = 8 - level
            y = try net.buffer(blocks[block].output, concatenation.whole.height, concatenation.whole.width)
            try doubleConv(concatenation.whole, block, into: y)
        }
        // The 3-class head with zero channels up to a whole channel block (oneDNN's fast 1x1
        // kernels need them; its reference kernel would take a second here); `forward` reads 3.
        let block = context.configuration.channelBlock ?? 1
        logits = try net.buffer(max(block, InfNetMultiClass.classCount), height, width)
        try net.conv(weights.head.paddingOutputs(to: logits.channels), from: y, into: logits, postOps: [], name: "outc.conv")
        steps = net.steps
    }

    /// Runs the network on one input [6, height, width] (channel-major, row-major); returns the
    /// logits [3, height, width] in the same order.
    public func forward(_ values: [Float]) throws(InferenceError) -> [Float] {
        try input.load(nchw: values)
        try steps.run(context: context)
        return logits.nchw(channels: InfNetMultiClass.classCount)
    }

    /// How this network runs here (`BackendRecord.summary`).
    public var backendSummary: String { context.record.summary(configuration: context.configuration) }
}
