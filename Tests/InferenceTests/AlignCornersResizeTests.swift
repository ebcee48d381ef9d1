import Foundation
@testable import Inference
import SegevalTestSupport
import Testing

/// `AlignCornersResize` (PyTorch's bilinear `align_corners=True`) against its contract computed
/// here one value at a time, in float32 with the same operations, in every layout it runs on
/// (16- and 8-channel blocks run whole vectors, NHWC and NCHW one value at a time): the results
/// must agree bit for bit. And against first principles: corner pixels coincide, and 2 -> 3
/// samples per axis put the mean of its neighbours in the middle.
@Suite("Align-corners bilinear resize")
struct AlignCornersResizeTests {
    static let layouts: [(name: String, block: Int?, planar: Bool)] =
        [("nChw16c", 16, false), ("nChw8c", 8, false), ("nhwc", nil, false), ("nchw", nil, true)]

    /// out(c, y, x) per the contract in `AlignCornersResize`'s documentation.
    static func expected(_ input: [Float], channels: Int, height n: Int, width w: Int, outHeight: Int, outWidth: Int) -> [Float] {
        func taps(_ n: Int, _ m: Int, _ o: Int) -> (Int, Int, Float, Float) {
            let ratio: Float = m > 1 ? Float(n - 1) / Float(m - 1) : 0
            let src = ratio * Float(o)
            let i0 = min(Int(src.rounded(.down)), n - 1)
            let l1 = src - Float(i0)
            return (i0, i0 < n - 1 ? i0 + 1 : i0, 1 - l1, l1)
        }
        var out = [Float](repeating: 0, count: channels * outHeight * outWidth)
        for c in 0..<channels {
            for oy in 0..<outHeight {
                let (y0, y1, l0y, l1y) = taps(n, outHeight, oy)
                for ox in 0..<outWidth {
                    let (x0, x1, l0x, l1x) = taps(w, outWidth, ox)
                    func at(_ y: Int, _ x: Int) -> Float { input[(c * n + y) * w + x] }
                    let top = l0x * at(y0, x0) + l1x * at(y0, x1)
                    let bottom = l0x * at(y1, x0) + l1x * at(y1, x1)
                    out[(c * outHeight + oy) * outWidth + ox] = l0y * top + l1y * bottom
                }
            }
        }
        return out
    }

    static func resize(_ input: [Float], channels: Int, height: Int, width: Int, outHeight: Int, outWidth: Int,
                       block: Int?, planar: Bool) throws -> [Float] {
        let context = try DNNLContext(configuration: BackendConfiguration(channelBlock: block, winograd: nil, wideProduct: false, fusePostOps: true))
        let source = try Activation(channels: channels, height: height, width: width, allowBlocks: block != nil, planar: planar,
                                    context: context)
        let destination = try Activation(channels: channels, height: outHeight, width: outWidth, allowBlocks: block != nil,
                                         planar: planar, context: context)
        #expect(source.lanes == (block ?? (planar ? 1 : channels)))
        for c in 0..<channels {
            for p in 0..<(height * width) { source.pointer[source.offset(channel: c, pixel: p)] = input[c * height * width + p] }
        }
        try AlignCornersResize(source: source, destination: destination).run()
        var out = [Float](repeating: 0, count: channels * outHeight * outWidth)
        for c in 0..<channels {
            for p in 0..<(outHeight * outWidth) { out[c * outHeight * outWidth + p] = destination.pointer[destination.offset(channel: c, pixel: p)] }
        }
        return out
    }

    @Test("equals its contract bit for bit in every layout: x2 as the U-Net upsamples, odd sizes, down and to one row",
          arguments: [(5, 7, 10, 14), (22, 22, 44, 44), (9, 4, 5, 11), (6, 6, 1, 3)])
    func matchesTheContract(size: (Int, Int, Int, Int)) throws {
        let (h, w, oh, ow) = size
        let channels = 32
        var random = SplitMix64(seed: UInt64(h * 1000 + w))
        let input = (0..<(channels * h * w)).map { _ in Float(Double.random(in: -3..<3, using: &random)) }
        let expected = Self.expected(input, channels: channels, height: h, width: w, outHeight: oh, outWidth: ow)
        for layout in Self.layouts {
            let out = try Self.resize(input, channels: channels, height: h, width: w, outHeight: oh, outWidth: ow,
                                      block: layout.block, planar: layout.planar)
            let differing = zip(out, expected).filter { $0.0.bitPattern != $0.1.bitPattern }.count
            #expect(differing == 0, "\(h)x\(w) -> \(oh)x\(ow), \(layout.name): \(differing) values differ")
        }
    }

    @Test("corners coincide; 2 -> 3 puts the neighbours' mean in the middle")
    func firstPrinciples() throws {
        let channels = 16
        // Channel c: [[c, c + 2], [c + 4, c + 8]] (2x2, exact in float32).
        var input = [Float]()
        for c in 0..<channels { input += [Float(c), Float(c + 2), Float(c + 4), Float(c + 8)] }
        for layout in Self.layouts {
            let out = try Self.resize(input, channels: channels, height: 2, width: 2, outHeight: 3, outWidth: 3,
                                      block: layout.block, planar: layout.planar)
            for c in 0..<channels {
                let a = Float(c), b = Float(c + 2), d = Float(c + 4), e = Float(c + 8)
                let want: [Float] = [a, (a + b) / 2, b, (a + d) / 2, (a + b + d + e) / 4, (b + e) / 2, d, (d + e) / 2, e]
                #expect(Array(out[(c * 9)..<(c * 9 + 9)]) == want, "\(layout.name), channel \(c)")
            }
        }
    }
}
