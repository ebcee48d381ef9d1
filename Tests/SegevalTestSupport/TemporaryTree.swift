import Foundation
import ImageIO

/// A temporary folder for synthetic inputs, removed when the value is released.
public final class TemporaryTree {
    public let root: String

    public init() {
        root = NSTemporaryDirectory() + "segeval-test-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    public func path(_ relative: String) -> String { root + "/" + relative }

    /// Writes `image` as a PNG at `relative`, creating folders.
    @discardableResult
    public func png(_ relative: String, _ image: DecodedImage, gamma: Double = 0) -> String {
        let full = path(relative)
        try! FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let bytes = try! PNGCodec.encode(image, gamma: gamma)
        FileManager.default.createFile(atPath: full, contents: Data(bytes))
        return full
    }

    public func gray(_ relative: String, width: Int, height: Int, _ pixels: [UInt8]) {
        png(relative, DecodedImage(width: width, height: height, bitDepth: 8, colorKind: .gray, samples: .uint8(pixels)))
    }

    public func bytes(_ relative: String, _ contents: [UInt8]) {
        let full = path(relative)
        try! FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: full, contents: Data(contents))
    }
}
