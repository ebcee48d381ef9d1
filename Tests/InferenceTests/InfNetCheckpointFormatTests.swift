import Foundation
import GoldenSupport
@testable import Inference
import SegevalTestSupport
import Testing

/// The Inf-Net goldens' weights as the authors' files would hold them: the legacy torch.save
/// container (`Inf-Net-100.pth`, `unet_model_200.pkl`: `LegacyWriter`) and the zip one
/// (`ZipPthWriter`), each written from the safetensors copy, load to the same tensors, pass the
/// same validation (the unused `resnet.fc.*` and `num_batches_tracked` without a warning) and,
/// through the legacy file, the network reproduces the golden. Skipped on a fresh clone.
@Suite("Inf-Net checkpoints: legacy .pth/.pkl and zip .pth", .serialized)
struct InfNetCheckpointFormatTests {
    static let infNet = TestPaths.golden + "/infnet"
    static let multiClass = TestPaths.golden + "/infnet-multiclass"
    static let available = FileManager.default.fileExists(atPath: infNet + "/weights.safetensors")
        && FileManager.default.fileExists(atPath: multiClass + "/weights.safetensors")

    /// The file `name` holding `bytes`, loaded as segeval loads weights.
    static func load(_ bytes: [UInt8], as name: String, in tree: TemporaryTree) throws -> StateDict {
        tree.bytes(name, bytes)
        return try WeightFile.load(path: tree.path(name))
    }

    static func expectSame(_ a: StateDict, _ b: StateDict, _ label: String) {
        #expect(Set(a.names) == Set(b.names), "\(label)")
        for name in b.names {
            #expect(a[name]?.shape == b[name]?.shape && a[name]?.values == b[name]?.values, "\(label): \(name)")
        }
    }

    @Test("Inf-Net: legacy and zip .pth load to the safetensors tensors; the legacy file reproduces lateral_map_2", .enabled(if: available, "../shared/golden/infnet* not present (fresh clone); runs in CI"))
    func infNetFormats() throws {
        let tree = TemporaryTree()
        let reference = try WeightFile.load(path: Self.infNet + "/weights.safetensors")
        let legacy = try Self.load(LegacyWriter.write(reference), as: "Inf-Net-100.pth", in: tree)
        let zip = try Self.load(ZipPthWriter.write(reference, archiveName: "Inf-Net-100"), as: "Inf-Net-zip.pth", in: tree)
        Self.expectSame(legacy, reference, "legacy")
        Self.expectSame(zip, reference, "zip")
        for dict in [legacy, zip] { #expect(try InfNetWeights(dict, source: "x").unexpectedKeys.isEmpty) }
        var options = Predictor.Options()
        options.model = .infnet
        let predictor = try Predictor(weightsPath: tree.path("Inf-Net-100.pth"), options: options)
        #expect(predictor.warnings.isEmpty)
        let net = try InfNet(weights: try InfNetWeights(legacy, source: "legacy"), context: try DNNLContext())
        let map = try net.forward(try readFloat32(Self.infNet + "/input.f32")).prediction
        #expect(maxAbsDifference(map, try readFloat32(Self.infNet + "/lateral_map_2.f32")) <= 2e-4)
    }

    @Test("multi-class U-Net: legacy .pkl and zip .pth load to the safetensors tensors; the .pkl reproduces the logits", .enabled(if: available, "../shared/golden/infnet* not present (fresh clone); runs in CI"))
    func multiClassFormats() throws {
        let tree = TemporaryTree()
        let reference = try WeightFile.load(path: Self.multiClass + "/weights.safetensors")
        let legacy = try Self.load(LegacyWriter.write(reference), as: "unet_model_200.pkl", in: tree)
        let zip = try Self.load(ZipPthWriter.write(reference), as: "unet-zip.pth", in: tree)
        Self.expectSame(legacy, reference, "legacy")
        Self.expectSame(zip, reference, "zip")
        for dict in [legacy, zip] { #expect(try InfNetUNetWeights(dict, source: "x").unexpectedKeys.isEmpty) }
        let net = try InfNetUNet(weights: try InfNetUNetWeights(legacy, source: "legacy"), context: try DNNLContext())
        let logits = try net.forward(try readFloat32(Self.multiClass + "/input.f32"))
        #expect(maxAbsDifference(logits, try readFloat32(Self.multiClass + "/logits.f32")) <= 5e-4)
    }

    @Test("a checkpoint with a key Inf-Net does not have is warned about (or refused with --strict); a wrong shape is named", .enabled(if: available, "../shared/golden/infnet* not present (fresh clone); runs in CI"))
    func unexpectedAndWrongKeys() throws {
        let tree = TemporaryTree()
        var dict = try WeightFile.load(path: Self.infNet + "/weights.safetensors")
        dict.insert("extra.weight", StoredTensor(dtype: .float32, shape: [1], values: [0]))
        tree.bytes("extra.pth", LegacyWriter.write(dict))
        var options = Predictor.Options()
        options.model = .infnet
        let predictor = try Predictor(weightsPath: tree.path("extra.pth"), options: options)
        #expect(predictor.warnings == ["\(tree.path("extra.pth")): 1 key(s) that Inf-Net does not use: extra.weight; ignored"])
        options.strict = true
        #expect(throws: InferenceError.self) { _ = try Predictor(weightsPath: tree.path("extra.pth"), options: options) }
        dict.insert("ra4_conv2.conv.weight", StoredTensor(dtype: .float32, shape: [256, 320, 3, 3], values: [Float](repeating: 0, count: 256 * 320 * 9)))
        do {
            _ = try InfNetWeights(dict, source: "bad.pth")
            Issue.record("a wrong shape was accepted")
        } catch {
            #expect(error.description == "bad.pth: shape mismatch for ra4_conv2.conv.weight: expected [256, 320, 5, 5], found [256, 320, 3, 3]")
        }
    }
}
