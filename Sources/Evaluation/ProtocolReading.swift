import ImageIO
import Metrics

/// How the toolbox turns decoded files into a binary ground truth and a prediction map
/// (spec section 2). Pure functions of the decoded samples.
public enum ProtocolReading {
    /// MATLAB `rgb2gray` coefficients.
    static let rgbToGray = (0.298936021293775, 0.587043074451121, 0.114020904255103)

    /// A binary ground truth:
    /// - RGB(A): `rgb2gray`, rounded to the input's integer type, then `> 128`;
    /// - a 1-bit gray PNG is logical and used as it is;
    /// - otherwise `value > 128` on the raw integer value (8-bit 0..255, 16-bit 0..65535, a palette
    ///   image's *indices*). Alpha is ignored (MATLAB returns it separately).
    ///
    /// A mask that reads empty although the file is not all zero records its largest value
    /// (`GroundTruthMask.unreadMaximum`), so that 0/1 masks and label maps can be pointed out.
    public static func groundTruth(_ image: DecodedImage) -> GroundTruthMask {
        let pixels: [UInt8]
        let maximum: () -> Int
        if image.colorKind == .gray && image.bitDepth == 1 {
            pixels = binarize(firstChannelBytes(image)!, above: 0)
            maximum = { 0 }
        } else if image.colorChannels == 3 {
            let gray = luminance(image)
            pixels = gray.map { $0 > 128 ? 1 : 0 }
            maximum = { Int(gray.max() ?? 0) }
        } else if let bytes = firstChannelBytes(image) {
            pixels = binarize(bytes, above: 128)
            maximum = { Int(bytes.max() ?? 0) }
        } else {
            let values = firstChannel(image)
            pixels = values.map { $0 > 128 ? 1 : 0 }
            maximum = { Int(values.max() ?? 0) }
        }
        let empty = !pixels.contains(1)
        return GroundTruthMask(width: image.width, height: image.height, pixels: pixels, unreadMaximum: empty ? maximum() : 0)
    }

    /// A binary ground truth for class `label` from a label map (`GT == label`, on palette indices
    /// or gray values).
    public static func groundTruth(labelMap image: DecodedImage, label: Int) -> GroundTruthMask {
        let pixels = firstChannelBytes(image).map { bytes in bytes.map { Int($0) == label ? UInt8(1) : 0 } }
            ?? firstChannel(image).map { $0 == label ? UInt8(1) : 0 }
        return GroundTruthMask(width: image.width, height: image.height, pixels: pixels)
    }

    /// A prediction map: channel 1 only (the red channel of an RGB map, not its luminance);
    /// 1-bit gray is logical (0/1), 16-bit is v/65535, everything else v/255. When its size differs
    /// from the GT it is resized in memory with MATLAB's `imresize` (the file is never touched).
    public static func prediction(_ image: DecodedImage, resizedTo size: (width: Int, height: Int)? = nil) -> PredictionMap {
        let width = size?.width ?? image.width
        let height = size?.height ?? image.height
        let resizes = width != image.width || height != image.height
        if image.colorKind == .gray && image.bitDepth == 1 {
            var bits = firstChannelBytes(image)!
            if resizes {
                bits = MatlabImresize.resizeLogical(bits, width: image.width, height: image.height, toWidth: width, toHeight: height)
            }
            return .logical(width: width, height: height, pixels: bits)
        }
        if image.bitDepth == 16 {
            var values = firstChannel(image)
            if resizes {
                values = MatlabImresize.resize(values, width: image.width, height: image.height,
                                               toWidth: width, toHeight: height, maxValue: 65535)
            }
            return .uint16(width: width, height: height, pixels: values.map { UInt16($0) })
        }
        if !resizes, let bytes = firstChannelBytes(image) {
            return .uint8(width: width, height: height, pixels: bytes)
        }
        var values = firstChannel(image)
        if resizes {
            values = MatlabImresize.resize(values, width: image.width, height: image.height,
                                           toWidth: width, toHeight: height, maxValue: 255)
        }
        return .uint8(width: width, height: height, pixels: values.map { UInt8($0) })
    }

    /// `value > threshold` as 0/1 bytes (a loop the compiler vectorises).
    static func binarize(_ bytes: [UInt8], above threshold: UInt8) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: bytes.count) { buffer, count in
            bytes.withUnsafeBufferPointer { source in
                for index in 0..<source.count { buffer[index] = source[index] > threshold ? 1 : 0 }
            }
            count = bytes.count
        }
    }

    /// The channels of a colour or gray+alpha prediction that hold something else than the channel
    /// the protocol reads (channel 1): colours that differ from it anywhere, and an alpha that is
    /// not opaque everywhere. Empty for gray and palette maps, and for gray stored as RGB.
    public static func unreadChannels(_ image: DecodedImage) -> [String] {
        let names: [String]
        switch image.colorKind {
        case .gray, .palette: return []
        case .grayAlpha: names = ["gray", "alpha"]
        case .rgb: names = ["red", "green", "blue"]
        case .rgba: names = ["red", "green", "blue", "alpha"]
        }
        let stride = image.channels
        let opaque = image.maxSampleValue
        func differing(_ samples: [Int]) -> [String] {
            (1..<stride).filter { channel in
                let isAlpha = names[channel] == "alpha"
                return Swift.stride(from: 0, to: samples.count, by: stride).contains { pixel in
                    isAlpha ? samples[pixel + channel] != opaque : samples[pixel + channel] != samples[pixel]
                }
            }.map { names[$0] }
        }
        switch image.samples {
        case .uint8(let samples): return differing(samples.map(Int.init))
        case .uint16(let samples): return differing(samples.map(Int.init))
        }
    }

    /// The first sample of every pixel of an image stored in bytes (bit depth <= 8); nil for 16-bit.
    static func firstChannelBytes(_ image: DecodedImage) -> [UInt8]? {
        guard case .uint8(let samples) = image.samples else { return nil }
        let stride = image.channels
        if stride == 1 { return samples }
        return [UInt8](unsafeUninitializedCapacity: image.pixelCount) { buffer, count in
            samples.withUnsafeBufferPointer { source in
                for index in 0..<image.pixelCount { buffer[index] = source[index * stride] }
            }
            count = image.pixelCount
        }
    }

    /// The first sample of every pixel, as integers.
    static func firstChannel(_ image: DecodedImage) -> [Int] {
        let stride = image.channels
        switch image.samples {
        case .uint8(let samples):
            return Swift.stride(from: 0, to: samples.count, by: stride).map { Int(samples[$0]) }
        case .uint16(let samples):
            return Swift.stride(from: 0, to: samples.count, by: stride).map { Int(samples[$0]) }
        }
    }

    /// MATLAB `rgb2gray` on an integer image: the weighted sum in double, rounded (half away
    /// from zero) to the input's type.
    static func luminance(_ image: DecodedImage) -> [Int] {
        let stride = image.channels
        let (r, g, b) = rgbToGray
        func gray(_ red: Double, _ green: Double, _ blue: Double) -> Int {
            Int((r * red + g * green + b * blue).rounded(.toNearestOrAwayFromZero))
        }
        switch image.samples {
        case .uint8(let s):
            return Swift.stride(from: 0, to: s.count, by: stride).map { gray(Double(s[$0]), Double(s[$0 + 1]), Double(s[$0 + 2])) }
        case .uint16(let s):
            return Swift.stride(from: 0, to: s.count, by: stride).map { gray(Double(s[$0]), Double(s[$0 + 1]), Double(s[$0 + 2])) }
        }
    }
}
