import Foundation
import GoldenSupport
@testable import Inference
import Testing

/// The golden cases under every backend variant, in this process (at this machine's instruction
/// set; `InstructionSetLevelTests` covers the lower ones): each variant changes only float32
/// rounding, so each must meet the golden tolerances. Among them the path oneDNN forces on CPUs
/// where a primitive lacks its fused post-ops (`separate-post-ops`), and AVX-512's 16-channel
/// layout and wide register block on any machine.
@Suite("Backend variants against the PyTorch goldens")
struct BackendVariantTests {
    struct Run: Sendable, CustomTestStringConvertible {
        var golden: GoldenCase
        var variant: BackendVariant
        var testDescription: String { "\(golden.name), \(variant.rawValue)" }
    }

    /// Every variant on the small cases; on the full case only those that run at oneDNN's
    /// optimised speed on every machine (a layout the CPU's kernels lack falls back to reference
    /// kernels, minutes at 256x256 in a debug build).
    static let runs: [Run] = GoldenCase.all.filter(\.isAvailable).flatMap { golden in
        BackendVariant.allCases.filter { golden.small || $0 == .automatic || $0 == .separatePostOps }.map { Run(golden: golden, variant: $0) }
    }

    @Test("input within 1e-6, prob and aux within 1e-5", arguments: runs)
    func matchesGolden(run: Run) throws {
        let configuration = run.variant.configuration(for: .current)
        let result = try run.golden.run(configuration: configuration)
        print("\(run.testDescription): prob \(result.probability), aux \(result.aux); \(result.backend)")
        #expect(result.withinTolerances, "\(result)")
        #expect(result.backend.contains("; \(configuration.layoutName);"))
        switch run.variant {
        case .separatePostOps:
            // Every primitive with post-ops ran them separately.
            let counts = try #require(result.backend.firstMatch(of: /post-ops (\d+) of (\d+) run separately/), "\(result.backend)")
            #expect(counts.1 == counts.2 && Int(counts.1)! > 0, "\(result.backend)")
        case .direct, .nhwc:
            #expect(result.backend.contains("3x3 convolutions: oneDNN direct"), "\(result.backend)")
        default:
            // On AVX2 and below every post-op fuses; on AVX-512 oneDNN may lack some fused (8-channel
            // resampling with a sigmoid), and the network must then say so.
            let fused = result.backend.contains("post-ops fused")
            let fallback = result.backend.contains("run separately (not implemented fused on this CPU, or wrong there)")
                || result.backend.contains("on a later oneDNN implementation")
            #expect(fused || (InstructionSet.current.hasAVX512 && fallback), "\(result.backend)")
        }
        if run.variant == .wideProduct || (run.variant == .automatic && InstructionSet.current.kernels == .avx512),
           result.backend.contains("winograd (") {
            #expect(result.backend.contains("12x32 block"), "\(result.backend)")
        }
    }

    @Test("when a primitive's first implementation fails to build, the next one oneDNN lists is taken, and the goldens still hold")
    func laterImplementation() throws {
        // Every primitive plain (post-ops separate), its first implementation refused, in both
        // channel-block layouts: oneDNN's second choices (e.g. `simple:any` resampling) must compute
        // the same function. A fused primitive never walks on (`Primitive.create`, `firstOnly`).
        for variant in [BackendVariant.nChw8c, .nChw16c] {
            var configuration = variant.configuration(for: .current)
            configuration.fusePostOps = false
            configuration.refusedFirstImplementations = 1
            for golden in GoldenCase.all where golden.isAvailable && golden.small {
                let result = try golden.run(configuration: configuration)
                print("\(golden.name), \(variant.rawValue), first implementation refused: prob \(result.probability); \(result.backend)")
                #expect(result.withinTolerances, "\(result)")
                let later = try #require(result.backend.firstMatch(of: /(\d+) primitive\(s\) on a later oneDNN implementation/), "\(result.backend)")
                #expect(Int(later.1)! > 0)
            }
        }
    }

    @Test("a separated residual sum, ReLU and sigmoid equal the fused ones on a convolution")
    func separatePostOpsOnOneLayer() throws {
        // A 1x1 convolution whose fused post-ops [sum, relu] and [sigmoid] oneDNN implements on every
        // CPU: the fused and separate paths must agree to rounding.
        var outputs: [[Float]] = []
        for fuse in [true, false] {
            let configuration = BackendConfiguration(channelBlock: 8, winograd: nil, wideProduct: false, fusePostOps: fuse)
            let context = try DNNLContext(configuration: configuration)
            let source = try Activation(channels: 8, height: 4, width: 6, context: context)
            let destination = try Activation(channels: 16, height: 4, width: 6, context: context)
            let probability = try Activation(channels: 16, height: 4, width: 6, context: context)
            for i in 0..<source.count { source.pointer[i] = Float((i * 37) % 23) / 11 - 1 }
            for i in 0..<destination.count { destination.pointer[i] = Float((i * 17) % 19) / 9 - 1 }
            let weights: [Float] = (0..<(16 * 8)).map { (k: Int) -> Float in Float((k * 29) % 31) / 31 - 0.5 }
            let bias: [Float] = (0..<16).map { (k: Int) -> Float in Float(k) / 16 - 0.5 }
            let residual = try ConvLayer(weights: weights, bias: bias, outChannels: 16, inChannels: 8, geometry: ConvGeometry(kernel: 1),
                                         source: source, destination: destination, postOps: [.sum, .relu], context: context, name: "test")
            let gate = try ConvLayer(weights: weights, bias: bias, outChannels: 16, inChannels: 8, geometry: ConvGeometry(kernel: 1),
                                     source: source, destination: probability, postOps: [.sigmoid], context: context, name: "test")
            try residual.run(source, into: destination, context: context)
            try gate.run(source, into: probability, context: context)
            try context.wait()
            #expect(context.record.primitivesWithPostOps == 2)
            #expect(context.record.separatedPostOps == (fuse ? 0 : 2))
            outputs.append(destination.nchw() + probability.nchw())
        }
        #expect(outputs[0].contains { $0 == 0 } && outputs[0].contains { $0 > 0 }, "the ReLU must clip some values and keep others")
        #expect(maxAbsDifference(outputs[0], outputs[1]) <= 1e-6)
    }

    @Test("an accumulated elementwise product (dst += a * b) is exact in every channel-block layout, 8-channel blocks on AVX-512 included")
    func accumulatedProduct() throws {
        // oneDNN 2.6's binary primitive with a fused sum computes this wrong on nChw8c under AVX-512
        // (and writes past the destination); `BinaryLayer` runs the sum separately there. Products
        // and sums of these values are exact in float32, so every layout must give a * b + d exactly.
        for block in [8, 16, nil] as [Int?] {
            let configuration = BackendConfiguration(channelBlock: block, winograd: nil, wideProduct: false, fusePostOps: true)
            let context = try DNNLContext(configuration: configuration)
            let (channels, height, width) = (24, 9, 11)  // an odd number of 8-channel blocks: 16 or 32 hid the fault
            let plane = channels * height * width
            let a = (0..<plane).map { Float(($0 * 7) % 13) / 4 - 1 }
            let b = (0..<plane).map { Float(($0 * 5) % 11) / 2 - 2 }
            let d = (0..<plane).map { Float(($0 * 3) % 17) - 8 }
            var activations: [Activation] = []
            for values in [a, b, d] {
                let activation = try Activation(channels: channels, height: height, width: width, context: context)
                for c in 0..<channels {
                    for p in 0..<(height * width) { activation.pointer[activation.offset(channel: c, pixel: p)] = values[c * height * width + p] }
                }
                activations.append(activation)
            }
            let layer = try BinaryLayer(.multiply, a: activations[0], b: activations[1], destination: activations[2], accumulate: true,
                                        context: context)
            try layer.run(activations[0], activations[1], into: activations[2], context: context)
            try context.wait()
            let expected = (0..<plane).map { a[$0] * b[$0] + d[$0] }
            #expect(activations[2].nchw() == expected, "block \(block.map(String.init) ?? "none"): \(context.record.summary(configuration: configuration))")
        }
    }
}
