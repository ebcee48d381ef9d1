import CPNG
import Foundation
import Files

/// PNG reading and writing through libpng's classic API (see `CPNG`): values exactly as stored.
public enum PNGCodec {
    /// Decodes the PNG file at `path`.
    public static func read(path: String) throws(FileError) -> DecodedImage {
        try RegularFile.check(path)
        var image = cpng_image()
        var message = [CChar](repeating: 0, count: 512)
        let status = cpng_read_file(path, UInt64(ImageLimits.maxPixels), &image, &message, message.count)
        defer { cpng_free(&image) }
        guard status == 0 else {
            throw FileError(path: path, reason: describe(status: status, message: message))
        }
        return convert(image)
    }

    /// Decodes a PNG held in memory; `name` is used in error messages.
    public static func decode(_ bytes: [UInt8], name: String = "<memory>") throws(FileError) -> DecodedImage {
        var image = cpng_image()
        var message = [CChar](repeating: 0, count: 512)
        let status = bytes.withUnsafeBufferPointer {
            cpng_read_memory($0.baseAddress, $0.count, UInt64(ImageLimits.maxPixels), &image, &message, message.count)
        }
        defer { cpng_free(&image) }
        guard status == 0 else {
            throw FileError(path: name, reason: describe(status: status, message: message))
        }
        return convert(image)
    }

    /// Encodes `image` as PNG bytes. `gamma` > 0 adds a gAMA chunk; `interlaced` writes Adam7;
    /// `software` is stored as the PNG's "Software" text (see `software(path:)`).
    public static func encode(_ image: DecodedImage, gamma: Double = 0, compressionLevel: Int = 6, interlaced: Bool = false,
                              software: String? = nil) throws(FileError) -> [UInt8] {
        let colorType: Int32
        switch image.colorKind {
        case .gray: colorType = 0
        case .rgb: colorType = 2
        case .palette: colorType = 3
        case .grayAlpha: colorType = 4
        case .rgba: colorType = 6
        }
        var output: UnsafeMutablePointer<UInt8>? = nil
        var length = 0
        var message = [CChar](repeating: 0, count: 512)
        let palette = image.palette
        let status: Int32
        switch image.samples {
        case .uint8(let samples):
            status = samples.withUnsafeBytes { raw in
                palette.withUnsafeBufferPointer { pal in
                    cpng_encode(UInt32(image.width), UInt32(image.height), Int32(image.bitDepth), colorType,
                                raw.baseAddress, pal.baseAddress, Int32(palette.count / 3), gamma,
                                Int32(compressionLevel), interlaced ? 1 : 0, software, &output, &length, &message, message.count)
                }
            }
        case .uint16(let samples):
            status = samples.withUnsafeBytes { raw in
                cpng_encode(UInt32(image.width), UInt32(image.height), 16, colorType,
                            raw.baseAddress, nil, 0, gamma, Int32(compressionLevel), interlaced ? 1 : 0,
                            software, &output, &length, &message, message.count)
            }
        }
        guard status == 0, let output else {
            let text = message.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            throw FileError(path: "<png encoder>", reason: status == Int32(CPNG_OUT_OF_MEMORY.rawValue) ? "out of memory encoding the PNG" : text)
        }
        defer { cpng_free_buffer(output) }
        return Array(UnsafeBufferPointer(start: output, count: length))
    }

    /// The "Software" text of the PNG file at `path` (read from the chunks before the image
    /// data; no pixels are decoded), or nil when it has none.
    public static func software(path: String) throws(FileError) -> String? {
        var text = [CChar](repeating: 0, count: 256)
        var message = [CChar](repeating: 0, count: 512)
        let status = cpng_read_software(path, &text, text.count, &message, message.count)
        guard status == 0 else { throw FileError(path: path, reason: describe(status: status, message: message)) }
        let value = text.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        return value.isEmpty ? nil : value
    }

    private static func describe(status: Int32, message: [CChar]) -> String {
        let text = message.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        switch cpng_status(rawValue: UInt32(bitPattern: status)) {
        case CPNG_CANNOT_OPEN: return "cannot open file"
        case CPNG_NOT_PNG: return text
        case CPNG_OUT_OF_MEMORY: return "out of memory decoding the PNG"
        case CPNG_TOO_LARGE: return "PNG too large (\(text))"
        case CPNG_TOO_MANY_PIXELS: return ImageLimits.refusal(dimensions: text)
        default: return "corrupt or truncated PNG (\(text.isEmpty ? "libpng error" : text))"
        }
    }

    private static func convert(_ image: cpng_image) -> DecodedImage {
        let width = Int(image.width)
        let height = Int(image.height)
        let channels = Int(image.channels)
        let count = width * height * channels
        let kind: DecodedImage.ColorKind
        switch image.color_type {
        case 0: kind = .gray
        case 2: kind = .rgb
        case 3: kind = .palette
        case 4: kind = .grayAlpha
        default: kind = .rgba
        }
        let samples: DecodedImage.Samples
        if image.bytes_per_sample == 2 {
            let pointer = image.samples.assumingMemoryBound(to: UInt16.self)
            samples = .uint16(Array(UnsafeBufferPointer(start: pointer, count: count)))
        } else {
            let pointer = image.samples.assumingMemoryBound(to: UInt8.self)
            samples = .uint8(Array(UnsafeBufferPointer(start: pointer, count: count)))
        }
        let palette = image.palette.map { Array(UnsafeBufferPointer(start: $0, count: Int(image.palette_count) * 3)) } ?? []
        return DecodedImage(width: width, height: height, bitDepth: Int(image.bit_depth), colorKind: kind, samples: samples, palette: palette)
    }
}
