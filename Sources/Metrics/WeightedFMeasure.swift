import Foundation

/// The weighted F-measure (Margolin, Zelnik-Manor & Tal, "How to Evaluate Foreground Maps?",
/// CVPR 2014), beta^2 = 1, as in the authors' `WFb.m`:
/// 1. E = |pred - G|; on the background, E is replaced by E at the nearest foreground pixel
///    (Euclidean distance transform) — pixel dependency;
/// 2. EA = E filtered with a 7x7 Gaussian, sigma 5 (zero padding); on the foreground the error
///    is min(E, EA);
/// 3. background errors are weighted by 2 - exp(log(0.5)/5 * distance) — pixel importance;
/// 4. TPw = |G| - sum(Ew on G), FPw = sum(Ew off G), R = 1 - mean(Ew on G),
///    P = TPw / (TPw + FPw + eps), Q = 2RP / (R + P + eps).
public enum WeightedFMeasure {
    static let eps = EMeasure.eps

    /// - Parameters:
    ///   - prediction: the normalised map, row-major, values in [0, 1].
    ///   - groundTruth: the binary mask.
    /// - Returns: the score; nil when the GT has no foreground (undefined).
    public static func score(prediction: [Double], groundTruth: GroundTruthMask) -> Double? {
        let width = groundTruth.width, height = groundTruth.height
        let gt = groundTruth.pixels
        guard groundTruth.foregroundCount > 0 else { return nil }
        let (squaredDistance, nearest) = DistanceTransform.nearestFeature(isFeature: gt, width: width, height: height)
        let count = width * height
        var error = [Double](repeating: 0, count: count)
        for i in 0..<count { error[i] = abs(prediction[i] - Double(gt[i])) }
        var dependent = error
        for i in 0..<count where gt[i] == 0 { dependent[i] = error[nearest[i]] }
        let smoothed = GaussianFilter.matlab7x7Sigma5.apply(dependent, width: width, height: height)

        let decay = log(0.5) / 5
        var foregroundErrorSum = 0.0
        var backgroundErrorSum = 0.0
        for i in 0..<count {
            if gt[i] != 0 {
                let e = smoothed[i] < error[i] ? smoothed[i] : error[i]
                foregroundErrorSum += e
            } else {
                let importance = 2 - exp(decay * squaredDistance[i].squareRoot())
                backgroundErrorSum += error[i] * importance
            }
        }
        let foreground = Double(groundTruth.foregroundCount)
        let weightedTruePositives = foreground - foregroundErrorSum
        let weightedFalsePositives = backgroundErrorSum
        let recall = 1 - foregroundErrorSum / foreground
        let precision = weightedTruePositives / (weightedTruePositives + weightedFalsePositives + eps)
        return 2 * recall * precision / (recall + precision + eps)
    }
}

/// A separable Gaussian filter with zero padding, normalised like MATLAB's
/// `fspecial('gaussian', size, sigma)`.
public struct GaussianFilter: Sendable {
    /// The normalised 1-D kernel (odd length).
    public let kernel: [Double]

    public init(size: Int, sigma: Double) {
        let radius = size / 2
        let raw = (-radius...radius).map { exp(-Double($0 * $0) / (2 * sigma * sigma)) }
        let total = raw.reduce(0, +)
        kernel = raw.map { $0 / total }
    }

    public static let matlab7x7Sigma5 = GaussianFilter(size: 7, sigma: 5)

    /// Filters `values` (row-major) along rows, then columns; outside the image is 0.
    public func apply(_ values: [Double], width: Int, height: Int) -> [Double] {
        let radius = kernel.count / 2
        var horizontal = [Double](repeating: 0, count: values.count)
        for row in 0..<height {
            let base = row * width
            for column in 0..<width {
                var sum = 0.0
                let low = max(-radius, -column), high = min(radius, width - 1 - column)
                for offset in low...high where high >= low {
                    sum += kernel[offset + radius] * values[base + column + offset]
                }
                horizontal[base + column] = sum
            }
        }
        var result = [Double](repeating: 0, count: values.count)
        for row in 0..<height {
            let low = max(-radius, -row), high = min(radius, height - 1 - row)
            for offset in low...high where high >= low {
                let weight = kernel[offset + radius]
                let source = (row + offset) * width
                let target = row * width
                for column in 0..<width { result[target + column] += weight * horizontal[source + column] }
            }
        }
        return result
    }
}
