/// A pickle reader that accepts only what a PyTorch tensor state dict needs.
///
/// Contract: it interprets a fixed set of opcodes (protocols 2-5 data opcodes) and resolves
/// GLOBAL / STACK_GLOBAL only against `PickleGlobal`'s allowlist; REDUCE only calls the allowed
/// rebuild functions and `OrderedDict`; BUILD only applies to dicts (the state is ignored).
/// Any other global or opcode throws `FormatError` naming it, at the moment it is read. Nothing
/// is imported or executed, ever: the result is a plain value tree.
struct RestrictedUnpickler {
    private let bytes: UnsafeRawBufferPointer
    private var position = 0
    private var stack: [PickleValue] = []
    private var marks: [Int] = []
    private var memo: [Int: PickleValue] = [:]

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// Reads the pickle up to STOP and returns the top value.
    mutating func load() throws(FormatError) -> PickleValue {
        while true {
            let opcodeOffset = position
            let opcode = try readByte()
            switch opcode {
            case 0x80: _ = try readByte()                                   // PROTO
            case 0x95: _ = try readBytes(8)                                 // FRAME (length only)
            case 0x2E:                                                      // STOP
                guard let top = stack.popLast(), marks.isEmpty else { throw FormatError("corrupt pickle: STOP with an unbalanced stack") }
                return top
            case 0x28: marks.append(stack.count)                            // MARK
            case 0x7D: stack.append(.dict(PickleDict()))                    // EMPTY_DICT
            case 0x5D: stack.append(.list(PickleList()))                    // EMPTY_LIST
            case 0x29: stack.append(.tuple([]))                             // EMPTY_TUPLE
            case 0x74: stack.append(.tuple(try popToMark()))                // TUPLE
            case 0x85: let a = try pop(); stack.append(.tuple([a]))         // TUPLE1
            case 0x86: let b = try pop(); let a = try pop(); stack.append(.tuple([a, b]))   // TUPLE2
            case 0x87: let c = try pop(); let b = try pop(); let a = try pop(); stack.append(.tuple([a, b, c])) // TUPLE3
            case 0x6C:                                                      // LIST
                let list = PickleList(); list.items = try popToMark(); stack.append(.list(list))
            case 0x64:                                                      // DICT
                let items = try popToMark()
                let dict = PickleDict()
                try fill(dict, items)
                stack.append(.dict(dict))
            case 0x4E: stack.append(.none)                                  // NONE
            case 0x88: stack.append(.bool(true))                            // NEWTRUE
            case 0x89: stack.append(.bool(false))                           // NEWFALSE
            case 0x4B: stack.append(.int(Int64(try readByte())))            // BININT1
            case 0x4D: stack.append(.int(Int64(try readUInt(2))))           // BININT2
            case 0x4A: stack.append(.int(Int64(Int32(truncatingIfNeeded: try readUInt(4))))) // BININT
            case 0x8A: stack.append(.int(try readLong(Int(try readByte())))) // LONG1
            case 0x47:                                                      // BINFLOAT (big-endian)
                let raw = try readBytes(8)
                var bits: UInt64 = 0
                for byte in raw { bits = bits << 8 | UInt64(byte) }
                stack.append(.float(Double(bitPattern: bits)))
            case 0x58: stack.append(.string(try readString(Int(try readUInt(4)))))   // BINUNICODE
            case 0x8C: stack.append(.string(try readString(Int(try readByte()))))    // SHORT_BINUNICODE
            case 0x8D: stack.append(.string(try readString(Int(try readUInt(8)))))   // BINUNICODE8
            case 0x43: stack.append(.bytes(Array(try readBytes(Int(try readByte()))))) // SHORT_BINBYTES
            case 0x42: stack.append(.bytes(Array(try readBytes(Int(try readUInt(4)))))) // BINBYTES
            case 0x68: try get(Int(try readByte()))                         // BINGET
            case 0x6A: try get(Int(try readUInt(4)))                        // LONG_BINGET
            case 0x71: try put(Int(try readByte()))                         // BINPUT
            case 0x72: try put(Int(try readUInt(4)))                        // LONG_BINPUT
            case 0x94: try put(memo.count)                                  // MEMOIZE
            case 0x61:                                                      // APPEND
                let value = try pop()
                guard case .list(let list) = try top() else { throw FormatError("corrupt pickle: APPEND to a non-list") }
                list.items.append(value)
            case 0x65:                                                      // APPENDS
                let items = try popToMark()
                guard case .list(let list) = try top() else { throw FormatError("corrupt pickle: APPENDS to a non-list") }
                list.items.append(contentsOf: items)
            case 0x73:                                                      // SETITEM
                let value = try pop(); let key = try pop()
                guard case .dict(let dict) = try top() else { throw FormatError("corrupt pickle: SETITEM on a non-dict") }
                dict.set(key, value)
            case 0x75:                                                      // SETITEMS
                let items = try popToMark()
                guard case .dict(let dict) = try top() else { throw FormatError("corrupt pickle: SETITEMS on a non-dict") }
                try fill(dict, items)
            case 0x63:                                                      // GLOBAL "module\nname\n"
                let module = try readLine()
                let name = try readLine()
                stack.append(.global(try resolve(module: module, name: name)))
            case 0x93:                                                      // STACK_GLOBAL
                let nameValue = try pop(); let moduleValue = try pop()
                guard case .string(let module) = moduleValue, case .string(let name) = nameValue else {
                    throw FormatError("corrupt pickle: STACK_GLOBAL without module and name strings")
                }
                stack.append(.global(try resolve(module: module, name: name)))
            case 0x51:                                                      // BINPERSID
                stack.append(.storage(try persistentStorage(try pop())))
            case 0x52:                                                      // REDUCE
                let arguments = try pop(); let callable = try pop()
                stack.append(try reduce(callable, arguments))
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
                    dict.set(kv[0], kv[1])
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

    private func fill(_ dict: PickleDict, _ items: [PickleValue]) throws(FormatError) {
        guard items.count % 2 == 0 else { throw FormatError("corrupt pickle: odd number of dict items") }
        var index = 0
        while index < items.count {
            dict.set(items[index], items[index + 1])
            index += 2
        }
    }

    // MARK: - Stack, memo and byte helpers

    private mutating func pop() throws(FormatError) -> PickleValue {
        if let mark = marks.last, stack.count <= mark { throw FormatError("corrupt pickle: pop across a MARK") }
        guard let value = stack.popLast() else { throw FormatError("corrupt pickle: stack underflow") }
        return value
    }

    private func top() throws(FormatError) -> PickleValue {
        guard let value = stack.last else { throw FormatError("corrupt pickle: stack underflow") }
        return value
    }

    private mutating func popToMark() throws(FormatError) -> [PickleValue] {
        guard let mark = marks.popLast(), mark <= stack.count else { throw FormatError("corrupt pickle: missing MARK") }
        let items = Array(stack[mark...])
        stack.removeSubrange(mark...)
        return items
    }

    private mutating func get(_ index: Int) throws(FormatError) {
        guard let value = memo[index] else { throw FormatError("corrupt pickle: memo entry \(index) is not set") }
        stack.append(value)
    }

    private mutating func put(_ index: Int) throws(FormatError) {
        memo[index] = try top()
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
