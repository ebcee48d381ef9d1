import Foundation
import GoldenSupport
import ImageIO
import Inference
import Testing

/// The project's own golden set (fixtures/cosup-small, made by tools/make_cosup_fixture.py with
/// PyTorch; committed, so these run on a fresh clone without Python or ../shared).
@Suite("Committed fixture fixtures/cosup-small")
struct FixtureTests {
    static let folder = TestPaths.fixture

    @Test("width-4 network at 32x32 matches PyTorch: input 1e-6, prob and aux 1e-5")
    func matchesPyTorch() throws {
        let result = try GoldenCase.fixture.run()
        print("fixture: input \(result.input!), prob \(result.probability), aux \(result.aux)")
        #expect(result.input! <= 1e-6)
        #expect(result.probability <= 1e-5)
        for error in result.aux { #expect(error <= 1e-5) }
    }

    @Test("nested, module.-prefixed float16 .pth checkpoint equals the safetensors copy")
    func checkpointMatchesSafetensors() throws {
        let reference = try WeightFile.load(path: Self.folder + "/weights.safetensors")
        let checkpoint = try WeightFile.load(path: Self.folder + "/weights_checkpoint.pth")
        #expect(reference.count == 369)
        #expect(Set(checkpoint.names) == Set(reference.names), "key sets differ")
        for name in reference.names { #expect(checkpoint[name] == reference[name], "\(name) differs") }
        #expect(reference["ResNet.conv1.weight"]?.dtype == .float16)
    }

    @Test("probability map resized back to the slice size as cv2.resize INTER_LINEAR")
    func resizeBack() throws {
        let predictor = try Predictor(weightsPath: Self.folder + "/weights.safetensors", options: {
            var options = Predictor.Options()
            options.size = 32
            return options
        }())
        let image = try SliceReader.readGray(path: Self.folder + "/input.png")
        #expect(image.width == 40 && image.height == 48)
        let maps = try predictor.predict(image)
        let expected = try readFloat32(Self.folder + "/prob_original_size.f32")
        #expect(maxAbsDifference(maps.probability, expected) <= 1e-5)
        #expect(maps.sideOutputs.isEmpty)
    }

    @Test("the per-class network (fixtures/cosup-classes-small) matches PyTorch: each class's softmax map 1e-5, at the network size and resized back")
    func perClassMatchesPyTorch() throws {
        let result = try GoldenCase.classesFixture.run()
        #expect(result.input! <= 1e-6)
        #expect(result.probability <= 1e-5, "\(result)")
        for error in result.aux { #expect(error <= 1e-5) }
        let folder = TestPaths.packageRoot + "/fixtures/cosup-classes-small"
        var options = Predictor.Options()
        options.size = 32
        options.classes = true
        let predictor = try Predictor(weightsPath: folder + "/weights.safetensors", options: options)
        let maps = try predictor.predict(try SliceReader.readGray(path: folder + "/input.png"))
        #expect(maps.classes.count == 2)
        #expect(maxAbsDifference(maps.classes[0], try readFloat32(folder + "/ggo_original_size.f32")) <= 1e-5)
        #expect(maxAbsDifference(maps.classes[1], try readFloat32(folder + "/consolidation_original_size.f32")) <= 1e-5)
    }

    @Test("colour PNG and JPEG slices convert to gray as cv2.imread(path, 0)", arguments: ["color.png", "color.jpg"])
    func grayConversion(file: String) throws {
        let gray = try SliceReader.readGray(path: Self.folder + "/" + file)
        // cv2.imread(path, 0) of the same file, saved by tools/make_cosup_fixture.py as 8-bit gray.
        let expected = try PNGCodec.read(path: Self.folder + "/" + file.replacingOccurrences(of: ".", with: "_") + "_gray.png")
        guard case .uint8(let pixels) = expected.samples, expected.colorKind == .gray else { Issue.record("expected an 8-bit gray PNG"); return }
        #expect(gray.width == expected.width && gray.height == expected.height)
        #expect(gray.pixels == pixels)
    }

    @Test("the architecture's key list is the golden state dict's, shapes included", .enabled(if: sharedAvailable, "../shared/golden is not present (fresh clone); runs in CI"))
    func keysMatchGoldenListing() throws {
        for (file, width) in [("keys_small.txt", 8), ("keys_full.txt", 64)] {
            let text = try String(contentsOfFile: TestPaths.golden + "/" + file, encoding: .utf8)
            let listed = text.split(separator: "\n").map { line -> String in
                let fields = line.split(separator: "\t")
                return "\(fields[0]) \(fields[2])"
            }
            let ours = CoSupArchitectureListing.keys(width: width).map { "\($0.name) \($0.shape)" }
            #expect(Set(ours) == Set(listed), "\(file)")
        }
    }
}
