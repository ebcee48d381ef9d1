import Files
import Foundation
import ImageIO
import Inference
import SegevalTestSupport
import Testing

/// The library path `segeval predict` takes, end to end.
@Suite("Predict pipeline")
struct PipelineTests {
    static let testSet = TestPaths.shared + "/data/covid-semiseg/Dataset/TestingSet/LungInfection-Test"
    static let testSetAvailable = sharedFullAvailable && FileManager.default.fileExists(atPath: testSet + "/Imgs")

    @Test("48 test slices with the full golden weights: one PNG per slice at the GT size", .enabled(if: testSetAvailable, "../shared test set or golden weights not present (fresh clone); runs in CI"))
    func lungInfectionTestSet() throws {
        let tree = TemporaryTree()
        let out = tree.path("out")
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
            let stem = FolderListing.stem(file)
            let written = try PNGCodec.read(path: out + "/" + stem + ".png")
            let gt = try ImageReader.read(path: Self.testSet + "/GT/" + stem + ".png")
            #expect(written.width == gt.width && written.height == gt.height, "\(stem)")
            #expect(written.colorKind == .gray && written.bitDepth == 8)
        }
    }

    @Test("side outputs are written as <stem>_aux0..4.png, each a double sigmoid (128...186)")
    func sideOutputs() throws {
        let tree = TemporaryTree()
        var options = Predictor.Options()
        options.size = 32
        options.sideOutputs = true
        let predictor = try Predictor(weightsPath: TestPaths.fixture + "/weights.safetensors", options: options)
        let summary = try predictor.run(images: [TestPaths.fixture + "/input.png"], outputFolder: tree.path("out"))
        #expect(summary.written == [tree.path("out/input.png")])
        for i in 0..<5 {
            let aux = try PNGCodec.read(path: tree.path("out/input_aux\(i).png"))
            #expect(aux.width == 40 && aux.height == 48)
            // sigmoid(sigmoid(x)) lies in (0.5, 0.7311): round(255 p) in 128...186.
            guard case .uint8(let pixels) = aux.samples else { Issue.record("aux\(i) is not 8-bit"); continue }
            #expect(pixels.allSatisfy { (128...186).contains($0) })
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: tree.path("out")).count == 6)
    }

    @Test("names that would clash, or be too long for a file name, are refused before any work, side outputs included")
    func clashes() throws {
        let input = TestPaths.fixture + "/input.png"
        // A 251-byte stem: its map fits (255 bytes), its side outputs do not; said before inference.
        let long = "/in/" + String(repeating: "a", count: 251) + ".jpg"
        _ = try OutputPlan(images: [long], folder: "/out", sideOutputs: false)
        #expect(throws: InferenceError("\(long): its output \(String(repeating: "a", count: 251))_aux0.png would be a file name of 260 bytes, more than the 255 a file name may have; rename the slice")) {
            _ = try OutputPlan(images: [long], folder: "/out", sideOutputs: true)
        }
        #expect(throws: InferenceError("\(input) and \(input) would both be written as input.png; rename one of them")) {
            _ = try OutputPlan(images: [input, input], folder: "out", sideOutputs: false)
        }
        let plan = try OutputPlan(images: ["a/18.png", "b/18_aux0.jpg"], folder: "out", sideOutputs: false)
        #expect(plan.names == [["18.png"], ["18_aux0.png"]])
        #expect(throws: InferenceError("b/18_aux0.jpg and a/18.png would both be written as 18_aux0.png; rename one of them")) {
            _ = try OutputPlan(images: ["a/18.png", "b/18_aux0.jpg"], folder: "out", sideOutputs: true)
        }
        #expect(throws: InferenceError("b/a.png and a/A.jpg would both be written as A.png and a.png, one file on macOS; rename one of them")) {
            _ = try OutputPlan(images: ["a/A.jpg", "b/a.png"], folder: "out", sideOutputs: false)
        }
        #expect(throws: InferenceError.self) { _ = try ImageList.collect([TestPaths.fixture + "/missing-folder"]) }
    }

    @Test("--out at the images folder (by any path) is refused: an input slice is never replaced, nothing goes beside one")
    func inputsAreNeverReplaced() throws {
        let tree = TemporaryTree()
        let original = try Data(contentsOf: URL(fileURLWithPath: TestPaths.fixture + "/input.png"))
        tree.bytes("Imgs/1.png", [UInt8](original))
        tree.bytes("Imgs/2.jpg", [UInt8](try Data(contentsOf: URL(fileURLWithPath: TestPaths.fixture + "/color.jpg"))))
        try FileManager.default.createSymbolicLink(atPath: tree.path("link"), withDestinationPath: tree.path("Imgs"))
        let images = try ImageList.collect([tree.path("Imgs")])
        for folder in [tree.path("Imgs"), tree.path("link"), tree.path("Imgs/../Imgs")] {
            #expect(throws: InferenceError("\(folder)/1.png: the map of \(tree.path("Imgs/1.png")) would replace this input slice; choose another --out folder")) {
                _ = try OutputPlan(images: images, folder: folder, sideOutputs: false)
            }
        }
        var options = Predictor.Options()
        options.size = 32
        let predictor = try Predictor(weightsPath: TestPaths.fixture + "/weights.safetensors", options: options)
        #expect(throws: InferenceError.self) { _ = try predictor.run(images: images, outputFolder: tree.path("Imgs")) }
        // Through a folder that does not exist yet: it resolves only once created, and is removed again.
        #expect(throws: InferenceError.self) { _ = try predictor.run(images: images, outputFolder: tree.path("new/../Imgs")) }
        #expect(!FileManager.default.fileExists(atPath: tree.path("new")))
        #expect(try Data(contentsOf: URL(fileURLWithPath: tree.path("Imgs/1.png"))) == original)
        #expect(try FileManager.default.contentsOfDirectory(atPath: tree.path("Imgs")).sorted() == ["1.png", "2.jpg"])
        // Not even beside a JPEG slice, where 2.png replaces nothing but would be read as a slice by
        // the next run (issue 14): the images folder is an input folder.
        #expect(throws: InferenceError("\(tree.path("Imgs")): is the --images folder \(tree.path("Imgs")); an output never replaces an input: choose another path")) {
            _ = try predictor.run(images: [tree.path("Imgs/2.jpg")], outputFolder: tree.path("Imgs"))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: tree.path("Imgs")).sorted() == ["1.png", "2.jpg"])
    }

    @Test("an unreadable slice stops the run and leaves the output folder as it was")
    func allOrNothing() throws {
        let tree = TemporaryTree()
        let earlier = try ProbabilityImage.png([0.25, 0.5, 0.75, 1], width: 2, height: 2)  // an earlier run's map
        tree.bytes("out/input.png", earlier)
        tree.bytes("bad/zz.png", Array("not a png at all".utf8))
        var options = Predictor.Options()
        options.size = 32
        options.sideOutputs = true
        let predictor = try Predictor(weightsPath: TestPaths.fixture + "/weights.safetensors", options: options)
        do {
            _ = try predictor.run(images: [TestPaths.fixture + "/input.png", tree.path("bad/zz.png")], outputFolder: tree.path("out"))
            Issue.record("a file that is not an image was predicted")
        } catch let error as FileError {
            #expect(error.path == tree.path("bad/zz.png"))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: tree.path("out")) == ["input.png"])
        #expect(try [UInt8](Data(contentsOf: URL(fileURLWithPath: tree.path("out/input.png")))) == earlier)
        // An output folder the failed run created (with its parent) is removed again.
        #expect(throws: FileError.self) {
            _ = try predictor.run(images: [TestPaths.fixture + "/input.png", tree.path("bad/zz.png")], outputFolder: tree.path("fresh/maps"))
        }
        #expect(!FileManager.default.fileExists(atPath: tree.path("fresh")))
    }

    @Test("a palette PNG slice is read through its palette (gray entries give their gray)")
    func paletteSlice() throws {
        let tree = TemporaryTree()
        let grays: [UInt8] = [200, 0, 37, 255]   // palette entry i is the gray grays[i]
        let palette = grays.flatMap { [$0, $0, $0] }
        let indices: [UInt8] = [0, 1, 2, 3, 3, 2]
        let path = tree.png("slice.png", DecodedImage(width: 3, height: 2, bitDepth: 8, colorKind: .palette,
                                                      samples: .uint8(indices), palette: palette))
        let gray = try SliceReader.readGray(path: path)
        #expect(gray == GrayImage(width: 3, height: 2, pixels: indices.map { grays[Int($0)] }))
    }

    @Test("--size must be a multiple of 16")
    func badSize() {
        var options = Predictor.Options()
        options.size = 40
        #expect(throws: InferenceError.self) { _ = try Predictor(weightsPath: TestPaths.fixture + "/weights.safetensors", options: options) }
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
