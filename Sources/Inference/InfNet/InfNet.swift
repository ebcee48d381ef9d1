import Foundation

/// Inf-Net / Semi-Inf-Net (Fan et al., IEEE TMI 2020; the authors' `Inf_Net` with the Res2Net-50
/// v1b 26w x 4s backbone) for one input size, on oneDNN: every layer's primitive and every
/// activation is created once here; `forward` reuses them. `shared/spec/infnet-model.md`,
/// sections 3 and 4, define the function; `InfNetBuilder` follows them part by part with these
/// exact rewrites: BatchNorm folded into the convolutions; ReLU and the residual sums fused as
/// post-ops; each bottleneck's 1x1 `conv1` run per chunk; 3x3 stride-1 convolutions on channel
/// blocks computed with Winograd F(2x2, 3x3) (`WinogradLayer`, closer to a double-precision
/// convolution than oneDNN's direct kernel). Both weight sets (Inf-Net, Semi-Inf-Net) have this
/// architecture.
///
/// Not thread-safe: one forward pass at a time per instance.
public final class InfNet {
    /// The input's size in pixels (both divisible by 32; the authors' script feeds 352 x 352).
    public let height: Int
    public let width: Int
    /// Whether the training side outputs (lateral maps 5, 4, 3 and the edge) are computed too.
    public let sideOutputs: Bool
    let context: DNNLContext
    let steps: [NetworkStep]
    let input: Activation
    /// lateral_map_2 (the prediction), then with side outputs lateral_map_5, 4, 3 and lateral_edge.
    let maps: [Activation]
    /// Named intermediate tensors, for locating a difference (`intermediate(_:)`).
    let intermediates: [String: Activation]

    /// The network's outputs: logits at the input size, row-major.
    public struct Output: Sendable {
        /// `lateral_map_2`, the prediction.
        public var prediction: [Float]
        /// `lateral_map_5`, `lateral_map_4`, `lateral_map_3`, `lateral_edge` (with side outputs).
        public var sideOutputs: [[Float]]
    }

    /// Builds the network for inputs of `height` x `width` pixels (both divisible by 32).
    public init(weights: InfNetWeights, height: Int = 352, width: Int = 352, sideOutputs: Bool = false,
                context: DNNLContext) throws(InferenceError) {
        guard height >= 32, width >= 32, height % 32 == 0, width % 32 == 0 else {
            throw InferenceError("the Inf-Net input must have sides divisible by 32 (got \(height)x\(width))")
        }
        self.height = height
        self.width = width
        self.sideOutputs = sideOutputs
        self.context = context
        var builder = InfNetBuilder(weights: weights, context: context)
        input = try Activation(channels: 3, height: height, width: width, planar: true, context: context)
        let x = try builder.backbone(input)
        let f2 = try builder.receptiveField(x[1], name: "rfb2_1")
        let f3 = try builder.receptiveField(x[2], name: "rfb3_1")
        let f4 = try builder.receptiveField(x[3], name: "rfb4_1")
        let g = try builder.decoder(f4: f4, f3: f3, f2: f2)
        let edge = try builder.edge(x1: x[0])
        let stage4 = try builder.reverseAttention(x[3], coarse: g, edge: edge.guidance, prefix: "ra4", last: 5)
        let stage3 = try builder.reverseAttention(x[2], coarse: stage4.map, edge: edge.guidance, prefix: "ra3", last: 4)
        let stage2 = try builder.reverseAttention(x[1], coarse: stage3.map, edge: edge.guidance, prefix: "ra2", last: 4)
        var maps = [try builder.resized(stage2.map, height, width)]
        if sideOutputs {
            for map in [g, stage4.map, stage3.map, edge.logit] { maps.append(try builder.resized(map, height, width)) }
        }
        self.maps = maps
        steps = builder.net.steps
        intermediates = ["layer1": x[0], "layer2": x[1], "layer3": x[2], "layer4": x[3], "rfb2_1": f2, "rfb3_1": f3, "rfb4_1": f4,
                         "ra5_feat": g, "edge_guidance": edge.guidance, "edge_logit": edge.logit,
                         "crop_4": stage4.crop, "s4": stage4.map, "crop_3": stage3.crop, "s3": stage3.map, "crop_2": stage2.crop, "s2": stage2.map]
    }

    /// Runs the network on one preprocessed input [3, height, width] (channel-major, row-major:
    /// `ImageNetNormalization.tensor`).
    public func forward(_ values: [Float]) throws(InferenceError) -> Output {
        try input.load(nchw: values)
        try steps.run(context: context)
        let outputs = maps.map { Array(UnsafeBufferPointer(start: $0.pointer, count: $0.count)) }
        return Output(prediction: outputs[0], sideOutputs: Array(outputs.dropFirst()))
    }

    /// The intermediate tensor `name` of the last forward pass in NCHW order (names as in the
    /// spec and the golden: layer1...layer4, rfb2_1, ra5_feat, edge_guidance, crop_4, s4, ...).
    public func intermediate(_ name: String) -> [Float]? { intermediates[name]?.nchw() }

    /// How this network runs here (`BackendRecord.summary`).
    public var backendSummary: String { context.record.summary(configuration: context.configuration) }
}
