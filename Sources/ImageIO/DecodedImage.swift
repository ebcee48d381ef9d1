/// A raster image exactly as stored in its file: no gamma, no palette expansion, no scaling.
///
/// Samples are row-major and interleaved (`channels` per pixel). Bit depths below 8 are unpacked
/// to one sample per byte without scaling (a 1-bit image holds 0 and 1). Palette images hold
/// their indices; the palette itself is in `palette` (RGB triples).
public struct DecodedImage: Sendable {
    /// How the pixels are stored.
    public enum ColorKind: Sendable, Equatable {
        case gray, grayAlpha, rgb, rgba, palette
    }

    /// The samples, one array element per sample.
    public enum Samples: Sendable {
        case uint8([UInt8])
        case uint16([UInt16])
    }

    public var width: Int
    public var height: Int
    /// 1, 2, 4, 8 or 16 as stored in the file (8 for JPEG).
    public var bitDepth: Int
    public var colorKind: ColorKind
    public var samples: Samples
    /// The RGB palette of a palette image (3 bytes per entry); empty otherwise.
    public var palette: [UInt8]

    public init(width: Int, height: Int, bitDepth: Int, colorKind: ColorKind, samples: Samples, palette: [UInt8] = []) {
        self.width = width
        self.height = height
        self.bitDepth = bitDepth
        self.colorKind = colorKind
        self.samples = samples
        self.palette = palette
    }

    /// Samples per pixel.
    public var channels: Int {
        switch colorKind {
        case .gray, .palette: return 1
        case .grayAlpha: return 2
        case .rgb: return 3
        case .rgba: return 4
        }
    }

    /// Number of colour channels a reader that drops alpha sees (MATLAB `imread`): 1 or 3.
    public var colorChannels: Int {
        switch colorKind {
        case .gray, .grayAlpha, .palette: return 1
        case .rgb, .rgba: return 3
        }
    }

    public var pixelCount: Int { width * height }

    /// The largest value a sample can hold (1 for 1-bit, 255 for 8-bit, 65535 for 16-bit).
    public var maxSampleValue: Int { (1 << bitDepth) - 1 }
}
