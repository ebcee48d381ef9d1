/// A pickle reader that accepts only what a PyTorch tensor state dict needs.
///
/// Contract: it interprets a fixed set of opcodes (protocols 2-5 data opcodes) and resolves
/// GLOBAL / STACK_GLOBAL only against `PickleGlobal`'s allowlist; REDUCE only calls the allowed
/// rebuild functions and `OrderedDict`; BUILD only applies to dicts (the state is ignored).
/// Any other global or opcode throws `FormatError` naming it, at the moment it is read. Nothing
/// is imported or executed, ever: the result is a plain value tree.
///
/// Bounded: containers nest at most `maximumDepth` deep (a state dict needs 4), so that neither
/// reading the tree nor freeing it can overflow the stack (50,000 nested tuples did). The depth
/// of every value is known exactly because a list or dict may not change once it has been placed
/// in another container (torch.save fills each one before using it); that also rules out a dict
/// that holds itself.
struct RestrictedUnpickler {
    static let maximumDepth = 100

    private let bytes: UnsafeRawBufferPointer
    private var position = 0
    private var stack: [PickleValue] = []
    /// The nesting depth of each stack value (a scalar 1); for lists and dicts, see `depth(of:)`.
    private var depths: [Int] = []
    private var marks: [Int] = []
    private var memo: [Int: (value: PickleValue, depth: Int)] = [:]

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// Bytes read so far (after `load`, the pickle's length up to and including STOP).
    var offset: Int { position }

    /// Reads the pickle up to STOP and returns the top value.
    mutating func load() throws(FormatError) -> PickleValue {
        while true {
            let opcodeOffset = position
            let opcode = try readByte()
            switch opcode {
            case 0x80: _ = try readByte()                                   // PROTO
            case 0x95: _ = try readBytes(8)                                 // FRAME (length only)
            case 0x2E:                                                      // STOP
                guard marks.isEmpty, let top = stack.popLast() else { throw FormatError("corrupt pickle: STOP with an unbalanced stack") }
                depths.removeLast()
                return top
            case 0x28: marks.append(stack.count)                            // MARK
            case 0x7D: try push(.dict(PickleDict()))                        // EMPTY_DICT
            case 0x5D: try push(.list(PickleList()))                        // EMPTY_LIST
            case 0x29: try push(.tuple([]))                                 // EMPTY_TUPLE
            case 0x74: let items = try popEntriesToMark(); try push(.tuple(items.map(\.value)), depth: try containing(items))  // TUPLE
            case 0x85, 0x86, 0x87:                                          // TUPLE1, TUPLE2, TUPLE3
                var items: [Entry] = []
                for _ in 0..<Int(opcode - 0x84) { items.insert(try popEntry(), at: 0) }
                try push(.tuple(items.map(\.value)), depth: try containing(items))
            case 0x6C:                                                      // LIST
                let items = try popEntriesToMark()
                let list = PickleList()
                list.depth = try containing(items)
                list.items = items.map(\.value)
                try push(.list(list))
            case 0x64:                                                      // DICT
                let items = try popEntriesToMark()
                let dict = PickleDict()
                try fill(dict, items)
                try push(.dict(dict))
            case 0x4E: try push(.none)                                  // NONE
            case 0x88: try push(.bool(true))                            // NEWTRUE
            case 0x89: try push(.bool(false))                           // NEWFALSE
            case 0x4B: try push(.int(Int64(try readByte())))            // BININT1
            case 0x4D: try push(.int(Int64(try readUInt(2))))           // BININT2
            case 0x4A: try push(.int(Int64(Int32(truncatingIfNeeded: try readUInt(4))))) // BININT
            case 0x8A: try push(.int(try readLong(Int(try readByte())))) // LONG1
            case 0x47:                                                      // BINFLOAT (big-endian)
                let raw = try readBytes(8)
                var bits: UInt64 = 0
                for byte in raw { bits = bits << 8 | UInt64(byte) }
                try push(.float(Double(bitPattern: bits)))
            case 0x58: try push(.string(try readString(Int(try readUInt(4)))))   // BINUNICODE
            case 0x8C: try push(.string(try readString(Int(try readByte()))))    // SHORT_BINUNICODE
            case 0x8D:                                                      // BINUNICODE8
                // A length of 2^63 or more cannot be an Int (and exceeds any file): refused, not trapped.
                guard let length = Int(exactly: try readUInt(8)) else { throw FormatError("truncated pickle: ends inside an argument") }
                try push(.string(try readString(length)))
            case 0x43: try push(.bytes(Array(try readBytes(Int(try readByte()))))) // SHORT_BINBYTES
            case 0x42: try push(.bytes(Array(try readBytes(Int(try readUInt(4)))))) // BINBYTES
            case 0x68: try get(Int(try readByte()))                         // BINGET
            case 0x6A: try get(Int(try readUInt(4)))                        // LONG_BINGET
            case 0x71: try put(Int(try readByte()))                         // BINPUT
            case 0x72: try put(Int(try readUInt(4)))                        // LONG_BINPUT
            case 0x94: try put(memo.count)                                  // MEMOIZE
            case 0x61, 0x65:                                                // APPEND, APPENDS
                let items = opcode == 0x61 ? [try popEntry()] : try popEntriesToMark()
                guard case .list(let list) = try top() else { throw FormatError("corrupt pickle: APPEND to a non-list") }
                let depth = try containing(items)   // freezes the items first: a list appended to itself is refused
                guard !list.frozen else { throw Self.changedAfterUse }
                list.depth = max(list.depth, depth)
                list.items.append(contentsOf: items.map(\.value))
            case 0x73:                                                      // SETITEM
                let value = try popEntry(); let key = try popEntry()
                try fill(try topDict("SETITEM"), [key, value])
            case 0x75:                                                      // SETITEMS
                let items = try popEntriesToMark()
                try fill(try topDict("SETITEMS"), items)
            case 0x63:                                                      // GLOBAL "module\nname\n"
                let module = try readLine()
                let name = try readLine()
                try push(.global(try resolve(module: module, name: name)))
            case 0x93:                                                      // STACK_GLOBAL
                let nameValue = try pop(); let moduleValue = try pop()
                guard case .string(let module) = moduleValue, case .string(let name) = nameValue else {
                    throw FormatError("corrupt pickle: STACK_GLOBAL without module and name strings")
                }
                try push(.global(try resolve(module: module, name: name)))
            case 0x51:                                                      // BINPERSID
                try push(.storage(try persistentStorage(try pop())))
            case 0x52:                                                      // REDUCE
                let arguments = try popEntry(); let callable = try pop()
                let depth = try containing([arguments])
                try push(try reduce(callable, arguments.value), depth: depth)
            case 0x62:                                                      // BUILD
                let state = try pop()
                guard case .dict = try top() else {
                    throw FormatError("refused: BUILD on \(try top().kindName) (state \(state.kindName)); only dicts may receive state")
                }
                // An OrderedDict's state is its `_metadata` attribute: irrelevant to the tensors.
            default:
                throw FormatError("refused: pickle opcode \(Self.opcodeName(opcode)) at byte \(opcodeOffset) is not allowed in a tensor state dict")
            }
        }
    }

    // MARK: - Semantics of the allowed callables

    private func resolve(module: String, name: String) throws(FormatError) -> PickleGlobal {
        guard let global = PickleGlobal(module: module, name: name) else {
            throw FormatError("refused: the pickle names the global \(module).\(name), which is not allowed (a state dict needs only \(PickleGlobal.allowedDescription)); the file was not loaded and nothing was run")
        }
        return global
    }

    private func reduce(_ callable: PickleValue, _ arguments: PickleValue) throws(FormatError) -> PickleValue {
        guard case .global(let global) = callable else {
            throw FormatError("refused: REDUCE on \(callable.kindName); only allowed globals may be called")
        }
        guard case .tuple(let args) = arguments else {
            throw FormatError("corrupt pickle: REDUCE arguments are not a tuple")
        }
        switch global {
        case .orderedDict:
            let dict = PickleDict()
            if let first = args.first {
                let pairs: [PickleValue]
                switch first {
                case .list(let list): pairs = list.items
                case .tuple(let items): pairs = items
                default: throw FormatError("refused: OrderedDict(\(first.kindName))")
                }
                for pair in pairs {
                    guard case .tuple(let kv) = pair, kv.count == 2 else { throw FormatError("corrupt pickle: OrderedDict item is not a pair") }
                    dict.set(kv[0], kv[1])   // parts of the arguments, frozen with them; the depth is theirs
                }
            }
            return .dict(dict)
        case .rebuildTensorV2:
            guard args.count >= 4, case .storage(let storage) = args[0], case .int(let offset) = args[1],
                  case .tuple(let sizeValues) = args[2], case .tuple(let strideValues) = args[3] else {
                throw FormatError("corrupt pickle: unexpected arguments to _rebuild_tensor_v2")
            }
            let shape = try integers(sizeValues), strides = try integers(strideValues)
            guard shape.count == strides.count, offset >= 0 else { throw FormatError("corrupt pickle: tensor size and stride differ in rank") }
            return .tensor(TensorReference(storage: storage, offset: Int(offset), shape: shape, strides: strides))
        case .rebuildParameter, .rebuildParameterWithState:
            guard let data = args.first, case .tensor = data else {
                throw FormatError("corrupt pickle: _rebuild_parameter without a tensor")
            }
            return data
        case .storageType:
            throw FormatError("refused: REDUCE on \(global.qualifiedName); storages are only read through persistent ids")
        }
    }

    private func persistentStorage(_ pid: PickleValue) throws(FormatError) -> StorageReference {
        guard case .tuple(let fields) = pid, fields.count >= 5, case .string("storage") = fields[0] else {
            throw FormatError("refused: persistent id \(pid.kindName) is not a tensor storage")
        }
        guard case .global(.storageType(let dtype, _)) = fields[1] else {
            throw FormatError("refused: persistent id names \(fields[1].kindName) as its storage type")
        }
        guard case .string(let key) = fields[2], case .int(let count) = fields[4], count >= 0 else {
            throw FormatError("corrupt pickle: malformed storage persistent id")
        }
        return StorageReference(dtype: dtype, key: key, elementCount: Int(count))
    }

    private func integers(_ values: [PickleValue]) throws(FormatError) -> [Int] {
        var out: [Int] = []
        for value in values {
            guard case .int(let v) = value, v >= 0 else { throw FormatError("corrupt pickle: tensor size or stride is not a non-negative int") }
            out.append(Int(v))
        }
        return out
    }

    private func fill(_ dict: PickleDict, _ items: [Entry]) throws(FormatError) {
        guard items.count % 2 == 0 else { throw FormatError("corrupt pickle: odd number of dict items") }
        let depth = try containing(items)   // freezes the items first: a dict set into itself is refused
        guard !dict.frozen else { throw Self.changedAfterUse }
        dict.depth = max(dict.depth, depth)
        var index = 0
        while index < items.count {
            dict.set(items[index].value, items[index + 1].value)
            index += 2
        }
    }

    // MARK: - Stack, memo and byte helpers

    private static let changedAfterUse = FormatError("refused: a list or dict changed after it was placed in another container (torch.save never does this; a container holding itself is refused)")

    /// Pushes `value`, whose depth is `depth` (1 for a scalar; a list's or dict's own when larger).
    private mutating func push(_ value: PickleValue, depth: Int = 1) throws(FormatError) {
        let depth = max(depth, Self.ownDepth(value))
        guard depth <= Self.maximumDepth else {
            throw FormatError("refused: containers nested more than \(Self.maximumDepth) deep (a state dict needs 4)")
        }
        stack.append(value)
        depths.append(depth)
    }

    /// A list's or dict's recorded depth (exact: it cannot change once placed in another), else 1.
    private static func ownDepth(_ value: PickleValue) -> Int {
        switch value {
        case .list(let list): list.depth
        case .dict(let dict): dict.depth
        default: 1
        }
    }

    /// The depth of a container holding `items` (1 + the deepest), freezing every list and dict
    /// among them: from now on they are parts of another value.
    private func containing(_ items: [Entry]) throws(FormatError) -> Int {
        var deepest = 0
        for item in items {
            switch item.value {
            case .list(let list): list.frozen = true
            case .dict(let dict): dict.frozen = true
            default: break
            }
            deepest = max(deepest, item.depth, Self.ownDepth(item.value))
        }
        guard deepest < Self.maximumDepth else {
            throw FormatError("refused: containers nested more than \(Self.maximumDepth) deep (a state dict needs 4)")
        }
        return deepest + 1
    }

    /// The dict on top of the stack, which `opcode` fills.
    private func topDict(_ opcode: String) throws(FormatError) -> PickleDict {
        guard case .dict(let dict) = try top() else { throw FormatError("corrupt pickle: \(opcode) on a non-dict") }
        return dict
    }

    /// A stack value with its depth.
    typealias Entry = (value: PickleValue, depth: Int)

    private mutating func pop() throws(FormatError) -> PickleValue { try popEntry().value }

    private mutating func popEntry() throws(FormatError) -> Entry {
        if let mark = marks.last, stack.count <= mark { throw FormatError("corrupt pickle: pop across a MARK") }
        guard let value = stack.popLast(), let depth = depths.popLast() else { throw FormatError("corrupt pickle: stack underflow") }
        return (value, depth)
    }

    private func top() throws(FormatError) -> PickleValue {
        guard let value = stack.last else { throw FormatError("corrupt pickle: stack underflow") }
        return value
    }

    private mutating func popEntriesToMark() throws(FormatError) -> [Entry] {
        guard let mark = marks.popLast(), mark <= stack.count else { throw FormatError("corrupt pickle: missing MARK") }
        let items = zip(stack[mark...], depths[mark...]).map { Entry($0, $1) }
        stack.removeSubrange(mark...)
        depths.removeSubrange(mark...)
        return items
    }

    private mutating func get(_ index: Int) throws(FormatError) {
        guard let entry = memo[index] else { throw FormatError("corrupt pickle: memo entry \(index) is not set") }
        try push(entry.value, depth: entry.depth)
    }

    private mutating func put(_ index: Int) throws(FormatError) {
        guard index >= 0, let depth = depths.last else { throw FormatError("corrupt pickle: PUT on an empty stack") }
        memo[index] = (try top(), depth)
    }

    private mutating func readByte() throws(FormatError) -> UInt8 {
        guard position < bytes.count else { throw FormatError("truncated pickle: ends before STOP") }
        defer { position += 1 }
        return bytes[position]
    }

    private mutating func readBytes(_ count: Int) throws(FormatError) -> UnsafeRawBufferPointer {
        guard count >= 0, count <= bytes.count - position else { throw FormatError("truncated pickle: ends inside an argument") }
        defer { position += count }
        return UnsafeRawBufferPointer(rebasing: bytes[position..<(position + count)])
    }

    private mutating func readUInt(_ count: Int) throws(FormatError) -> UInt64 {
        var value: UInt64 = 0
        for (shift, byte) in try readBytes(count).enumerated() { value |= UInt64(byte) << (8 * shift) }
        return value
    }

    /// LONG1: little-endian two's complement of `count` bytes (at most 8 accepted).
    private mutating func readLong(_ count: Int) throws(FormatError) -> Int64 {
        guard count <= 8 else { throw FormatError("refused: integer wider than 64 bits") }
        if count == 0 { return 0 }
        let raw = try readBytes(count)
        var value: UInt64 = 0
        for (shift, byte) in raw.enumerated() { value |= UInt64(byte) << (8 * shift) }
        if count < 8, raw[count - 1] & 0x80 != 0 { value |= ~UInt64(0) << (8 * count) }
        return Int64(bitPattern: value)
    }

    private mutating func readString(_ count: Int) throws(FormatError) -> String {
        String(decoding: try readBytes(count), as: UTF8.self)
    }

    private mutating func readLine() throws(FormatError) -> String {
        guard let end = bytes[position...].firstIndex(of: 0x0A) else { throw FormatError("truncated pickle: unterminated GLOBAL") }
        let line = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[position..<end]), as: UTF8.self)
        position = end + 1
        return line
    }

    static func opcodeName(_ opcode: UInt8) -> String {
        let names: [UInt8: String] = [
            0x69: "INST", 0x6F: "OBJ", 0x81: "NEWOBJ", 0x92: "NEWOBJ_EX", 0x50: "PERSID", 0x82: "EXT1",
            0x83: "EXT2", 0x84: "EXT4", 0x49: "INT", 0x4C: "LONG", 0x8B: "LONG4", 0x46: "FLOAT",
            0x53: "STRING", 0x54: "BINSTRING", 0x55: "SHORT_BINSTRING", 0x56: "UNICODE", 0x67: "GET",
            0x70: "PUT", 0x31: "POP_MARK", 0x30: "POP", 0x32: "DUP", 0x8F: "EMPTY_SET", 0x90: "ADDITEMS",
            0x91: "FROZENSET", 0x96: "BYTEARRAY8", 0x97: "NEXT_BUFFER", 0x98: "READONLY_BUFFER", 0x8E: "BINBYTES8",
        ]
        let hex = String(opcode, radix: 16, uppercase: true)
        return "\(names[opcode] ?? "unknown") (0x\(hex.count == 1 ? "0" + hex : hex))"
    }
}
