import SegevalTestSupport
import Testing
@testable import Metrics

@Suite("MATLAB imresize")
struct ImresizeTests {
    @Test("bicubic weights for 4 -> 8, worked out by hand")
    func upscaleWeights() {
        let table = MatlabImresize.contributions(inputLength: 4, outputLength: 8)
        // Output 1: u = 0.75; taps j = -1, 0, 1, 2 (1-based) at distances 1.75, 0.75, -0.25, -1.25;
        // mirrored to 1-based inputs 2, 1, 1, 2.
        #expect(table[0].indices == [1, 0, 0, 1])
        #expect(table[0].weights == [-0.0234375, 0.2265625, 0.8671875, -0.0703125])
    }

    @Test("antialiased shrinking 4 -> 2, worked out by hand")
    func shrinkWeights() {
        let table = MatlabImresize.contributions(inputLength: 4, outputLength: 2)
        for entry in table {
            #expect(abs(entry.weights.reduce(0, +) - 1) < 1e-15)
        }
        // Output 1: u = 1.5, h(t) = 0.5 cubic(0.5 t), width 8: weights at distances 3.5, 2.5, 1.5, 0.5
        // are -0.01171875, -0.03515625, 0.11328125, 0.43359375 (and mirrored). Folding the mirrored
        // taps (1-based j = -2, -1, 0 -> inputs 3, 2, 1; j = 5 -> 4) onto inputs 1...4:
        let perInput = Dictionary(zip(table[0].indices, table[0].weights), uniquingKeysWith: +)
        #expect(perInput[0] == 0.546875)
        #expect(perInput[1] == 0.3984375)
        #expect(perInput[2] == 0.1015625)
        #expect(perInput[3] == -0.046875)
    }

    @Test("constant images stay constant; same size is the identity; values saturate")
    func basics() {
        let constant = [Int](repeating: 77, count: 20)
        #expect(MatlabImresize.resize(constant, width: 5, height: 4, toWidth: 9, toHeight: 3, maxValue: 255).allSatisfy { $0 == 77 })
        let ramp = (0..<12).map { $0 * 20 }
        #expect(MatlabImresize.resize(ramp, width: 4, height: 3, toWidth: 4, toHeight: 3, maxValue: 255) == ramp)
        // A hard edge overshoots with the cubic kernel; results are clamped to 0...255.
        let edge = [0, 0, 255, 255]
        let up = MatlabImresize.resize(edge, width: 4, height: 1, toWidth: 8, toHeight: 1, maxValue: 255)
        #expect(up.allSatisfy { (0...255).contains($0) })
        #expect(up.first == 0 && up.last == 255)
        let logical = MatlabImresize.resizeLogical([0, 1, 1, 0], width: 2, height: 2, toWidth: 4, toHeight: 4)
        #expect(logical.allSatisfy { $0 == 0 || $0 == 1 })
    }

    struct Shape: Sendable, CustomStringConvertible {
        var width, height, toWidth, toHeight: Int
        var description: String { "\(width)x\(height) -> \(toWidth)x\(toHeight)" }
    }

    @Test("every output sample equals a direct transliteration of the spec", arguments: [
        Shape(width: 7, height: 5, toWidth: 4, toHeight: 9),    // width shrinks (first pass), height grows
        Shape(width: 6, height: 8, toWidth: 13, toHeight: 3),   // height shrinks first
        Shape(width: 5, height: 5, toWidth: 8, toHeight: 8),    // equal scales: rows first
        Shape(width: 9, height: 4, toWidth: 3, toHeight: 4),    // one dimension only
    ])
    func matchesTheSpec(_ shape: Shape) {
        var rng = SplitMix64(seed: UInt64(shape.width * 100 + shape.toHeight))
        let samples = (0..<shape.width * shape.height).map { _ in Int(rng.next() % 256) }
        let ours = MatlabImresize.resize(samples, width: shape.width, height: shape.height,
                                         toWidth: shape.toWidth, toHeight: shape.toHeight, maxValue: 255)
        let spec = SpecImresize.resize(samples, width: shape.width, height: shape.height,
                                       toWidth: shape.toWidth, toHeight: shape.toHeight, maxValue: 255)
        #expect(ours == spec)
        let bits = samples.map { UInt8($0 & 1) }
        let logical = MatlabImresize.resizeLogical(bits, width: shape.width, height: shape.height,
                                                   toWidth: shape.toWidth, toHeight: shape.toHeight)
        let specLogical = SpecImresize.resize(bits.map { Int($0) * 255 }, width: shape.width, height: shape.height,
                                              toWidth: shape.toWidth, toHeight: shape.toHeight, maxValue: 255).map { $0 > 128 ? UInt8(1) : 0 }
        #expect(logical == specLogical)
        #expect(Set(logical).count == 2)   // the random mask keeps both values
    }
}

/// MATLAB `imresize(A, [h w])` (bicubic, antialiased) written straight from the protocol spec,
/// section 2, one output sample at a time: no precomputed tables, so it shares no code with
/// `MatlabImresize`.
enum SpecImresize {
    static func resize(_ samples: [Int], width: Int, height: Int, toWidth: Int, toHeight: Int, maxValue: Int) -> [Int] {
        let rowScale = Double(toHeight) / Double(height), columnScale = Double(toWidth) / Double(width)
        var image = (values: samples, width: width, height: height)
        // `[~, order] = sort(scale)`: the smaller scale first; rows (dimension 1) on a tie.
        let rowsFirst = rowScale <= columnScale
        for pass in 0..<2 {
            let alongRows = (pass == 0) == rowsFirst
            if alongRows && toHeight != height || !alongRows && toWidth != width {
                image = alongRows ? resizeColumns(image, to: toHeight, maxValue: maxValue)
                                  : transposed(resizeColumns(transposed(image), to: toWidth, maxValue: maxValue))
            }
        }
        return image.values
    }

    /// Resizes along the vertical axis (each column of the image).
    static func resizeColumns(_ image: (values: [Int], width: Int, height: Int), to outputLength: Int, maxValue: Int) -> (values: [Int], width: Int, height: Int) {
        let n = image.height
        let s = Double(outputLength) / Double(n)
        let kernelWidth = s < 1 ? 4 / s : 4
        func h(_ t: Double) -> Double { s < 1 ? s * cubic(s * t) : cubic(t) }
        var out = [Int](repeating: 0, count: outputLength * image.width)
        for x in 1...outputLength {
            let u = Double(x) / s + 0.5 * (1 - 1 / s)
            let left = Int((u - kernelWidth / 2).rounded(.down))
            let taps = (0...(Int(kernelWidth.rounded(.up)) + 1)).map { left + $0 }
            let raw = taps.map { h(u - Double($0)) }
            let total = raw.reduce(0, +)
            let weights = raw.map { $0 / total }
            for column in 0..<image.width {
                var sum = 0.0
                for (j, weight) in zip(taps, weights) where weight != 0 {
                    sum += weight * Double(image.values[(mirror(j, n) - 1) * image.width + column])
                }
                // Stored back in the input's integer class: rounded half away from zero, saturated.
                out[(x - 1) * image.width + column] = min(maxValue, max(0, Int(sum.rounded(.toNearestOrAwayFromZero))))
            }
        }
        return (out, image.width, outputLength)
    }

    /// 1-based index j mirrored into 1...n (the sequence 1..n, n..1, repeating).
    static func mirror(_ j: Int, _ n: Int) -> Int {
        let period = 2 * n
        let k = ((j - 1) % period + period) % period
        return k < n ? k + 1 : period - k
    }

    static func cubic(_ t: Double) -> Double {
        let a = abs(t)
        if a <= 1 { return 1.5 * a * a * a - 2.5 * a * a + 1 }
        if a <= 2 { return -0.5 * a * a * a + 2.5 * a * a - 4 * a + 2 }
        return 0
    }

    static func transposed(_ image: (values: [Int], width: Int, height: Int)) -> (values: [Int], width: Int, height: Int) {
        var out = [Int](repeating: 0, count: image.values.count)
        for y in 0..<image.height { for x in 0..<image.width { out[x * image.height + y] = image.values[y * image.width + x] } }
        return (out, image.height, image.width)
    }
}
