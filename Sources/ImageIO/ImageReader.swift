import Foundation
import Files

/// Reads a PNG or JPEG by its content (signature), whatever its extension says.
public enum ImageReader {
    /// The formats recognised by their signature.
    public enum Kind: Sendable {
        case png, jpeg
    }

    /// The file's format, from its first bytes (the one signature check).
    /// - Throws: `FileError` when it is not a regular file (`RegularFile`), cannot be opened, is
    ///   empty, or is neither format.
    public static func kind(path: String) throws(FileError) -> Kind {
        try RegularFile.check(path)
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw FileError(path: path, reason: "cannot open file")
        }
        let head = [UInt8]((try? handle.read(upToCount: 8)) ?? Data())
        try? handle.close()
        if head.count >= 8, head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if head.count >= 3, head.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        throw FileError(path: path, reason: head.isEmpty ? "empty file" : "neither a PNG nor a JPEG file")
    }

    public static func read(path: String) throws(FileError) -> DecodedImage {
        switch try kind(path: path) {
        case .png: return try PNGCodec.read(path: path)
        case .jpeg: return try JPEGCodec.read(path: path)
        }
    }

    /// File extensions (lower-cased) that `read` is used for when scanning folders.
    public static let imageExtensions: Set<String> = ["png", "jpg", "jpeg"]
}
