/// The exact Euclidean distance transform of a 3-D grid with anisotropic spacing (Felzenszwalb &
/// Huttenlocher, "Distance Transforms of Sampled Functions", 2012), read at the voxels asked for:
/// the squared distance in mm² from each source voxel to the nearest feature voxel (voxel
/// centres, spacing `s` per axis). Linear in the number of voxels.
///
/// Three passes, one per axis. Along x, each voxel's nearest feature in its row; along y, per
/// slice, the lower envelope of the parabolas `f(q) + sy²(p - q)²` over each column; along z, the
/// same over each (x, y) column, only for columns holding a source voxel. Between passes each
/// voxel keeps the offsets (dx, dy) to its nearest feature so far as two 16-bit integers (4 bytes
/// per voxel, not a double's 8: volumes are large), and `f` is recomputed from them.
///
/// Each squared distance is `sz²·dz² + (sy²·dy² + sx²·dx²)`, the exact value rounded a few times:
/// within a few ulps of scipy's `distance_transform_edt(..., sampling=s)**2`.
public enum EuclideanDistanceTransform {
    /// Squared distances (mm²) from every voxel with `isSource` to the nearest voxel with
    /// `isFeature`, `.infinity` when there is none; listed column by column (for each (x, y),
    /// z ascending), which every reduction of them is indifferent to. Grid x fastest; `size` and
    /// `spacing` have 3 entries.
    public static func squaredDistances(from isSource: [Bool], to isFeature: [Bool], size: [Int], spacing: [Double]) -> [Double] {
        precondition(isSource.count == isFeature.count && isSource.count == size[0] * size[1] * size[2])
        guard isFeature.contains(true) else {
            return [Double](repeating: .infinity, count: isSource.reduce(0) { $0 + ($1 ? 1 : 0) })
        }
        if max(size[0], size[1]) < Int(Int16.max) {
            return transform(isSource, isFeature, size: size, spacing: spacing, offsets: Int16.self)
        }
        return transform(isSource, isFeature, size: size, spacing: spacing, offsets: Int32.self)
    }

    static func transform<Offset: FixedWidthInteger & SignedInteger>(_ isSource: [Bool], _ isFeature: [Bool], size: [Int], spacing: [Double],
                                                                     offsets _: Offset.Type) -> [Double] {
        let (nx, ny, nz) = (size[0], size[1], size[2])
        let (wx, wy, wz) = (spacing[0] * spacing[0], spacing[1] * spacing[1], spacing[2] * spacing[2])
        let none = Offset.min
        var dxs = [Offset](repeating: none, count: isFeature.count)
        var dys = [Offset](repeating: 0, count: isFeature.count)
        let longest = max(nx, ny, nz)
        var f = [Double](repeating: 0, count: longest)
        var vertices = [Int](repeating: 0, count: longest)
        var bounds = [Double](repeating: 0, count: longest + 1)
        var result: [Double] = []
        // Which slices hold a feature (the y pass skips the others: no row there has one), which
        // (x, y) columns of the z pass a source: found by sequential scans, so that the strided
        // passes touch only those.
        var featureSlices = [Bool](repeating: false, count: nz)
        var sourceColumns = [Bool](repeating: false, count: nx * ny)
        isSource.withUnsafeBufferPointer { source in
            var index = 0
            for _ in 0..<nz {
                for y in 0..<ny {
                    for x in 0..<nx {
                        if source[index] { sourceColumns[x + nx * y] = true }
                        index += 1
                    }
                }
            }
        }
        isFeature.withUnsafeBufferPointer { feature in
            dxs.withUnsafeMutableBufferPointer { dx in
                // x: the nearest feature in each row (two sweeps).
                for row in 0..<(ny * nz) {
                    let start = row * nx
                    let z = row / ny
                    var last = -1
                    for x in 0..<nx {
                        if feature[start + x] { last = x; featureSlices[z] = true }
                        if last >= 0 { dx[start + x] = Offset(last - x) }
                    }
                    last = -1
                    for x in stride(from: nx - 1, through: 0, by: -1) {
                        if feature[start + x] { last = x }
                        if last >= 0, dx[start + x] == none || last - x < -Int(dx[start + x]) { dx[start + x] = Offset(last - x) }
                    }
                }
            }
        }
        // y: per slice and column, the envelope of sx²·dx² + sy²·(p - q)².
        var columnDx = [Offset](repeating: none, count: ny)
        dxs.withUnsafeMutableBufferPointer { dx in
            dys.withUnsafeMutableBufferPointer { dy in
                for z in 0..<nz where featureSlices[z] {
                    for x in 0..<nx {
                        let start = x + nx * ny * z
                        var any = false
                        for y in 0..<ny {
                            let value = dx[start + nx * y]
                            columnDx[y] = value
                            if value == none { f[y] = .infinity } else {
                                let d = Double(value)
                                f[y] = wx * d * d + 0
                                any = true
                            }
                        }
                        guard any else { continue }
                        envelope(f, count: ny, weight: wy, vertices: &vertices, bounds: &bounds) { p, q in
                            dx[start + nx * p] = columnDx[q]
                            dy[start + nx * p] = Offset(q - p)
                        }
                    }
                }
            }
        }
        // z: per (x, y) column holding a source voxel, the envelope of the in-plane value + sz²·(p - q)².
        isSource.withUnsafeBufferPointer { source in
            dxs.withUnsafeBufferPointer { dx in
                dys.withUnsafeBufferPointer { dy in
                    for column in 0..<(nx * ny) where sourceColumns[column] {
                        for z in 0..<nz {
                            let index = column + nx * ny * z
                            if dx[index] == none { f[z] = .infinity } else {
                                let a = Double(dx[index]), b = Double(dy[index])
                                f[z] = wy * b * b + (wx * a * a + 0)
                            }
                        }
                        envelope(f, count: nz, weight: wz, vertices: &vertices, bounds: &bounds) { p, q in
                            guard source[column + nx * ny * p] else { return }
                            let offset = Double(p - q)
                            result.append(wz * offset * offset + f[q])
                        }
                    }
                }
            }
        }
        return result
    }

    /// One line: for each p, the q minimising `f[q] + weight·(p - q)²` (infinite f[q] never
    /// wins), handed to `nearest(p, q)` in p order. At least one f[q] must be finite.
    @inline(__always)
    static func envelope(_ f: [Double], count: Int, weight: Double, vertices: inout [Int], bounds: inout [Double],
                         nearest: (Int, Int) -> Void) {
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
        bounds[k + 1] = .infinity
        var j = 0
        for p in 0..<count {
            while bounds[j + 1] < Double(p) { j += 1 }
            nearest(p, vertices[j])
        }
    }
}
