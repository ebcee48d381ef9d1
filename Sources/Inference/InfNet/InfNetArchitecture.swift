import Files

/// The state-dict layout of Inf-Net / Semi-Inf-Net (the authors' `Inf_Net`, Res2Net-50 v1b
/// 26w x 4s backbone): all 946 keys of their checkpoints with their shapes, in the order PyTorch
/// writes them (Inf-Net spec, sections 3 and 6). `resnet.fc.*` (the ImageNet classifier, never
/// called) and every `num_batches_tracked` are expected and unused.
struct InfNetArchitecture {
    /// Res2Net-50's layers: blocks and planes; a block's output has 4 x planes channels.
    static let layers: [(blocks: Int, planes: Int)] = [(3, 64), (4, 128), (6, 256), (3, 512)]
    /// The width of each of a block's four chunks: floor(planes * 26 / 64) (26, 52, 104, 208).
    static func chunkWidth(planes: Int) -> Int { planes * 26 / 64 }
    /// The receptive-field blocks on x2, x3, x4 and their input channels.
    static let receptiveFields: [(name: String, inChannels: Int)] = [("rfb2_1", 512), ("rfb3_1", 1024), ("rfb4_1", 2048)]
    /// The RFB branches 1...3: kernel length n of the 1 x n and n x 1 convolutions, also the
    /// dilation and padding of the branch's last 3 x 3.
    static let branchKernels = [3, 5, 7]
    /// Channels of every RFB branch, the decoder's inputs.
    static let channels = 32

    private(set) var layout = StateDictLayout()

    init() {
        basicConv("resnet.conv1.0", [32, 3, 3, 3], batchNorm: "resnet.conv1.1")
        basicConv("resnet.conv1.3", [32, 32, 3, 3], batchNorm: "resnet.conv1.4")
        basicConv("resnet.conv1.6", [64, 32, 3, 3], batchNorm: "resnet.bn1")
        var inChannels = 64
        for (layer, (blocks, planes)) in Self.layers.enumerated() {
            let w = Self.chunkWidth(planes: planes)
            for block in 0..<blocks {
                let prefix = "resnet.layer\(layer + 1).\(block)"
                basicConv(prefix + ".conv1", [4 * w, block == 0 ? inChannels : 4 * planes, 1, 1], batchNorm: prefix + ".bn1")
                for i in 0..<3 { layout.conv(prefix + ".convs.\(i)", [w, w, 3, 3], bias: false) }
                for i in 0..<3 { layout.batchNorm(prefix + ".bns.\(i)", w) }
                basicConv(prefix + ".conv3", [4 * planes, 4 * w, 1, 1], batchNorm: prefix + ".bn3")
                if block == 0 { basicConv(prefix + ".downsample.1", [4 * planes, inChannels, 1, 1], batchNorm: prefix + ".downsample.2") }
            }
            inChannels = 4 * planes
        }
        layout.conv("resnet.fc", [1000, 2048], bias: true, role: .unused)
        let c = Self.channels
        for (name, cin) in Self.receptiveFields {
            cb(name + ".branch0.0", [c, cin, 1, 1])
            for (k, n) in Self.branchKernels.enumerated() {
                cb(name + ".branch\(k + 1).0", [c, cin, 1, 1])
                cb(name + ".branch\(k + 1).1", [c, c, 1, n])
                cb(name + ".branch\(k + 1).2", [c, c, n, 1])
                cb(name + ".branch\(k + 1).3", [c, c, 3, 3])
            }
            cb(name + ".conv_cat", [c, 4 * c, 3, 3])
            cb(name + ".conv_res", [c, cin, 1, 1])
        }
        for i in 1...4 { cb("ParDec.conv_upsample\(i)", [c, c, 3, 3]) }
        cb("ParDec.conv_upsample5", [2 * c, 2 * c, 3, 3])
        cb("ParDec.conv_concat2", [2 * c, 2 * c, 3, 3])
        cb("ParDec.conv_concat3", [3 * c, 3 * c, 3, 3])
        cb("ParDec.conv4", [3 * c, 3 * c, 3, 3])
        layout.conv("ParDec.conv5", [1, 3 * c, 1, 1], bias: true)
        cb("ra4_conv1", [256, 2048, 1, 1])
        cb("ra4_conv2", [256, 256 + 64, 5, 5])
        cb("ra4_conv3", [256, 256, 5, 5])
        cb("ra4_conv4", [256, 256, 5, 5])
        cb("ra4_conv5", [1, 256, 1, 1])
        for (level, cin) in [(3, 1024), (2, 512)] {
            cb("ra\(level)_conv1", [64, cin, 1, 1])
            cb("ra\(level)_conv2", [64, 128, 3, 3])
            cb("ra\(level)_conv3", [64, 64, 3, 3])
            cb("ra\(level)_conv4", [1, 64, 3, 3])
        }
        cb("edge_conv1", [64, 256, 1, 1])
        cb("edge_conv2", [64, 64, 3, 3])
        cb("edge_conv3", [64, 64, 3, 3])
        cb("edge_conv4", [1, 64, 3, 3])
    }

    /// A bias-free convolution followed by a BatchNorm of another name (the backbone's).
    private mutating func basicConv(_ name: String, _ shape: [Int], batchNorm: String) {
        layout.conv(name, shape, bias: false)
        layout.batchNorm(batchNorm, shape[0])
    }

    /// The authors' `BasicConv2d` "CB": `name.conv` (no bias) then `name.bn` (its ReLU never runs).
    private mutating func cb(_ name: String, _ shape: [Int]) { basicConv(name + ".conv", shape, batchNorm: name + ".bn") }
}

/// The expected state-dict keys and shapes of Inf-Net (for tools and tests).
public enum InfNetArchitectureListing {
    public static var keys: [(name: String, shape: [Int])] { InfNetArchitecture().layout.keys.map { ($0.name, $0.shape) } }
}
