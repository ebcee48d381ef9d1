/// Reads `torch.save` files (the zip container of PyTorch >= 1.6; the legacy container of older
/// versions is `LegacyPthReader`) through `RestrictedUnpickler`.
///
/// Accepts a plain state dict, or a dict holding one under `model_state_dict`, `state_dict`,
/// `model` or `net` (the first found). Tensors may be Parameters or plain tensors, of any storage
/// type in `PickleGlobal.storageTypes`; their values are converted to `Float`.
enum PthReader {
    static let nestedKeys = ["model_state_dict", "state_dict", "model", "net"]

    static func read(_ bytes: UnsafeRawBufferPointer) throws(FormatError) -> StateDict {
        let archive = try ZipArchive(bytes)
        guard let pickleEntry = archive.entries.first(where: { $0.name == "data.pkl" || $0.name.hasSuffix("/data.pkl") }) else {
            throw FormatError("not a torch.save archive: no data.pkl inside the zip")
        }
        let prefix = String(pickleEntry.name.dropLast("data.pkl".count))
        if let order = archive.entries.first(where: { $0.name == prefix + "byteorder" }) {
            let text = String(decoding: try archive.contents(of: order), as: UTF8.self)
            guard text == "little" else { throw FormatError("big-endian tensor data (byteorder \(text)) is not supported") }
        }
        var unpickler = RestrictedUnpickler(try archive.contents(of: pickleEntry))
        let top = try unpickler.load()
        return try assemble(try stateDictionary(in: top)) { reference, name throws(FormatError) in
            let recordName = prefix + "data/" + reference.storage.key
            guard let entry = archive.entry(named: recordName) else {
                throw FormatError("tensor \(name): storage record \(recordName) is missing (truncated or corrupt file)")
            }
            return try materialize(reference, name: name, data: try archive.contents(of: entry), recordName: recordName)
        }
    }

    /// The state dict of every string-keyed tensor of `dict`, each read by `tensor`; at most
    /// `CheckedSize.maximumElements` values in all.
    static func assemble(_ dict: PickleDict,
                         _ tensor: (TensorReference, String) throws(FormatError) -> StoredTensor) throws(FormatError) -> StateDict {
        var result = StateDict()
        var total = 0
        for (key, value) in zip(dict.keys, dict.values) {
            guard case .string(let name) = key, case .tensor(let reference) = value else { continue }
            let tensor = try tensor(reference, name)
            total += tensor.values.count
            guard total <= CheckedSize.maximumElements else {
                throw FormatError("refused: the checkpoint holds more than the \(CheckedSize.maximumElements) values segeval reads from a weight file")
            }
            result.insert(name, tensor)
        }
        guard result.count > 0 else { throw FormatError("the checkpoint holds no tensors") }
        return result
    }

    /// The dict of tensors: the top value itself, or one nested under a known key.
    /// Looks at most `nestedKeys.count` levels down, without recursion.
    static func stateDictionary(in top: PickleValue) throws(FormatError) -> PickleDict {
        guard case .dict(let topDict) = top else {
            throw FormatError("the pickle holds a \(top.kindName), not a state dict")
        }
        var dict = topDict
        for _ in 0...nestedKeys.count {
            if dict.values.contains(where: { if case .tensor = $0 { return true } else { return false } }) {
                return dict
            }
            guard let nested = nestedKeys.lazy.compactMap({ key -> PickleDict? in
                if case .dict(let inner) = dict[key] { inner } else { nil }
            }).first else { break }
            dict = nested
        }
        let keys = topDict.keys.compactMap { key -> String? in if case .string(let s) = key { return s } else { return nil } }
        throw FormatError("no state dict found: top-level keys are [\(keys.prefix(12).joined(separator: ", "))]; expected tensors, or one of \(nestedKeys.joined(separator: ", "))")
    }

    /// The tensor `tensor` views in its storage's bytes `data` (`recordName` names them in errors).
    static func materialize(_ tensor: TensorReference, name: String, data: UnsafeRawBufferPointer, recordName: String) throws(FormatError) -> StoredTensor {
        let dtype = tensor.storage.dtype
        let storageBytes = try CheckedSize.product(tensor.storage.elementCount, dtype.byteSize, "tensor \(name)'s storage size")
        guard data.count >= storageBytes else {
            throw FormatError("tensor \(name): storage \(recordName) holds \(data.count) bytes, fewer than its \(tensor.storage.elementCount) elements need")
        }
        // Checked before anything is allocated: no overflow, at most `maximumElements` values.
        let count = try CheckedSize.elementCount(tensor.shape, "tensor \(name)'s shape \(tensor.shape)")
        if count == 0 { return StoredTensor(dtype: dtype, shape: tensor.shape, values: []) }
        // Highest element index the view touches.
        var last = tensor.offset
        for (size, stride) in zip(tensor.shape, tensor.strides) {
            last = try CheckedSize.sum(last, try CheckedSize.product(size - 1, stride, "tensor \(name)'s view"), "tensor \(name)'s view")
        }
        guard last < tensor.storage.elementCount else {
            throw FormatError("tensor \(name): view exceeds its storage (corrupt file)")
        }
        var contiguous = true
        var expected = 1
        for (size, stride) in zip(tensor.shape, tensor.strides).reversed() where size > 1 {
            if stride != expected { contiguous = false }
            expected *= size
        }
        let values: [Float]
        if contiguous {
            values = ElementDecoder.decodeContiguous(data, at: tensor.offset * dtype.byteSize, dtype: dtype, count: count)
        } else {
            var indices = [Int](repeating: 0, count: count)
            var index = [Int](repeating: 0, count: tensor.shape.count)
            for k in 0..<count {
                var element = tensor.offset
                for d in 0..<index.count { element += index[d] * tensor.strides[d] }
                indices[k] = element
                var d = index.count - 1
                while d >= 0 {
                    index[d] += 1
                    if index[d] < tensor.shape[d] { break }
                    index[d] = 0
                    d -= 1
                }
            }
            values = ElementDecoder.decode(data, at: 0, dtype: dtype, indices: indices)
        }
        return StoredTensor(dtype: dtype, shape: tensor.shape, values: values)
    }
}
