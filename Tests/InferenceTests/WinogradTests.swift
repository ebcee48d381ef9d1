import Foundation
import CKernels
@testable import Inference
import SegevalTestSupport
import Testing

/// `WinogradLayer` (Winograd F(2x2, 3x3) and F(4x4, 3x3) on 8- or 16-channel blocks) against a direct 3x3
/// convolution computed here in double, from first principles, at every instruction-set level of
/// the kernels this machine can run, with both register blocks of the product.
@Suite("Winograd convolution")
struct WinogradTests {
    /// One way of running the kernels: layout block, instruction-set level, register block.
    struct Kernels: Sendable, CustomTestStringConvertible {
        var block: Int
        var level: KernelLevel
        var wide: Bool
        var tile: Int
        var testDescription: String { "nChw\(block)c, \(level)\(wide ? ", 12x32" : ""), F(\(tile)x\(tile),3x3)" }
        var configuration: BackendConfiguration {
            BackendConfiguration(channelBlock: block, winograd: level, wideProduct: wide, fusePostOps: true)
        }
    }

    static let kernels: [Kernels] = KernelLevel.available.flatMap { level in
        [8, 16].flatMap { block in
            [false, true].flatMap { wide in [2, 4].map { Kernels(block: block, level: level, wide: wide, tile: $0) } }
        }
    }

    static let cases: [(inChannels: Int, outChannels: Int, height: Int, width: Int, postOps: [PostOp])] = [
        (8, 16, 2, 2, []),                 // a single tile
        (16, 16, 8, 8, [.relu]),
        (24, 32, 6, 10, [.sum, .relu]),    // 15 tiles: the last chunk is partial
        (64, 64, 32, 32, [.sum]),
        (96, 64, 20, 12, [.relu]),         // the 1.5w concatenation of the last up-block
        (512, 512, 4, 4, [.relu]),         // the bridge at a 64x64 input
        (32, 32, 2, 2, [.sum, .relu]),     // a single tile on 16-channel blocks too
        (32, 64, 6, 10, [.sum, .relu]),    // residual, partial chunk, 16-channel blocks and the wide block
        (16, 32, 22, 14, [.relu]),         // 4x4 tiles cut at both edges (22 = 5 x 4 + 2), as at the U-Net's 22x22
        (32, 32, 7, 9, [.sum]),            // odd sizes: 4x4 tiles only (F(2x2) declines them)
        (16, 48, 10, 6, [.sum, .relu]),    // 48 = 1.5 register blocks of 32 (Inf-Net's 112 and 208 channels)
        (8, 40, 5, 7, [.relu]),            // 40 = 2.5 register blocks of 16 on 8-channel blocks
    ]

    @Test("matches a double-precision direct convolution within 1e-5 (F(2x2)) or 1e-4 (F(4x4)): post-ops, partial chunks and tiles, borders, every level and layout",
          arguments: 0..<cases.count)
    func matchesDirectConvolution(index: Int) throws {
        let (ci, co, h, w, postOps) = Self.cases[index]
        var random = SplitMix64(seed: UInt64(index + 1))
        func next() -> Double { Double.random(in: -0.5..<0.5, using: &random) }
        let scale = 1 / Double(ci * 9).squareRoot()
        let conv = FoldedConv(shape: [co, ci, 3, 3], weights: (0..<(co * ci * 9)).map { _ in 2 * scale * next() },
                              bias: (0..<co).map { _ in next() })
        var input = [Float](repeating: 0, count: ci * h * w)  // NCHW
        for i in input.indices { input[i] = Float(next() * 4) }
        var previous = [Float](repeating: 0, count: co * h * w)
        for i in previous.indices { previous[i] = Float(next()) }

        // The reference, once per case.
        var expected = [Double](repeating: 0, count: co * h * w)
        for o in 0..<co {
            for y in 0..<h {
                for x in 0..<w {
                    var sum = conv.bias[o]
                    for c in 0..<ci {
                        for ky in 0..<3 {
                            for kx in 0..<3 {
                                let yy = y + ky - 1, xx = x + kx - 1
                                guard yy >= 0, yy < h, xx >= 0, xx < w else { continue }
                                sum += conv.weights[((o * ci + c) * 3 + ky) * 3 + kx] * Double(input[(c * h + yy) * w + xx])
                            }
                        }
                    }
                    if postOps.contains(.sum) { sum += Double(previous[o * h * w + y * w + x]) }
                    if postOps.contains(.relu) { sum = max(sum, 0) }
                    expected[o * h * w + y * w + x] = sum
                }
            }
        }

        for kernels in Self.kernels {
            let context = try DNNLContext(configuration: kernels.configuration)
            let source = try Activation(channels: ci, height: h, width: w, context: context)
            let destination = try Activation(channels: co, height: h, width: w, context: context)
            guard ci % kernels.block == 0, co % kernels.block == 0, kernels.tile == 4 || (h % 2 == 0 && w % 2 == 0) else {
                // Channels that do not fill the layout's blocks (output channels that do not fill the
                // product's register block are computed padded).
                #expect(try WinogradLayer(conv: conv, stride: 1, hasBias: true, postOps: postOps, source: source, destination: destination,
                                      tile: kernels.tile, context: context) == nil, "\(kernels.testDescription)")
                continue
            }
            #expect(source.block == kernels.block && destination.block == kernels.block)
            for c in 0..<ci {
                for p in 0..<(h * w) { source.pointer[source.offset(channel: c, pixel: p)] = input[c * h * w + p] }
            }
            let layer = try #require(try WinogradLayer(conv: conv, stride: 1, hasBias: true, postOps: postOps, source: source,
                                                   destination: destination, tile: kernels.tile, context: context))
            // The split chosen at creation, then both splits forced: chunks of one register block
            // (several chunks, the last partial, where there are enough tiles) on 3 threads.
            for split in ["chosen", "shared", "own"] {
                if split != "chosen" { try layer.setChunks(shared: split == "shared", tiles: 1, threads: 3) }
                for o in 0..<co {
                    for p in 0..<(h * w) { destination.pointer[destination.offset(channel: o, pixel: p)] = previous[o * h * w + p] }
                }
                layer.run(source, into: destination)
                var worst = 0.0
                for o in 0..<co {
                    for p in 0..<(h * w) {
                        worst = max(worst, abs(Double(destination.pointer[destination.offset(channel: o, pixel: p)]) - expected[o * h * w + p]))
                    }
                }
                print("Winograd \(ci)->\(co) at \(h)x\(w), \(kernels.testDescription), \(split) chunks: max error \(worst)")
                // F(4x4, 3x3)'s transforms (points 0, +-1, +-2) amplify float32 rounding about 10-25x more than
                // F(2x2, 3x3)'s (measured here: at most 5.2e-5 against 2.3e-6, at 512 input channels).
                let tolerance = kernels.tile == 2 ? 1e-5 : 1e-4
                #expect(worst <= tolerance, "\(ci)->\(co) at \(h)x\(w) \(postOps), \(kernels.testDescription), \(split) chunks: max error \(worst)")
            }
        }
    }

    @Test("threads share the chunks where U is large and read once that way, and take their own where U is small or one thread runs")
    func choosesTheSplit() throws {
        func split(_ ci: Int, _ co: Int, _ size: Int, tile: Int = 4, threads: Int = 2) throws -> (shared: Bool, tiles: Int) {
            let weights = [Double](repeating: 0.01, count: co * ci * 9)
            var handle: OpaquePointer?
            #expect(ck_winograd_create(Int32(ci), Int32(co), Int32(size), Int32(size), 16, CK_KERNELS_PORTABLE, 1, Int32(tile),
                                       weights, nil, 0, 0, Int32(threads), &handle) == CK_OK)
            defer { ck_winograd_destroy(handle) }
            var tiles: Int32 = 0
            let shared = ck_winograd_shares_chunks(handle, &tiles)
            return (shared != 0, Int(tiles))
        }
        // 1024 -> 512 at 44x44, 4x4 tiles: U is 75 MB; each thread's own 4 MB chunks (24 tiles) would
        // read it six times, shared chunks of all 121 tiles (132 rows) read it once.
        #expect(try split(1024, 512, 44) == (true, 132))
        // One 4x4 tile at 512 channels (the bridge at 16x16 inputs): one chunk either way; shared keeps
        // both threads busy.
        #expect(try split(512, 512, 4) == (true, 12))
        // U of 0.6 MB (64 -> 64) stays in the cache: own chunks.
        #expect(try split(64, 64, 352).shared == false)
        #expect(try split(1024, 512, 44, threads: 1).shared == false)
    }

    @Test("declines what it cannot compute: stride 2, 1x1, odd sizes, unblocked channels or different layouts, sigmoid (and computes output channels short of a register block)")
    func declinesUnsupported() throws {
        let configuration = BackendConfiguration(channelBlock: 8, winograd: .portable, wideProduct: false, fusePostOps: true)
        let context = try DNNLContext(configuration: configuration)
        let a16 = try Activation(channels: 16, height: 8, width: 8, context: context)
        let b16 = try Activation(channels: 16, height: 8, width: 8, context: context)
        let b8 = try Activation(channels: 8, height: 8, width: 8, context: context)
        let odd = try Activation(channels: 16, height: 7, width: 8, context: context)
        let unblocked = try Activation(channels: 16, height: 8, width: 8, allowBlocks: false, context: context)
        #expect(WinogradLayer.supports(kernel: 3, stride: 1, postOps: [.sum, .relu], source: a16, destination: b16, configuration: configuration))
        #expect(!WinogradLayer.supports(kernel: 3, stride: 2, postOps: [], source: a16, destination: b16, configuration: configuration))
        #expect(!WinogradLayer.supports(kernel: 1, stride: 1, postOps: [], source: a16, destination: b16, configuration: configuration))
        #expect(!WinogradLayer.supports(kernel: 3, stride: 1, postOps: [], source: odd, destination: odd, configuration: configuration))
        #expect(WinogradLayer.supports(kernel: 3, stride: 1, postOps: [], source: odd, destination: odd, tile: 4, configuration: configuration))
        #expect(!WinogradLayer.supports(kernel: 3, stride: 1, postOps: [], source: unblocked, destination: b16, configuration: configuration))
        // Fewer output channels than the product's register block (16 here): computed padded.
        #expect(WinogradLayer.supports(kernel: 3, stride: 1, postOps: [], source: a16, destination: b8, configuration: configuration))
        #expect(!WinogradLayer.supports(kernel: 3, stride: 1, postOps: [.sigmoid], source: a16, destination: b16, configuration: configuration))
        #expect(!WinogradLayer.supports(kernel: 3, stride: 1, postOps: [.relu, .sum], source: a16, destination: b16, configuration: configuration))
        var direct = configuration
        direct.winograd = nil
        #expect(!WinogradLayer.supports(kernel: 3, stride: 1, postOps: [], source: a16, destination: b16, configuration: direct))
    }

    @Test("refuses an instruction-set level above what oneDNN reports as effective (ONEDNN_MAX_CPU_ISA caps it)")
    func refusesLevelsAboveTheCap() throws {
        let conv = FoldedConv(shape: [32, 16, 3, 3], weights: [Double](repeating: 0.1, count: 32 * 16 * 9), bias: [Double](repeating: 0, count: 32))
        for level in KernelLevel.allCases {
            let configuration = BackendConfiguration(channelBlock: 16, winograd: level, wideProduct: true, fusePostOps: true)
            let context = try DNNLContext(configuration: configuration)
            let source = try Activation(channels: 16, height: 8, width: 8, context: context)
            let destination = try Activation(channels: 32, height: 8, width: 8, context: context)
            let layer = try WinogradLayer(conv: conv, stride: 1, hasBias: true, postOps: [], source: source, destination: destination,
                                      context: context)
            #expect((layer != nil) == (level <= InstructionSet.current.kernels), "\(level)")
        }
    }
}
