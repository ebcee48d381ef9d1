import CKernels

/// A 3x3, stride 1, padding 1 convolution computed with Winograd F(2x2, 3x3) or F(4x4, 3x3)
/// (`winograd.c`): 16 multiply-adds per four outputs and channel pair, or 36 per sixteen, instead
/// of 36 or 144. oneDNN 2.6 has a Winograd kernel for AVX-512 machines only; on AVX2 its direct
/// kernels run near the core's peak, so this is where the remaining speed is. Runs on 8- or
/// 16-channel blocks at the context's kernel level (`BackendConfiguration.winograd`). Same
/// contract as `ConvLayer` for the post-ops it supports (`[]`, `[.relu]`, `[.sum, .relu]`,
/// `[.sum]`). Against a double-precision convolution on random layers (`WinogradTests`): F(2x2)
/// within 2.3e-6, where oneDNN's direct kernel is within 6e-6; F(4x4) within 5.2e-5, which only
/// networks with that much tolerance use (`NetworkBuilder.winogradTile`: the Inf-Net family).
final class WinogradLayer {
    private let handle: OpaquePointer
    /// The network's shared scratch (`DNNLContext.winogradScratch`), reserved for this layer's need.
    private let scratch: WinogradScratch

    /// Whether this layer can compute `kernel`/`stride` with `postOps` between these activations
    /// with `configuration` (nil `winograd` there: never; `SEGEVAL_CONV=direct` sets that).
    static func supports(kernel: Int, stride: Int, postOps: [PostOp], source: Activation, destination: Activation, tile: Int = 2,
                         configuration: BackendConfiguration) -> Bool {
        guard configuration.winograd != nil, kernel == 3, stride == 1, source.isBlocked, source.block == destination.block,
              source.height == destination.height, source.width == destination.width, source.height >= 2, source.width >= 2,
              tile == 4 || (tile == 2 && source.height % 2 == 0 && source.width % 2 == 0) else { return false }
        return postOps.isEmpty || postOps == [.relu] || postOps == [.sum] || postOps == [.sum, .relu]
    }

    /// Transforms the weights (OIHW, double) once; nil if the shape, layout or level is one the
    /// kernel does not compute with `context`'s configuration (the caller then uses oneDNN).
    /// Throws when memory is short.
    init?(conv: FoldedConv, stride: Int, hasBias: Bool, postOps: [PostOp], source: Activation, destination: Activation, tile: Int = 2,
          context: DNNLContext) throws(InferenceError) {
        let configuration = context.configuration
        guard Self.supports(kernel: conv.kernel, stride: stride, postOps: postOps, source: source, destination: destination,
                            tile: tile, configuration: configuration),
              let level = configuration.winograd, level <= InstructionSet.current.kernels,
              conv.inChannels == source.channels, conv.outChannels == destination.channels else { return nil }
        var handle: OpaquePointer?
        let status = conv.weights.withUnsafeBufferPointer { weights in
            conv.bias.withUnsafeBufferPointer { bias in
                ck_winograd_create(Int32(conv.inChannels), Int32(conv.outChannels), Int32(source.height), Int32(source.width),
                                   Int32(source.block), level.cLevel, configuration.wideProduct ? 1 : 0, Int32(tile),
                                   weights.baseAddress, hasBias ? bias.baseAddress : nil,
                                   postOps.contains(.sum) ? 1 : 0, postOps.contains(.relu) ? 1 : 0,
                                   Int32(max(1, DNNLContext.threadCount)), &handle)
            }
        }
        switch status {
        case CK_OK: self.handle = handle!
        case CK_OUT_OF_MEMORY:
            throw InferenceError("out of memory transforming the weights of a \(conv.inChannels)->\(conv.outChannels) convolution at \(source.height)x\(source.width)")
        default: return nil
        }
        scratch = context.winogradScratch
        try scratch.reserve(floats: ck_winograd_scratch_floats(self.handle))
    }

    deinit { ck_winograd_destroy(handle) }

    /// For tests: forces a split (chunks of `tiles`, rounded up to the register block) on `threads`.
    func setChunks(shared: Bool, tiles: Int, threads: Int) throws(InferenceError) {
        guard ck_winograd_set_chunks(handle, shared ? 1 : 0, Int32(tiles), Int32(threads)) == CK_OK else {
            throw InferenceError("could not set the Winograd chunks")
        }
        try scratch.reserve(floats: ck_winograd_scratch_floats(handle))
    }

    func run(_ source: Activation, into destination: Activation) {
        ck_winograd_run(handle, source.pointer, destination.pointer, scratch.pointer)
    }
}
