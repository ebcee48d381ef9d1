/// A prediction map as the protocol reads it: one *level* per pixel plus the double value of each
/// level (`im2double`). Every metric works on levels, so an 8-bit map is counted in 256 bins and
/// its per-threshold scores follow from cumulative counts.
public struct PredictionMap: Sendable {
    /// Per-pixel level indices, row-major.
    public enum Levels: Sendable {
        case uint8([UInt8])
        case uint16([UInt16])
    }

    public let width: Int
    public let height: Int
    public let levels: Levels
    /// `im2double` of each level: `l / 255` for uint8, `l / 65535` for uint16, `l` for logical.
    /// Its count is the number of levels (2, 256 or 65536).
    public let rawLevelValues: [Double]

    public init(width: Int, height: Int, levels: Levels, rawLevelValues: [Double]) {
        self.width = width
        self.height = height
        self.levels = levels
        self.rawLevelValues = rawLevelValues
        switch levels {
        case .uint8(let values): precondition(values.count == width * height && rawLevelValues.count <= 256)
        case .uint16(let values): precondition(values.count == width * height && rawLevelValues.count <= 65536)
        }
    }

    /// An 8-bit map (`im2double`: v / 255, a double division).
    public static func uint8(width: Int, height: Int, pixels: [UInt8]) -> PredictionMap {
        PredictionMap(width: width, height: height, levels: .uint8(pixels), rawLevelValues: LevelScale.uint8)
    }

    /// A 16-bit map (`im2double`: v / 65535).
    public static func uint16(width: Int, height: Int, pixels: [UInt16]) -> PredictionMap {
        PredictionMap(width: width, height: height, levels: .uint16(pixels), rawLevelValues: LevelScale.uint16)
    }

    /// A logical map (MATLAB reads a 1-bit PNG as logical; `im2double` gives 0 or 1).
    public static func logical(width: Int, height: Int, pixels: [UInt8]) -> PredictionMap {
        PredictionMap(width: width, height: height, levels: .uint8(pixels), rawLevelValues: [0, 1])
    }

    public var levelCount: Int { rawLevelValues.count }
    public var pixelCount: Int { width * height }
}

/// `im2double` tables.
public enum LevelScale {
    public static let uint8: [Double] = (0...255).map { Double($0) / 255.0 }
    public static let uint16: [Double] = (0...65535).map { Double($0) / 65535.0 }
}

/// MATLAB's `mapminmax(x, 0, 1)` over the whole map, applied per level.
///
/// `gain = 1 / (xmax - xmin)` and `y = (x - xmin) * gain` — a multiplication by the reciprocal,
/// not a division (the two differ by an ulp on some levels). A constant map (`xmax == xmin`) is
/// left unchanged, as MATLAB sets gain 1 and offset 0 there.
public enum MinMaxNormalization {
    /// - Parameters:
    ///   - rawValues: `im2double` value per level.
    ///   - lowestLevel, highestLevel: the smallest and largest level present in the map.
    /// - Returns: the normalised value per level (non-decreasing in the level).
    public static func levelValues(rawValues: [Double], lowestLevel: Int, highestLevel: Int) -> [Double] {
        let minimum = rawValues[lowestLevel]
        let maximum = rawValues[highestLevel]
        guard maximum != minimum else { return rawValues }
        let gain = 1.0 / (maximum - minimum)
        return rawValues.map { ($0 - minimum) * gain + 0.0 }
    }

    /// The lowest and highest of `levelCount` levels that `isPresent`, or nil when none is: the
    /// range the normalisation maps to 0...1. The one definition, for the evaluation (from a
    /// pair's counts, `PairHistogram.levelRange`) and for the report's grid (from a map's pixels).
    public static func presentRange(levelCount: Int, isPresent: (Int) -> Bool) -> (lowest: Int, highest: Int)? {
        var lowest = Int.max, highest = -1
        for level in 0..<levelCount where isPresent(level) {
            lowest = min(lowest, level)
            highest = level
        }
        return highest < 0 ? nil : (lowest, highest)
    }
}
