import Files
/// A validated CoSupNet state dict: every tensor the forward pass needs, with the right shapes.
///
/// Validation rules: the width comes from `ResNet.conv1.weight` ([w, 1, 3, 3], w even); the main
/// head from `out1.weight`: [1, w, 1, 1] is the binary network, [3, w, 1, 1] the per-class one.
/// A needed key that is missing or has another shape is an error (naming key, expected and found
/// shapes). Missing `fout.*` gets its own error: the authors' code never saved them. Keys the
/// network does not know are listed in `unexpectedKeys` (the caller warns, or fails when strict).
public struct CoSupWeights: Sendable {
    public let width: Int
    /// 1: the binary network (infection); 3: the per-class network (background, ground-glass
    /// opacities, consolidation).
    public let outputs: Int
    /// Keys in the file that CoSupNet does not have.
    public let unexpectedKeys: [String]
    let tensors: StateDict

    public init(_ stateDict: StateDict, source: String) throws(FileError) {
        guard let first = stateDict["ResNet.conv1.weight"] else {
            let sample = stateDict.names.prefix(5).joined(separator: ", ")
            throw FileError(path: source, reason: "not a CoSupNet checkpoint: key ResNet.conv1.weight is missing (the file starts with \(sample))")
        }
        guard first.shape.count == 4, first.shape[1] == 1, first.shape[2] == 3, first.shape[3] == 3,
              first.shape[0] >= 2, first.shape[0] % 2 == 0 else {
            throw FileError(path: source, reason: "shape mismatch for ResNet.conv1.weight: expected [w, 1, 3, 3] with an even width w, found \(first.shape)")
        }
        let outputs = stateDict["out1.weight"].map { $0.shape.first == 3 ? 3 : 1 } ?? 1
        let architecture = CoSupArchitecture(width: first.shape[0], outputs: outputs)
        var missing: [String] = []
        var missingUnsaved: [String] = []
        for key in architecture.keys {
            guard let tensor = stateDict[key.name] else {
                switch key.role {
                case .required: missing.append(key.name)
                case .requiredUnsaved: missingUnsaved.append(key.name)
                case .unused: break
                }
                continue
            }
            if key.role != .unused, tensor.shape != key.shape {
                throw FileError(path: source, reason: "shape mismatch for \(key.name): expected \(key.shape), found \(tensor.shape) (width \(architecture.width) from ResNet.conv1.weight)")
            }
            if key.role != .unused, !tensor.dtype.isFloatingPoint {
                throw FileError(path: source, reason: "\(key.name) holds \(tensor.dtype.rawValue) values; a floating-point tensor is expected")
            }
        }
        if !missing.isEmpty {
            throw FileError(path: source, reason: "missing \(missing.count) key(s) CoSupNet needs: \(Self.list(missing))")
        }
        if !missingUnsaved.isEmpty {
            throw FileError(path: source, reason: """
                the fout.* weights of the attention fusion are missing (\(missingUnsaved.count) keys). \
                The authors' code keeps them in a plain Python list, so torch.save never stored them; \
                the trained model used their initial values drawn after torch.manual_seed(2). \
                Rebuild them with tools/complete_checkpoint.py (needs PyTorch): \
                python3 tools/complete_checkpoint.py \(source) completed.pth — see docs/predict.md
                """)
        }
        let known = Set(architecture.keys.map(\.name))
        width = architecture.width
        self.outputs = outputs
        unexpectedKeys = stateDict.names.filter { !known.contains($0) }
        tensors = stateDict
    }

    static func list(_ names: [String]) -> String {
        names.count <= 12 ? names.joined(separator: ", ") : names.prefix(12).joined(separator: ", ") + ", … (\(names.count - 12) more)"
    }

    func values(_ name: String) -> [Float] { tensors[name]!.values }

    func double(_ name: String) -> [Double] { tensors[name]!.values.map(Double.init) }

    /// A convolution with its BatchNorm folded in (eval mode, eps 1e-5), computed in double:
    /// w' = w * gamma / sqrt(var + eps), b' = (b - mean) * gamma / sqrt(var + eps) + beta.
    func foldedConv(_ conv: String, batchNorm: String?, hasBias: Bool) -> FoldedConv {
        let shape = tensors[conv + ".weight"]!.shape
        let outChannels = shape[0]
        let perOut = shape.dropFirst().reduce(1, *)
        var weights = double(conv + ".weight")
        var bias = hasBias ? double(conv + ".bias") : [Double](repeating: 0, count: outChannels)
        if let batchNorm {
            let gamma = double(batchNorm + ".weight"), beta = double(batchNorm + ".bias")
            let mean = double(batchNorm + ".running_mean"), variance = double(batchNorm + ".running_var")
            for o in 0..<outChannels {
                let scale = gamma[o] / (variance[o] + 1e-5).squareRoot()
                for k in 0..<perOut { weights[o * perOut + k] *= scale }
                bias[o] = (bias[o] - mean[o]) * scale + beta[o]
            }
        }
        return FoldedConv(shape: shape, weights: weights, bias: bias)
    }
}

/// Convolution parameters in double precision (OIHW weights), ready to be fused further or cast.
struct FoldedConv {
    var shape: [Int]
    var weights: [Double]
    var bias: [Double]

    var outChannels: Int { shape[0] }
    var inChannels: Int { shape[1] }
    var kernel: Int { shape[2] }
    var floatWeights: [Float] { weights.map(Float.init) }
    var floatBias: [Float] { bias.map(Float.init) }
}
