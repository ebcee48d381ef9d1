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
        case .uint8(let levels) where levelCount == 2:
            Self.accumulateBinary(levels, groundTruth: groundTruth, into: &bins)
        case .uint8(let levels):
            Self.accumulate(levels, groundTruth: groundTruth, levelCount: levelCount, into: &bins)
        case .uint16(let levels):
            Self.accumulate(levels, groundTruth: groundTruth, levelCount: levelCount, into: &bins)
        }
        counts = bins.map(Int.init)
        foregroundByLevel = Self.byLevel(counts, levelCount: levelCount, gtBit: 1)
        backgroundByLevel = Self.byLevel(counts, levelCount: levelCount, gtBit: 0)
    }

    /// Calls `body(block, row, columns)` for every row segment of every block.
    @inline(__always)
    private static func forEachSegment(_ groundTruth: GroundTruthMask, _ body: (Int, Int, Range<Int>) -> Void) {
        let width = groundTruth.width
        let splitColumn = min(max(groundTruth.centroid.x, 0), width)
        let splitRow = min(max(groundTruth.centroid.y, 0), groundTruth.height)
        for row in 0..<groundTruth.height {
            let top = row < splitRow ? 0 : 2
            body(top, row, 0..<splitColumn)
            body(top + 1, row, splitColumn..<width)
        }
    }

    /// The general pass: one increment per pixel. Even and odd pixels count into two copies of
    /// the bins (merged at the end), so runs of equal pixels do not stall on one counter.
    private static func accumulate<Level: FixedWidthInteger & UnsignedInteger>(
        _ levels: [Level], groundTruth: GroundTruthMask, levelCount: Int, into bins: inout [Int32]
    ) {
        let width = groundTruth.width
        let binCount = 8 * levelCount
        var twoCopies = [Int32](repeating: 0, count: 2 * binCount)
        levels.withUnsafeBufferPointer { levelBuffer in
            groundTruth.pixels.withUnsafeBufferPointer { gtBuffer in
                twoCopies.withUnsafeMutableBufferPointer { binBuffer in
                    forEachSegment(groundTruth) { block, row, columns in
                        let backgroundOffset = block * 2 * levelCount
                        let base = row * width
                        var column = columns.lowerBound
                        while column + 1 < columns.upperBound {
                            let first = base + column, second = first + 1
                            binBuffer[backgroundOffset + Int(gtBuffer[first]) * levelCount + Int(levelBuffer[first])] &+= 1
                            binBuffer[binCount + backgroundOffset + Int(gtBuffer[second]) * levelCount + Int(levelBuffer[second])] &+= 1
                            column += 2
                        }
                        if column < columns.upperBound {
                            let index = base + column
                            binBuffer[backgroundOffset + Int(gtBuffer[index]) * levelCount + Int(levelBuffer[index])] &+= 1
                        }
                    }
                }
            }
        }
        for bin in 0..<binCount { bins[bin] = twoCopies[bin] &+ twoCopies[binCount + bin] }
    }

    /// A logical prediction (levels 0 and 1): per block, the sums of G, P and G AND P give the
    /// four bins. Both maps hold one 0/1 byte per pixel, so eight pixels at a time are summed with
    /// one multiplication of a 64-bit word.
    private static func accumulateBinary(_ levels: [UInt8], groundTruth: GroundTruthMask, into bins: inout [Int32]) {
        let width = groundTruth.width
        var pixels = [Int](repeating: 0, count: 4), truth = pixels, predicted = pixels, both = pixels
        levels.withUnsafeBytes { levelBytes in
            groundTruth.pixels.withUnsafeBytes { gtBytes in
                forEachSegment(groundTruth) { block, row, columns in
                    var g = 0, p = 0, gp = 0
                    var index = row * width + columns.lowerBound
                    let end = row * width + columns.upperBound
                    while index + 8 <= end {
                        let gw = gtBytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                        let pw = levelBytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                        g &+= Self.byteSum(gw)
                        p &+= Self.byteSum(pw)
                        gp &+= Self.byteSum(gw & pw)
                        index += 8
                    }
                    while index < end {
                        let gv = Int(gtBytes[index]), pv = Int(levelBytes[index])
                        g &+= gv
                        p &+= pv
                        gp &+= gv & pv
                        index += 1
                    }
                    pixels[block] += columns.count
                    truth[block] += g
                    predicted[block] += p
                    both[block] += gp
                }
            }
        }
        for block in 0..<4 {
            // (block * 2 + gtBit) * 2 + level
            bins[(block * 2 + 1) * 2 + 1] = Int32(both[block])
            bins[(block * 2 + 1) * 2 + 0] = Int32(truth[block] - both[block])
            bins[(block * 2 + 0) * 2 + 1] = Int32(predicted[block] - both[block])
            bins[(block * 2 + 0) * 2 + 0] = Int32(pixels[block] - truth[block] - predicted[block] + both[block])
        }
    }

    /// The sum of the eight bytes of `word` when each is 0 or 1 (the total fits in the top byte).
    @inline(__always)
    static func byteSum(_ word: UInt64) -> Int {
        Int(truncatingIfNeeded: (word &* 0x0101_0101_0101_0101) >> 56)
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
        MinMaxNormalization.presentRange(levelCount: levelCount) { level in
            (0..<8).contains { counts[$0 * levelCount + level] != 0 }
        }
    }
}
