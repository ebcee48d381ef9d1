import Foundation
import ImageIO
import Files

/// Reads a CT slice as 8-bit gray exactly as the authors' loader does (`cv2.imread(path, 0)`,
/// measured against OpenCV 5.0 with libpng 1.6 and libjpeg-turbo):
///
/// - JPEG, gray or colour: libjpeg's own grayscale output (the luma channel Y, no RGB round trip),
///   through TurboJPEG's `TJPF_GRAY`.
/// - PNG gray 8-bit: as stored; 1/2/4-bit gray scaled to 0...255; 16-bit: the high byte (`v >> 8`).
/// - PNG gray + alpha: the gray channel (alpha dropped).
/// - PNG RGB/RGBA/palette 8-bit: libpng's rgb_to_gray with OpenCV's coefficients,
///   `(9797 R + 19234 G + 3737 B) >> 15` (truncating); 16-bit: `((9797 R + 19234 G + 3737 B + 16384) >> 15) >> 8`.
///
/// Not replicated: EXIF orientation (OpenCV rotates JPEGs that carry it) and gAMA-chunk gamma in
/// libpng's colour-to-gray conversion.
public enum SliceReader {
    public static func readGray(path: String) throws(FileError) -> GrayImage {
        switch try ImageReader.kind(path: path) {
        case .jpeg:
            let bytes: [UInt8]
            do { bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) } catch {
                throw FileError(path: path, reason: "cannot read file")
            }
            return try decodeJPEGGray(bytes, name: path)
        case .png:
            return try gray(from: PNGCodec.read(path: path), name: path)
        }
    }

    /// Decodes any JPEG to libjpeg's grayscale output.
    public static func decodeJPEGGray(_ bytes: [UInt8], name: String) throws(FileError) -> GrayImage {
        let image = try JPEGCodec.decode(bytes, name: name, gray: true)
        guard case .uint8(let pixels) = image.samples else { throw FileError(path: name, reason: "unexpected JPEG samples") }
        return GrayImage(width: image.width, height: image.height, pixels: pixels)
    }

    /// Converts a decoded PNG (or a decoded JPEG) to 8-bit gray by the rules above.
    public static func gray(from image: DecodedImage, name: String) throws(FileError) -> GrayImage {
        let n = image.pixelCount
        var out = [UInt8](repeating: 0, count: n)
        switch (image.colorKind, image.samples) {
        case (.gray, .uint8(let s)), (.grayAlpha, .uint8(let s)):
            let stride = image.channels
            let maxValue = image.maxSampleValue
            for i in 0..<n {
                let v = Int(s[i * stride])
                out[i] = UInt8(maxValue == 255 ? v : v * 255 / maxValue)
            }
        case (.gray, .uint16(let s)), (.grayAlpha, .uint16(let s)):
            let stride = image.channels
            for i in 0..<n { out[i] = UInt8(s[i * stride] >> 8) }
        case (.rgb, .uint8(let s)), (.rgba, .uint8(let s)):
            let stride = image.channels
            for i in 0..<n {
                out[i] = luma8(Int(s[i * stride]), Int(s[i * stride + 1]), Int(s[i * stride + 2]))
            }
        case (.rgb, .uint16(let s)), (.rgba, .uint16(let s)):
            let stride = image.channels
            for i in 0..<n {
                let y16 = (9797 * Int(s[i * stride]) + 19234 * Int(s[i * stride + 1]) + 3737 * Int(s[i * stride + 2]) + 16384) >> 15
                out[i] = UInt8(min(y16, 65535) >> 8)
            }
        case (.palette, .uint8(let s)):
            let palette = image.palette
            for i in 0..<n {
                let k = Int(s[i]) * 3
                guard k + 2 < palette.count else { throw FileError(path: name, reason: "palette index out of range") }
                out[i] = luma8(Int(palette[k]), Int(palette[k + 1]), Int(palette[k + 2]))
            }
        default:
            throw FileError(path: name, reason: "unsupported PNG layout (\(image.colorKind), \(image.bitDepth)-bit)")
        }
        return GrayImage(width: image.width, height: image.height, pixels: out)
    }

    static func luma8(_ r: Int, _ g: Int, _ b: Int) -> UInt8 {
        UInt8((9797 * r + 19234 * g + 3737 * b) >> 15)
    }
}
