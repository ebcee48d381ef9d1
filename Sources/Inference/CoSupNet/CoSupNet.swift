import Foundation
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
    /// Channels of the first layer (the network's width, 64 in the paper).
    public let channels: Int
    /// The input's size in pixels.
    public let height: Int
    public let width: Int
    public let sideOutputs: Bool
    let context: DNNLContext

    let steps: [NetworkStep]
    let input: Activation
    let u3: Activation
    let other: Activation
    let gateX: Activation
    let gateG: Activation
    let auxiliary: [Activation]
    /// `out1.weight`, `outputs` rows of `channels`.
    let outWeights: [Float]
    /// Channels of the main head: 1 (binary) or 3 (per class, softmax); see `CoSupWeights.outputs`.
    public let outputs: Int

    /// Builds the network for inputs of `height` x `width` pixels (both divisible by 16).
    public init(weights: CoSupWeights, height: Int, width: Int, sideOutputs: Bool, context: DNNLContext) throws(InferenceError) {
        guard height >= 16, width >= 16, height % 16 == 0, width % 16 == 0 else {
            throw InferenceError("the network input must have sides divisible by 16 (got \(height)x\(width))")
        }
        channels = weights.width
        self.height = height
        self.width = width
        self.sideOutputs = sideOutputs
        self.context = context
        var builder = CoSupBuilder(weights: weights, context: context)
        input = try builder.buffer(1, height, width)
        let skips = try builder.encoder(input: input)
        let bridge = try builder.bridge(skips[4])
        let decoded = try builder.decoder(bridge: bridge, skips: skips)
        u3 = decoded.last!
        let heads = try builder.sideHeads(decoded, sideOutputs: sideOutputs)
        other = heads.other
        auxiliary = heads.auxiliary
        let gate = try builder.gate(u3: u3)
        gateX = gate.x
        gateG = gate.g
        steps = builder.steps
        outWeights = weights.values("out1.weight")
        outputs = weights.outputs
    }

    /// How this network runs here (`BackendRecord.summary`).
    public var backendSummary: String { context.record.summary(configuration: context.configuration) }
}
