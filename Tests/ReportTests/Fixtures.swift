import Foundation
import ImageIO
import Output
import SegevalTestSupport
@testable import Report

/// Synthetic datasets on disk (a `TemporaryTree`, removed with the value; no shared data needed).
struct Fixture {
    private let tree = TemporaryTree()
    var root: String { tree.root }

    init() throws {}

    func folder(_ relative: String) throws -> String {
        let path = root + "/" + relative
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A gray PNG of `size` x `size` whose pixel (x, y) is `value(x, y)`.
    func png(_ relative: String, size: Int = 24, _ value: (Int, Int) -> UInt8) throws {
        let path = root + "/" + relative
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        var pixels = [UInt8](repeating: 0, count: size * size)
        for y in 0..<size { for x in 0..<size { pixels[y * size + x] = value(x, y) } }
        let image = DecodedImage(width: size, height: size, bitDepth: 8, colorKind: .gray, samples: .uint8(pixels))
        try AtomicFile.write(try PNGCodec.encode(image), to: path)
    }

    /// A square region [lo, hi) x [lo, hi).
    static func square(_ lo: Int, _ hi: Int, _ x: Int, _ y: Int) -> Bool { x >= lo && x < hi && y >= lo && y < hi }

    /// Single class: GT squares 6..18, models A (exact) and B (shifted), CT slices for 1 and 2 only
    /// (slice 3 has no CT: the grid must say "missing").
    static func singleClass() throws -> Fixture {
        let fixture = try Fixture()
        for name in ["1", "2", "3"] {
            try fixture.png("GT/\(name).png") { square(6, 18, $0, $1) ? 255 : 0 }
            try fixture.png("Pred/ModelA/\(name).png") { square(6, 18, $0, $1) ? 230 : 10 }
            try fixture.png("Pred/ModelB/\(name).png") { square(9, 21, $0, $1) ? 200 : 0 }
        }
        for name in ["1", "2"] { try fixture.png("Imgs/\(name).png") { _, _ in 100 } }
        return fixture
    }

    /// Two classes from a label map: GGO (1) on the left half of a square, consolidation (2) on
    /// the right; one model predicting exactly that.
    static func multiClass() throws -> Fixture {
        let fixture = try Fixture()
        func label(_ x: Int, _ y: Int) -> UInt8 { square(4, 20, x, y) ? (x < 12 ? 1 : 2) : 0 }
        for name in ["5", "7"] {
            try fixture.png("GT/GT/\(name).png") { label($0, $1) }
            try fixture.png("Pred/Ground-glass opacities/Net/\(name).png") { label($0, $1) == 1 ? 255 : 0 }
            try fixture.png("Pred/Consolidation/Net/\(name).png") { label($0, $1) == 2 ? 255 : 0 }
            try fixture.png("Imgs/\(name).png") { _, _ in 80 }
        }
        return fixture
    }
}

/// Poppler's command-line tools, when installed (tests that need them skip otherwise).
enum Poppler {
    static func path(_ tool: String) -> String? {
        ["/usr/bin/\(tool)", "/usr/local/bin/\(tool)"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs `tool arguments` and returns its standard output.
    static func run(_ tool: String, _ arguments: [String]) throws -> String? {
        guard let executable = path(tool) else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}

/// Facts read directly from PDF bytes (Cairo writes uncompressed object headers).
enum PDFBytes {
    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    /// Page objects: `/Type /Page` not followed by `s`.
    static func pageCount(_ bytes: [UInt8]) -> Int {
        let text = text(bytes)
        var count = 0
        var search = text.startIndex..<text.endIndex
        while let range = text.range(of: "/Type /Page", range: search) {
            if range.upperBound == text.endIndex || text[range.upperBound] != "s" { count += 1 }
            search = range.upperBound..<text.endIndex
        }
        return count
    }
}
