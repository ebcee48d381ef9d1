import Foundation

/// The scratch memory all Winograd layers of one network share (`winograd.c`: the transformed
/// inputs V and products M of a chunk of tiles). A network runs one layer at a time
/// (`DNNLContext`: one forward pass at a time), so one buffer of the largest layer's need serves
/// every layer; a buffer per layer took 172 MB for Inf-Net and 217 MB for the multi-class U-Net at
/// 352x352 where the largest layer needs 9 and 54 MB. Grown while the network is built, never
/// while it runs; zeroed when allocated (rows past a chunk's last tile are computed but unused).
final class WinogradScratch {
    private(set) var pointer: UnsafeMutablePointer<Float>?
    private(set) var floats = 0

    /// Makes the buffer at least `needed` floats long, 64-byte aligned; its contents are not kept.
    func reserve(floats needed: Int) throws(InferenceError) {
        guard needed > floats else { return }
        let (bytes, overflow) = needed.multipliedReportingOverflow(by: MemoryLayout<Float>.stride)
        var raw: UnsafeMutableRawPointer?
        guard !overflow, posix_memalign(&raw, 64, bytes) == 0, let raw else {
            throw InferenceError("out of memory for \(needed / 262_144) MB of Winograd scratch")
        }
        memset(raw, 0, bytes)
        free(pointer)
        pointer = raw.bindMemory(to: Float.self, capacity: needed)
        floats = needed
    }

    deinit { free(pointer) }
}
