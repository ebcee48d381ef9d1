import Foundation

/// How the network is laid out and computed on this CPU: the activations' channel blocks, whether
/// segeval's own Winograd kernels run (and at which instruction-set level), and whether post-ops
/// are fused into the primitives. Every choice changes only float32 rounding, never the function.
///
/// `automatic` follows the instruction set oneDNN reports at run time (`InstructionSet.current`,
/// capped by `ONEDNN_MAX_CPU_ISA`):
/// - AVX-512: 16-channel blocks (`nChw16c`, the layout of oneDNN's AVX-512 kernels), the Winograd
///   kernels' AVX-512 level with the wide 12 x 32 register block;
/// - anything else: 8-channel blocks (`nChw8c`, the layout of oneDNN's AVX2, AVX and SSE4.1
///   kernels), the Winograd kernels at the highest level allowed (AVX2, AVX or portable).
///
/// Environment switches, for comparisons and tests (read once):
/// - `SEGEVAL_LAYOUT=nhwc|nChw8c|nChw16c` forces the activation layout;
/// - `SEGEVAL_CONV=direct` runs every convolution on oneDNN (no Winograd kernels);
/// - `SEGEVAL_POST_OPS=separate` refuses fused post-ops: each primitive runs without them and
///   they follow as separate oneDNN primitives, the path taken anyway wherever oneDNN's first
///   implementation does not build with its post-ops (`PostOpPrimitive`);
/// - `SEGEVAL_WINOGRAD_TILE=2|4` forces the Winograd kernels' tile size (`winogradTile`).
public struct BackendConfiguration: Sendable, Equatable {
    /// Channels per block of the activations (8 or 16), or nil for NHWC everywhere.
    public var channelBlock: Int?
    /// The level of the Winograd kernels, or nil to run every convolution on oneDNN.
    public var winograd: KernelLevel?
    /// The wide (12 x 32) register block of the Winograd product (AVX-512's; correct anywhere).
    public var wideProduct: Bool
    /// Fuse post-ops into primitives where oneDNN implements them (else they run separately).
    public var fusePostOps: Bool
    /// The Winograd kernels' output tile: 2 (F(2x2, 3x3)) or 4 (F(4x4, 3x3)); nil: each network's
    /// own choice (`NetworkBuilder.winogradTile`), which depends on its tolerance.
    public var winogradTile: Int?
    /// Tests only: treat the creation of the first this many implementations of each primitive
    /// without fused post-ops as failed (so the walk to the next implementation runs on any CPU).
    var refusedFirstImplementations = 0

    public init(channelBlock: Int?, winograd: KernelLevel?, wideProduct: Bool, fusePostOps: Bool) {
        precondition(channelBlock == nil || channelBlock == 8 || channelBlock == 16, "channel blocks are 8 or 16")
        self.channelBlock = channelBlock
        self.winograd = winograd
        self.wideProduct = wideProduct
        self.fusePostOps = fusePostOps
    }

    /// The choice for `isa`, before environment switches.
    public static func preferred(for isa: InstructionSet) -> BackendConfiguration {
        BackendConfiguration(channelBlock: isa.hasAVX512 ? 16 : 8, winograd: isa.kernels,
                             wideProduct: isa.kernels == .avx512, fusePostOps: true)
    }

    /// The choice for this process: `preferred(for: .current)` with the environment switches applied.
    public static let automatic: BackendConfiguration = {
        var configuration = preferred(for: .current)
        let environment = ProcessInfo.processInfo.environment
        switch environment["SEGEVAL_LAYOUT"]?.lowercased() {
        case "nhwc": configuration.channelBlock = nil
        case "nchw8c": configuration.channelBlock = 8
        case "nchw16c": configuration.channelBlock = 16
        default: break
        }
        if environment["SEGEVAL_CONV"] == "direct" { configuration.winograd = nil }
        if environment["SEGEVAL_POST_OPS"] == "separate" { configuration.fusePostOps = false }
        switch environment["SEGEVAL_WINOGRAD_TILE"] {
        case "2": configuration.winogradTile = 2
        case "4": configuration.winogradTile = 4
        default: break
        }
        return configuration
    }()

    /// The layout's oneDNN name: "nChw16c", "nChw8c" or "nhwc".
    public var layoutName: String { Activation.layoutName(block: channelBlock ?? 1) }
}
