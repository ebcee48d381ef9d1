import CDNNL
import Foundation

/// A float32 activation tensor [1, C, H, W], 64-byte aligned, owned by this object, with the
/// oneDNN memory object that describes it. Layout: the context's channel blocks (oneDNN
/// `nChw8c` or `nChw16c`: the layouts of its AVX2 and AVX-512 kernels; `BackendConfiguration`)
/// when C is a multiple of the block, else NHWC (channel fastest); or, when asked for, planar
/// NCHW (a network's input: the layout oneDNN's first-layer kernels read).
/// Element (c, p) with p = y * W + x lives at `offset(channel: c, pixel: p)`.
public final class Activation {
    public let channels: Int
    public let height: Int
    public let width: Int
    public let pointer: UnsafeMutablePointer<Float>
    let memory: dnnl_memory_t
    var descriptor: dnnl_memory_desc_t
    /// Channels per block (8 or 16), or 1 for NHWC.
    public let block: Int
    /// True for a blocked layout (`nChw8c`, `nChw16c`).
    public var isBlocked: Bool { block > 1 }
    /// True for planar NCHW (one whole plane per channel).
    public let isPlanar: Bool

    public var count: Int { channels * height * width }
    /// The tensor whose memory this one views (`init(viewing:…)`), kept alive with it; nil when it
    /// owns its memory.
    private let parent: Activation?

    /// `allowBlocks: false` forces NHWC (e.g. a concatenation whose parts do not start on a block);
    /// `planar: true` NCHW.
    init(channels: Int, height: Int, width: Int, allowBlocks: Bool = true, planar: Bool = false, context: DNNLContext) throws(InferenceError) {
        self.channels = channels
        self.height = height
        self.width = width
        isPlanar = planar || channels == 1
        block = allowBlocks && !planar ? Self.block(channels: channels, configuration: context.configuration) : 1
        context.record.blocks.insert(block)
        parent = nil
        let bytes = max(channels * height * width, 16) * MemoryLayout<Float>.size
        var raw: UnsafeMutableRawPointer?
        guard posix_memalign(&raw, 64, bytes) == 0, let raw else {
            throw InferenceError("out of memory allocating a \(channels)x\(height)x\(width) activation")
        }
        pointer = raw.bindMemory(to: Float.self, capacity: bytes / 4)
        pointer.initialize(repeating: 0, count: bytes / 4)
        descriptor = Self.layout(channels: channels, height: height, width: width, block: block, planar: isPlanar)
        var memory: dnnl_memory_t?
        let status = dnnl_memory_create(&memory, &descriptor, context.engine, raw)
        guard status == dnnl_success, let memory else {
            free(raw)
            throw InferenceError("oneDNN could not wrap an activation buffer (status \(status.rawValue))")
        }
        self.memory = memory
    }

    /// Channels [channelOffset, channelOffset + channels) of `parent` as a tensor of their own,
    /// sharing its memory: what a producer writes there is that part of a concatenation, and a
    /// consumer reads a chunk without a copy. Only where the part is contiguous in the parent's
    /// layout: blocked with the part on whole blocks, or planar NCHW. Nil otherwise.
    init?(viewing parent: Activation, channelOffset: Int, channels: Int, context: DNNLContext) throws(InferenceError) {
        let contiguous = parent.isBlocked ? channelOffset % parent.block == 0 && channels % parent.block == 0 : parent.isPlanar
        guard contiguous, channelOffset >= 0, channels > 0, channelOffset + channels <= parent.channels else { return nil }
        self.channels = channels
        self.height = parent.height
        self.width = parent.width
        block = parent.block
        isPlanar = parent.isPlanar
        self.parent = parent
        pointer = parent.pointer + channelOffset * parent.height * parent.width
        descriptor = Self.layout(channels: channels, height: height, width: width, block: block, planar: isPlanar)
        var memory: dnnl_memory_t?
        try dnnlCheck(dnnl_memory_create(&memory, &descriptor, context.engine, UnsafeMutableRawPointer(pointer)), "wrap a channel range")
        self.memory = memory!
    }

    deinit {
        dnnl_memory_destroy(memory)
        if parent == nil { free(pointer) }
    }

    /// The channels per block of a tensor of `channels` channels: the configuration's block when
    /// it divides `channels`, else 1 (NHWC).
    static func block(channels: Int, configuration: BackendConfiguration) -> Int {
        guard let block = configuration.channelBlock, channels % block == 0 else { return 1 }
        return block
    }

    /// oneDNN's name of the layout with `block` channels per block: "nChw8c", "nChw16c", or "nhwc" for 1.
    static func layoutName(block: Int) -> String { block > 1 ? "nChw\(block)c" : "nhwc" }

    /// The memory descriptor of a [1, C, H, W] float32 activation in this file's layout.
    static func layout(channels: Int, height: Int, width: Int, block: Int, planar: Bool = false) -> dnnl_memory_desc_t {
        var descriptor = dnnl_memory_desc_t()
        let dims: [Int64] = [1, Int64(channels), Int64(height), Int64(width)]
        // One channel: NCHW and NHWC are the same bytes; NCHW is what the first-layer kernels take.
        let tag = block == 16 ? dnnl_aBcd16b : block == 8 ? dnnl_aBcd8b : (planar || channels == 1 ? dnnl_nchw : dnnl_nhwc)
        dnnl_memory_desc_init_by_tag(&descriptor, 4, dims, dnnl_f32, tag)
        return descriptor
    }

    /// Channels stored side by side per pixel: a block's (blocked), all (NHWC) or one (planar).
    /// Channel group g = c / lanes of pixel p starts at (g * height * width + p) * lanes in every
    /// layout, so one loop over groups, pixels and lanes walks any of them.
    public var lanes: Int { isBlocked ? block : isPlanar ? 1 : channels }

    /// Where element (channel, pixel) is stored, pixel = y * width + x.
    @inline(__always)
    public func offset(channel: Int, pixel: Int) -> Int {
        block > 1 ? ((channel / block) * height * width + pixel) * block + channel % block
            : isPlanar ? channel * height * width + pixel : pixel * channels + channel
    }

    /// Sets a planar tensor (a network's input) from values in NCHW order; throws on a count
    /// that does not match.
    func load(nchw values: [Float]) throws(InferenceError) {
        precondition(isPlanar, "only a planar tensor holds NCHW values as they are")
        guard values.count == count else {
            throw InferenceError("input has \(values.count) values, expected \(channels)x\(height)x\(width)")
        }
        values.withUnsafeBufferPointer { pointer.update(from: $0.baseAddress!, count: $0.count) }
    }

    /// The values of the first `first` channels (all by default) in NCHW order (channel-major), as
    /// PyTorch would print them. Each channel is one strided run in every layout (`lanes` apart).
    public func nchw(channels first: Int? = nil) -> [Float] {
        let kept = Swift.min(Swift.max(first ?? channels, 0), channels), plane = height * width, stride = lanes
        return [Float](unsafeUninitializedCapacity: kept * plane) { out, initialized in
            for c in 0..<kept {
                let source = pointer + offset(channel: c, pixel: 0), row = out.baseAddress! + c * plane
                for p in 0..<plane { row[p] = source[p * stride] }
            }
            initialized = kept * plane
        }
    }
}
