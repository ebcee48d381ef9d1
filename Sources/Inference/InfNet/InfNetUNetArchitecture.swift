import Files

/// The state-dict layout of the multi-class U-Net of "Semi-Inf-Net + multi-class UNet" (the
/// authors' `Inf_Net_UNet(6, 3)`; Inf-Net spec, section 9.2): 128 keys in the order PyTorch
/// writes them. Every 3x3 convolution has a bias and is followed by a BatchNorm and a ReLU.
struct InfNetUNetArchitecture {
    /// (input, middle, output) channels of each double convolution, and its key prefix.
    static let blocks: [(prefix: String, input: Int, middle: Int, output: Int)] = [
        ("inc", 6, 64, 64),
        ("down1.maxpool_conv.1", 64, 128, 128), ("down2.maxpool_conv.1", 128, 256, 256),
        ("down3.maxpool_conv.1", 256, 512, 512), ("down4.maxpool_conv.1", 512, 512, 512),
        ("up1.conv", 1024, 512, 256), ("up2.conv", 512, 256, 128), ("up3.conv", 256, 128, 64), ("up4.conv", 128, 64, 64),
    ]
    /// Input channels: the slice's B, G, R planes, then the prior's.
    static let inputChannels = 6

    private(set) var layout = StateDictLayout()

    init() {
        for block in Self.blocks {
            layout.conv(block.prefix + ".double_conv.0", [block.middle, block.input, 3, 3], bias: true)
            layout.batchNorm(block.prefix + ".double_conv.1", block.middle)
            layout.conv(block.prefix + ".double_conv.3", [block.output, block.middle, 3, 3], bias: true)
            layout.batchNorm(block.prefix + ".double_conv.4", block.output)
        }
        layout.conv("outc.conv", [InfNetMultiClass.classCount, 64, 1, 1], bias: true)
    }
}

/// A validated state dict of the multi-class U-Net (`InfNetUNetArchitecture`).
public struct InfNetUNetWeights: Sendable {
    /// Keys in the file that the U-Net does not have.
    public let unexpectedKeys: [String]
    let tensors: StateDict

    public init(_ stateDict: StateDict, source: String) throws(FileError) {
        guard stateDict["inc.double_conv.0.weight"] != nil else {
            if stateDict["resnet.conv1.0.weight"] != nil {
                throw FileError(path: source, reason: "an Inf-Net / Semi-Inf-Net checkpoint (key resnet.conv1.0.weight), not the multi-class U-Net's: give it with --prior-weights, or run it with --model infnet")
            }
            let sample = stateDict.names.prefix(5).joined(separator: ", ")
            throw FileError(path: source, reason: "not the multi-class U-Net's checkpoint: key inc.double_conv.0.weight is missing (the file starts with \(sample))")
        }
        unexpectedKeys = try InfNetUNetArchitecture().layout.check(stateDict, source: source, network: "the multi-class U-Net").unexpectedKeys
        tensors = stateDict
    }

    /// Convolution `index` (0 or 3) of the double convolution `prefix` with its BatchNorm folded in.
    func conv(_ prefix: String, _ index: Int) -> FoldedConv {
        tensors.foldedConv("\(prefix).double_conv.\(index)", batchNorm: "\(prefix).double_conv.\(index + 1)", hasBias: true)
    }

    var head: FoldedConv { tensors.foldedConv("outc.conv", batchNorm: nil, hasBias: true) }
}
