import Foundation
import GoldenSupport
@testable import Inference
import Testing

/// The native Inf-Net against the PyTorch golden in ../shared/golden/infnet (seeded random
/// weights in the authors' keys, a real slice): the five raw maps within the golden's suggested
/// 2e-4, and the intermediate tensors (for locating a difference). Skipped on a fresh clone.
@Suite("Inf-Net network: the golden's raw maps and intermediates", .serialized)
struct InfNetGoldenTests {
    static let folder = TestPaths.golden + "/infnet"
    static let available = FileManager.default.fileExists(atPath: folder + "/weights.safetensors")

    @Test("the architecture's 946 keys and shapes are the golden checkpoint's, (the safetensors copy sorts them)", .enabled(if: available, "../shared/golden/infnet is not present (fresh clone); runs in CI"))
    func keysInOrder() throws {
        let dict = try WeightFile.load(path: Self.folder + "/weights.safetensors")
        let layout = InfNetArchitecture().layout.keys
        #expect(layout.count == 946)
        // (The safetensors copy lists its keys sorted; the legacy fixture test checks the file order.)
        #expect(Set(layout.map(\.name)) == Set(dict.names))
        for key in layout where key.role != .unused {
            #expect(dict[key.name]?.shape == key.shape, "\(key.name)")
        }
    }

    @Test("lateral maps 5, 4, 3, 2 and the edge within 2e-4 of PyTorch; intermediates close", .enabled(if: available, "../shared/golden/infnet is not present (fresh clone); runs in CI"))
    func rawMaps() throws {
        let weights = try InfNetWeights(try WeightFile.load(path: Self.folder + "/weights.safetensors"), source: "golden")
        #expect(weights.unexpectedKeys.isEmpty)
        let net = try InfNet(weights: weights, sideOutputs: true, context: try DNNLContext())
        let output = try net.forward(try readFloat32(Self.folder + "/input.f32"))
        let names = ["lateral_map_2", "lateral_map_5", "lateral_map_4", "lateral_map_3", "lateral_edge"]
        let ours = [output.prediction] + output.sideOutputs
        for (name, map) in zip(names, ours) {
            let expected = try readFloat32(Self.folder + "/\(name).f32")
            let difference = maxAbsDifference(map, expected)
            print("\(name): max |diff| \(difference)")
            #expect(difference <= 2e-4, "\(name)")
        }
        let intermediates = try WeightFile.load(path: Self.folder + "/intermediates.safetensors")
        for name in intermediates.names {
            guard let mine = net.intermediate(name) else { continue }
            let expected = intermediates[name]!.values
            let scale = expected.map { abs($0) }.max() ?? 1
            let difference = maxAbsDifference(mine, expected)
            print("\(name): max |diff| \(difference) (max |x| \(scale))")
            #expect(difference <= 2e-4 * max(1, scale), "\(name)")
        }
    }
}

/// The native multi-class U-Net against the PyTorch golden in ../shared/golden/infnet-multiclass:
/// logits within the golden's suggested 5e-4; the class map may differ only at near-ties.
@Suite("Inf-Net multi-class U-Net: the golden's logits and class map", .serialized)
struct InfNetUNetGoldenTests {
    static let folder = TestPaths.golden + "/infnet-multiclass"
    static let available = FileManager.default.fileExists(atPath: folder + "/weights.safetensors")

    @Test("the architecture's 128 keys and shapes are the golden checkpoint's", .enabled(if: available, "../shared/golden/infnet-multiclass is not present (fresh clone); runs in CI"))
    func keys() throws {
        let dict = try WeightFile.load(path: Self.folder + "/weights.safetensors")
        let layout = InfNetUNetArchitecture().layout.keys
        #expect(layout.count == 128)
        #expect(Set(layout.map(\.name)) == Set(dict.names))
        for key in layout where key.role != .unused {
            #expect(dict[key.name]?.shape == key.shape, "\(key.name)")
        }
    }

    @Test("logits within 5e-4 of PyTorch; class pixels differ only where the top two sigmoids nearly tie", .enabled(if: available, "../shared/golden/infnet-multiclass is not present (fresh clone); runs in CI"))
    func logits() throws {
        let weights = try InfNetUNetWeights(try WeightFile.load(path: Self.folder + "/weights.safetensors"), source: "golden")
        #expect(weights.unexpectedKeys.isEmpty)
        let net = try InfNetUNet(weights: weights, context: try DNNLContext())
        let logits = try net.forward(try readFloat32(Self.folder + "/input.f32"))
        let expected = try readFloat32(Self.folder + "/logits.f32")
        let difference = maxAbsDifference(logits, expected)
        print("U-Net logits: max |diff| \(difference)")
        #expect(difference <= 5e-4)
        let ours = InfNetMultiClass.classMap(logits: logits), theirs = InfNetMultiClass.classMap(logits: expected)
        let plane = 352 * 352
        var differing = 0
        for p in 0..<plane where ours[p] != theirs[p] {
            differing += 1
            let sigmoids = (0..<3).map { InfNetPostprocessing.sigmoid(expected[$0 * plane + p]) }.sorted()
            #expect(sigmoids[2] - sigmoids[1] < 1e-4, "pixel \(p) changes class away from a near-tie")
        }
        #expect(differing <= plane / 2000)
    }
}

/// The Inf-Net family in both channel-block layouts (8: AVX2's; 16: AVX-512's, where the Res2Net
/// chunks of 26 and 52 channels are padded to 32 and 64 instead of 32 and 56) computes the same
/// function: at 64x64 (where oneDNN's reference kernels, which run a layout that is not the CPU's
/// own, take seconds), with the golden weights, the outputs agree within float32 noise.
@Suite("Inf-Net family: both channel-block layouts compute the same function", .serialized)
struct InfNetLayoutTests {
    static let available = FileManager.default.fileExists(atPath: TestPaths.golden + "/infnet/weights.safetensors")
        && FileManager.default.fileExists(atPath: TestPaths.golden + "/infnet-multiclass/weights.safetensors")

    static func configuration(block: Int) -> BackendConfiguration {
        var configuration = BackendConfiguration.preferred(for: .current)
        configuration.channelBlock = block
        return configuration
    }

    /// A smooth deterministic input of `channels` planes (ImageNet-normalised scale).
    static func input(channels: Int, side: Int) -> [Float] {
        (0..<(channels * side * side)).map { i in Float(sin(Double(i) * 0.013) * 1.5 + cos(Double(i % side) * 0.2)) }
    }

    @Test("Inf-Net and the U-Net at 64x64: nChw16c equals nChw8c within 1e-4", .enabled(if: available, "../shared/golden/infnet* not present (fresh clone); runs in CI"))
    func layouts() throws {
        let infNet = try InfNetWeights(try WeightFile.load(path: TestPaths.golden + "/infnet/weights.safetensors"), source: "golden")
        let unet = try InfNetUNetWeights(try WeightFile.load(path: TestPaths.golden + "/infnet-multiclass/weights.safetensors"), source: "golden")
        var maps: [[Float]] = [], logits: [[Float]] = []
        for block in [8, 16] {
            let context = try DNNLContext(configuration: Self.configuration(block: block))
            let net = try InfNet(weights: infNet, height: 64, width: 64, sideOutputs: true, context: context)
            let output = try net.forward(Self.input(channels: 3, side: 64))
            maps.append([output.prediction, output.sideOutputs[0]].flatMap { $0 })
            #expect(net.backendSummary.contains("nChw\(block)c"), "\(net.backendSummary)")
            let u = try InfNetUNet(weights: unet, height: 64, width: 64, context: try DNNLContext(configuration: Self.configuration(block: block)))
            logits.append(try u.forward(Self.input(channels: 6, side: 64)))
        }
        let mapScale = maps[0].map { abs($0) }.max()!, logitScale = logits[0].map { abs($0) }.max()!
        print("Inf-Net 64x64: nChw16c vs nChw8c max |diff| \(maxAbsDifference(maps[0], maps[1])) (max |x| \(mapScale)); U-Net \(maxAbsDifference(logits[0], logits[1])) (max |x| \(logitScale))")
        #expect(maxAbsDifference(maps[0], maps[1]) <= 1e-4 * max(1, mapScale))
        #expect(maxAbsDifference(logits[0], logits[1]) <= 1e-4 * max(1, logitScale))
        #expect(mapScale > 0.1 && logitScale > 0.1, "the outputs are not trivially zero")
    }
}
