import Foundation
import SegevalTestSupport
import Testing
@testable import ImageIO
import Files

/// A PNG whose header declares `width` x `height` 8-bit gray pixels, followed by a few bytes of
/// image data: what a decompression bomb shows the decoder before its data.
enum HugePNG {
    static func header(width: Int, height: Int) -> [UInt8] {
        func crc32(_ bytes: [UInt8]) -> UInt32 {
            var crc: UInt32 = 0xFFFF_FFFF
            for byte in bytes {
                crc ^= UInt32(byte)
                for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
            }
            return ~crc
        }
        func bigEndian(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (24 - 8 * $0)) } }
        func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
            let body = Array(type.utf8) + data
            return bigEndian(UInt32(data.count)) + body + bigEndian(crc32(body))
        }
        let ihdr = bigEndian(UInt32(width)) + bigEndian(UInt32(height)) + [8, 0, 0, 0, 0]
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", ihdr)
            + chunk("IDAT", [0x78, 0xDA, 0x63, 0x00, 0x00]) + chunk("IEND", [])
    }
}

@Suite("PNG and JPEG codecs")
struct CodecTests {
    struct Kind: Sendable, CustomStringConvertible {
        var colorKind: DecodedImage.ColorKind
        var bitDepth: Int
        var interlaced = false
        var description: String { "\(colorKind) \(bitDepth)-bit" + (interlaced ? " Adam7" : "") }
    }

    static let kinds: [Kind] = [
        Kind(colorKind: .gray, bitDepth: 1), Kind(colorKind: .gray, bitDepth: 2), Kind(colorKind: .gray, bitDepth: 4),
        Kind(colorKind: .gray, bitDepth: 8), Kind(colorKind: .gray, bitDepth: 16), Kind(colorKind: .rgb, bitDepth: 8),
        Kind(colorKind: .rgb, bitDepth: 16), Kind(colorKind: .rgba, bitDepth: 8), Kind(colorKind: .grayAlpha, bitDepth: 8),
        Kind(colorKind: .palette, bitDepth: 8), Kind(colorKind: .palette, bitDepth: 4),
        Kind(colorKind: .rgba, bitDepth: 16), Kind(colorKind: .grayAlpha, bitDepth: 16),
        Kind(colorKind: .gray, bitDepth: 1, interlaced: true), Kind(colorKind: .gray, bitDepth: 8, interlaced: true),
        Kind(colorKind: .rgb, bitDepth: 16, interlaced: true), Kind(colorKind: .palette, bitDepth: 2, interlaced: true),
    ]

    @Test("every PNG kind round-trips exactly: values as stored, palette indices and entries kept, gAMA ignored, Adam7 de-interlaced", arguments: kinds)
    func roundTrip(_ kind: Kind) throws {
        let width = 13, height = 11   // more than one 8x8 Adam7 block, partial blocks at the edges
        let probe = DecodedImage(width: 1, height: 1, bitDepth: kind.bitDepth, colorKind: kind.colorKind, samples: .uint8([0]))
        let count = width * height * probe.channels
        let maxValue = kind.bitDepth == 16 ? 65535 : (1 << kind.bitDepth) - 1
        let values = (0..<count).map { ($0 * 37 + 11) % (maxValue + 1) }
        let samples: DecodedImage.Samples = kind.bitDepth == 16 ? .uint16(values.map(UInt16.init)) : .uint8(values.map(UInt8.init))
        let palette = kind.colorKind == .palette ? (0..<(1 << kind.bitDepth) * 3).map { UInt8($0 % 256) } : []
        let image = DecodedImage(width: width, height: height, bitDepth: kind.bitDepth, colorKind: kind.colorKind,
                                 samples: samples, palette: palette)
        let bytes = try PNGCodec.encode(image, gamma: 0.45, interlaced: kind.interlaced)
        #expect(bytes[28] == (kind.interlaced ? 1 : 0))   // IHDR's interlace method byte
        let decoded = try PNGCodec.decode(bytes, name: "memory")
        #expect(decoded.width == width && decoded.height == height)
        #expect(decoded.bitDepth == kind.bitDepth)
        #expect(decoded.colorKind == kind.colorKind)
        #expect(decoded.palette == palette)
        switch (decoded.samples, samples) {
        case (.uint8(let a), .uint8(let b)): #expect(a == b)
        case (.uint16(let a), .uint16(let b)): #expect(a == b)
        default: Issue.record("sample type changed")
        }
    }

    @Test("a JPEG slice decodes to 8-bit gray with its size")
    func jpeg() throws {
        let image = try ImageReader.read(path: SharedData.packageRoot + "/fixtures/demo/Imgs/18.jpg")
        #expect(image.colorKind == .gray)
        #expect(image.width == 359 && image.height == 373)
        guard case .uint8(let pixels) = image.samples else { Issue.record("not 8-bit"); return }
        #expect(pixels.count == 359 * 373)
        #expect(Set(pixels).count > 100)   // a real CT slice, not a constant
    }

    @Test("corrupt data is an error naming the file, never a crash")
    func corrupt() throws {
        let png = try PNGCodec.encode(DecodedImage(width: 16, height: 16, bitDepth: 8, colorKind: .gray,
                                                   samples: .uint8((0..<256).map { UInt8($0) })))
        for cut in [8, 20, png.count / 2, png.count - 4] {
            do {
                _ = try PNGCodec.decode(Array(png.prefix(cut)), name: "cut.png")
                Issue.record("a PNG cut at \(cut) bytes was read")
            } catch {
                #expect(error.path == "cut.png")
            }
        }
        var flipped = png
        flipped[png.count / 2] ^= 0xFF   // breaks the IDAT CRC / zlib stream
        #expect(throws: FileError.self) { try PNGCodec.decode(flipped, name: "flipped.png") }
        #expect(throws: FileError.self) { try JPEGCodec.decode([0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3], name: "bad.jpg") }
    }

    @Test("the Software text round-trips, is read without decoding pixels, and is absent when not written")
    func softwareText() throws {
        let tree = TemporaryTree()
        let image = DecodedImage(width: 4, height: 3, bitDepth: 8, colorKind: .gray, samples: .uint8((0..<12).map { UInt8($0 * 20) }))
        tree.bytes("marked.png", try PNGCodec.encode(image, software: "segeval predict"))
        tree.bytes("plain.png", try PNGCodec.encode(image))
        tree.bytes("text.png", Array("not a png".utf8))
        #expect(try PNGCodec.software(path: tree.path("marked.png")) == "segeval predict")
        #expect(try PNGCodec.software(path: tree.path("plain.png")) == nil)
        #expect(throws: FileError.self) { try PNGCodec.software(path: tree.path("text.png")) }
        // The mark changes no pixel.
        guard case .uint8(let marked) = try PNGCodec.read(path: tree.path("marked.png")).samples else { Issue.record("not 8-bit"); return }
        #expect(marked == (0..<12).map { UInt8($0 * 20) })
    }

    @Test("sizes are checked from the header before decoding: a 30000 x 30000 PNG and a JPEG header alone are refused, never allocated")
    func pixelLimit() throws {
        // 900 million pixels declared (an all-zero 30000 x 30000 PNG is 875 kB; the header decides).
        let huge = HugePNG.header(width: 30000, height: 30000)
        do {
            _ = try PNGCodec.decode(huge, name: "huge.png")
            Issue.record("a 900-megapixel PNG was decoded")
        } catch {
            #expect(error.reason.contains("image of 30000 x 30000 pixels is over the limit of \(ImageLimits.defaultMaxPixels) pixels"), "\(error)")
        }
        // A JPEG's SOF header declaring 65000 x 64000, with no image data after it.
        let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x0B, 0x08, 0xFA, 0x00, 0xFD, 0xE8, 0x01, 0x01, 0x11, 0x00,
                             0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00, 0xFF, 0xD9]
        do {
            _ = try JPEGCodec.decode(jpeg, name: "bomb.jpg")
            Issue.record("a 4-gigapixel JPEG header was decoded")
        } catch {
            #expect(error.reason.contains("65000 x 64000 pixels is over the limit"), "\(error)")
        }
    }

    @Test("a chunk that declares more bytes than the file holds is refused before libpng allocates it (a 176-byte fuzzing find asked for 1.9 GB)")
    func oversizedChunk() throws {
        // The minimised finding: IHDR 8x8 1-bit, then an iTXt chunk declaring 0x73424954 bytes.
        var png = HugePNG.header(width: 8, height: 8)
        png.removeLast(12 + 12 + 5)   // drop IDAT and IEND
        png += [0x73, 0x42, 0x49, 0x54] + Array("iTXt".utf8) + [UInt8](repeating: 0xEA, count: 120)
        do {
            _ = try PNGCodec.decode(png, name: "chunk.png")
            Issue.record("a PNG with an impossible chunk length was decoded")
        } catch {
            #expect(error.reason.contains("chunk iTXt at byte 33 declares 1933723988 bytes, more than the file holds"), "\(error)")
        }
        // The second finding: the file ends 8 bytes into such a chunk (header only, no CRC).
        var short = HugePNG.header(width: 8, height: 8)
        short.removeLast(29)
        short += [0xB9, 0x50, 0x4C, 0x54] + Array("iTXt".utf8)
        #expect(throws: FileError.self) { try PNGCodec.decode(short, name: "short.png") }
        let tree = TemporaryTree()
        tree.bytes("chunk.png", png)
        #expect(throws: FileError.self) { try PNGCodec.read(path: tree.path("chunk.png")) }
        #expect(throws: FileError.self) { try PNGCodec.software(path: tree.path("chunk.png")) }
    }

    @Test("a CMYK JPEG is named as unsupported, not called corrupt")
    func cmykJPEG() throws {
        // fixtures/cosup-small/cmyk.jpg: an 8x8 CMYK JPEG written by Pillow.
        let cmyk = [UInt8](try Data(contentsOf: URL(fileURLWithPath: SharedData.packageRoot + "/fixtures/cosup-small/cmyk.jpg")))
        for gray in [false, true] {
            do {
                _ = try JPEGCodec.decode(cmyk, name: "cmyk.jpg", gray: gray)
                Issue.record("a CMYK JPEG was decoded")
            } catch {
                #expect(error.reason.contains("a CMYK JPEG, which segeval does not read"), "\(error)")
                #expect(!error.reason.contains("corrupt"))
            }
        }
    }

    @Test("a truncated JPEG is an error (libjpeg only warns and fills in gray), not a slice")
    func truncatedJPEG() throws {
        let whole = [UInt8](try Data(contentsOf: URL(fileURLWithPath: SharedData.packageRoot + "/fixtures/cosup-small/color.jpg")))
        _ = try JPEGCodec.decode(whole, name: "whole.jpg")
        do {
            _ = try JPEGCodec.decode(Array(whole.prefix(whole.count * 2 / 3)), name: "cut.jpg")
            Issue.record("a JPEG cut to two thirds was decoded")
        } catch {
            #expect(error.path == "cut.jpg")
            #expect(error.reason.contains("Premature end of JPEG file") || error.reason.contains("corrupt"), "\(error)")
        }
    }
}
