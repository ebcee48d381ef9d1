/// Exact Euclidean distance transform with nearest-feature indices
/// (Felzenszwalb & Huttenlocher, "Distance Transforms of Sampled Functions", 2012):
/// one pass down the columns, then the lower envelope of parabolas along each row.
public enum DistanceTransform {
    /// For every pixel, the squared Euclidean distance to the nearest feature pixel
    /// (`isFeature[i] != 0`) and that pixel's index. Without any feature pixel, distances are
    /// `.infinity` and indices -1.
    public static func nearestFeature(isFeature: [UInt8], width: Int, height: Int)
        -> (squaredDistance: [Double], nearestIndex: [Int]) {
        let count = width * height
        var squaredDistance = [Double](repeating: .infinity, count: count)
        var nearestIndex = [Int](repeating: -1, count: count)
        guard count > 0, isFeature.contains(where: { $0 != 0 }) else { return (squaredDistance, nearestIndex) }

        // 1. Columns: the nearest feature row in the same column (two scans).
        let unreachable = Int.max / 4
        var nearestRow = [Int](repeating: unreachable, count: count)
        for column in 0..<width {
            var last = -unreachable
            for row in 0..<height {
                if isFeature[row * width + column] != 0 { last = row }
                nearestRow[row * width + column] = last
            }
            var next = unreachable
            for row in stride(from: height - 1, through: 0, by: -1) {
                if isFeature[row * width + column] != 0 { next = row }
                let above = nearestRow[row * width + column]
                if next - row < row - above { nearestRow[row * width + column] = next }
            }
        }

        // 2. Rows: lower envelope of parabolas f(q) + (p - q)^2, f(q) = column distance squared.
        var f = [Double](repeating: 0, count: width)
        var vertices = [Int](repeating: 0, count: width)
        var boundaries = [Double](repeating: 0, count: width + 1)
        for row in 0..<height {
            var finiteCount = 0
            for column in 0..<width {
                let featureRow = nearestRow[row * width + column]
                if abs(featureRow) >= unreachable { f[column] = .infinity; continue }
                let dy = Double(row - featureRow)
                f[column] = dy * dy
                finiteCount += 1
            }
            guard finiteCount > 0 else { continue }
            var k = -1
            for q in 0..<width where f[q].isFinite {
                let fq = f[q] + Double(q * q)
                var intersection = -Double.infinity
                while k >= 0 {
                    let v = vertices[k]
                    intersection = (fq - (f[v] + Double(v * v))) / Double(2 * (q - v))
                    if intersection <= boundaries[k] { k -= 1 } else { break }
                }
                k += 1
                vertices[k] = q
                boundaries[k] = k == 0 ? -.infinity : intersection
                boundaries[k + 1] = .infinity
            }
            var segment = 0
            for p in 0..<width {
                while boundaries[segment + 1] < Double(p) { segment += 1 }
                let q = vertices[segment]
                let dx = Double(p - q)
                let index = row * width + p
                squaredDistance[index] = dx * dx + f[q]
                nearestIndex[index] = nearestRow[row * width + q] * width + q
            }
        }
        return (squaredDistance, nearestIndex)
    }
}
