/// The values the restricted unpickler can build: plain data, containers, allowed globals and
/// references to tensor storages. Nothing here can execute code.
indirect enum PickleValue {
    case none
    case bool(Bool)
    case int(Int64)
    case float(Double)
    case string(String)
    case bytes([UInt8])
    case tuple([PickleValue])
    case list(PickleList)
    case dict(PickleDict)
    case global(PickleGlobal)
    case storage(StorageReference)
    case tensor(TensorReference)

    /// A short name for error messages.
    var kindName: String {
        switch self {
        case .none: return "None"
        case .bool: return "bool"
        case .int: return "int"
        case .float: return "float"
        case .string: return "str"
        case .bytes: return "bytes"
        case .tuple: return "tuple"
        case .list: return "list"
        case .dict: return "dict"
        case .global(let g): return g.qualifiedName
        case .storage: return "storage"
        case .tensor: return "tensor"
        }
    }
}

/// A list shared by reference (the pickle memo may hold it while APPENDS fills it).
final class PickleList {
    var items: [PickleValue] = []
    /// Nesting depth (1 when empty) and whether it is part of another container (then it may not
    /// change): see `RestrictedUnpickler`.
    var depth = 1
    var frozen = false
}

/// A dict (or OrderedDict) shared by reference, keeping insertion order.
final class PickleDict {
    /// Nesting depth and frozen state, as `PickleList`'s.
    var depth = 1
    var frozen = false
    private(set) var keys: [PickleValue] = []
    private(set) var values: [PickleValue] = []
    private var stringIndex: [String: Int] = [:]

    func set(_ key: PickleValue, _ value: PickleValue) {
        if case .string(let name) = key {
            if let index = stringIndex[name] {
                values[index] = value
                return
            }
            stringIndex[name] = keys.count
        }
        keys.append(key)
        values.append(value)
    }

    subscript(name: String) -> PickleValue? {
        stringIndex[name].map { values[$0] }
    }

    var count: Int { keys.count }
}

/// The only globals a pickle may name. Anything else is refused when the GLOBAL opcode is read.
enum PickleGlobal: Equatable {
    case orderedDict
    case rebuildTensorV2
    case rebuildParameter
    case rebuildParameterWithState
    /// `torch.FloatStorage` and friends: only meaningful inside a persistent id.
    case storageType(TensorDType, String)

    init?(module: String, name: String) {
        switch (module, name) {
        case ("collections", "OrderedDict"): self = .orderedDict
        case ("torch._utils", "_rebuild_tensor_v2"): self = .rebuildTensorV2
        case ("torch._utils", "_rebuild_parameter"): self = .rebuildParameter
        case ("torch._utils", "_rebuild_parameter_with_state"): self = .rebuildParameterWithState
        case ("torch", _), ("torch.cuda", _):   // legacy files saved from the GPU name torch.cuda.FloatStorage
            guard let dtype = Self.storageTypes[name] else { return nil }
            self = .storageType(dtype, name)
        default: return nil
        }
    }

    var qualifiedName: String {
        switch self {
        case .orderedDict: return "collections.OrderedDict"
        case .rebuildTensorV2: return "torch._utils._rebuild_tensor_v2"
        case .rebuildParameter: return "torch._utils._rebuild_parameter"
        case .rebuildParameterWithState: return "torch._utils._rebuild_parameter_with_state"
        case .storageType(_, let name): return "torch.\(name)"
        }
    }

    static let storageTypes: [String: TensorDType] = [
        "FloatStorage": .float32, "HalfStorage": .float16, "BFloat16Storage": .bfloat16,
        "DoubleStorage": .float64, "LongStorage": .int64, "IntStorage": .int32,
        "ShortStorage": .int16, "CharStorage": .int8, "ByteStorage": .uint8, "BoolStorage": .bool,
    ]

    /// For error messages: what is allowed.
    static let allowedDescription = "collections.OrderedDict, torch._utils._rebuild_tensor_v2, torch._utils._rebuild_parameter(_with_state), torch.{Float,Half,BFloat16,Double,Long,Int,Short,Char,Byte,Bool}Storage"
}

/// A storage named by a persistent id: `('storage', torch.FloatStorage, key, location, numel)`.
struct StorageReference {
    var dtype: TensorDType
    /// The archive record `data/<key>`.
    var key: String
    var elementCount: Int
}

/// A tensor view of a storage (`_rebuild_tensor_v2` arguments).
struct TensorReference {
    var storage: StorageReference
    var offset: Int
    var shape: [Int]
    var strides: [Int]
}
