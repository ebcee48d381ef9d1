import Foundation
import ImageIO
import Inference
import Testing

/// The library path `segeval predict` takes, end to end.
@Suite("Predict pipeline")
struct PipelineTests {
    static let testSet = TestPaths.shared + "/data/covid-semiseg/Dataset/TestingSet/LungInfection-Test"
    static let testSetAvailable = sharedFullAvailable && FileManager.default.fileExists(atPath: testSet + "/Imgs")

    @Test("48 test slices with the full golden weights: one PNG per slice at the GT size", .enabled(if: testSetAvailable, "../shared test set or golden weights not present (fresh clone); runs in CI"))
    func lungInfectionTestSet() throws {
        let out = NSTemporaryDirectory() + "segeval-predict-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: out) }
        let files = try ImageList.collect([Self.testSet + "/Imgs"])
        #expect(files.count == 48)
        var options = Predictor.Options()
        options.threads = 2
        let predictor = try Predictor(weightsPath: TestPaths.golden + "/full/weights.safetensors", options: options)
        var progressCalls = 0
        let summary = try predictor.run(images: files, outputFolder: out) { _, _ in progressCalls += 1 }
        #expect(summary.written.count == 48)
        #expect(progressCalls == 48)
        for file in files {
            let stem = ImageList.stem(of: file)
            let written = try PNGCodec.read(path: out + "/" + stem + ".png")
            let gt = try ImageReader.read(path: Self.testSet + "/GT/" + stem + ".png")
            #expect(written.width == gt.width && written.height == gt.height, "\(stem)")
            #expect(written.colorKind == .gray && written.bitDepth == 8)
        }
    }

    @Test("side outputs are written as <stem>_aux0..4.png; non-slices and clashes are reported")
    func sideOutputsAndErrors() throws {
        let out = NSTemporaryDirectory() + "segeval-side-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: out) }
        var options = Predictor.Options()
        options.size = 32
        options.sideOutputs = true
        let predictor = try Predictor(weightsPath: TestPaths.fixture + "/weights.safetensors", options: options)
        let summary = try predictor.run(images: [TestPaths.fixture + "/input.png"], outputFolder: out)
        #expect(summary.written == [out + "/input.png"])
        for i in 0..<5 {
            let aux = try PNGCodec.read(path: out + "/input_aux\(i).png")
            #expect(aux.width == 40 && aux.height == 48)
            // Double sigmoid: every value in (0.5, 0.7311) -> 128...186.
            if case .uint8(let pixels) = aux.samples { #expect(pixels.allSatisfy { (127...187).contains($0) }) }
        }
        let clash = [TestPaths.fixture + "/input.png", TestPaths.fixture + "/input.png"]
        #expect(throws: PredictError.self) { _ = try ImageList.collect(clash) }
        #expect(throws: PredictError.self) { _ = try ImageList.collect([TestPaths.fixture + "/missing-folder"]) }
        #expect(throws: (any Error).self) { _ = try predictor.run(images: [TestPaths.fixture + "/input.json"], outputFolder: out) }
    }

    @Test("--size must be a multiple of 16")
    func badSize() {
        var options = Predictor.Options()
        options.size = 40
        #expect(throws: PredictError.self) { _ = try Predictor(weightsPath: TestPaths.fixture + "/weights.safetensors", options: options) }
    }

    @Test("16-bit and palette PNG slices convert as OpenCV does")
    func grayRules() throws {
        let sixteen = DecodedImage(width: 2, height: 1, bitDepth: 16, colorKind: .gray, samples: .uint16([0x1234, 0xFFFF]))
        #expect(try SliceReader.gray(from: sixteen, name: "x").pixels == [0x12, 0xFF])
        let rgb = DecodedImage(width: 1, height: 1, bitDepth: 8, colorKind: .rgb, samples: .uint8([255, 255, 255]))
        #expect(try SliceReader.gray(from: rgb, name: "x").pixels == [255])
        let palette = DecodedImage(width: 1, height: 1, bitDepth: 8, colorKind: .palette, samples: .uint8([1]), palette: [0, 0, 0, 10, 20, 30])
        let expectedLuma: Int = (9797 * 10 + 19234 * 20 + 3737 * 30) >> 15
        #expect(try SliceReader.gray(from: palette, name: "x").pixels == [UInt8(expectedLuma)])
        let oneBit = DecodedImage(width: 2, height: 1, bitDepth: 1, colorKind: .gray, samples: .uint8([0, 1]))
        #expect(try SliceReader.gray(from: oneBit, name: "x").pixels == [0, 255])
    }
}
