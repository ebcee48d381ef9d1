/// Hand-assembled pickles (protocol 2 opcodes) and torch.save-style zip containers for tests.
struct PickleBuilder {
    private(set) var bytes: [UInt8] = [0x80, 0x02]   // PROTO 2

    mutating func global(_ module: String, _ name: String) { bytes += [0x63] + Array("\(module)\n\(name)\n".utf8) }
    mutating func string(_ text: String) {
        let utf8 = Array(text.utf8)
        bytes += [0x58] + le32(utf8.count) + utf8
    }
    mutating func int(_ value: Int) { bytes += [0x4A] + le32(value) }
    /// LONG1 with 8 bytes: any 64-bit value.
    mutating func long(_ value: Int64) { bytes += [0x8A, 8] + (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * Int64($0))) } }
    mutating func mark() { bytes.append(0x28) }
    mutating func tuple() { bytes.append(0x74) }
    mutating func emptyTuple() { bytes.append(0x29) }
    mutating func emptyDict() { bytes.append(0x7D) }
    mutating func reduce() { bytes.append(0x52) }
    mutating func build() { bytes.append(0x62) }
    mutating func setItem() { bytes.append(0x73) }
    mutating func newFalse() { bytes.append(0x89) }
    mutating func persistentID() { bytes.append(0x51) }
    mutating func raw(_ opcode: UInt8) { bytes.append(opcode) }
    mutating func stop() { bytes.append(0x2E) }

    /// `collections.OrderedDict()`: the state dict itself, and each tensor's backward hooks.
    mutating func emptyOrderedDict() { global("collections", "OrderedDict"); emptyTuple(); reduce() }

    /// One tensor as torch.save pickles it: `torch._utils._rebuild_tensor_v2(storage, offset, shape,
    /// strides, False, OrderedDict())`, the storage a persistent id `('storage',
    /// <storageModule>.<storageType>, key, location, count)`; `viewMetadata` adds the legacy
    /// container's sixth item, None. Strides: row-major contiguous unless given. LONG1 integers.
    mutating func rebuildTensor(storageModule: String = "torch", storageType: String, key: String, location: String = "cpu",
                                count: Int64, viewMetadata: Bool = false, offset: Int64 = 0, shape: [Int64], strides: [Int64]? = nil) {
        global("torch._utils", "_rebuild_tensor_v2")
        mark()
        mark(); string("storage"); global(storageModule, storageType); string(key); string(location); long(count)
        if viewMetadata { raw(0x4E) }                                   // NONE
        tuple()
        persistentID()
        long(offset)
        mark(); shape.forEach { long($0) }; tuple()
        mark(); (strides ?? Self.contiguousStrides(shape)).forEach { long($0) }; tuple()
        newFalse()
        emptyOrderedDict()
        tuple()
        reduce()
    }

    static func contiguousStrides(_ shape: [Int64]) -> [Int64] {
        var stride: Int64 = 1
        return shape.reversed().map { size -> Int64 in defer { stride *= size }; return stride }.reversed()
    }

    /// `{'w': tensor of `count` float32 from storage "0"}` as torch.save writes it.
    static func stateDict(count: Int) -> [UInt8] {
        stateDict(storageCount: Int64(count), shape: [Int64(count)], strides: [1])
    }

    /// `{'w': tensor}` with the storage's element count, the view's offset, sizes and strides
    /// given (LONG1 integers, so that any 64-bit value can be written).
    static func stateDict(storageCount: Int64, offset: Int64 = 0, shape: [Int64], strides: [Int64]) -> [UInt8] {
        var p = PickleBuilder()
        p.emptyDict()
        p.string("w")
        p.rebuildTensor(storageType: "FloatStorage", key: "0", count: storageCount, offset: offset, shape: shape, strides: strides)
        p.setItem()
        p.stop()
        return p.bytes
    }
}

func le32(_ value: Int) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
func le16(_ value: Int) -> [UInt8] { (0..<2).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }

/// A zip archive with stored (uncompressed) entries, as torch.save writes (CRC left 0: unread).
func makeZip(_ entries: [(String, [UInt8])], method: Int = 0) -> [UInt8] {
    var out: [UInt8] = []
    var central: [UInt8] = []
    for (name, data) in entries {
        let offset = out.count
        let nameBytes = Array(name.utf8)
        out += [0x50, 0x4B, 0x03, 0x04] + le16(20) + le16(0) + le16(method) + le16(0) + le16(0) + le32(0)
        out += le32(data.count) + le32(data.count) + le16(nameBytes.count) + le16(0) + nameBytes + data
        central += [0x50, 0x4B, 0x01, 0x02] + le16(20) + le16(20) + le16(0) + le16(method) + le16(0) + le16(0) + le32(0)
        central += le32(data.count) + le32(data.count) + le16(nameBytes.count) + le16(0) + le16(0) + le16(0) + le16(0) + le32(0) + le32(offset) + nameBytes
    }
    let centralOffset = out.count
    out += central
    out += [0x50, 0x4B, 0x05, 0x06] + le16(0) + le16(0) + le16(entries.count) + le16(entries.count) + le32(central.count) + le32(centralOffset) + le16(0)
    return out
}

/// A torch.save-style archive around `pickle`, with storage "0" holding `floats`.
func makeCheckpoint(pickle: [UInt8], floats: [Float] = [1, 2, 3]) -> [UInt8] {
    let data = floats.flatMap { le32(Int($0.bitPattern)) }
    return makeZip([("archive/data.pkl", pickle), ("archive/byteorder", Array("little".utf8)), ("archive/data/0", data)])
}
