/// The fuzzer's bytes read as a stream of choices (for the structure-aware generators). Reading
/// past the end gives zeros, so every input is a complete program.
struct Choices {
    private let bytes: [UInt8]
    private var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var isExhausted: Bool { position >= bytes.count }

    mutating func byte() -> UInt8 {
        defer { position += 1 }
        return position < bytes.count ? bytes[position] : 0
    }

    mutating func pick<T>(_ options: [T]) -> T { options[Int(byte()) % options.count] }

    /// An integer, often one at an edge: 0, 1, -1, sizes around 2^31, 2^32, 2^62, 2^63.
    mutating func integer() -> Int64 {
        switch byte() % 8 {
        case 0: return Int64(byte())
        case 1: return Int64(Int8(bitPattern: byte()))
        case 2: return pick([0, 1, -1, 2, 3, 4, 16, 255, 256, 65535, 65536])
        case 3: return pick([Int64(Int32.max), Int64(Int32.max) + 1, Int64(UInt32.max), 1 << 40, 1 << 62, Int64.max, Int64.min, -(1 << 31)])
        default:
            var value: UInt64 = 0
            for _ in 0..<8 { value = value << 8 | UInt64(byte()) }
            return Int64(bitPattern: value)
        }
    }
}
