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

    let steps: [Step]
    let input: Activation
    let u3: Activation
    let other: Activation
    let gateX: Activation
    let gateG: Activation
    let auxiliary: [Activation]
    let gateCorrections: [[Float]]
    /// `out1.weight`, `outputs` rows of `channels`.
    let outWeights: [Float]
    /// Channels of the main head: 1 (binary) or 3 (per class, softmax); see `CoSupWeights.outputs`.
    public let outputs: Int

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
        gateCorrections = gate.corrections
        steps = builder.steps
        outWeights = weights.values("out1.weight")
        outputs = weights.outputs
    }

    /// How this network runs here, e.g. "cpu: avx2, 2 threads; nChw8c; 3x3 convolutions: winograd
    /// (avx2 kernels); post-ops fused". The layout and the counts are what building the network
    /// recorded (the blocked layout of the activations built).
    public var backendSummary: String {
        let record = context.record, configuration = context.configuration
        let kernels = configuration.winograd.map { "\($0) kernels\(configuration.wideProduct ? ", 12x32 block" : "")" } ?? ""
        var convolutions: String
        switch (record.winogradConvolutions, record.directConvolutions) {
        case (0, _): convolutions = "oneDNN direct"
        case (_, 0): convolutions = "winograd (\(kernels))"
        case (let winograd, let direct): convolutions = "winograd (\(kernels)) \(winograd), oneDNN direct \(direct)"
        }
        var postOps = record.separatedPostOps == 0 ? "fused"
            : "\(record.separatedPostOps) of \(record.primitivesWithPostOps) run separately\(configuration.fusePostOps ? " (not implemented fused on this CPU)" : "")"
        if record.laterImplementations > 0 {
            postOps += "; \(record.laterImplementations) primitive(s) on a later oneDNN implementation (the first failed to build)"
        }
        let layout = record.layoutName
        let threads = DNNLContext.threadCount
        // How idle OpenMP threads wait (`OMP_WAIT_POLICY`; the command line sets PASSIVE unless given).
        let policy = ProcessInfo.processInfo.environment["OMP_WAIT_POLICY"].map { $0.lowercased() + " wait" } ?? "OpenMP's default wait"
        return "cpu: \(InstructionSet.current.name), \(threads) thread\(threads == 1 ? "" : "s, " + policy); \(layout); "
            + "3x3 convolutions: \(convolutions); post-ops \(postOps)"
    }
}
