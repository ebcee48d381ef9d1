import Foundation
@testable import Inference
import SegevalTestSupport
import Testing

/// `WinogradLayer` (Winograd F(2x2, 3x3) on 8-channel blocks) against a direct 3x3 convolution
/// computed here in double, from first principles.
@Suite("Winograd convolution")
struct WinogradTests {
    static let cases: [(inChannels: Int, outChannels: Int, height: Int, width: Int, postOps: [PostOp])] = [
        (8, 16, 2, 2, []),                 // a single tile
        (16, 16, 8, 8, [.relu]),
        (24, 32, 6, 10, [.sum, .relu]),    // 15 tiles: the last chunk is partial
        (64, 64, 32, 32, [.sum]),
        (96, 64, 20, 12, [.relu]),         // the 1.5w concatenation of the last up-block
        (512, 512, 4, 4, [.relu]),         // the bridge at a 64x64 input
    ]

    @Test("matches a double-precision direct convolution within 1e-5 (post-ops, partial chunks, borders)", arguments: 0..<cases.count)
    func matchesDirectConvolution(index: Int) throws {
        let (ci, co, h, w, postOps) = Self.cases[index]
        var random = SplitMix64(seed: UInt64(index + 1))
        func next() -> Double { Double.random(in: -0.5..<0.5, using: &random) }
        let scale = 1 / Double(ci * 9).squareRoot()
        let conv = FoldedConv(shape: [co, ci, 3, 3], weights: (0..<(co * ci * 9)).map { _ in 2 * scale * next() },
                              bias: (0..<co).map { _ in next() })
        let context = try DNNLContext()
        let source = try Activation(channels: ci, height: h, width: w, context: context)
        let destination = try Activation(channels: co, height: h, width: w, context: context)
        #expect(source.isBlocked && destination.isBlocked)
        var input = [Double](repeating: 0, count: ci * h * w)  // NCHW
        for c in 0..<ci {
            for p in 0..<(h * w) {
                let v = Float(next() * 4)
                input[c * h * w + p] = Double(v)
                source.pointer[source.offset(channel: c, pixel: p)] = v
            }
        }
        var previous = [Double](repeating: 0, count: co * h * w)
        for o in 0..<co {
            for p in 0..<(h * w) {
                let v = Float(next())
                previous[o * h * w + p] = Double(v)
                destination.pointer[destination.offset(channel: o, pixel: p)] = v
            }
        }
        let layer = try #require(WinogradLayer(conv: conv, stride: 1, hasBias: true, postOps: postOps, source: source, destination: destination))
        layer.run(source, into: destination)

        var worst = 0.0
        for o in 0..<co {
            for y in 0..<h {
                for x in 0..<w {
                    var sum = conv.bias[o]
                    for c in 0..<ci {
                        for ky in 0..<3 {
                            for kx in 0..<3 {
                                let yy = y + ky - 1, xx = x + kx - 1
                                guard yy >= 0, yy < h, xx >= 0, xx < w else { continue }
                                sum += conv.weights[((o * ci + c) * 3 + ky) * 3 + kx] * input[(c * h + yy) * w + xx]
                            }
                        }
                    }
                    if postOps.contains(.sum) { sum += previous[o * h * w + y * w + x] }
                    if postOps.contains(.relu) { sum = max(sum, 0) }
                    let got = Double(destination.pointer[destination.offset(channel: o, pixel: y * w + x)])
                    worst = max(worst, abs(got - sum))
                }
            }
        }
        #expect(worst <= 1e-5, "\(ci)->\(co) at \(h)x\(w) \(postOps): max error \(worst)")
    }

    @Test("declines what it cannot compute: stride 2, 1x1, odd sizes, unblocked or narrow channels, sigmoid")
    func declinesUnsupported() throws {
        let context = try DNNLContext()
        let a16 = try Activation(channels: 16, height: 8, width: 8, context: context)
        let b16 = try Activation(channels: 16, height: 8, width: 8, context: context)
        let b8 = try Activation(channels: 8, height: 8, width: 8, context: context)
        let odd = try Activation(channels: 16, height: 7, width: 8, context: context)
        let unblocked = try Activation(channels: 16, height: 8, width: 8, allowBlocks: false, context: context)
        #expect(WinogradLayer.supports(kernel: 3, stride: 1, postOps: [.sum, .relu], source: a16, destination: b16))
        #expect(!WinogradLayer.supports(kernel: 3, stride: 2, postOps: [], source: a16, destination: b16))
        #expect(!WinogradLayer.supports(kernel: 1, stride: 1, postOps: [], source: a16, destination: b16))
        #expect(!WinogradLayer.supports(kernel: 3, stride: 1, postOps: [], source: odd, destination: odd))
        #expect(!WinogradLayer.supports(kernel: 3, stride: 1, postOps: [], source: unblocked, destination: b16))
        #expect(!WinogradLayer.supports(kernel: 3, stride: 1, postOps: [], source: a16, destination: b8))
        #expect(!WinogradLayer.supports(kernel: 3, stride: 1, postOps: [.sigmoid], source: a16, destination: b16))
        #expect(!WinogradLayer.supports(kernel: 3, stride: 1, postOps: [.relu, .sum], source: a16, destination: b16))
    }
}
