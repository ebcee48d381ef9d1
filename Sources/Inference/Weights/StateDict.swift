/// Named tensors in file order: what a weight file holds once its container is read.
public struct StateDict: Sendable {
    public private(set) var names: [String] = []
    private var tensors: [String: StoredTensor] = [:]

    public init() {}

    public init(_ pairs: [(String, StoredTensor)]) {
        for (name, tensor) in pairs { insert(name, tensor) }
    }

    public mutating func insert(_ name: String, _ tensor: StoredTensor) {
        if tensors.updateValue(tensor, forKey: name) == nil { names.append(name) }
    }

    public subscript(name: String) -> StoredTensor? { tensors[name] }

    public var count: Int { names.count }

    /// Removes a leading `module.` (from `nn.DataParallel`) when every key carries it.
    public func strippingModulePrefix() -> StateDict {
        let prefix = "module."
        guard !names.isEmpty, names.allSatisfy({ $0.hasPrefix(prefix) }) else { return self }
        var stripped = StateDict()
        for name in names { stripped.insert(String(name.dropFirst(prefix.count)), tensors[name]!) }
        return stripped
    }
}
