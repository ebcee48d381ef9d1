/// The exact Euclidean distance transform of a 3-D grid with anisotropic spacing (Felzenszwalb &
/// Huttenlocher, "Distance Transforms of Sampled Functions", 2012): along x, then y, then z, the
/// lower envelope of the parabolas `f(q) + s²(p - q)²`, which gives, for every voxel, the squared
/// distance in mm² to the nearest feature voxel (voxel centres, spacing `s` per axis). Linear in
/// the number of voxels per axis pass.
///
/// Each squared distance is a sum of the three terms `(Δx·sx)² + (Δy·sy)² + (Δz·sz)²` accumulated
/// pass by pass, so it is the exact value rounded a few times: within a few ulps of scipy's
/// `distance_transform_edt(..., sampling=s)**2`.
public enum EuclideanDistanceTransform {
    /// Squared distances (mm²) to the nearest voxel with `isFeature`; `.infinity` everywhere when
    /// there is none. Grid x fastest; `size` and `spacing` have 3 entries.
    public static func squaredDistances(isFeature: [Bool], size: [Int], spacing: [Double]) -> [Double] {
        let (nx, ny, nz) = (size[0], size[1], size[2])
        var values = isFeature.map { $0 ? 0.0 : Double.infinity }
        guard values.contains(0) else { return values }
        let longest = max(nx, ny, nz)
        var line = [Double](repeating: 0, count: longest)
        var output = [Double](repeating: 0, count: longest)
        var vertices = [Int](repeating: 0, count: longest)
        var bounds = [Double](repeating: 0, count: longest + 1)
        func pass(count: Int, stride: Int, starts: [Int], weight: Double) {
            for start in starts {
                for index in 0..<count { line[index] = values[start + index * stride] }
                envelope(line, count: count, weight: weight, into: &output, vertices: &vertices, bounds: &bounds)
                for index in 0..<count { values[start + index * stride] = output[index] }
            }
        }
        pass(count: nx, stride: 1, starts: (0..<(ny * nz)).map { $0 * nx }, weight: spacing[0] * spacing[0])
        pass(count: ny, stride: nx, starts: (0..<nz).flatMap { z in (0..<nx).map { x in x + nx * ny * z } }, weight: spacing[1] * spacing[1])
        pass(count: nz, stride: nx * ny, starts: Array(0..<(nx * ny)), weight: spacing[2] * spacing[2])
        return values
    }

    /// One line: `output[p] = min over q of f[q] + weight·(p - q)²` (infinite f[q] never wins).
    static func envelope(_ f: [Double], count: Int, weight: Double, into output: inout [Double], vertices: inout [Int], bounds: inout [Double]) {
        var k = -1
        for q in 0..<count where f[q].isFinite {
            while k >= 0 {
                let v = vertices[k]
                let s = ((f[q] + weight * Double(q * q)) - (f[v] + weight * Double(v * v))) / (2 * weight * Double(q - v))
                if s <= bounds[k] { k -= 1 } else {
                    k += 1
                    vertices[k] = q
                    bounds[k] = s
                    break
                }
            }
            if k < 0 {
                k = 0
                vertices[0] = q
                bounds[0] = -.infinity
            }
        }
        guard k >= 0 else {
            for p in 0..<count { output[p] = .infinity }
            return
        }
        bounds[k + 1] = .infinity
        var j = 0
        for p in 0..<count {
            while bounds[j + 1] < Double(p) { j += 1 }
            let q = vertices[j]
            let offset = Double(p - q)
            output[p] = weight * offset * offset + f[q]
        }
    }
}
