/// The structure measure (Fan et al., ICCV 2017) with alpha = 0.5, computed from the pair's
/// per-level counts: every mean, variance and covariance is a sum over (GT bit, level) bins.
public enum SMeasure {
    /// The score, and whether it is undefined (an empty region block under the `undefined` rule).
    public struct Result: Sendable, Hashable {
        public var value: Double
        /// Set when the GT centroid falls on the last row or column so that a region block is
        /// empty; MATLAB returns NaN there.
        public var hasEmptyBlock: Bool
    }

    static let eps = EMeasure.eps

    /// - Parameters:
    ///   - histogram: the pair's counts (blocks split at the GT centroid).
    ///   - levelValues: the normalised prediction value of each level.
    public static func score(histogram: PairHistogram, levelValues: [Double], width: Int, height: Int,
                             centroid: (x: Int, y: Int), emptyBlockRule: EvaluationProtocol.EmptyBlockRule) -> Result {
        let pixels = Double(histogram.pixelCount)
        let foreground = histogram.foregroundByLevel
        let background = histogram.backgroundByLevel
        let foregroundCount = foreground.reduce(0, +)
        let meanGT = Double(foregroundCount) / pixels
        if foregroundCount == 0 {
            return Result(value: 1 - mean(levelValues, weights: [background]), hasEmptyBlock: false)
        }
        if foregroundCount == histogram.pixelCount {
            return Result(value: mean(levelValues, weights: [foreground]), hasEmptyBlock: false)
        }
        let objectScore = object(levelValues, foreground: foreground, background: background, meanGT: meanGT)
        let region = regionScore(histogram: histogram, levelValues: levelValues, width: width, height: height,
                                 centroid: centroid, emptyBlockRule: emptyBlockRule)
        let score = 0.5 * objectScore + 0.5 * region.value
        return Result(value: score < 0 ? 0 : score, hasEmptyBlock: region.hasEmptyBlock)
    }

    /// `S_object = mu * O_FG + (1 - mu) * O_BG` with `O(x) = 2 mean(x) / (mean(x)^2 + 1 + std(x) + eps)`,
    /// x = pred on the foreground, and 1 - pred on the background.
    static func object(_ values: [Double], foreground: [Int], background: [Int], meanGT: Double) -> Double {
        let complement = values.map { 1.0 - $0 }
        let foregroundScore = objectSimilarity(values, counts: foreground)
        let backgroundScore = objectSimilarity(complement, counts: background)
        return meanGT * foregroundScore + (1 - meanGT) * backgroundScore
    }

    static func objectSimilarity(_ values: [Double], counts: [Int]) -> Double {
        let n = counts.reduce(0, +)
        guard n > 0 else { return 0 }
        let average = mean(values, weights: [counts])
        var squares = 0.0
        for level in values.indices where counts[level] != 0 {
            let deviation = values[level] - average
            squares += Double(counts[level]) * (deviation * deviation)
        }
        // MATLAB std normalises by n - 1 (and returns 0 for one sample).
        let deviation = n > 1 ? (squares / Double(n - 1)).squareRoot() : 0
        return 2.0 * average / (average * average + 1.0 + deviation + eps)
    }

    /// `S_region`: the four blocks' SSIM, weighted by their share of the image.
    static func regionScore(histogram: PairHistogram, levelValues: [Double], width: Int, height: Int,
                            centroid: (x: Int, y: Int), emptyBlockRule: EvaluationProtocol.EmptyBlockRule) -> Result {
        let x = Double(centroid.x), y = Double(centroid.y)
        let w = Double(width), h = Double(height)
        let area = w * h
        let w1 = (x * y) / area
        let w2 = ((w - x) * y) / area
        let w3 = (x * (h - y)) / area
        let w4 = 1.0 - w1 - w2 - w3
        var total = 0.0
        var hasEmptyBlock = false
        for (block, weight) in [w1, w2, w3, w4].enumerated() {
            let similarity = blockSimilarity(histogram: histogram, block: block, levelValues: levelValues)
            if similarity.isNaN {
                hasEmptyBlock = true
                if emptyBlockRule == .weightZero { continue }
            }
            total += weight * similarity
        }
        return Result(value: total, hasEmptyBlock: hasEmptyBlock)
    }

    /// The toolbox's `ssim` on one block; NaN for an empty block (MATLAB's mean of nothing).
    static func blockSimilarity(histogram: PairHistogram, block: Int, levelValues: [Double]) -> Double {
        let levelCount = histogram.levelCount
        var n = 0, foreground = 0
        var predictionSum = 0.0
        for gtBit in 0..<2 {
            for level in 0..<levelCount {
                let count = histogram.count(block: block, gtBit: gtBit, level: level)
                guard count != 0 else { continue }
                n += count
                if gtBit == 1 { foreground += count }
                predictionSum += Double(count) * levelValues[level]
            }
        }
        guard n > 0 else { return .nan }
        let meanX = predictionSum / Double(n)
        let meanY = Double(foreground) / Double(n)
        var sumXX = 0.0, sumYY = 0.0, sumXY = 0.0
        for gtBit in 0..<2 {
            let deviationY = Double(gtBit) - meanY
            var gtCount = 0
            for level in 0..<levelCount {
                let count = histogram.count(block: block, gtBit: gtBit, level: level)
                guard count != 0 else { continue }
                gtCount += count
                let deviationX = levelValues[level] - meanX
                sumXX += Double(count) * (deviationX * deviationX)
                sumXY += Double(count) * (deviationX * deviationY)
            }
            sumYY += Double(gtCount) * (deviationY * deviationY)
        }
        let normaliser = Double(n) - 1 + eps
        let varianceX = sumXX / normaliser
        let varianceY = sumYY / normaliser
        let covariance = sumXY / normaliser
        let alpha = 4 * meanX * meanY * covariance
        let beta = (meanX * meanX + meanY * meanY) * (varianceX + varianceY)
        if alpha != 0 { return alpha / (beta + eps) }
        return beta == 0 ? 1.0 : 0
    }

    /// Weighted mean of level values; `weights` are per-level counts (summed when several).
    static func mean(_ values: [Double], weights: [[Int]]) -> Double {
        var sum = 0.0
        var n = 0
        for counts in weights {
            for level in values.indices where counts[level] != 0 {
                sum += Double(counts[level]) * values[level]
                n += counts[level]
            }
        }
        return sum / Double(n)
    }
}

/// Mean absolute error between the binary GT and the normalised map: `mean(|G - pred|)`.
public enum MeanAbsoluteError {
    public static func score(histogram: PairHistogram, levelValues: [Double]) -> Double {
        let foreground = histogram.foregroundByLevel
        let background = histogram.backgroundByLevel
        var sum = 0.0
        for level in levelValues.indices {
            if foreground[level] != 0 { sum += Double(foreground[level]) * abs(1.0 - levelValues[level]) }
            if background[level] != 0 { sum += Double(background[level]) * abs(levelValues[level]) }
        }
        return sum / Double(histogram.pixelCount)
    }
}
