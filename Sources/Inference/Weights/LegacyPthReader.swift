/// Reads the legacy `torch.save` container (PyTorch <= 1.5, before the zip format): how the
/// Inf-Net authors' checkpoints were written (../shared/spec/infnet-model.md, section 6).
///
/// The file is five pickles in a row, then the storages' bytes:
/// 1. the magic number 0x1950a86a20f9469cfc6c (checked byte for byte, never unpickled);
/// 2. the protocol version, 1001;
/// 3. a dict of system information: `little_endian` must be true;
/// 4. the state dict, its tensors naming storages by persistent id
///    `('storage', torch[.cuda].FloatStorage, key, location, element count, ...)`;
/// 5. the list of storage keys, in the order their data follows;
/// then, per key, its element count as a little-endian int64 and its elements.
///
/// Every pickle goes through `RestrictedUnpickler` (no code runs; the same allowlist and refusals
/// as the zip format). Storage classes may come from `torch` or `torch.cuda`, the location may be
/// any string (`cuda:1`). Every count is checked against the bytes left and the storage's own
/// element count before anything is read; a storage named by a tensor but absent from the key
/// list, a key listed twice, or data that do not add up is an error.
enum LegacyPthReader {
    /// PROTO 2, LONG1 of 10 bytes (the magic number), STOP.
    static let magic: [UInt8] = [0x80, 0x02, 0x8A, 0x0A, 0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8, 0x50, 0x19, 0x2E]

    static func looksLikeLegacy(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count >= magic.count && zip(bytes.prefix(magic.count), magic).allSatisfy { $0 == $1 }
    }

    static func read(_ bytes: UnsafeRawBufferPointer) throws(FormatError) -> StateDict {
        var offset = magic.count
        func nextPickle(_ what: String) throws(FormatError) -> PickleValue {
            guard offset < bytes.count else { throw FormatError("truncated legacy torch.save file: the \(what) is missing") }
            var unpickler = RestrictedUnpickler(UnsafeRawBufferPointer(rebasing: bytes[offset...]))
            let value = try unpickler.load()
            offset += unpickler.offset
            return value
        }
        guard case .int(1001) = try nextPickle("protocol version") else {
            throw FormatError("a legacy torch.save file of an unknown protocol version (1001 expected)")
        }
        guard case .dict(let information) = try nextPickle("system information") else {
            throw FormatError("corrupt legacy torch.save file: its system information is not a dict")
        }
        if case .bool(false) = information["little_endian"] {
            throw FormatError("big-endian tensor data (a legacy file saved on a big-endian machine) is not supported")
        }
        let dict = try PthReader.stateDictionary(in: try nextPickle("state dict"))
        guard case .list(let keyList) = try nextPickle("storage key list") else {
            throw FormatError("corrupt legacy torch.save file: its storage key list is not a list")
        }

        // Where each storage's elements are: (first byte, element count), in the listed order.
        var storages: [String: (start: Int, count: Int)] = [:]
        var elementSizes: [String: Int] = [:]
        for value in dict.values {
            if case .tensor(let reference) = value { elementSizes[reference.storage.key] = reference.storage.dtype.byteSize }
        }
        for item in keyList.items {
            guard case .string(let key) = item else { throw FormatError("corrupt legacy torch.save file: a storage key is not a string") }
            guard storages[key] == nil else { throw FormatError("corrupt legacy torch.save file: storage \(key) is listed twice") }
            guard bytes.count - offset >= 8 else { throw FormatError("truncated legacy torch.save file: storage \(key)'s data is missing") }
            var raw: UInt64 = 0
            for index in 0..<8 { raw |= UInt64(bytes[offset + index]) << (8 * UInt64(index)) }
            offset += 8
            guard raw <= UInt64(Int.max), let size = elementSizes[key] else {
                throw FormatError(elementSizes[key] == nil ? "corrupt legacy torch.save file: storage \(key) is listed but no tensor uses it"
                                                          : "corrupt legacy torch.save file: storage \(key) claims \(raw) elements")
            }
            let count = Int(raw)
            let length = try CheckedSize.product(count, size, "storage \(key)'s size")
            guard length <= bytes.count - offset else {
                throw FormatError("truncated legacy torch.save file: storage \(key) claims \(count) elements, more than the bytes left")
            }
            storages[key] = (offset, count)
            offset += length
        }
        return try PthReader.assemble(dict) { reference, name throws(FormatError) in
            let key = reference.storage.key
            guard let storage = storages[key] else {
                throw FormatError("tensor \(name): storage \(key) is not in the file's storage list (truncated or corrupt file)")
            }
            guard storage.count == reference.storage.elementCount else {
                throw FormatError("tensor \(name): storage \(key) holds \(storage.count) elements, its persistent id says \(reference.storage.elementCount)")
            }
            let length = storage.count * reference.storage.dtype.byteSize
            return try PthReader.materialize(reference, name: name, data: UnsafeRawBufferPointer(rebasing: bytes[storage.start..<(storage.start + length)]),
                                             recordName: "storage \(key)")
        }
    }
}
