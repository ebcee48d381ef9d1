import Files

/// The state-dict layout of CoSupNet (the authors' `RPLFUnet`) for a channel width `w`
/// (64 in the paper): every key with its shape, in the order PyTorch writes them.
/// See `shared/spec/cosup-model.md`, section 1.
struct CoSupArchitecture {
    typealias Role = StateDictLayout.Role

    let width: Int
    /// Channels of the main head `out1`: 1 (infection, sigmoid) or 3 (background, ground-glass
    /// opacities, consolidation, softmax: the per-class network of `segeval predict --classes`).
    let outputs: Int
    private var layout = StateDictLayout()
    var keys: [StateDictLayout.Key] { layout.keys }

    /// Layer widths and block counts of the ResNet34 encoder.
    static let layerBlocks = [3, 4, 6, 3]

    init(width w: Int, outputs: Int = 1) {
        self.width = w
        self.outputs = outputs
        conv("ResNet.conv1", [w, 1, 3, 3], bias: false)
        batchNorm("ResNet.bn1", w)
        var inChannels = w
        for (layer, blocks) in Self.layerBlocks.enumerated() {
            let c = w << layer
            for block in 0..<blocks {
                let prefix = "ResNet.layer\(layer + 1).\(block)"
                conv(prefix + ".conv1", [c, block == 0 ? inChannels : c, 3, 3], bias: true)
                batchNorm(prefix + ".bn1", c)
                conv(prefix + ".conv2", [c, c, 3, 3], bias: true)
                batchNorm(prefix + ".bn2", c)
                if block == 0 && layer > 0 {
                    conv(prefix + ".downsample.0", [c, inChannels, 1, 1], bias: false)
                    batchNorm(prefix + ".downsample.1", c)
                }
            }
            inChannels = c
        }
        for i in 0..<2 {
            conv("bridge.bridge.\(i).conv", [8 * w, 8 * w, 3, 3], bias: true)
            batchNorm("bridge.bridge.\(i).bn", 8 * w)
        }
        conv("final_upsample", [w, w, 2, 2], bias: true, biasCount: w)
        conv("final_conv", [w, w, 3, 3], bias: true)
        for (i, up) in Self.upBlocks(width: w).enumerated() {
            conv("up_blocks.\(i).upsample", [up.input, up.upsampled, 2, 2], bias: true, biasCount: up.upsampled)
            conv("up_blocks.\(i).conv_block_1.conv", [up.output, up.upsampled + up.skip, 3, 3], bias: true)
            batchNorm("up_blocks.\(i).conv_block_1.bn", up.output)
            conv("up_blocks.\(i).conv_block_2.conv", [up.output, up.output, 3, 3], bias: true)
            batchNorm("up_blocks.\(i).conv_block_2.bn", up.output)
        }
        conv("out1", [outputs, w, 1, 1], bias: false)
        conv("out_.bridge.0", [1, w, 1, 1], bias: true, role: .unused)
        for (i, c) in Self.sideChannels(width: w).enumerated() {
            conv("out.\(i).bridge.0", [1, c, 1, 1], bias: true, role: .unused)
        }
        for (i, c) in Self.sideChannels(width: w).enumerated() {
            conv("fout.\(i).bridge", [w, c, 1, 1], bias: true, role: .requiredUnsaved)
            conv("fout.\(i).conv", [w, w, 1, 1], bias: true, role: .requiredUnsaved)
        }
        conv("up.bridge", [1, w, 1, 1], bias: true)
        conv("gate.bridge", [w, w, 1, 1], bias: true)
        conv("gate.conv", [w, w, 1, 1], bias: true)
    }

    /// Channels of the up-blocks: input (from below), upsampled (ConvT output), skip, output.
    static func upBlocks(width w: Int) -> [(input: Int, upsampled: Int, skip: Int, output: Int)] {
        [(8 * w, 4 * w, 4 * w, 4 * w), (4 * w, 2 * w, 2 * w, 2 * w), (2 * w, w, w, w), (w, w / 2, w, w)]
    }

    /// Channels of the side-head sources src_0..src_4 = u3, u2, u1, u0, bridge.
    static func sideChannels(width w: Int) -> [Int] { [w, w, 2 * w, 4 * w, 8 * w] }

    private mutating func conv(_ name: String, _ shape: [Int], bias: Bool, biasCount: Int? = nil, role: Role = .required) {
        layout.conv(name, shape, bias: bias, biasCount: biasCount, role: role)
    }

    private mutating func batchNorm(_ name: String, _ channels: Int) { layout.batchNorm(name, channels) }

    /// Checks a state dict against this layout (`StateDictLayout.check`).
    func check(_ stateDict: StateDict, source: String) throws(FileError) -> StateDictLayout.Findings {
        try layout.check(stateDict, source: source, network: "CoSupNet", context: " (width \(width) from ResNet.conv1.weight)")
    }
}
