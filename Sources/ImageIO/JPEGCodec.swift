import CTurboJPEG
import Foundation
import Files

/// JPEG decoding through TurboJPEG (`tj*` API, error codes, no longjmp).
public enum JPEGCodec {
    /// Decodes a JPEG file to 8-bit gray (for grayscale JPEGs) or RGB.
    public static func read(path: String) throws(FileError) -> DecodedImage {
        try RegularFile.check(path)
        let bytes: [UInt8]
        do {
            bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw FileError(path: path, reason: "cannot open file")
        }
        return try decode(bytes, name: path)
    }

    /// - Parameter gray: decode every JPEG to gray with libjpeg's own colour conversion (the luma
    ///   channel, as `cv2.imread(path, 0)` does), instead of RGB for colour JPEGs.
    public static func decode(_ bytes: [UInt8], name: String, gray: Bool = false) throws(FileError) -> DecodedImage {
        guard let handle = tjInitDecompress() else {
            throw FileError(path: name, reason: "cannot initialise TurboJPEG")
        }
        defer { tjDestroy(handle) }
        var width: Int32 = 0, height: Int32 = 0, subsampling: Int32 = 0, colorspace: Int32 = 0
        let header = bytes.withUnsafeBufferPointer {
            tjDecompressHeader3(handle, $0.baseAddress, UInt(bytes.count), &width, &height, &subsampling, &colorspace)
        }
        guard header == 0, width > 0, height > 0 else {
            throw FileError(path: name, reason: "not a JPEG file or corrupt header (\(lastError(handle)))")
        }
        // Checked from the header before the pixels are allocated: a 25-byte file can declare 65k x 64k.
        if Int(width) * Int(height) > ImageLimits.maxPixels {
            throw FileError(path: name, reason: ImageLimits.refusal(dimensions: "\(width) x \(height)"))
        }
        if colorspace == Int32(TJCS_CMYK.rawValue) || colorspace == Int32(TJCS_YCCK.rawValue) {
            throw FileError(path: name, reason: "a CMYK JPEG, which segeval does not read (its conversion to gray is not defined by the protocol): convert it to grayscale or RGB first")
        }
        let isGray = gray || colorspace == Int32(TJCS_GRAY.rawValue)
        let channels = isGray ? 1 : 3
        let pixelFormat = isGray ? TJPF_GRAY : TJPF_RGB
        var pixels = [UInt8](repeating: 0, count: Int(width) * Int(height) * channels)
        let status = bytes.withUnsafeBufferPointer { source in
            pixels.withUnsafeMutableBufferPointer { destination in
                tjDecompress2(handle, source.baseAddress, UInt(bytes.count), destination.baseAddress,
                              width, 0, height, Int32(pixelFormat.rawValue), 0)
            }
        }
        if status != 0 {
            // A warning is an error too: libjpeg warns, and fills in gray, when the data ends early
            // ("Premature end of JPEG file"), so a truncated slice would otherwise read as a slice.
            let kind = tjGetErrorCode(handle) == Int32(TJERR_FATAL.rawValue) ? "corrupt or truncated JPEG" : "damaged JPEG (decoder warning)"
            throw FileError(path: name, reason: "\(kind): \(lastError(handle))")
        }
        return DecodedImage(width: Int(width), height: Int(height), bitDepth: 8,
                            colorKind: isGray ? .gray : .rgb, samples: .uint8(pixels))
    }

    private static func lastError(_ handle: tjhandle) -> String {
        guard let text = tjGetErrorStr2(handle) else { return "unknown error" }
        return String(cString: text)
    }
}
