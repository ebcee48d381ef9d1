/// An 8-bit RGB image, row-major, 3 interleaved bytes per pixel. The pixel type of every grid
/// cell: composed by `Overlay`, drawn into the PDF by `Canvas.image`, written by `--png-dir`.
public struct RGBRaster: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public var pixels: [UInt8]

    /// A raster filled with one colour.
    public init(width: Int, height: Int, fill: (UInt8, UInt8, UInt8) = (0, 0, 0)) {
        self.width = width
        self.height = height
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        if fill != (0, 0, 0) {
            for index in 0..<(width * height) {
                pixels[3 * index] = fill.0
                pixels[3 * index + 1] = fill.1
                pixels[3 * index + 2] = fill.2
            }
        }
        self.pixels = pixels
    }

    /// - Precondition: `pixels.count == width * height * 3`.
    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(pixels.count == width * height * 3, "RGB raster size mismatch")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// A gray image shown as RGB.
    public init(gray: [UInt8], width: Int, height: Int) {
        precondition(gray.count == width * height, "gray raster size mismatch")
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for index in 0..<gray.count {
            pixels[3 * index] = gray[index]
            pixels[3 * index + 1] = gray[index]
            pixels[3 * index + 2] = gray[index]
        }
        self.init(width: width, height: height, pixels: pixels)
    }

    /// The pixel at column `x`, row `y`.
    public subscript(x: Int, y: Int) -> (UInt8, UInt8, UInt8) {
        let base = 3 * (y * width + x)
        return (pixels[base], pixels[base + 1], pixels[base + 2])
    }
}
