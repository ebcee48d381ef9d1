/// The one pass over the pixels of a (ground truth, prediction) pair.
///
/// Every pixel increments one bin indexed by (S-measure block, GT bit, prediction level). Every
/// curve, the S-measure, the E-measure and the MAE are then exact functions of these counts.
/// Blocks split the image at the GT centroid (1-based X, Y): 0 = top-left (rows 1...Y,
/// columns 1...X), 1 = top-right, 2 = bottom-left, 3 = bottom-right.
public struct PairHistogram: Sendable {
    public let levelCount: Int
    /// `counts[(block * 2 + gtBit) * levelCount + level]`.
    public let counts: [Int]
    public let pixelCount: Int
    /// Pixels per level where the GT is 1 (summed over blocks).
    public let foregroundByLevel: [Int]
    /// Pixels per level where the GT is 0 (summed over blocks).
    public let backgroundByLevel: [Int]

    public init(groundTruth: GroundTruthMask, prediction: PredictionMap) {
        precondition(groundTruth.width == prediction.width && groundTruth.height == prediction.height,
                     "ground truth and prediction sizes differ")
        levelCount = prediction.levelCount
        pixelCount = groundTruth.pixelCount
        var bins = [Int32](repeating: 0, count: 8 * levelCount)
        switch prediction.levels {
        case .uint8(let levels):
            Self.accumulate(levels, groundTruth: groundTruth, levelCount: levelCount, into: &bins)
        case .uint16(let levels):
            Self.accumulate(levels, groundTruth: groundTruth, levelCount: levelCount, into: &bins)
        }
        counts = bins.map(Int.init)
        foregroundByLevel = Self.byLevel(counts, levelCount: levelCount, gtBit: 1)
        backgroundByLevel = Self.byLevel(counts, levelCount: levelCount, gtBit: 0)
    }

    private static func accumulate<Level: FixedWidthInteger & UnsignedInteger>(
        _ levels: [Level], groundTruth: GroundTruthMask, levelCount: Int, into bins: inout [Int32]
    ) {
        let width = groundTruth.width
        let splitColumn = min(max(groundTruth.centroid.x, 0), width)
        let splitRow = min(max(groundTruth.centroid.y, 0), groundTruth.height)
        levels.withUnsafeBufferPointer { levelBuffer in
            groundTruth.pixels.withUnsafeBufferPointer { gtBuffer in
                bins.withUnsafeMutableBufferPointer { binBuffer in
                    for row in 0..<groundTruth.height {
                        let topOrBottom = row < splitRow ? 0 : 2
                        let base = row * width
                        for half in 0..<2 {
                            let block = topOrBottom + half
                            let columns = half == 0 ? 0..<splitColumn : splitColumn..<width
                            let foregroundOffset = (block * 2 + 1) * levelCount
                            let backgroundOffset = block * 2 * levelCount
                            let span = foregroundOffset - backgroundOffset
                            for column in columns {
                                let index = base + column
                                let bin = backgroundOffset + Int(gtBuffer[index]) * span + Int(levelBuffer[index])
                                binBuffer[bin] &+= 1
                            }
                        }
                    }
                }
            }
        }
    }

    /// Count of pixels at `level` with GT bit `gtBit` in `block`.
    @inline(__always)
    public func count(block: Int, gtBit: Int, level: Int) -> Int {
        counts[(block * 2 + gtBit) * levelCount + level]
    }

    private static func byLevel(_ counts: [Int], levelCount: Int, gtBit: Int) -> [Int] {
        var result = [Int](repeating: 0, count: levelCount)
        for block in 0..<4 {
            let offset = (block * 2 + gtBit) * levelCount
            for level in 0..<levelCount { result[level] += counts[offset + level] }
        }
        return result
    }

    /// The smallest and largest level present (nil for an image without pixels).
    public var levelRange: (lowest: Int, highest: Int)? {
        var lowest = Int.max, highest = -1
        for level in 0..<levelCount {
            var present = false
            for slot in 0..<8 where counts[slot * levelCount + level] != 0 { present = true; break }
            if present {
                lowest = min(lowest, level)
                highest = level
            }
        }
        return highest < 0 ? nil : (lowest, highest)
    }
}
