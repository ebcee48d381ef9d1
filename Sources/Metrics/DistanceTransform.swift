/// Exact Euclidean distance transform with nearest-feature indices
/// (Felzenszwalb & Huttenlocher, "Distance Transforms of Sampled Functions", 2012):
/// the nearest feature row in each column (two scans down and up the image, row by row so memory
/// is read in order), then the lower envelope of parabolas along each row.
public enum DistanceTransform {
    /// For every pixel, the squared Euclidean distance to the nearest feature pixel
    /// (`isFeature[i] != 0`) and that pixel's index. Without any feature pixel, distances are
    /// `.infinity` and indices -1. Ties go to the feature above (column scan) and to the parabola
    /// of the leftmost column (row envelope).
    public static func nearestFeature(isFeature: [UInt8], width: Int, height: Int)
        -> (squaredDistance: [Double], nearestIndex: [Int32]) {
        let count = width * height
        guard count > 0, isFeature.contains(where: { $0 != 0 }) else {
            return ([Double](repeating: .infinity, count: count), [Int32](repeating: -1, count: count))
        }
        // With a feature pixel, every row's envelope is non-empty and writes every pixel below.
        var squaredDistance = [Double](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
        var nearestIndex = [Int32](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }

        // 1. Columns: the nearest feature row in the same column, -1 when the column has none.
        let none: Int32 = -1
        var nearestRow = [Int32](repeating: none, count: count)
        isFeature.withUnsafeBufferPointer { feature in
            nearestRow.withUnsafeMutableBufferPointer { nearest in
                // Down: the last feature row at or above.
                for column in 0..<width where feature[column] != 0 { nearest[column] = 0 }
                for row in 1..<max(height, 1) {
                    let base = row * width, above = base - width
                    for column in 0..<width {
                        nearest[base + column] = feature[base + column] != 0 ? Int32(row) : nearest[above + column]
                    }
                }
                // Up: a feature row below that is strictly nearer replaces it.
                var below = [Int32](repeating: none, count: width)
                for row in stride(from: height - 1, through: 0, by: -1) {
                    let base = row * width
                    for column in 0..<width {
                        if feature[base + column] != 0 { below[column] = Int32(row) }
                        let next = below[column]
                        guard next != none else { continue }
                        let above = nearest[base + column]
                        if above == none || Int(next) - row < row - Int(above) { nearest[base + column] = next }
                    }
                }
            }
        }

        // 2. Rows: lower envelope of the parabolas f(q) + (p - q)^2, f(q) = column distance squared.
        // `g[q] = f(q) + q^2` is what the intersections need.
        var f = [Double](repeating: 0, count: width)
        var g = [Double](repeating: 0, count: width)
        var vertices = [Int](repeating: 0, count: width)
        var boundaries = [Double](repeating: 0, count: width + 1)
        f.withUnsafeMutableBufferPointer { f in
        g.withUnsafeMutableBufferPointer { g in
        vertices.withUnsafeMutableBufferPointer { vertices in
        boundaries.withUnsafeMutableBufferPointer { boundaries in
        nearestRow.withUnsafeBufferPointer { nearest in
            squaredDistance.withUnsafeMutableBufferPointer { distanceOut in
                nearestIndex.withUnsafeMutableBufferPointer { indexOut in
                    for row in 0..<height {
                        let base = row * width
                        var k = -1
                        for q in 0..<width {
                            let featureRow = nearest[base + q]
                            guard featureRow != none else { continue }
                            let dy = Double(row - Int(featureRow))
                            f[q] = dy * dy
                            g[q] = f[q] + Double(q * q)
                            var intersection = -Double.infinity
                            while k >= 0 {
                                let v = vertices[k]
                                intersection = (g[q] - g[v]) / Double(2 * (q - v))
                                if intersection <= boundaries[k] { k -= 1 } else { break }
                            }
                            k += 1
                            vertices[k] = q
                            boundaries[k] = k == 0 ? -.infinity : intersection
                            boundaries[k + 1] = .infinity
                        }
                        guard k >= 0 else { continue }
                        var segment = 0
                        for p in 0..<width {
                            while boundaries[segment + 1] < Double(p) { segment += 1 }
                            let q = vertices[segment]
                            let dx = Double(p - q)
                            distanceOut[base + p] = dx * dx + f[q]
                            indexOut[base + p] = nearest[base + q] &* Int32(width) &+ Int32(q)
                        }
                    }
                }
            }
        }
        }
        }
        }
        }
        return (squaredDistance, nearestIndex)
    }
}
