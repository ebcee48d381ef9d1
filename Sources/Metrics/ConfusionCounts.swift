/// TP / FP / FN / TN of one binarised prediction against its ground truth.
public struct ConfusionCounts: Sendable, Hashable {
    public var truePositives: Int
    public var falsePositives: Int
    public var falseNegatives: Int
    public var trueNegatives: Int

    public init(truePositives: Int, falsePositives: Int, falseNegatives: Int, trueNegatives: Int) {
        self.truePositives = truePositives
        self.falsePositives = falsePositives
        self.falseNegatives = falseNegatives
        self.trueNegatives = trueNegatives
    }

    /// |P|: pixels predicted positive.
    public var predictedPositives: Int { truePositives + falsePositives }
    /// |G|: ground-truth positives.
    public var actualPositives: Int { truePositives + falseNegatives }
    /// Pixels in the image.
    public var total: Int { truePositives + falsePositives + falseNegatives + trueNegatives }
}

/// Confusion counts of a prediction for any threshold, from its per-level counts.
///
/// Level values are non-decreasing in the level (min-max normalisation is monotone), so the
/// pixels at or above a threshold are the levels from some index up: suffix sums answer each
/// threshold in O(log levels).
public struct CumulativeCounts: Sendable {
    /// Normalised value per level (non-decreasing).
    public let levelValues: [Double]
    /// `foregroundAtOrAbove[l]` = GT-positive pixels with level >= l (one extra 0 at the end).
    let foregroundAtOrAbove: [Int]
    let backgroundAtOrAbove: [Int]
    public let actualPositives: Int
    public let total: Int

    public init(histogram: PairHistogram, levelValues: [Double]) {
        precondition(levelValues.count == histogram.levelCount)
        self.levelValues = levelValues
        let foreground = histogram.foregroundByLevel
        let background = histogram.backgroundByLevel
        var fg = [Int](repeating: 0, count: foreground.count + 1)
        var bg = [Int](repeating: 0, count: background.count + 1)
        for level in stride(from: foreground.count - 1, through: 0, by: -1) {
            fg[level] = fg[level + 1] + foreground[level]
            bg[level] = bg[level + 1] + background[level]
        }
        foregroundAtOrAbove = fg
        backgroundAtOrAbove = bg
        actualPositives = fg[0]
        total = fg[0] + bg[0]
    }

    /// Counts of `value >= threshold` (inclusive) or `value > threshold` (strict).
    public func counts(threshold: Double, inclusive: Bool) -> ConfusionCounts {
        // First level whose value passes: values are sorted, binary search.
        var low = 0, high = levelValues.count
        while low < high {
            let middle = (low + high) / 2
            let passes = inclusive ? levelValues[middle] >= threshold : levelValues[middle] > threshold
            if passes { high = middle } else { low = middle + 1 }
        }
        let truePositives = foregroundAtOrAbove[low]
        let falsePositives = backgroundAtOrAbove[low]
        let falseNegatives = actualPositives - truePositives
        let trueNegatives = total - actualPositives - falsePositives
        return ConfusionCounts(truePositives: truePositives, falsePositives: falsePositives,
                               falseNegatives: falseNegatives, trueNegatives: trueNegatives)
    }
}
