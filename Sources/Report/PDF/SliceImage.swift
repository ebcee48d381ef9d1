import ImageIO

/// A CT slice as an 8-bit gray picture for display (not for measurement).
enum SliceImage {
    /// Display gray of a decoded image: gray as is, RGB by luminance (ITU-R BT.601), palette
    /// through its palette, 16-bit scaled to 8 bits; alpha ignored.
    static func gray(_ image: DecodedImage) -> [UInt8] {
        let channels = image.channels
        let count = image.pixelCount
        var gray = [UInt8](repeating: 0, count: count)
        // Bit depths below 8 hold 0...(2^d - 1): stretch to 0...255 (not for palette indices).
        let scale = image.bitDepth < 8 && image.colorKind != .palette ? 255 / max(image.maxSampleValue, 1) : 1
        func sample(_ index: Int) -> Int {
            switch image.samples {
            case .uint8(let s): return Int(s[index]) * scale
            case .uint16(let s): return Int(s[index]) >> 8
            }
        }
        for pixel in 0..<count {
            let base = pixel * channels
            switch image.colorKind {
            case .gray, .grayAlpha:
                gray[pixel] = UInt8(clamping: sample(base))
            case .rgb, .rgba:
                gray[pixel] = luminance(Double(sample(base)), Double(sample(base + 1)), Double(sample(base + 2)))
            case .palette:
                let index = sample(base) * 3
                if index + 2 < image.palette.count {
                    let p = image.palette
                    gray[pixel] = luminance(Double(p[index]), Double(p[index + 1]), Double(p[index + 2]))
                }
            }
        }
        return gray
    }

    static func luminance(_ red: Double, _ green: Double, _ blue: Double) -> UInt8 {
        let value: Double = 0.299 * red + 0.587 * green + 0.114 * blue
        return UInt8(clamping: Int(value.rounded()))
    }

    /// Nearest-neighbour resampling of a gray picture to another size (pixel centres aligned).
    static func resized(_ gray: [UInt8], width: Int, height: Int, toWidth: Int, toHeight: Int) -> [UInt8] {
        guard width != toWidth || height != toHeight else { return gray }
        var result = [UInt8](repeating: 0, count: toWidth * toHeight)
        for y in 0..<toHeight {
            let sy = min(height - 1, Int((Double(y) + 0.5) * Double(height) / Double(toHeight)))
            for x in 0..<toWidth {
                let sx = min(width - 1, Int((Double(x) + 0.5) * Double(width) / Double(toWidth)))
                result[y * toWidth + x] = gray[sy * width + sx]
            }
        }
        return result
    }
}
