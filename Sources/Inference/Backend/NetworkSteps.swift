/// One thing a built network runs, in order: a oneDNN primitive on its activations, one of
/// segeval's own kernels, or a small computation on the host. Networks (`CoSupNet`, `InfNet`,
/// `InfNetUNet`) are a list of steps made once by a `NetworkBuilder` and run by `run(_:context:)`.
enum NetworkStep {
    case conv(ConvLayer, Activation, Activation)
    case winograd(WinogradLayer, Activation, Activation)
    case deconv(DeconvLayer, Activation, Activation)
    case pool(PoolLayer, Activation, Activation)
    case resize(BilinearLayer, Activation, Activation)
    case binary(BinaryLayer, Activation, Activation, Activation)
    case copy(ChannelCopyLayer, Activation)
    /// Runs on the calling thread once every earlier primitive has finished.
    case host(() -> Void)
}

extension Array where Element == NetworkStep {
    /// Runs the steps in order and waits until the last has finished.
    func run(context: DNNLContext) throws(InferenceError) {
        for step in self {
            switch step {
            case .conv(let layer, let source, let destination): try layer.run(source, into: destination, context: context)
            case .winograd(let layer, let source, let destination):
                try context.wait()
                layer.run(source, into: destination)
            case .deconv(let layer, let source, let destination): try layer.run(source, into: destination, context: context)
            case .pool(let layer, let source, let destination): try layer.run(source, into: destination, context: context)
            case .resize(let layer, let source, let destination): try layer.run(source, into: destination, context: context)
            case .binary(let layer, let a, let b, let destination): try layer.run(a, b, into: destination, context: context)
            case .copy(let layer, let source): try layer.run(source, context: context)
            case .host(let work):
                try context.wait()
                work()
            }
        }
        try context.wait()
    }
}

/// Makes a network's activations and steps on one context, in the order they will run. The
/// network-specific builders (`CoSupBuilder`, `InfNetBuilder`, `InfNetUNetBuilder`) call these.
struct NetworkBuilder {
    let context: DNNLContext
    /// The Winograd kernels' output tile for this network (2 or 4, `WinogradLayer`): the
    /// configuration's when it sets one, else the network's own choice.
    let winogradTile: Int
    private(set) var steps: [NetworkStep] = []

    init(context: DNNLContext, winogradTile: Int = 2) {
        self.context = context
        self.winogradTile = context.configuration.winogradTile ?? winogradTile
    }

    func buffer(_ c: Int, _ h: Int, _ w: Int, allowBlocks: Bool = true, planar: Bool = false) throws(InferenceError) -> Activation {
        try Activation(channels: c, height: h, width: w, allowBlocks: allowBlocks, planar: planar, context: context)
    }

    /// A buffer of `channels` for the output of `geometry` on `source`.
    func buffer(_ channels: Int, after geometry: ConvGeometry, on source: Activation) throws(InferenceError) -> Activation {
        let (h, w) = geometry.output(height: source.height, width: source.width)
        return try buffer(channels, h, w)
    }

    mutating func append(_ step: NetworkStep) { steps.append(step) }

    /// A convolution: segeval's Winograd kernels where they apply (3x3, stride 1, padding 1, no
    /// dilation, on channel blocks: `WinogradLayer`), else oneDNN's. `geometry` nil: a square
    /// kernel with "same" padding at `stride`.
    mutating func conv(_ folded: FoldedConv, from source: Activation, into destination: Activation, stride: Int = 1,
                       geometry: ConvGeometry? = nil, postOps: [PostOp], name: String, hasBias: Bool = true) throws(InferenceError) {
        let g = geometry ?? ConvGeometry(kernel: folded.kernelHeight, stride: stride)
        let squareSame = g == ConvGeometry(kernel: 3, stride: g.stride) && folded.kernelWidth == 3
        if squareSame, let layer = try WinogradLayer(conv: folded, stride: g.stride, hasBias: hasBias, postOps: postOps, source: source,
                                                     destination: destination, tile: winogradTile, context: context) {
            steps.append(.winograd(layer, source, destination))
            context.record.winogradConvolutions += 1
            context.record.winogradTiles.insert(winogradTile)
            return
        }
        if squareSame && g.stride == 1 { context.record.directConvolutions += 1 }
        let layer = try ConvLayer(weights: folded.floatWeights, bias: hasBias ? folded.floatBias : nil,
                                  outChannels: folded.outChannels, inChannels: folded.inChannels, geometry: g,
                                  source: source, destination: destination, postOps: postOps, context: context, name: name)
        steps.append(.conv(layer, source, destination))
    }

    mutating func pool(_ kind: PoolLayer.Kind, kernel: Int, stride: Int, padding: Int, from source: Activation,
                       into destination: Activation) throws(InferenceError) {
        steps.append(.pool(try PoolLayer(kind, kernel: kernel, stride: stride, padding: padding, source: source,
                                         destination: destination, context: context), source, destination))
    }

    /// Bilinear resize, half-pixel centres (PyTorch align_corners=False), no antialiasing.
    mutating func resize(_ source: Activation, into destination: Activation, postOps: [PostOp] = []) throws(InferenceError) {
        steps.append(.resize(try BilinearLayer(source: source, destination: destination, postOps: postOps, context: context), source, destination))
    }

    mutating func binary(_ operation: BinaryLayer.Operation, _ a: Activation, _ b: Activation, into destination: Activation,
                         accumulate: Bool = false) throws(InferenceError) {
        steps.append(.binary(try BinaryLayer(operation, a: a, b: b, destination: destination, accumulate: accumulate, context: context),
                             a, b, destination))
    }

    /// Copies `source` into channels from `channelOffset` of `destination` (a concatenation part).
    mutating func copy(_ source: Activation, into destination: Activation, channelOffset: Int) throws(InferenceError) {
        steps.append(.copy(try ChannelCopyLayer(source: source, destination: destination, channelOffset: channelOffset, context: context), source))
    }

    /// A buffer for the concatenation of parts of `channels` each, and the parts to write: views of
    /// the buffer where every part lies on whole channel blocks (no copy: `gather` adds nothing),
    /// else tensors of their own that `gather` copies in.
    func concatenation(_ channels: [Int], _ height: Int, _ width: Int) throws(InferenceError) -> Concatenation {
        let block = context.configuration.channelBlock ?? 1
        let total = channels.reduce(0, +)
        if block > 1, channels.allSatisfy({ $0 % block == 0 }) {
            let whole = try buffer(total, height, width)
            var parts: [Activation] = []
            var offset = 0
            for count in channels {
                guard let view = try Activation(viewing: whole, channelOffset: offset, channels: count, context: context) else { break }
                parts.append(view)
                offset += count
            }
            if parts.count == channels.count { return Concatenation(whole: whole, parts: parts, viewed: true) }
        }
        return Concatenation(whole: try buffer(total, height, width, allowBlocks: false),
                             parts: try channels.map { (count: Int) throws(InferenceError) in try buffer(count, height, width) }, viewed: false)
    }

    /// Completes a concatenation whose parts have been written: copies them in unless they are views.
    mutating func gather(_ concatenation: Concatenation) throws(InferenceError) {
        guard !concatenation.viewed else { return }
        var offset = 0
        for part in concatenation.parts {
            try copy(part, into: concatenation.whole, channelOffset: offset)
            offset += part.channels
        }
    }

    /// A concatenation of `parts` along channels, in order, into a new buffer (channel blocks only
    /// where every part starts on a block).
    mutating func concatenate(_ parts: [Activation]) throws(InferenceError) -> Activation {
        let block = context.configuration.channelBlock ?? 1
        var offsets: [Int] = []
        var total = 0
        for part in parts {
            offsets.append(total)
            total += part.channels
        }
        let out = try buffer(total, parts[0].height, parts[0].width, allowBlocks: offsets.allSatisfy { $0 % block == 0 })
        for (part, offset) in zip(parts, offsets) { try copy(part, into: out, channelOffset: offset) }
        return out
    }
}

/// A concatenation's buffer and its parts (views of it, or tensors `NetworkBuilder.gather` copies in).
struct Concatenation {
    let whole: Activation
    let parts: [Activation]
    let viewed: Bool
}
