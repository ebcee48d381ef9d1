import Foundation

/// Reads `.safetensors`: an 8-byte little-endian header length, a JSON header mapping names to
/// `{dtype, shape, data_offsets}`, then the raw little-endian data. Every offset is checked.
enum SafetensorsReader {
    /// True when the bytes look like safetensors (a plausible header length, then `{`).
    static func looksLikeSafetensors(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard bytes.count >= 10 else { return false }
        let length = UInt64(littleEndian: bytes.loadUnaligned(as: UInt64.self))
        return length < 100_000_000 && bytes[8] == UInt8(ascii: "{")
    }

    static func read(_ bytes: UnsafeRawBufferPointer) throws(FormatError) -> StateDict {
        guard bytes.count >= 8 else { throw FormatError("truncated safetensors file (no header)") }
        let declared = UInt64(littleEndian: bytes.loadUnaligned(as: UInt64.self))
        guard declared > 0, declared <= UInt64(bytes.count - 8) else {
            throw FormatError("truncated or corrupt safetensors file: header of \(declared) bytes does not fit in \(bytes.count) bytes")
        }
        let headerLength = Int(declared)
        let headerData = Data(UnsafeRawBufferPointer(rebasing: bytes[8..<(8 + headerLength)]))
        guard let header = try? JSONSerialization.jsonObject(with: headerData) as? [String: Any] else {
            throw FormatError("corrupt safetensors header (not a JSON object)")
        }
        let dataStart = 8 + headerLength
        let dataSize = bytes.count - dataStart
        var entries: [(name: String, begin: Int, tensor: (TensorDType, [Int], Int))] = []
        var total = 0
        for (name, value) in header where name != "__metadata__" {
            guard let info = value as? [String: Any], let dtypeName = info["dtype"] as? String,
                  let shape = info["shape"] as? [Int], let offsets = info["data_offsets"] as? [Int], offsets.count == 2 else {
                throw FormatError("corrupt safetensors header entry for \(name)")
            }
            guard let dtype = TensorDType(rawValue: dtypeName) else {
                throw FormatError("tensor \(name): unsupported dtype \(dtypeName)")
            }
            // Checked before anything else is computed from it: no overflow, no negative size.
            let count = try CheckedSize.elementCount(shape, "tensor \(name)'s shape \(shape)")
            total = try CheckedSize.sum(total, count, "the number of values")
            guard total <= CheckedSize.maximumElements else {
                throw FormatError("refused: the file holds more than the \(CheckedSize.maximumElements) values segeval reads from a weight file")
            }
            let byteCount = try CheckedSize.product(count, dtype.byteSize, "tensor \(name)'s byte count")
            guard offsets[0] >= 0, offsets[1] >= offsets[0], offsets[1] - offsets[0] == byteCount else {
                throw FormatError("tensor \(name): data offsets \(offsets) do not match shape \(shape) of \(dtypeName)")
            }
            guard offsets[1] <= dataSize else {
                throw FormatError("truncated file: tensor \(name) ends at byte \(dataStart + offsets[1]) of \(bytes.count)")
            }
            entries.append((name, offsets[0], (dtype, shape, count)))
        }
        // File order = data order.
        entries.sort { $0.begin < $1.begin }
        var result = StateDict()
        for entry in entries {
            let (dtype, shape, count) = entry.tensor
            let values = ElementDecoder.decodeContiguous(bytes, at: dataStart + entry.begin, dtype: dtype, count: count)
            result.insert(entry.name, StoredTensor(dtype: dtype, shape: shape, values: values))
        }
        return result
    }
}
