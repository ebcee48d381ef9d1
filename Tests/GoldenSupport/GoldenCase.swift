import Foundation
import ImageIO
import Inference
import SegevalTestSupport

/// A PyTorch golden case: weights, a slice, and the outputs PyTorch computed, with the tolerances
/// every instruction-set level and backend variant must meet. CoSupNet's cases hold `prob.f32` and
/// `aux0.f32` … `aux4.f32`; Inf-Net's the five lateral maps; the multi-class U-Net's `logits.f32`
/// (raw little-endian float32).
public struct GoldenCase: Sendable {
    public enum Network: Sendable { case cosupnet, infnet, infnetMultiClass }

    public var name: String
    public var network: Network = .cosupnet
    public var folder: String
    public var weights: String
    /// The preprocessed input PyTorch saw, when the case has it.
    public var inputF32: String?
    /// The network input side.
    public var size: Int
    /// Whether a slow backend (oneDNN's reference kernels) can run it within seconds.
    public var small: Bool

    public static let inputTolerance: Float = 1e-6
    /// CoSupNet's; Inf-Net's raw maps 2e-4 and the U-Net's logits 5e-4, as their goldens' READMEs
    /// suggest (a 100-convolution network's float32 noise).
    public var outputTolerance: Float { network == .cosupnet ? 1e-5 : network == .infnet ? 2e-4 : 5e-4 }

    /// `../shared` beside the package root.
    public static let golden = URL(fileURLWithPath: SharedData.packageRoot).deletingLastPathComponent()
        .appendingPathComponent("shared/golden").path

    /// The committed fixture (width 4, 32x32; tools/make_cosup_fixture.py): always present.
    public static let fixture = GoldenCase(name: "fixture", folder: SharedData.packageRoot + "/fixtures/cosup-small",
                                           weights: SharedData.packageRoot + "/fixtures/cosup-small/weights.safetensors",
                                           inputF32: SharedData.packageRoot + "/fixtures/cosup-small/input.f32", size: 32, small: true)
    /// fixtures/cosup-classes-small: the per-class network (width 4, 32x32, softmax over 3 classes).
    public static let classesFixture = GoldenCase(name: "classes-fixture", folder: SharedData.packageRoot + "/fixtures/cosup-classes-small",
                                                  weights: SharedData.packageRoot + "/fixtures/cosup-classes-small/weights.safetensors",
                                                  inputF32: SharedData.packageRoot + "/fixtures/cosup-classes-small/input.f32", size: 32, small: true)
    /// ../shared/golden/small (width 8, 64x64).
    public static let sharedSmall = GoldenCase(name: "small", folder: golden + "/small", weights: golden + "/small/weights.safetensors",
                                               inputF32: golden + "/small_debug/input.f32", size: 64, small: true)
    /// ../shared/golden/full (width 64, 256x256).
    public static let sharedFull = GoldenCase(name: "full", folder: golden + "/full", weights: golden + "/full/weights.safetensors",
                                              inputF32: golden + "/full/input.f32", size: 256, small: false)

    /// ../shared/golden/infnet (Inf-Net, 352x352).
    public static let sharedInfNet = GoldenCase(name: "infnet", network: .infnet, folder: golden + "/infnet",
                                                weights: golden + "/infnet/weights.safetensors", inputF32: golden + "/infnet/input.f32",
                                                size: 352, small: false)
    /// ../shared/golden/infnet-multiclass (the multi-class U-Net, 352x352).
    public static let sharedInfNetMultiClass = GoldenCase(name: "infnet-multiclass", network: .infnetMultiClass, folder: golden + "/infnet-multiclass",
                                                          weights: golden + "/infnet-multiclass/weights.safetensors",
                                                          inputF32: golden + "/infnet-multiclass/input.f32", size: 352, small: false)

    public static let all = [fixture, classesFixture, sharedSmall, sharedFull, sharedInfNet, sharedInfNetMultiClass]

    /// Whether its files are here (the shared cases are absent on a fresh clone).
    public var isAvailable: Bool { FileManager.default.fileExists(atPath: weights) }

    public static func named(_ name: String) -> GoldenCase? { all.first { $0.name == name } }

    /// Builds the network on a context with `configuration`, runs the case and measures.
    public func run(configuration: BackendConfiguration = .automatic) throws -> GoldenResult {
        switch network {
        case .cosupnet: return try runCoSupNet(configuration: configuration)
        case .infnet:
            let image = try SliceReader.readGray(path: folder + "/input.png")
            let input = ImageNetNormalization.tensor(fromGray: PillowResize.bilinear(image, toWidth: size, toHeight: size))
            let net = try InfNet(weights: try InfNetWeights(try WeightFile.load(path: weights), source: weights), height: size, width: size,
                                 sideOutputs: true, context: try DNNLContext(configuration: configuration))
            let output = try net.forward(input)
            var aux: [Float] = []
            for (map, name) in zip(output.sideOutputs, ["lateral_map_5", "lateral_map_4", "lateral_map_3", "lateral_edge"]) {
                aux.append(maxAbsDifference(map, try readFloat32(folder + "/\(name).f32")))
            }
            return GoldenResult(input: maxAbsDifference(input, try readFloat32(inputF32!)),
                                probability: maxAbsDifference(output.prediction, try readFloat32(folder + "/lateral_map_2.f32")),
                                aux: aux, backend: net.backendSummary, tolerance: outputTolerance)
        case .infnetMultiClass:
            let input = InfNetMultiClass.input(image: try SliceReader.readGray(path: folder + "/input.png"),
                                               prior: try SliceReader.readGray(path: folder + "/prior.png"))
            let net = try InfNetUNet(weights: try InfNetUNetWeights(try WeightFile.load(path: weights), source: weights), height: size, width: size,
                                     context: try DNNLContext(configuration: configuration))
            return GoldenResult(input: maxAbsDifference(input, try readFloat32(inputF32!)),
                                probability: maxAbsDifference(try net.forward(input), try readFloat32(folder + "/logits.f32")),
                                aux: [], backend: net.backendSummary, tolerance: outputTolerance)
        }
    }

    private func runCoSupNet(configuration: BackendConfiguration) throws -> GoldenResult {
        let stateDict = try WeightFile.load(path: weights)
        let model = try CoSupWeights(stateDict, source: weights)
        let image = try SliceReader.readGray(path: folder + "/input.png")
        let input = Preprocessing.networkInput(image, height: size, width: size)
        var inputError: Float?
        if let inputF32 { inputError = maxAbsDifference(input, try readFloat32(inputF32)) }
        let network = try CoSupNet(weights: model, height: size, width: size, sideOutputs: true,
                                   context: try DNNLContext(configuration: configuration))
        let output = try network.forward(input)
        let reference = try readFloat32(folder + "/prob.f32")
        var probability: Float
        if model.outputs == 3 {
            // Softmax over (background, GGO, consolidation): each class map, and infection = their sum.
            let pixels = size * size
            let ggo = Array(reference[pixels..<(2 * pixels)]), consolidation = Array(reference[(2 * pixels)...])
            probability = max(maxAbsDifference(output.classProbabilities[0], ggo),
                              maxAbsDifference(output.classProbabilities[1], consolidation),
                              maxAbsDifference(output.probability, zip(ggo, consolidation).map { $0 + $1 }))
        } else {
            probability = maxAbsDifference(output.probability, reference)
        }
        var aux: [Float] = []
        for i in 0..<5 { aux.append(maxAbsDifference(output.sideOutputs[i], try readFloat32(folder + "/aux\(i).f32"))) }
        return GoldenResult(input: inputError, probability: probability, aux: aux, backend: network.backendSummary, tolerance: outputTolerance)
    }
}

/// The largest absolute errors of one run against PyTorch: the input, the main output (CoSupNet's
/// probability, Inf-Net's lateral_map_2, the U-Net's logits) and the side outputs.
public struct GoldenResult: Codable, Sendable {
    public var input: Float?
    public var probability: Float
    public var aux: [Float]
    /// The network's `backendSummary` of the run.
    public var backend: String
    /// The case's output tolerance.
    public var tolerance: Float

    /// Whether every error is within the case tolerances.
    public var withinTolerances: Bool {
        (input ?? 0) <= GoldenCase.inputTolerance && probability <= tolerance && aux.allSatisfy { $0 <= tolerance }
    }
}

/// Backend variants a golden case runs under (`BackendConfiguration` relative to the instruction
/// set's preferred one). Each changes only float32 rounding.
public enum BackendVariant: String, CaseIterable, Codable, Sendable {
    /// What `segeval predict` picks on this instruction set.
    case automatic
    /// No fused post-ops: the path taken where oneDNN lacks a primitive with its post-ops.
    case separatePostOps = "separate-post-ops"
    /// 16-channel blocks (AVX-512's layout) whatever the instruction set.
    case nChw16c
    /// 8-channel blocks (AVX2's layout) whatever the instruction set.
    case nChw8c
    /// NHWC everywhere (no Winograd: it needs blocks).
    case nhwc
    /// Every convolution on oneDNN.
    case direct
    /// The Winograd product's wide 12 x 32 register block (AVX-512's) at this level.
    case wideProduct = "wide-product"

    public func configuration(for isa: InstructionSet) -> BackendConfiguration {
        var configuration = BackendConfiguration.preferred(for: isa)
        switch self {
        case .automatic: break
        case .separatePostOps: configuration.fusePostOps = false
        case .nChw16c: configuration.channelBlock = 16
        case .nChw8c: configuration.channelBlock = 8
        case .nhwc: configuration.channelBlock = nil
        case .direct: configuration.winograd = nil
        case .wideProduct: configuration.wideProduct = true
        }
        return configuration
    }
}

/// Reads a raw little-endian float32 file.
public func readFloat32(_ path: String) throws -> [Float] {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    return data.withUnsafeBytes { raw in
        (0..<(data.count / 4)).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
    }
}

public func maxAbsDifference(_ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count == b.count, "sizes differ: \(a.count) vs \(b.count)")
    var worst: Float = 0
    for i in a.indices { worst = max(worst, abs(a[i] - b[i])) }
    return worst
}

/// What `segeval-golden-check` prints: the instruction set in effect and each run's errors.
public struct GoldenReport: Codable, Sendable {
    public struct Run: Codable, Sendable {
        public var golden: String
        public var variant: BackendVariant
        public var result: GoldenResult

        public init(golden: String, variant: BackendVariant, result: GoldenResult) {
            self.golden = golden
            self.variant = variant
            self.result = result
        }
    }

    /// `InstructionSet.name`, its oneDNN bits, and the level of segeval's own kernels.
    public var isa: String
    public var isaBits: UInt32
    public var kernels: String
    public var runs: [Run] = []

    public init(isa: InstructionSet) {
        self.isa = isa.name
        isaBits = isa.bits
        kernels = isa.kernels.description
    }
}
