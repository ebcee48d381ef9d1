import Files
import Foundation
import GoldenSupport
import ImageIO
@testable import Inference
import SegevalTestSupport
import Testing

/// The Inf-Net test loader's preprocessing (Inf-Net spec, sections 2.2 and 2.3): Pillow's
/// antialiased fixed-point BILINEAR resize, then ToTensor + Normalize in float32. First
/// principles on tiny inputs, then the PyTorch golden in ../shared/golden/infnet (skipped when
/// absent).
@Suite("Inf-Net preprocessing: Pillow BILINEAR resize and ImageNet normalisation")
struct InfNetPreprocessingTests {
    static let folder = TestPaths.golden + "/infnet"
    static let goldenAvailable = FileManager.default.fileExists(atPath: folder + "/input.f32")

    @Test("a resize to the same size is the identity (both passes skipped)")
    func identity() {
        var generator = SplitMix64(seed: 7)
        for (width, height) in [(1, 1), (3, 5), (352, 352)] {
            let pixels = (0..<width * height).map { _ in UInt8.random(in: 0...255, using: &generator) }
            #expect(PillowResize.bilinear(pixels, width: width, height: height, toWidth: width, toHeight: height) == pixels)
        }
        let image = GrayImage(width: 2, height: 2, pixels: [1, 2, 3, 4])
        #expect(PillowResize.bilinear(image, toWidth: 2, toHeight: 2) == image)
    }

    /// Enlarging [0, 255] from 2 to 4 samples: scale = 0.5, fs = 1, support = 1, inv = 1.
    /// - o = 0: centre 0.25, lo = trunc(-0.25) = 0, hi = trunc(1.75) = 1: one tap, w = 1,
    ///   out = (2^21 + 2^22 * 0) >> 22 = 0.
    /// - o = 1: centre 0.75, lo = trunc(0.25) = 0, hi = trunc(2.25) = 2: w0 = tri(0 - 0.75 + 0.5)
    ///   = 0.75, w1 = tri(0.75) = 0.25, sum 1: k = (3145728, 1048576);
    ///   out = (2097152 + 1048576 * 255) >> 22 = 269484032 >> 22 = 64 (64.25).
    /// - o = 2: centre 1.25, lo = trunc(0.75) = 0, hi = min(trunc(2.75), 2) = 2: w = (0.25, 0.75),
    ///   out = (2097152 + 3145728 * 255) >> 22 = 804257792 >> 22 = 191 (191.75).
    /// - o = 3: centre 1.75, lo = trunc(1.25) = 1, hi = min(3, 2) = 2: one tap, out = 255.
    @Test("enlarging a row [0, 255] to 4 samples gives [0, 64, 191, 255], by the spec's formula")
    func enlargeTwoToFour() {
        let coefficients = PillowResize.coefficients(input: 2, output: 4)
        #expect(coefficients.start == [0, 0, 0, 1])
        #expect(coefficients.count == [1, 2, 2, 1])
        let k = coefficients.weights, s = coefficients.stride
        #expect(Array(k[0..<1]) == [4_194_304])
        #expect(Array(k[s..<s + 2]) == [3_145_728, 1_048_576])
        #expect(Array(k[2 * s..<2 * s + 2]) == [1_048_576, 3_145_728])
        #expect(Array(k[3 * s..<3 * s + 1]) == [4_194_304])
        #expect(PillowResize.bilinear([0, 255], width: 2, height: 1, toWidth: 4, toHeight: 1) == [0, 64, 191, 255])
        // The same along the other axis (the vertical pass alone).
        #expect(PillowResize.bilinear([0, 255], width: 1, height: 2, toWidth: 1, toHeight: 4) == [0, 64, 191, 255])
    }

    /// Shrinking 5 samples to 2 widens the filter (antialiasing): scale = 2.5 = support,
    /// inv = 0.4. o = 0: centre 1.25, lo = trunc(-0.75) = 0, hi = trunc(4.25) = 4; weights
    /// tri((j - 1.25 + 0.5) * 0.4) = 0.7, 0.9, 0.5, 0.1 (sum 2.2), normalised 7/22, 9/22, 5/22,
    /// 1/22, times 2^22 and + 0.5, truncated: 1334551, 1715852, 953251, 190650. o = 1 mirrors
    /// it (lo = 1, hi = trunc(5.75) clamped to 5). For [10, 20, 30, 40, 50] the sums are
    /// 2^21 + 83886080 = 20.5 * 2^22 -> 20, and 40 likewise.
    @Test("shrinking 5 samples to 2 uses 4 taps each (the support widens), with the spec's fixed-point weights")
    func shrinkFiveToTwo() {
        let coefficients = PillowResize.coefficients(input: 5, output: 2)
        #expect(coefficients.start == [0, 1])
        #expect(coefficients.count == [4, 4])
        let s = coefficients.stride
        #expect(Array(coefficients.weights[0..<4]) == [1_334_551, 1_715_852, 953_251, 190_650])
        #expect(Array(coefficients.weights[s..<s + 4]) == [190_650, 953_251, 1_715_852, 1_334_551])
        #expect(PillowResize.bilinear([10, 20, 30, 40, 50], width: 5, height: 1, toWidth: 2, toHeight: 1) == [20, 40])
    }

    /// 3 -> 2 on both axes: scale 1.5 = support, inv = 2/3. o = 0: centre 0.75, taps 0, 1 with
    /// tri(-1/6) = 5/6 and tri(1/2) = 1/2, normalised 0.625 and 0.375 (k = 2621440, 1572864, both
    /// exact); o = 1: taps 1, 2 with 0.375, 0.625. The top-right output of
    /// [[10, 103, 206], [13, 143, 2], [38, 71, 133]]:
    /// - horizontal first (Pillow up to 12): rows 0 and 1 at column 1 are
    ///   103 * 0.375 + 206 * 0.625 = 167.375 -> 167 and 143 * 0.375 + 2 * 0.625 = 54.875 -> 55
    ///   (uint8), then 167 * 0.625 + 55 * 0.375 = 125.0 -> 125;
    /// - vertical first would give 118 and 129.5 -> 130, then 118 * 0.375 + 130 * 0.625 = 125.5
    ///   -> 126 (Pillow 13's order for some sizes; not the reference).
    /// Every output: ((2^21 + sum) >> 22), i.e. floor(x + 0.5) of the exact weighted sum here.
    @Test("horizontal pass first, stored as 8-bit, then vertical: a 3x3 -> 2x2 case where the order matters")
    func passOrder() {
        let pixels: [UInt8] = [10, 103, 206, 13, 143, 2, 38, 71, 133]
        #expect(PillowResize.bilinear(pixels, width: 3, height: 3, toWidth: 2, toHeight: 2) == [51, 125, 55, 89])
    }

    @Test("a constant image stays constant under any resize (enlarging, shrinking, one axis, to 1x1)")
    func constantStaysConstant() {
        let sizes = [(331, 507, 352, 352), (7, 5, 3, 2), (1, 1, 5, 3), (1000, 17, 352, 352), (13, 1, 1, 1), (5, 9, 23, 2)]
        for value: UInt8 in [0, 1, 127, 200, 255] {
            for (width, height, toWidth, toHeight) in sizes {
                let out = PillowResize.bilinear([UInt8](repeating: value, count: width * height), width: width, height: height,
                                                toWidth: toWidth, toHeight: toHeight)
                #expect(out.count == toWidth * toHeight)
                #expect(out.allSatisfy { $0 == value }, "\(value): \(width)x\(height) -> \(toWidth)x\(toHeight)")
            }
        }
    }

    /// x = ((Float)v / 255 - mean) / std in float32, true divisions. Bit patterns computed with
    /// numpy float32; v = 7 is a level where multiplying by 1/255 and 1/std instead differs in
    /// all three channels (0xbfffbf79, 0xbff4e298, 0xbfd75a33).
    @Test("normalisation: three identical planes R, G, B with the float32 true-division values")
    func normalisation() {
        let out = ImageNetNormalization.tensor(fromGray: [0, 7, 255, 0, 7, 255], width: 3, height: 2)
        #expect(out.count == 18)
        let expected: [[UInt32]] = [
            [0xc007_8bbd, 0xbfff_bf78, 0x400f_ee1d],   // R
            [0xc002_4924, 0xbff4_e299, 0x401b_6db7],   // G
            [0xbfe6_f809, 0xbfd7_5a32, 0x4028_f5c3],   // B: 255 -> 2.6400001
        ]
        for channel in 0..<3 {
            let plane = out[channel * 6..<(channel + 1) * 6].map(\.bitPattern)
            #expect(plane == expected[channel] + expected[channel], "channel \(channel)")
        }
    }

    /// An 8-bit gray PNG's pixels.
    static func grayPNG(_ path: String) throws -> GrayImage {
        let image = try PNGCodec.read(path: path)
        guard case .uint8(let pixels) = image.samples, image.colorKind == .gray else {
            throw FileError(path: path, reason: "expected an 8-bit gray PNG")
        }
        return GrayImage(width: image.width, height: image.height, pixels: pixels)
    }

    @Test("golden slice 331x507: the resize equals resized352.png in every pixel, the normalisation input.f32 bit for bit",
          .enabled(if: goldenAvailable, "../shared/golden/infnet is not present (fresh clone); runs in CI"))
    func golden() throws {
        let input = try Self.grayPNG(Self.folder + "/input.png")
        #expect(input.width == 331 && input.height == 507)
        let expected = try Self.grayPNG(Self.folder + "/resized352.png")
        #expect(expected.width == 352 && expected.height == 352)

        let resized = PillowResize.bilinear(input, toWidth: 352, toHeight: 352)
        let differing = zip(resized.pixels, expected.pixels).filter { $0 != $1 }.count
        #expect(differing == 0, "\(differing) of \(expected.pixels.count) pixels differ")

        let tensor = ImageNetNormalization.tensor(fromGray: resized)
        let golden = try readFloat32(Self.folder + "/input.f32")
        #expect(tensor.count == 3 * 352 * 352 && golden.count == tensor.count)
        let differingValues = zip(tensor, golden).filter { $0.bitPattern != $1.bitPattern }.count
        #expect(differingValues == 0, "\(differingValues) of \(golden.count) values differ")
    }

    @Test("golden slice: the JPEG decodes (libjpeg-turbo, ISLOW) to input.png's bytes, and the whole preprocessing from the JPEG gives input.f32 bit for bit",
          .enabled(if: goldenAvailable, "../shared/golden/infnet is not present (fresh clone); runs in CI"))
    func fromJPEG() throws {
        let decoded = try SliceReader.readGray(path: Self.folder + "/input.jpg")
        let png = try Self.grayPNG(Self.folder + "/input.png")
        #expect(decoded.width == png.width && decoded.height == png.height && decoded.pixels == png.pixels)
        let tensor = ImageNetNormalization.tensor(fromGray: PillowResize.bilinear(decoded, toWidth: 352, toHeight: 352))
        let golden = try readFloat32(Self.folder + "/input.f32")
        #expect(tensor.map(\.bitPattern) == golden.map(\.bitPattern))
    }
}
