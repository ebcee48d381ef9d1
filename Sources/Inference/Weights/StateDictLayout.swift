import Files

/// The state-dict keys a network expects, each with its shape and how it is used, in the order
/// PyTorch writes them; and the check of a loaded `StateDict` against them. Each network's
/// architecture file (`CoSupArchitecture`, `InfNetArchitecture`, `InfNetUNetArchitecture`)
/// builds one with `conv` and `batchNorm`.
struct StateDictLayout {
    /// How a key is used.
    enum Role {
        /// Needed by the forward pass.
        case required
        /// Needed, but absent from checkpoints of the authors' code (CoSupNet's `fout.*`).
        case requiredUnsaved
        /// In the authors' state dict but never used by the forward pass (BN counters, a
        /// classifier the network never calls): expected, not reported.
        case unused
    }

    struct Key {
        var name: String
        var shape: [Int]
        var role: Role
    }

    private(set) var keys: [Key] = []

    /// `name.weight` of `shape` (OIHW), and `name.bias` (`biasCount` values, default shape[0]).
    mutating func conv(_ name: String, _ shape: [Int], bias: Bool, biasCount: Int? = nil, role: Role = .required) {
        keys.append(Key(name: name + ".weight", shape: shape, role: role))
        if bias { keys.append(Key(name: name + ".bias", shape: [biasCount ?? shape[0]], role: role)) }
    }

    /// A BatchNorm2d's four vectors and its (unused) `num_batches_tracked` counter.
    mutating func batchNorm(_ name: String, _ channels: Int) {
        for field in ["weight", "bias", "running_mean", "running_var"] {
            keys.append(Key(name: "\(name).\(field)", shape: [channels], role: .required))
        }
        keys.append(Key(name: name + ".num_batches_tracked", shape: [], role: .unused))
    }

    /// What a checked state dict holds beyond the layout, and which `requiredUnsaved` keys it lacks.
    struct Findings {
        /// Keys the layout does not have (the caller warns, or fails when strict).
        var unexpectedKeys: [String]
        var missingUnsaved: [String]
    }

    /// Checks `stateDict` (read from `source`) against the layout: a needed key that is missing,
    /// has another shape or holds integers is an error naming the key (`network` names what was
    /// expected, `context` adds to a shape error, e.g. where a width came from).
    func check(_ stateDict: StateDict, source: String, network: String, context: String = "") throws(FileError) -> Findings {
        var missing: [String] = []
        var missingUnsaved: [String] = []
        for key in keys {
            guard let tensor = stateDict[key.name] else {
                switch key.role {
                case .required: missing.append(key.name)
                case .requiredUnsaved: missingUnsaved.append(key.name)
                case .unused: break
                }
                continue
            }
            guard key.role != .unused else { continue }
            if tensor.shape != key.shape {
                throw FileError(path: source, reason: "shape mismatch for \(key.name): expected \(key.shape), found \(tensor.shape)\(context)")
            }
            if !tensor.dtype.isFloatingPoint {
                throw FileError(path: source, reason: "\(key.name) holds \(tensor.dtype.rawValue) values; a floating-point tensor is expected")
            }
        }
        if !missing.isEmpty {
            throw FileError(path: source, reason: "missing \(missing.count) key(s) \(network) needs: \(Self.list(missing))")
        }
        let known = Set(keys.map(\.name))
        return Findings(unexpectedKeys: stateDict.names.filter { !known.contains($0) }, missingUnsaved: missingUnsaved)
    }

    /// Up to 12 names, then how many more.
    static func list(_ names: [String]) -> String {
        names.count <= 12 ? names.joined(separator: ", ") : names.prefix(12).joined(separator: ", ") + ", … (\(names.count - 12) more)"
    }
}
