import Files
import Foundation
import GoldenSupport
import ImageIO
@testable import Inference
import SegevalTestSupport
import Testing

/// "Semi-Inf-Net + multi-class UNet" input and output processing (Inf-Net spec, sections 9.1 and
/// 9.3): OpenCV's INTER_LINEAR resize, the B, G, R normalisation, the argmax over float32 sigmoids,
/// scipy's bytescale on the class map and split_class's Pillow NEAREST masks. First principles on
/// tiny inputs, then the PyTorch golden in ../shared/golden/infnet-multiclass (skipped when absent).
@Suite("Inf-Net multi-class: OpenCV resize, 6-channel input, class map, bytescale and split")
struct InfNetMultiClassTests {
    static let folder = TestPaths.golden + "/infnet-multiclass"
    static let goldenAvailable = FileManager.default.fileExists(atPath: folder + "/logits.f32")

    // MARK: - OpenCV resize

    /// 2 -> 4: r = 1 / (4 / 2) = 0.5, f = 0.5 * (o + 0.5) - 0.5 = -0.25, 0.25, 0.75, 1.25,
    /// i = -1, 0, 0, 1, l = 0.75, 0.25, 0.75, 0.25, weights (rne((1 - l) * 2048), rne(l * 2048)) =
    /// (512, 1536), (1536, 512), (512, 1536), (1536, 512).
    /// - Columns clamp: o = 0 has i < 0 -> (0, 1) with (2048, 0); o = 3 has i = n - 1 -> (1, 1)
    ///   with (2048, 0).
    /// - Rows keep the weights and clip the indices: o = 0 reads rows (0, 0) with (512, 1536),
    ///   o = 3 rows (1, 1) with (1536, 512).
    @Test("taps 2 -> 4: columns clamp position and weights, rows only clip the indices")
    func tapsTwoToFour() {
        let columns = OpenCVResize.taps(input: 2, output: 4, clampWeights: true)
        #expect(columns.first == [0, 0, 0, 1])
        #expect(columns.second == [1, 1, 1, 1])
        #expect(columns.weightFirst == [2048, 1536, 512, 2048])
        #expect(columns.weightSecond == [0, 512, 1536, 0])
        let rows = OpenCVResize.taps(input: 2, output: 4, clampWeights: false)
        #expect(rows.first == [0, 0, 0, 1])
        #expect(rows.second == [0, 1, 1, 1])
        #expect(rows.weightFirst == [512, 1536, 512, 1536])
        #expect(rows.weightSecond == [1536, 512, 1536, 512])
    }

    /// A row [0, 255] -> 4 (height 1 stays, rows (0, 0) with (2048, 0)): H = 0, 255 * 512,
    /// 255 * 1536, 255 * 2048; H >> 4 = 0, 8160, 24480, 32640; * 2048 >> 16 = 0, 255, 765, 1020;
    /// (+ 2) >> 2 = 0, 64, 191, 255. The column [0, 255] -> 4 gives the same through the rows'
    /// taps: o = 1 is (0 * 1536 >> 16) + (32640 * 512 >> 16) = 255 -> 64, o = 2 is 765 -> 191,
    /// o = 3 is 765 + 255 = 1020 -> 255.
    @Test("enlarging [0, 255] to 4 samples gives [0, 64, 191, 255] along either axis")
    func enlargeTwoToFour() {
        #expect(OpenCVResize.linear([0, 255], width: 2, height: 1, toWidth: 4, toHeight: 1) == [0, 64, 191, 255])
        #expect(OpenCVResize.linear([0, 255], width: 1, height: 2, toWidth: 1, toHeight: 4) == [0, 64, 191, 255])
    }

    /// The column [1, 5] -> 5 rows: r = 0.4; o = 3 has f = Float(3.5 * 0.4 - 0.5) = 0.9f, i = 0,
    /// 1 - l = 0.10000002 -> rne(204.80005) = 205, l * 2048 = 1843.2 -> 1843. H = 2048 and 10240,
    /// H >> 4 = 128 and 640: (128 * 205 >> 16) + (640 * 1843 >> 16) = 0 + 17 (17.998), (17 + 2) >> 2
    /// = 4, while the scalar (2048 * 205 + 10240 * 1843 + 2^21) >> 22 = 5 (exact value 4.6).
    /// The others: o = 0 (rows (0, 0), weights (614, 1434)): 1 + 2 -> 1; o = 1 (1843, 205): 3 + 2
    /// -> 1; o = 2 (1024, 1024): 2 + 10 -> 3; o = 4 (rows (1, 1), (1434, 614)): 14 + 5 -> 5.
    /// cv2.resize (4.5.5 and 5.1.0) gives [1, 1, 3, 4, 5].
    @Test("the vertical pass truncates as OpenCV's SIMD kernel: [1, 5] -> [1, 1, 3, 4, 5] (the scalar formula gives 5 at o = 3)")
    func verticalSIMDRounding() {
        let rows = OpenCVResize.taps(input: 2, output: 5, clampWeights: false)
        #expect(rows.weightFirst[3] == 205 && rows.weightSecond[3] == 1843)
        #expect(OpenCVResize.vertical(2048, 10240, 205, 1843) == 4)
        #expect((2048 * 205 + 10240 * 1843 + (1 << 21)) >> 22 == 5)
        #expect(OpenCVResize.linear([1, 5], width: 1, height: 2, toWidth: 1, toHeight: 5) == [1, 1, 3, 4, 5])
    }

    /// Rows above the top keep their unclamped weights: [[0, 0, 2], [0, 0, 2]] -> 2 x 4. Columns
    /// 3 -> 2: r = 1.5, o = 1 has f = 1.75, taps (1, 2) with (512, 1536), H = 2 * 1536 = 3072,
    /// H >> 4 = 192. Row o = 0 (f = -0.25) reads row 0 twice with (512, 1536):
    /// (192 * 512 >> 16) + (192 * 1536 >> 16) = 1 + 4 = 5, (5 + 2) >> 2 = 1; clamped weights
    /// (2048, 0) would give 192 * 2048 >> 16 = 6 -> 2. The other rows truncate likewise to 1.
    @Test("the top row keeps its unclamped weights (512, 1536) and truncates to 1 where (2048, 0) would give 2")
    func rowsNotClamped() {
        #expect(OpenCVResize.vertical(3072, 3072, 2048, 0) == 2)
        #expect(OpenCVResize.linear([0, 0, 2, 0, 0, 2], width: 3, height: 2, toWidth: 2, toHeight: 4) == [0, 1, 0, 1, 0, 1, 0, 1])
    }

    /// 288 -> 352, o = 16: r = 1 / (352 / 288), (16 + 0.5) * r - 0.5 = 12.999999999999998 in double,
    /// which rounds to 13.0 in float32: i = 13, l = 0, weights (2048, 0) (in double it would be
    /// i = 12 with weights (0, 2048)).
    @Test("the source position is rounded to float32 before the floor: 288 -> 352, o = 16 reads pixel 13 with (2048, 0)")
    func floatPosition() {
        let position = OpenCVResize.position(input: 288, output: 352, index: 16)
        #expect(position.index == 13 && position.fraction == 0)
        let rows = OpenCVResize.taps(input: 288, output: 352, clampWeights: false)
        #expect(rows.first[16] == 13 && rows.second[16] == 14)
        #expect(rows.weightFirst[16] == 2048 && rows.weightSecond[16] == 0)
    }

    /// An exact 2x shrink (OpenCV switches to INTER_AREA there): every output is
    /// (a + b + c + d + 2) >> 2 of its 2x2 block, which the linear formulas give as well.
    @Test("an exact 2x shrink gives INTER_AREA's rounded 2x2 block means")
    func exactHalf() {
        var generator = SplitMix64(seed: 11)
        let (width, height) = (16, 10)
        let pixels = (0..<width * height).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let out = OpenCVResize.linear(pixels, width: width, height: height, toWidth: 8, toHeight: 5)
        for y in 0..<5 {
            for x in 0..<8 {
                let sum = [0, 1, width, width + 1].reduce(0) { $0 + Int(pixels[2 * y * width + 2 * x + $1]) }
                #expect(Int(out[y * 8 + x]) == (sum + 2) >> 2, "(\(x), \(y))")
            }
        }
        #expect(OpenCVResize.linear([1, 2, 3, 5], width: 2, height: 2, toWidth: 1, toHeight: 1) == [3])   // 11 + 2 >> 2
    }

    @Test("same size is the identity; a constant stays constant under any resize")
    func identityAndConstant() {
        var generator = SplitMix64(seed: 3)
        let pixels = (0..<15).map { _ in UInt8.random(in: 0...255, using: &generator) }
        #expect(OpenCVResize.linear(pixels, width: 3, height: 5, toWidth: 3, toHeight: 5) == pixels)
        let sizes = [(267, 455, 352, 352), (7, 5, 3, 2), (1, 1, 5, 3), (1000, 17, 352, 352), (13, 1, 1, 1), (5, 9, 23, 2)]
        for value: UInt8 in [0, 1, 127, 200, 255] {
            for (width, height, toWidth, toHeight) in sizes {
                let out = OpenCVResize.linear([UInt8](repeating: value, count: width * height), width: width, height: height,
                                              toWidth: toWidth, toHeight: toHeight)
                #expect(out.count == toWidth * toHeight)
                #expect(out.allSatisfy { $0 == value }, "\(value): \(width)x\(height) -> \(toWidth)x\(toHeight)")
            }
        }
    }

    // MARK: - Input tensor

    /// Constant planes: channel k of the image (B, G, R order) gets the k-th constants of
    /// section 2.3 (so B gets 0.485 / 0.229), then the prior's three channels likewise; image and
    /// prior sizes are independent (HEAD-script priors are 352 x 352).
    @Test("input: [6, 352, 352] = image B, G, R then prior B, G, R, constants in the listed order")
    func inputLayout() {
        let image = [UInt8](repeating: 7, count: 10 * 20)
        let prior = [UInt8](repeating: 255, count: 352 * 352)
        let x = InfNetMultiClass.input(image: image, imageWidth: 10, imageHeight: 20, prior: prior, priorWidth: 352, priorHeight: 352)
        let plane = 352 * 352
        #expect(x.count == 6 * plane)
        for k in 0..<6 {
            let expected = ImageNetNormalization.tables[k % 3][k < 3 ? 7 : 255]
            #expect(x[k * plane..<(k + 1) * plane].allSatisfy { $0.bitPattern == expected.bitPattern }, "plane \(k)")
        }
        // B (plane 0) with the first constants: (7/255 - 0.485) / 0.229 in float32.
        #expect(x[0].bitPattern == 0xbfff_bf78)
    }

    // MARK: - Class map and bytescale

    /// One pixel (size 1) per case. sigmoid(17) and sigmoid(18) are both exactly 1.0 in float32
    /// (e^-17 < 2^-24), so [17, 18, 0] ties and picks channel 0 although logit 1 is larger;
    /// sigmoid(16) = 0.99999988 < 1, so [16, 17, 0] picks 1 (torch.sigmoid(...).max(1)[1] gives
    /// 0, 1, 1 for the first three).
    @Test("class map: argmax over the float32 sigmoids, first index on ties")
    func classMapTies() {
        #expect(InfNetPostprocessing.sigmoid(17) == 1 && InfNetPostprocessing.sigmoid(18) == 1)
        #expect(InfNetPostprocessing.sigmoid(16) < 1)
        let cases: [([Float], Int)] = [
            ([17, 18, 0], 0), ([-1, 30, 20], 1), ([16, 17, 0], 1), ([0, 0, 0], 0),
            ([-3, -2, -2.5], 1), ([-3, -2, 2.5], 2), ([5, -1, 4.9], 0),
        ]
        for (logits, expected) in cases {
            #expect(InfNetMultiClass.classMap(logits: logits, size: 1) == [expected], "\(logits)")
        }
        // Channel-major layout, size 2: planes GGO, consolidation, background.
        let logits: [Float] = [1, 0, 0, 0,   0, 1, 0, 0,   0, 0, 1, -1]
        #expect(InfNetMultiClass.classMap(logits: logits, size: 2) == [0, 1, 2, 0])
    }

    /// scipy 1.2.2 bytescale of the integer map: (c - min) * 255 / (max - min), + 0.5, truncated;
    /// max == min uses 1 as the range.
    @Test("bytescale quirks: all classes 0/128/255, no consolidation {0, 255}, no GGO -> consolidation 0, all background -> 0")
    func bytescaleQuirks() {
        #expect(InfNetMultiClass.bytescaled([0, 1, 2, 2]) == [0, 128, 255, 255])
        #expect(InfNetMultiClass.bytescaled([0, 2, 2, 0]) == [0, 255, 255, 0])      // no consolidation
        #expect(InfNetMultiClass.bytescaled([1, 2, 1, 2]) == [0, 255, 0, 255])      // no GGO: consolidation -> 0 (GGO)
        #expect(InfNetMultiClass.bytescaled([2, 2, 2]) == [0, 0, 0])                // all background -> all GGO
        #expect(InfNetMultiClass.bytescaled([1, 1]) == [0, 0])
        #expect(InfNetMultiClass.bytescaled([0, 1]) == [0, 255])                    // no background: consolidation 255
        #expect(InfNetMultiClass.bytescaled([]) == [])
    }

    // MARK: - Split

    /// Pillow NEAREST: step = 352 / m, position step / 2 then += step, index trunc(position).
    /// 352 -> 18, o = 13: the sum reaches 263.99999999999994 (the closed form (o + 0.5) * step is
    /// 264.0), so Pillow reads 263; likewise 352 -> 20, o = 12 reads 219, not 220. Pillow 13.0
    /// resizing a 352-wide ramp gives these values.
    @Test("NEAREST positions by repeated addition: 352 -> 18 reads 263 at o = 13 (the closed form reads 264)")
    func nearestPositions() {
        #expect(InfNetMultiClass.nearestIndices(input: 352, output: 18)[13] == 263)
        #expect(InfNetMultiClass.nearestIndices(input: 352, output: 18).prefix(6) == [9, 29, 48, 68, 88, 107])
        #expect(InfNetMultiClass.nearestIndices(input: 352, output: 20)[12] == 219)
        #expect(InfNetMultiClass.nearestIndices(input: 352, output: 267).prefix(6) == [0, 1, 3, 4, 5, 7])
        #expect(InfNetMultiClass.nearestIndices(input: 352, output: 267).suffix(3) == [348, 350, 351])
        #expect(InfNetMultiClass.nearestIndices(input: 352, output: 455).prefix(8) == [0, 1, 1, 2, 3, 4, 5, 5])
        #expect(InfNetMultiClass.nearestIndices(input: 352, output: 352) == (0..<352).map { Optional($0) })
    }

    /// 2 x 2 -> 3 x 3: step 2/3, positions 1/3, 1, 5/3 -> indices 0, 1, 1 on both axes, so the map
    /// [[0, 128], [255, 0]] becomes [[0, 128, 128], [255, 0, 0], [255, 0, 0]]; 0 -> GGO,
    /// 128 -> consolidation, anything else (255, or 1) -> neither.
    @Test("split: GGO = (v == 0), consolidation = (v == 128), 0/255 masks, NEAREST to the target size")
    func splitMasks() {
        let (ggo, consolidation) = InfNetMultiClass.split([0, 128, 255, 0], size: 2, toWidth: 3, toHeight: 3)
        #expect(ggo == [255, 0, 0, 0, 255, 255, 0, 255, 255])
        #expect(consolidation == [0, 255, 255, 0, 0, 0, 0, 0, 0])
        let other = InfNetMultiClass.split([1, 127, 129, 254], size: 2, toWidth: 2, toHeight: 2)
        #expect(other.groundGlass == [0, 0, 0, 0] && other.consolidation == [0, 0, 0, 0])
    }

    // MARK: - Golden

    /// A 1-bit grey PNG as 0 / 255 (`PNGCodec` gives bit depth 1 samples as 0 / 1).
    static func oneBitMaskPNG(_ path: String) throws -> GrayImage {
        let image = try PNGCodec.read(path: path)
        guard case .uint8(let samples) = image.samples, image.colorKind == .gray, image.bitDepth == 1 else {
            throw FileError(path: path, reason: "expected a 1-bit gray PNG")
        }
        return GrayImage(width: image.width, height: image.height, pixels: samples.map { $0 == 0 ? 0 : 255 })
    }

    @Test("golden slice 267x455: cv2.resize of the slice and of the prior equal resized352_*.png in every pixel",
          .enabled(if: goldenAvailable, "../shared/golden/infnet-multiclass is not present (fresh clone); runs in CI"))
    func goldenResize() throws {
        for (source, expectedName) in [("input.png", "resized352_image.png"), ("prior.png", "resized352_prior.png")] {
            let image = try InfNetPreprocessingTests.grayPNG(Self.folder + "/" + source)
            #expect(image.width == 267 && image.height == 455)
            let expected = try InfNetPreprocessingTests.grayPNG(Self.folder + "/" + expectedName)
            #expect(expected.width == 352 && expected.height == 352)
            let resized = OpenCVResize.linear(image, toWidth: 352, toHeight: 352)
            let differing = zip(resized.pixels, expected.pixels).filter { $0 != $1 }.count
            #expect(differing == 0, "\(source): \(differing) of \(expected.pixels.count) pixels differ")
        }
    }

    @Test("golden: the 6-channel input equals input.f32 bit for bit (from the JPEG slice and the prior PNG)",
          .enabled(if: goldenAvailable, "../shared/golden/infnet-multiclass is not present (fresh clone); runs in CI"))
    func goldenInput() throws {
        let slice = try SliceReader.readGray(path: Self.folder + "/input.jpg")
        let png = try InfNetPreprocessingTests.grayPNG(Self.folder + "/input.png")
        #expect(slice == png)
        let prior = try InfNetPreprocessingTests.grayPNG(Self.folder + "/prior.png")
        let x = InfNetMultiClass.input(image: slice, prior: prior)
        let golden = try readFloat32(Self.folder + "/input.f32")
        #expect(x.count == 6 * 352 * 352 && golden.count == x.count)
        let differing = zip(x, golden).filter { $0.bitPattern != $1.bitPattern }.count
        #expect(differing == 0, "\(differing) of \(golden.count) values differ")
    }

    @Test("golden: logits.f32 -> class map -> bytescale equals expected_class_12.png; split equals expected_ggo.png and expected_consolidation.png",
          .enabled(if: goldenAvailable, "../shared/golden/infnet-multiclass is not present (fresh clone); runs in CI"))
    func goldenOutputs() throws {
        let logits = try readFloat32(Self.folder + "/logits.f32")
        #expect(logits.count == 3 * 352 * 352)
        let classes = InfNetMultiClass.classMap(logits: logits)
        let levels = InfNetMultiClass.bytescaled(classes)
        let expected = try InfNetPreprocessingTests.grayPNG(Self.folder + "/expected_class_12.png")
        #expect(expected.width == 352 && expected.height == 352)
        let differing = zip(levels, expected.pixels).filter { $0 != $1 }.count
        #expect(differing == 0, "class_12: \(differing) of \(levels.count) pixels differ")
        #expect(Set(levels) == [0, 128, 255])

        let (ggo, consolidation) = InfNetMultiClass.split(levels, toWidth: 267, toHeight: 455)
        for (mask, name, count) in [(ggo, "expected_ggo.png", 30285), (consolidation, "expected_consolidation.png", 24213)] {
            let expectedMask = try Self.oneBitMaskPNG(Self.folder + "/" + name)
            #expect(expectedMask.width == 267 && expectedMask.height == 455)
            let differingMask = zip(mask, expectedMask.pixels).filter { $0 != $1 }.count
            #expect(differingMask == 0, "\(name): \(differingMask) of \(mask.count) pixels differ")
            #expect(mask.filter { $0 == 255 }.count == count, "\(name)")
        }
    }
}
