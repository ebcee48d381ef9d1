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

    /// What the measure needs from the ground truth alone: computed once per GT and shared by
    /// every model evaluated against it (the distance transform is most of the work).
    public struct Preparation: Sendable {
        /// For each pixel, the index of the nearest foreground pixel (itself on the foreground).
        public let nearestForeground: [Int32]
        /// Pixel importance: 1 on the foreground, `2 - exp(log(0.5)/5 * d)` on the background.
        public let importance: [Double]

        /// nil when the GT has no foreground (the measure is undefined there).
        public init?(groundTruth: GroundTruthMask) {
            guard groundTruth.foregroundCount > 0 else { return nil }
            let (squaredDistance, nearest) = DistanceTransform.nearestFeature(
                isFeature: groundTruth.pixels, width: groundTruth.width, height: groundTruth.height)
            nearestForeground = nearest
            importance = squaredDistance.map { BackgroundImportance.weight(squaredDistance: $0) }
        }
    }

    /// - Parameters:
    ///   - prediction: the normalised map, row-major, values in [0, 1].
    ///   - groundTruth: the binary mask.
    ///   - preparation: `Preparation(groundTruth:)`, when already computed for this GT.
    /// - Returns: the score; nil when the GT has no foreground (undefined).
    public static func score(prediction: [Double], groundTruth: GroundTruthMask, preparation: Preparation? = nil) -> Double? {
        guard let prepared = preparation ?? Preparation(groundTruth: groundTruth) else { return nil }
        let width = groundTruth.width, height = groundTruth.height
        let gt = groundTruth.pixels
        let count = width * height
        // E with pixel dependency: on the background, the error at the nearest foreground pixel.
        let dependent = [Double](unsafeUninitializedCapacity: count) { buffer, initialized in
            prediction.withUnsafeBufferPointer { p in
                gt.withUnsafeBufferPointer { g in
                    prepared.nearestForeground.withUnsafeBufferPointer { n in
                        for i in 0..<count {
                            let source = Int(n[i])
                            buffer[i] = abs(p[source] - Double(g[source]))
                        }
                    }
                }
            }
            initialized = count
        }
        // EA is only used on the foreground: filter there (the filter reads 3 pixels around).
        let smoothed = GaussianFilter.matlab7x7Sigma5.apply(dependent, width: width, height: height, at: gt)

        var foregroundErrorSum = 0.0
        var backgroundErrorSum = 0.0
        prediction.withUnsafeBufferPointer { p in
            gt.withUnsafeBufferPointer { g in
                smoothed.withUnsafeBufferPointer { ea in
                    prepared.importance.withUnsafeBufferPointer { importance in
                        for i in 0..<count {
                            let error = abs(p[i] - Double(g[i]))
                            if g[i] != 0 {
                                foregroundErrorSum += ea[i] < error ? ea[i] : error
                            } else {
                                backgroundErrorSum += error * importance[i]
                            }
                        }
                    }
                }
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

/// Pixel importance of a background error at distance d from the foreground:
/// `2 - exp(log(0.5) / 5 * d)`. Squared distances are integers, so the weights of the first
/// 2^16 of them are tabulated once (the same expression, so the same doubles).
enum BackgroundImportance {
    static let decay = log(0.5) / 5
    static let table: [Double] = (0..<65536).map { formula(Double($0)) }

    @inline(__always)
    static func formula(_ squaredDistance: Double) -> Double {
        2 - exp(decay * squaredDistance.squareRoot())
    }

    @inline(__always)
    static func weight(squaredDistance: Double) -> Double {
        squaredDistance < 65536 ? table[Int(squaredDistance)] : formula(squaredDistance)
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

    /// The filtered value at every pixel where `mask` is non-zero (0 elsewhere): the separable
    /// filter (rows, then columns, zero padding) at those pixels, computed only on the
    /// rows and columns the mask's 7x7 neighbourhoods reach.
    public func apply(_ values: [Double], width: Int, height: Int, at mask: [UInt8]) -> [Double] {
        let radius = kernel.count / 2
        // Per row, the first and last masked column (-1 when none).
        var firstMasked = [Int](repeating: -1, count: height), lastMasked = firstMasked
        mask.withUnsafeBufferPointer { m in
            for row in 0..<height {
                let base = row * width
                var column = 0
                while column < width && m[base + column] == 0 { column += 1 }
                guard column < width else { continue }
                firstMasked[row] = column
                var last = width - 1
                while m[base + last] == 0 { last -= 1 }
                lastMasked[row] = last
            }
        }
        var result = [Double](repeating: 0, count: values.count)
        // Horizontal pass: on row r, the columns that masked pixels of rows r-3...r+3 read.
        var horizontal = [Double](repeating: 0, count: values.count)
        kernel.withUnsafeBufferPointer { k in
            values.withUnsafeBufferPointer { v in
                horizontal.withUnsafeMutableBufferPointer { h in
                    for row in 0..<height {
                        var low = Int.max, high = -1
                        for near in max(0, row - radius)...min(height - 1, row + radius) where firstMasked[near] >= 0 {
                            low = min(low, firstMasked[near])
                            high = max(high, lastMasked[near])
                        }
                        guard high >= 0 else { continue }
                        let base = row * width
                        for column in low...high {
                            let first = max(-radius, -column), last = min(radius, width - 1 - column)
                            var sum = 0.0
                            if first == -3 && last == 3 && radius == 3 {
                                // Interior: the 7 taps unrolled, in the same order.
                                let c = base + column
                                sum += k[0] * v[c - 3]; sum += k[1] * v[c - 2]; sum += k[2] * v[c - 1]; sum += k[3] * v[c]
                                sum += k[4] * v[c + 1]; sum += k[5] * v[c + 2]; sum += k[6] * v[c + 3]
                            } else {
                                for offset in first...last { sum += k[offset + radius] * v[base + column + offset] }
                            }
                            h[base + column] = sum
                        }
                    }
                }
            }
        }
        // Vertical pass at the mask's pixels only, taps in order.
        kernel.withUnsafeBufferPointer { k in
            horizontal.withUnsafeBufferPointer { h in
                mask.withUnsafeBufferPointer { m in
                    result.withUnsafeMutableBufferPointer { out in
                        for row in 0..<height where firstMasked[row] >= 0 {
                            let low = max(-radius, -row), high = min(radius, height - 1 - row)
                            for column in firstMasked[row]...lastMasked[row] where m[row * width + column] != 0 {
                                var sum = 0.0
                                for offset in low...high {
                                    sum += k[offset + radius] * h[(row + offset) * width + column]
                                }
                                out[row * width + column] = sum
                            }
                        }
                    }
                }
            }
        }
        return result
    }
}
