import Foundation
import ImageIO
import Metrics
import SegevalTestSupport
import Testing
@testable import Evaluation

/// Spec section 2: how each PNG kind becomes a binary GT and a prediction map.
@Suite("Reading PNGs as the toolbox does")
struct ProtocolReadingTests {
    let tree = TemporaryTree()

    func roundTrip(_ image: DecodedImage, gamma: Double = 0) throws -> DecodedImage {
        let path = tree.png("x.png", image, gamma: gamma)
        return try PNGCodec.read(path: path)
    }

    @Test("RGB and RGBA ground truth: rgb2gray, rounded, then > 128; alpha ignored")
    func rgbGroundTruth() throws {
        // (200,100,50) -> 124.19 -> 124 -> 0; (130,130,130) -> 129.99999999999986 -> 130 -> 1;
        // (129,129,129) -> 128.99999999999987 -> 129 -> 1 (the coefficients sum to 1 - 1e-15).
        let rgb = DecodedImage(width: 3, height: 1, bitDepth: 8, colorKind: .rgb,
                               samples: .uint8([200, 100, 50, 130, 130, 130, 129, 129, 129]))
        #expect(ProtocolReading.groundTruth(try roundTrip(rgb)).pixels == [0, 1, 1])
        let rgba = DecodedImage(width: 3, height: 1, bitDepth: 8, colorKind: .rgba,
                                samples: .uint8([200, 100, 50, 0, 130, 130, 130, 0, 129, 129, 129, 255]))
        #expect(ProtocolReading.groundTruth(try roundTrip(rgba)).pixels == [0, 1, 1])
    }

    @Test("a GT that reads empty although its file is not all zero keeps its largest value (0/1 masks, label maps); the mask is unchanged")
    func unreadMaximum() throws {
        func read(_ kind: DecodedImage.ColorKind, _ samples: DecodedImage.Samples, bitDepth: Int = 8) throws -> GroundTruthMask {
            ProtocolReading.groundTruth(try roundTrip(DecodedImage(width: 4, height: 1, bitDepth: bitDepth, colorKind: kind, samples: samples)))
        }
        let zeroOne = try read(.gray, .uint8([0, 1, 1, 0]))
        #expect(zeroOne.pixels == [0, 0, 0, 0])
        #expect(zeroOne.unreadMaximum == 1)
        #expect(try read(.gray, .uint8([0, 2, 1, 128])).unreadMaximum == 128)
        #expect(try read(.gray, .uint8([0, 0, 0, 0])).unreadMaximum == 0)      // truly empty
        #expect(try read(.gray, .uint8([0, 1, 255, 0])).unreadMaximum == 0)    // has foreground
        #expect(try read(.gray, .uint16([0, 1, 128, 0]), bitDepth: 16).unreadMaximum == 128)
        // RGB: the rounded rgb2gray value, as it is compared.
        #expect(try read(.rgb, .uint8([0, 0, 0, 1, 1, 1, 0, 0, 0, 2, 2, 2])).unreadMaximum == 2)
        // A 1-bit mask reads its ones: never "unread".
        #expect(try read(.gray, .uint8([0, 1, 0, 0]), bitDepth: 1).unreadMaximum == 0)
    }

    @Test("colour predictions: the channels holding something other than channel 1 are named (a map in green reads as constant)")
    func unreadChannels() throws {
        func channels(_ kind: DecodedImage.ColorKind, _ samples: [UInt8]) -> [String] {
            ProtocolReading.unreadChannels(DecodedImage(width: 2, height: 1, bitDepth: 8, colorKind: kind, samples: .uint8(samples)))
        }
        #expect(channels(.gray, [0, 255]) == [])
        #expect(channels(.rgb, [0, 0, 0, 200, 200, 200]) == [])                 // gray stored as RGB
        #expect(channels(.rgb, [0, 0, 0, 0, 200, 0]) == ["green"])              // the map in green
        #expect(channels(.rgba, [9, 9, 9, 255, 9, 9, 9, 255]) == [])            // opaque
        #expect(channels(.rgba, [0, 0, 0, 0, 0, 0, 0, 255]) == ["alpha"])       // the map in alpha
        #expect(channels(.grayAlpha, [5, 255, 7, 128]) == ["alpha"])
    }

    @Test("palette ground truth is read as indices, not colours")
    func paletteGroundTruth() throws {
        var palette = [UInt8](repeating: 255, count: 256 * 3)   // every colour white
        palette[0] = 0; palette[1] = 0; palette[2] = 0
        let image = DecodedImage(width: 4, height: 1, bitDepth: 8, colorKind: .palette,
                                 samples: .uint8([0, 128, 129, 200]), palette: palette)
        let decoded = try roundTrip(image)
        #expect(decoded.colorKind == .palette)
        #expect(ProtocolReading.groundTruth(decoded).pixels == [0, 0, 1, 1])
        // The label map of the multi-class set: GT == k.
        #expect(ProtocolReading.groundTruth(labelMap: decoded, label: 128).pixels == [0, 1, 0, 0])
    }

    @Test("1-bit ground truth is logical; 16-bit is compared with 128 on 0...65535, gAMA ignored")
    func bitDepths() throws {
        let oneBit = DecodedImage(width: 4, height: 1, bitDepth: 1, colorKind: .gray, samples: .uint8([0, 1, 1, 0]))
        #expect(ProtocolReading.groundTruth(try roundTrip(oneBit)).pixels == [0, 1, 1, 0])
        let sixteen = DecodedImage(width: 4, height: 1, bitDepth: 16, colorKind: .gray, samples: .uint16([128, 129, 1000, 65535]))
        let decoded = try roundTrip(sixteen, gamma: 0.45)
        guard case .uint16(let values) = decoded.samples else { Issue.record("not 16-bit"); return }
        #expect(values == [128, 129, 1000, 65535])   // no gamma applied
        #expect(ProtocolReading.groundTruth(decoded).pixels == [0, 1, 1, 1])
    }

    @Test("prediction: channel 1 of RGB (not luminance), 16-bit / 65535, 1-bit logical, palette indices")
    func predictions() throws {
        let rgb = DecodedImage(width: 2, height: 1, bitDepth: 8, colorKind: .rgb, samples: .uint8([255, 0, 0, 10, 255, 255]))
        let fromRGB = ProtocolReading.prediction(try roundTrip(rgb))
        guard case .uint8(let levels) = fromRGB.levels else { Issue.record("not 8-bit"); return }
        #expect(levels == [255, 10])
        #expect(fromRGB.rawLevelValues[10] == 10.0 / 255.0)

        let sixteen = ProtocolReading.prediction(try roundTrip(
            DecodedImage(width: 2, height: 1, bitDepth: 16, colorKind: .gray, samples: .uint16([7, 65535]))))
        #expect(sixteen.levelCount == 65536)
        #expect(sixteen.rawLevelValues[7] == 7.0 / 65535.0)

        let oneBit = ProtocolReading.prediction(try roundTrip(
            DecodedImage(width: 2, height: 1, bitDepth: 1, colorKind: .gray, samples: .uint8([1, 0]))))
        #expect(oneBit.rawLevelValues == [0, 1])

        let grayAlpha = ProtocolReading.prediction(try roundTrip(
            DecodedImage(width: 2, height: 1, bitDepth: 8, colorKind: .grayAlpha, samples: .uint8([90, 0, 30, 255]))))
        guard case .uint8(let grayLevels) = grayAlpha.levels else { Issue.record("not 8-bit"); return }
        #expect(grayLevels == [90, 30])
    }

    @Test("a prediction of another size is resized in memory to the GT's size")
    func resize() throws {
        let small = DecodedImage(width: 2, height: 2, bitDepth: 8, colorKind: .gray, samples: .uint8([0, 255, 0, 255]))
        let map = ProtocolReading.prediction(try roundTrip(small), resizedTo: (4, 3))
        #expect(map.width == 4 && map.height == 3 && map.pixelCount == 12)
    }

    @Test("truncated, empty and non-PNG files fail with the file's name")
    func badFiles() throws {
        let good = try PNGCodec.encode(DecodedImage(width: 8, height: 8, bitDepth: 8, colorKind: .gray,
                                                    samples: .uint8((0..<64).map { UInt8($0 * 3) })))
        tree.bytes("truncated.png", Array(good.prefix(good.count / 2)))
        tree.bytes("empty.png", [])
        tree.bytes("text.png", Array("not an image".utf8))
        for name in ["truncated.png", "empty.png", "text.png", "absent.png"] {
            do {
                _ = try PNGCodec.read(path: tree.path(name))
                Issue.record("\(name) was read")
            } catch {
                #expect(error.path.hasSuffix(name))
                #expect(!error.reason.isEmpty)
            }
        }
    }
}
