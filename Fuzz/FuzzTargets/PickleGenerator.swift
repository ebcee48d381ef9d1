/// Builds a torch.save checkpoint whose pickle is a fuzzer-chosen sequence of the opcodes and
/// values the restricted unpickler knows: containers, memo, MARK, integers at the edges, the
/// allowed globals and tensor rebuilds, and a few it must refuse.
struct PickleGenerator {
    var choices: Choices

    init(_ bytes: [UInt8]) { choices = Choices(bytes) }

    static let strings = ["w", "storage", "0", "1", "cpu", "state_dict", "model", "_metadata", "version", "archive/data/0", ""]
    static let globals = [("torch._utils", "_rebuild_tensor_v2"), ("torch._utils", "_rebuild_parameter"),
                          ("torch", "FloatStorage"), ("torch", "HalfStorage"), ("torch", "DoubleStorage"),
                          ("torch", "LongStorage"), ("torch", "BFloat16Storage"), ("collections", "OrderedDict"),
                          ("torch", "Tensor"), ("os", "system"), ("builtins", "eval")]

    mutating func pickle() -> [UInt8] {
        var out: [UInt8] = [0x80, 0x02]
        var steps = 0
        while !choices.isExhausted, steps < 4096 {
            steps += 1
            switch choices.byte() % 24 {
            case 0: out.append(0x7D)                                    // EMPTY_DICT
            case 1: out.append(0x5D)                                    // EMPTY_LIST
            case 2: out.append(0x29)                                    // EMPTY_TUPLE
            case 3: out.append(0x28)                                    // MARK
            case 4: out.append(choices.pick([0x74, 0x85, 0x86, 0x87]))  // TUPLE, TUPLE1-3
            case 5: out.append(choices.pick([0x61, 0x65]))              // APPEND(S)
            case 6: out.append(choices.pick([0x73, 0x75]))              // SETITEM(S)
            case 7: out.append(choices.pick([0x64, 0x6C]))              // DICT, LIST
            case 8: out += [0x71, choices.byte()]                       // BINPUT
            case 9: out += [0x68, choices.byte()]                       // BINGET
            case 10: out.append(0x94)                                   // MEMOIZE
            case 11:                                                    // LONG1, 8 bytes
                let value = UInt64(bitPattern: choices.integer())
                out += [0x8A, 8] + (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
            case 12: out += [0x4A] + le32(Int(truncatingIfNeeded: choices.integer()))   // BININT
            case 13:                                                    // BINUNICODE
                let text = Array(choices.pick(Self.strings).utf8)
                out += [0x58] + le32(text.count) + text
            case 14:                                                    // GLOBAL
                let (module, name) = choices.pick(Self.globals)
                out += [0x63] + Array("\(module)\n\(name)\n".utf8)
            case 15: out.append(0x52)                                   // REDUCE
            case 16: out.append(0x51)                                   // BINPERSID
            case 17: out.append(0x62)                                   // BUILD
            case 18: out.append(choices.pick([0x4E, 0x88, 0x89]))       // NONE, NEWTRUE, NEWFALSE
            case 19:                                                    // BINUNICODE8 with any length
                let value = UInt64(bitPattern: choices.integer())
                out += [0x8D] + (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
            case 20: out += [0x47] + (0..<8).map { _ in choices.byte() }   // BINFLOAT
            case 21: out.append(0x93)                                   // STACK_GLOBAL
            case 22: out += Self.tensor(&choices)                       // a whole tensor, sizes chosen
            default: out.append(choices.byte())                         // any opcode at all
            }
        }
        out.append(0x2E)                                                // STOP
        return out
    }

    /// `_rebuild_tensor_v2((storage pid), offset, sizes, strides, False, OrderedDict())` with
    /// chosen element count, offset, rank, sizes and strides.
    static func tensor(_ choices: inout Choices) -> [UInt8] {
        func long(_ value: Int64) -> [UInt8] {
            let bits = UInt64(bitPattern: value)
            return [0x8A, 8] + (0..<8).map { UInt8(truncatingIfNeeded: bits >> (8 * UInt64($0))) }
        }
        func string(_ text: String) -> [UInt8] { [0x58] + le32(text.utf8.count) + Array(text.utf8) }
        var out: [UInt8] = [0x63] + Array("torch._utils\n_rebuild_tensor_v2\n".utf8) + [0x28]
        out += [0x28] + string("storage") + [0x63] + Array("torch\n\(choices.pick(["FloatStorage", "HalfStorage", "DoubleStorage"]))\n".utf8)
        out += string("0") + string("cpu") + long(choices.integer()) + [0x74, 0x51]
        out += long(choices.integer())
        let rank = Int(choices.byte() % 5)
        out += [0x28] + (0..<rank).flatMap { _ in long(choices.integer()) } + [0x74]
        out += [0x28] + (0..<rank).flatMap { _ in long(choices.integer()) } + [0x74]
        out += [0x89, 0x63] + Array("collections\nOrderedDict\n".utf8) + [0x29, 0x52, 0x74, 0x52]
        return out
    }

    /// The pickle in a torch.save zip beside a storage "0" of a chosen number of floats.
    mutating func checkpoint() -> [UInt8] {
        let floats = Int(choices.byte())
        let pickle = self.pickle()
        return storedZip([("archive/data.pkl", pickle), ("archive/byteorder", Array("little".utf8)),
                          ("archive/data/0", [UInt8](repeating: 0x3F, count: floats * 4))])
    }
}

func le32(_ value: Int) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
func le16(_ value: Int) -> [UInt8] { (0..<2).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }

/// A zip of stored entries, as torch.save writes it (CRCs 0: never read).
func storedZip(_ entries: [(String, [UInt8])]) -> [UInt8] {
    var out: [UInt8] = []
    var central: [UInt8] = []
    for (name, data) in entries {
        let offset = out.count
        let nameBytes = Array(name.utf8)
        out += [0x50, 0x4B, 0x03, 0x04] + le16(20) + le16(0) + le16(0) + le16(0) + le16(0) + le32(0)
        out += le32(data.count) + le32(data.count) + le16(nameBytes.count) + le16(0) + nameBytes + data
        central += [0x50, 0x4B, 0x01, 0x02] + le16(20) + le16(20) + le16(0) + le16(0) + le16(0) + le16(0) + le32(0)
        central += le32(data.count) + le32(data.count) + le16(nameBytes.count) + le16(0) + le16(0) + le16(0) + le16(0) + le32(0) + le32(offset) + nameBytes
    }
    let centralOffset = out.count
    out += central
    out += [0x50, 0x4B, 0x05, 0x06] + le16(0) + le16(0) + le16(entries.count) + le16(entries.count) + le32(central.count) + le32(centralOffset) + le16(0)
    return out
}
