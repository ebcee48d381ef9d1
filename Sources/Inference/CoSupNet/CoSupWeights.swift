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
        let findings = try architecture.check(stateDict, source: source)
        let missingUnsaved = findings.missingUnsaved
        if !missingUnsaved.isEmpty {
            throw FileError(path: source, reason: """
                the fout.* weights of the attention fusion are missing (\(missingUnsaved.count) keys). \
                The authors' code keeps them in a plain Python list, so torch.save never stored them; \
                the trained model used their initial values drawn after torch.manual_seed(2). \
                Rebuild them with tools/complete_checkpoint.py (needs PyTorch): \
                python3 tools/complete_checkpoint.py \(source) completed.pth — see docs/predict.md
                """)
        }
        width = architecture.width
        self.outputs = outputs
        unexpectedKeys = findings.unexpectedKeys
        tensors = stateDict
    }

    func values(_ name: String) -> [Float] { tensors[name]!.values }

    /// A convolution with its BatchNorm folded in (`StateDict.foldedConv`).
    func foldedConv(_ conv: String, batchNorm: String?, hasBias: Bool) -> FoldedConv {
        tensors.foldedConv(conv, batchNorm: batchNorm, hasBias: hasBias)
    }
}
