/// The largest image segeval decodes, checked against the file's header before any pixel memory
/// is allocated, as Pillow guards against decompression bombs: a PNG of 875 kB can declare
/// 30000 x 30000 pixels (7.2 GB as doubles), a JPEG header of 25 bytes 65k x 64k.
///
/// The default, 178,956,970 pixels (a 13,377-pixel square), is Pillow's own error limit (twice
/// `Image.MAX_IMAGE_PIXELS`). CT slices are 512 x 512 (262,144 pixels); whole-slide images may
/// need more: `--max-pixels` raises it.
public enum ImageLimits {
    public static let defaultMaxPixels = 178_956_970

    /// The limit in force. The commands set it from `--max-pixels` once, before reading anything;
    /// it is not changed while images are decoded.
    nonisolated(unsafe) public static var maxPixels = defaultMaxPixels

    /// The reason given for an image over the limit; `dimensions` is "W x H".
    static func refusal(dimensions: String) -> String {
        "image of \(dimensions) pixels is over the limit of \(maxPixels) pixels (a decompression-bomb guard, as in Pillow); raise it with --max-pixels if the image is real"
    }
}
