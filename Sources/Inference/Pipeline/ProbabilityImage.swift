import ImageIO
import Files

/// Probability maps back at a slice's own size, and their 8-bit PNG form.
public enum ProbabilityImage {
    /// Bilinear resize (half-pixel centres, as everywhere) from the network size to `height` x `width`.
    public static func resize(_ map: [Float], from: (height: Int, width: Int), to height: Int, _ width: Int) -> [Float] {
        let resized = BilinearResize.resize(map.map(Double.init), height: from.height, width: from.width, toHeight: height, toWidth: width)
        return resized.map { Float($0) }
    }

    /// round(p * 255) (halves away from zero), clamped to 0...255.
    public static func quantise(_ map: [Float]) -> [UInt8] {
        map.map { p in UInt8(max(0, min(255, (Double(p) * 255).rounded()))) }
    }

    /// The "Software" text of every map predict writes: how predict tells its own earlier maps,
    /// which it replaces, from other files, which it replaces only when told to (`--force`).
    public static let software = "segeval predict"

    /// The 8-bit gray PNG file of `map`, marked as segeval's (`software`).
    public static func png(_ map: [Float], width: Int, height: Int) throws(FileError) -> [UInt8] {
        try PNGCodec.encode(DecodedImage(width: width, height: height, bitDepth: 8, colorKind: .gray, samples: .uint8(quantise(map))),
                            software: software)
    }

    /// Whether the file at `path` is a map segeval predict wrote (a PNG marked with `software`).
    public static func isSegevalMap(path: String) -> Bool {
        (try? PNGCodec.software(path: path)) == software
    }
}
