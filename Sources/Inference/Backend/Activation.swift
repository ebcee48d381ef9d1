import CDNNL
import Foundation

/// A float32 activation tensor [1, C, H, W] stored NHWC (channel fastest), 64-byte aligned, owned
/// by this object, with the oneDNN memory object that describes it.
public final class Activation {
    public let channels: Int
    public let height: Int
    public let width: Int
    public let pointer: UnsafeMutablePointer<Float>
    let memory: dnnl_memory_t
    var descriptor: dnnl_memory_desc_t

    public var count: Int { channels * height * width }

    init(channels: Int, height: Int, width: Int, context: DNNLContext) throws(InferenceError) {
        self.channels = channels
        self.height = height
        self.width = width
        let bytes = max(channels * height * width, 16) * MemoryLayout<Float>.size
        var raw: UnsafeMutableRawPointer?
        guard posix_memalign(&raw, 64, bytes) == 0, let raw else {
            throw InferenceError("out of memory allocating a \(channels)x\(height)x\(width) activation")
        }
        pointer = raw.bindMemory(to: Float.self, capacity: bytes / 4)
        pointer.initialize(repeating: 0, count: bytes / 4)
        descriptor = Self.nhwc(channels: channels, height: height, width: width)
        var memory: dnnl_memory_t?
        let status = dnnl_memory_create(&memory, &descriptor, context.engine, raw)
        guard status == dnnl_success, let memory else {
            free(raw)
            throw InferenceError("oneDNN could not wrap an activation buffer (status \(status.rawValue))")
        }
        self.memory = memory
    }

    deinit {
        dnnl_memory_destroy(memory)
        free(pointer)
    }

    /// The NHWC memory descriptor of a [1, C, H, W] float32 tensor.
    static func nhwc(channels: Int, height: Int, width: Int) -> dnnl_memory_desc_t {
        var descriptor = dnnl_memory_desc_t()
        let dims: [Int64] = [1, Int64(channels), Int64(height), Int64(width)]
        dnnl_memory_desc_init_by_tag(&descriptor, 4, dims, dnnl_f32, dnnl_nhwc)
        return descriptor
    }

    /// The values in NCHW order (channel-major), as PyTorch would print them.
    public func nchw() -> [Float] {
        var out = [Float](repeating: 0, count: count)
        let plane = height * width
        for p in 0..<plane {
            for c in 0..<channels { out[c * plane + p] = pointer[p * channels + c] }
        }
        return out
    }
}
