import Foundation
import GoldenSupport
@testable import Inference
import Testing

/// The Inf-Net test script's post-processing (Inf-Net spec, sections 4, 5.1, 5.2, 7): PyTorch's
/// float32 bilinear resize of the logits, sigmoid, min-max with +1e-8, scipy 1.2.2's bytescale.
/// First principles on tiny inputs, then the PyTorch golden in ../shared/golden/infnet (skipped
/// when absent), which this implementation matches bit for bit.
@Suite("Inf-Net post-processing: resize, sigmoid, min-max and the 8-bit PNG levels")
struct InfNetPostprocessingTests {
    static let folder = TestPaths.golden + "/infnet"
    static let goldenAvailable = FileManager.default.fileExists(atPath: folder + "/lateral_map_2.f32")

    /// Per axis 2 -> 4: r = 0.5, src = 0.5 * (o + 0.5) - 0.5 = -0.25, 0.25, 0.75, 1.25, clamped
    /// to 0, 0.25, 0.75, 1.25; i0 = 0, 0, 0, 1; i1 = 1, 1, 1, 1 (i0 = n - 1 keeps i1 = i0);
    /// l1 = 0, 0.25, 0.75, 0.25 (the last two taps both read pixel 1).
    @Test("taps 2 -> 4 follow the spec's formula, including the clamped first and last outputs")
    func tapsTwoToFour() {
        let taps = InfNetPostprocessing.taps(input: 2, output: 4)
        #expect(taps.first == [0, 0, 0, 1])
        #expect(taps.second == [1, 1, 1, 1])
        #expect(taps.weightSecond == [0, 0.25, 0.75, 0.25])
        #expect(taps.weightFirst == [1, 0.75, 0.25, 0.75])
    }

    /// [[0, 4], [8, 12]] -> 4x4 with the taps above (all weights and products exact): rows
    /// [0, 1, 3, 4] and [8, 9, 11, 12] along x; along y the outer rows copy them and the inner
    /// ones are 0.75 * r0 + 0.25 * r1 = r0 + 2 and 0.25 * r0 + 0.75 * r1 = r0 + 6. (4 + 4 <= 128:
    /// PyTorch's four-weight kernel.)
    @Test("2x2 -> 4x4 by hand from the spec's formula")
    func twoByTwoToFourByFour() {
        let out = InfNetPostprocessing.resize([0, 4, 8, 12], height: 2, width: 2, toHeight: 4, toWidth: 4)
        #expect(out == [0, 1, 3, 4,
                        2, 3, 5, 6,
                        6, 7, 9, 10,
                        8, 9, 11, 12])
    }

    /// 2 -> 128 along x (4 + 128 > 128: PyTorch's separable kernel): r = 1/64, src =
    /// (o + 0.5) / 64 - 0.5 is < 0 (clamped) up to o = 31 and reaches 1 at o = 96, so a row
    /// [0, 64] gives 0 for o <= 31, 64 * l1 = o - 31.5 for 32 <= o <= 95 and 64 from o = 96.
    @Test("2 -> 128 along x: a clamped start, an exact ramp, a clamped end")
    func rampAcrossWideOutput() {
        let out = InfNetPostprocessing.resize([0, 64, 0, 64], height: 2, width: 2, toHeight: 4, toWidth: 128)
        let row: [Float] = (0..<128).map { o in o <= 31 ? 0 : (o >= 96 ? 64 : Float(o) - 31.5) }
        for y in 0..<4 {
            #expect(Array(out[y * 128..<(y + 1) * 128]) == row, "row \(y)")
        }
    }

    /// 352 -> 507, output 184: r * 184.5 - 0.5 = 127.5946746 (exact); rounded once (a fused
    /// multiply-add, as PyTorch's kernel is compiled) it is 0x42ff3079, with the product rounded
    /// first 0x42ff307a. l1 = src - 127 = 0x3f183c80 (PyTorch's weight, measured).
    @Test("the source coordinate is rounded once (fused multiply-add): 352 -> 507, output 184")
    func sourceCoordinateRoundedOnce() {
        let taps = InfNetPostprocessing.taps(input: 352, output: 507)
        #expect(taps.first[184] == 127 && taps.second[184] == 128)
        #expect(taps.weightSecond[184].bitPattern == 0x3f18_3c80)
        #expect(taps.weightFirst[184].bitPattern == 0x3ecf_8700)
    }

    @Test("a same-size resize is the identity")
    func identityResize() {
        let values: [Float] = [0.1, -3, 7.25, 1e-3, 2, 5]
        #expect(InfNetPostprocessing.resize(values, height: 2, width: 3, toHeight: 2, toWidth: 3) == values)
    }

    /// PyTorch's sigmoid uses SLEEF's expf_u10, which is not correctly rounded: at these inputs
    /// 1 / (1 + exp(-x)) with a correctly rounded exp is one ulp off (bit patterns from
    /// torch.sigmoid; torch.exp itself goes through MKL and is no reference here).
    @Test("sigmoid is PyTorch's bit for bit (SLEEF expf_u10, not a correctly rounded exp)")
    func sigmoidBits() {
        let cases: [(x: UInt32, torch: UInt32)] = [
            (0xc10e_686b, 0x390e_ec9a), (0xc091_bbf7, 0x3c2a_9cec), (0xc088_cde7, 0x3c60_c713),
            (0xc0ce_dde6, 0x3acb_d83f), (0xc12c_0619, 0x37b3_a02b), (0xc08d_5af9, 0x3c43_558a),
        ]
        for (x, expected) in cases {
            #expect(InfNetPostprocessing.sigmoid(Float(bitPattern: x)).bitPattern == expected, "sigmoid(\(Float(bitPattern: x)))")
        }
        #expect(InfNetPostprocessing.sigmoid(0) == 0.5)
        #expect(InfNetPostprocessing.sleefExp(0) == 1)
        #expect(InfNetPostprocessing.sleefExp(1) == Float(bitPattern: 0x402d_f854))
        #expect(InfNetPostprocessing.sleefExp(-105) == 0)
        #expect(InfNetPostprocessing.sleefExp(101) == .infinity)
        #expect(InfNetPostprocessing.sigmoid(-200) == 0)
        #expect(InfNetPostprocessing.sigmoid(200) == 1)
        #expect(InfNetPostprocessing.sigmoid(.nan).isNaN)
    }

    /// A constant map: s - min = 0 everywhere, divided by Float(0 + 1e-8): probability 0; bytescale
    /// then sees cscale = 0, uses 1, and writes 0. (At the slice sizes the resize keeps a constant
    /// constant; see `tinyOutputConstant` for where it does not.)
    @Test("constant logits give probability 0 and PNG level 0 everywhere (both scripts)")
    func constantLogits() {
        for value: Float in [-7, 0, 3.5] {
            let logits = [Float](repeating: value, count: 352 * 352)
            let may = InfNetPostprocessing.probability(logits: logits, toWidth: 331, toHeight: 507)
            #expect(may.sigmoid.count == 507 * 331 && may.probability.count == 507 * 331)
            #expect(may.sigmoid.allSatisfy { $0 == InfNetPostprocessing.sigmoid(value) })
            #expect(may.probability.allSatisfy { $0 == 0 })
            #expect(InfNetPostprocessing.pngLevels(may.probability).allSatisfy { $0 == 0 })
            let head = InfNetPostprocessing.probabilityAtNetworkSize(logits: logits)
            #expect(head.probability.count == 352 * 352 && head.probability.allSatisfy { $0 == 0 })
            #expect(InfNetPostprocessing.pngLevels(head.probability).allSatisfy { $0 == 0 })
        }
    }

    /// With toHeight + toWidth <= 128 PyTorch sums four rounded weight products, so a constant -7
    /// resized 8x8 -> 11x5 comes out as -7 +- 1 ulp in 6 pixels (13, 14, 15, 16, 19, 31), and
    /// min-max stretches that to a maximum of 0x3d9a514b (~0.0754); values from PyTorch 2.13.
    @Test("tiny outputs (height + width <= 128) need not keep a constant constant, as in PyTorch")
    func tinyOutputConstant() {
        let resized = InfNetPostprocessing.resize([Float](repeating: -7, count: 64), height: 8, width: 8, toHeight: 11, toWidth: 5)
        let moved = resized.indices.filter { resized[$0] != -7 }
        #expect(moved == [13, 14, 15, 16, 19, 31])
        #expect(resized.allSatisfy { [0xc0df_ffff, 0xc0e0_0000, 0xc0e0_0001].contains($0.bitPattern) })
        let result = InfNetPostprocessing.probability(logits: [Float](repeating: -7, count: 64), size: 8, toWidth: 5, toHeight: 11)
        #expect(result.probability.max()?.bitPattern == 0x3d9a_514b)
    }

    /// d = Float(Double(max - min) + 1e-8): 1e-8 vanishes against a range of 1 (d = 1) but not
    /// against 1e-7 (d = 0x33ec3924, p = 0x3f68ba2e, about 0.909); bit patterns from numpy.
    @Test("min-max adds 1e-8 in double, then divides in float32")
    func minMax() {
        #expect(InfNetPostprocessing.minMax([0, 1]) == [0, 1])
        #expect(InfNetPostprocessing.minMax([0.25, 0.5, 0.75]) == [0, 0.5, 1])
        let small = InfNetPostprocessing.minMax([0, 1e-7])
        #expect(small[0] == 0 && small[1].bitPattern == 0x3f68_ba2e)
    }

    /// [10, 11.5, 12.5, 265, 137.25]: cmin 10, cscale 255, scale 1; (v - 10) + 0.5 truncated:
    /// 0, 2 (1.5 rounds up), 3 (2.5 rounds up, not to even), 255, 127 (127.75).
    @Test("bytescale: re-stretched to 0...255, halves rounded up, constant maps and empty input")
    func bytescale() {
        #expect(InfNetPostprocessing.pngLevels([10, 11.5, 12.5, 265, 137.25]) == [0, 2, 3, 255, 127])
        #expect(InfNetPostprocessing.pngLevels([0, 0.25, 0.5, 1]) == [0, 64, 128, 255])
        #expect(InfNetPostprocessing.pngLevels([0.2, 0.6]) == [0, 255])
        #expect(InfNetPostprocessing.pngLevels([0.3, 0.3, 0.3]) == [0, 0, 0])
        #expect(InfNetPostprocessing.pngLevels([]) == [])
    }

    @Test("golden slice 331x507 (May 2020 script): sigmoid.f32 and prob.f32 bit for bit, expected.png in every pixel",
          .enabled(if: goldenAvailable, "../shared/golden/infnet is not present (fresh clone); runs in CI"))
    func goldenMay2020() throws {
        let logits = try readFloat32(Self.folder + "/lateral_map_2.f32")
        #expect(logits.count == 352 * 352)
        let result = InfNetPostprocessing.probability(logits: logits, toWidth: 331, toHeight: 507)

        let sigmoid = try readFloat32(Self.folder + "/sigmoid.f32")
        let probability = try readFloat32(Self.folder + "/prob.f32")
        #expect(sigmoid.count == 507 * 331 && probability.count == sigmoid.count)
        #expect(result.sigmoid.count == sigmoid.count && result.probability.count == probability.count)
        // README tolerance: prob <= 5e-5; this implementation is exact.
        #expect(maxAbsDifference(result.probability, probability) <= 5e-5)
        let differingSigmoid = zip(result.sigmoid, sigmoid).filter { $0.bitPattern != $1.bitPattern }.count
        let differingProbability = zip(result.probability, probability).filter { $0.bitPattern != $1.bitPattern }.count
        #expect(differingSigmoid == 0, "\(differingSigmoid) of \(sigmoid.count) sigmoid values differ")
        #expect(differingProbability == 0, "\(differingProbability) of \(probability.count) probabilities differ")

        let expected = try InfNetPreprocessingTests.grayPNG(Self.folder + "/expected.png")
        #expect(expected.width == 331 && expected.height == 507)
        let levels = InfNetPostprocessing.pngLevels(result.probability)
        let differing = zip(levels, expected.pixels).filter { $0 != $1 }.count
        #expect(differing == 0, "\(differing) of \(expected.pixels.count) pixels differ")
    }

    @Test("golden slice (script from 2020-08-15 on): no resize, expected_head352.png in every pixel",
          .enabled(if: goldenAvailable, "../shared/golden/infnet is not present (fresh clone); runs in CI"))
    func goldenHead() throws {
        let logits = try readFloat32(Self.folder + "/lateral_map_2.f32")
        let result = InfNetPostprocessing.probabilityAtNetworkSize(logits: logits)
        #expect(result.probability.count == 352 * 352)
        let expected = try InfNetPreprocessingTests.grayPNG(Self.folder + "/expected_head352.png")
        #expect(expected.width == 352 && expected.height == 352)
        let levels = InfNetPostprocessing.pngLevels(result.probability)
        let differing = zip(levels, expected.pixels).filter { $0 != $1 }.count
        #expect(differing == 0, "\(differing) of \(expected.pixels.count) pixels differ")
    }
}
