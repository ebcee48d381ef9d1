import Files

/// A validated Inf-Net / Semi-Inf-Net state dict (`InfNetArchitecture`): every tensor the forward
/// pass needs, with its shape, as the authors saved it (`module.` prefixes already removed by
/// `WeightFile`). `resnet.fc.*` and `num_batches_tracked` are expected and unused; any other key
/// is listed in `unexpectedKeys` (the caller warns, or fails when strict).
public struct InfNetWeights: Sendable {
    /// Keys in the file that Inf-Net does not have.
    public let unexpectedKeys: [String]
    let tensors: StateDict

    public init(_ stateDict: StateDict, source: String) throws(FileError) {
        guard stateDict["resnet.conv1.0.weight"] != nil else {
            if stateDict["ResNet.conv1.weight"] != nil {
                throw FileError(path: source, reason: "a CoSupNet checkpoint (key ResNet.conv1.weight), not Inf-Net's: run it with --model cosupnet")
            }
            if stateDict["inc.double_conv.0.weight"] != nil {
                throw FileError(path: source, reason: "the multi-class U-Net's checkpoint (key inc.double_conv.0.weight), not Inf-Net's: run it with --model infnet-multiclass")
            }
            let sample = stateDict.names.prefix(5).joined(separator: ", ")
            throw FileError(path: source, reason: "not an Inf-Net checkpoint: key resnet.conv1.0.weight is missing (the file starts with \(sample))")
        }
        unexpectedKeys = try InfNetArchitecture().layout.check(stateDict, source: source, network: "Inf-Net").unexpectedKeys
        tensors = stateDict
    }

    /// The authors' `BasicConv2d` `name` (`name.conv`, `name.bn`) as one convolution with bias.
    func cb(_ name: String) -> FoldedConv { tensors.foldedConv(name + ".conv", batchNorm: name + ".bn", hasBias: false) }

    /// A bias-free convolution with a BatchNorm of another name (the backbone's).
    func folded(_ conv: String, batchNorm: String) -> FoldedConv { tensors.foldedConv(conv, batchNorm: batchNorm, hasBias: false) }

    /// A convolution with its own bias and no BatchNorm.
    func plain(_ conv: String) -> FoldedConv { tensors.foldedConv(conv, batchNorm: nil, hasBias: true) }
}
