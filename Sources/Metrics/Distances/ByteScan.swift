/// Whether a run of bytes is all zero, read eight bytes at a time: rows of a sparse surface and
/// background rows of a label volume are mostly empty, and the distance passes and the label scan
/// skip them this way.
public enum ByteScan {
    /// True when the `count` bytes from `start` are all 0.
    @inline(__always)
    public static func allZero(_ start: UnsafeRawPointer, count: Int) -> Bool {
        var offset = 0
        while offset + 8 <= count {
            if start.loadUnaligned(fromByteOffset: offset, as: UInt64.self) != 0 { return false }
            offset += 8
        }
        while offset < count {
            if start.load(fromByteOffset: offset, as: UInt8.self) != 0 { return false }
            offset += 1
        }
        return true
    }

    /// Whether `flags[start ..< start + count]` holds a true (a Bool is one byte, 0 or 1).
    @inline(__always)
    public static func anyTrue(_ flags: UnsafeBufferPointer<Bool>, from start: Int, count: Int) -> Bool {
        guard let base = flags.baseAddress else { return false }
        return !allZero(UnsafeRawPointer(base + start), count: count)
    }
}
