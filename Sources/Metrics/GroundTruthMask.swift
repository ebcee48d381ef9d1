/// A binary ground truth, row-major, one byte per pixel (0 or 1), with the statistics that
/// every metric needs computed once.
public struct GroundTruthMask: Sendable {
    public let width: Int
    public let height: Int
    /// 0 or 1 per pixel, row-major.
    public let pixels: [UInt8]
    /// Number of foreground pixels, |G|.
    public let foregroundCount: Int
    /// The S-measure's split point (1-based column X, row Y), see `centroid(of:)`.
    public let centroid: (x: Int, y: Int)
    /// The largest value in the file when its reading rule left the mask empty although the file
    /// was not all zero (a 0/1 mask or a label map read with `> 128` gives 1 or the largest
    /// label); 0 otherwise. The mask is what the rule says; this only lets the user be told.
    public let unreadMaximum: Int

    /// - Precondition: `pixels.count == width * height`, every value 0 or 1.
    /// - Parameter unreadMaximum: see `unreadMaximum`; ignored (0) when the mask is not empty.
    public init(width: Int, height: Int, pixels: [UInt8], unreadMaximum: Int = 0) {
        precondition(pixels.count == width * height, "mask size mismatch")
        self.width = width
        self.height = height
        self.pixels = pixels
        var foreground = 0
        var columnWeighted = 0
        var rowWeighted = 0
        pixels.withUnsafeBufferPointer { buffer in
            for row in 0..<height {
                var rowCount = 0
                var rowColumnSum = 0
                let base = row * width
                for column in 0..<width {
                    let bit = Int(buffer[base + column])   // 0 or 1: no branch
                    rowCount &+= bit
                    rowColumnSum &+= bit &* (column + 1)
                }
                foreground += rowCount
                columnWeighted += rowColumnSum
                rowWeighted += rowCount * (row + 1)
            }
        }
        self.foregroundCount = foreground
        self.unreadMaximum = foreground == 0 ? unreadMaximum : 0
        self.centroid = Self.centroid(width: width, height: height, foreground: foreground,
                                      columnWeighted: columnWeighted, rowWeighted: rowWeighted)
    }

    public var pixelCount: Int { width * height }
    public var isEmpty: Bool { foregroundCount == 0 }
    public var isFull: Bool { foregroundCount == pixelCount }

    /// The S-measure centroid (Fan et al. 2017, `centroid.m`): 1-based
    /// `X = round(sum_j colmass_j * j / |G|)`, `Y` likewise, MATLAB `round` (half away from zero);
    /// an empty mask splits at `round(w/2), round(h/2)`. The integer sums are exact, so the only
    /// rounding is the one division.
    static func centroid(width: Int, height: Int, foreground: Int, columnWeighted: Int, rowWeighted: Int) -> (x: Int, y: Int) {
        if foreground == 0 {
            return (matlabRound(Double(width) / 2), matlabRound(Double(height) / 2))
        }
        let total = Double(foreground)
        return (matlabRound(Double(columnWeighted) / total), matlabRound(Double(rowWeighted) / total))
    }
}

/// MATLAB `round`: half away from zero.
@inline(__always)
func matlabRound(_ value: Double) -> Int {
    Int(value.rounded(.toNearestOrAwayFromZero))
}
