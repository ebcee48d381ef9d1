/// torchvision's `ToTensor()` then `Normalize(mean, std)` with the ImageNet constants, as the
/// Inf-Net test loader applies them to an 8-bit RGB image (Inf-Net spec, section 2.3), bit for bit:
/// for channel c, x = ((Float)v / 255 - mean_c) / std_c, every operation in float32 with
/// round-to-nearest, both divisions true divisions (a multiplication by the reciprocal differs),
/// mean = (0.485, 0.456, 0.406) and std = (0.229, 0.224, 0.225) each rounded from double to
/// float32 first. With v in 0...255 this is one 256-entry table per channel.
public enum ImageNetNormalization {
    /// Per-channel constants, R, G, B, as float32 (rounded from the double values, as
    /// `torch.as_tensor(mean, dtype=torch.float32)` does).
    static let mean: [Float] = ([0.485, 0.456, 0.406] as [Double]).map { Float($0) }
    static let std: [Float] = ([0.229, 0.224, 0.225] as [Double]).map { Float($0) }

    /// The normalised value of 8-bit level `v` in channel `channel`.
    static func value(_ v: UInt8, channel: Int) -> Float {
        let scaled: Float = Float(v) / Float(255)
        let centred: Float = scaled - mean[channel]
        return centred / std[channel]
    }

    /// `tables[c][v]`: the normalised value of level v in channel c (R, G, B).
    static let tables: [[Float]] = (0..<3).map { channel in
        (0...255).map { value(UInt8($0), channel: channel) }
    }

    /// The network input [3, height, width] (channels R, G, B, each the same gray plane),
    /// channel-major then row-major, for a row-major 8-bit gray plane.
    public static func tensor(fromGray pixels: [UInt8], width: Int, height: Int) -> [Float] {
        precondition(width >= 1 && height >= 1, "sizes must be at least 1")
        precondition(pixels.count == width * height, "pixel count does not match the size")
        let plane = width * height
        var out = [Float](repeating: 0, count: 3 * plane)
        out.withUnsafeMutableBufferPointer { dst in
            for channel in 0..<3 {
                let table = tables[channel]
                let offset = channel * plane
                for i in 0..<plane { dst[offset + i] = table[Int(pixels[i])] }
            }
        }
        return out
    }

    /// `tensor(fromGray:)` of a gray image.
    public static func tensor(fromGray image: GrayImage) -> [Float] {
        tensor(fromGray: image.pixels, width: image.width, height: image.height)
    }
}
