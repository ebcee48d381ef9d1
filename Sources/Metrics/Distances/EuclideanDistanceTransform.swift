/// The exact Euclidean distance transform of a 3-D grid with anisotropic spacing (Felzenszwalb &
/// Huttenlocher, "Distance Transforms of Sampled Functions", 2012), read at the voxels asked for:
/// the squared distance in mm² from each source voxel to the nearest feature voxel (voxel
/// centres, spacing `s` per axis). Linear in the number of voxels, and much less where features
/// and sources are sparse (surfaces in a bounding box):
///
/// 1. x: each voxel's nearest feature in its row (two sweeps over the rows holding a feature; a
///    row is tested eight bytes at a time), kept as a 16-bit offset.
/// 2. y: per slice and x, the lower envelope of the parabolas `sx²·dx² + sy²·(p - q)²` over the
///    rows holding a feature, answered only at the (x, y) columns holding a source voxel, into a
///    compact store (those columns only, z contiguous).
/// 3. z: per source column, the envelope of the in-plane value `+ sz²·(p - q)²`, answered at its
///    source voxels.
///
/// Memory: 2 bytes per voxel for pass 1's offsets, 4 per (source column, z) for the compact store,
/// instead of a double per voxel. Each squared distance is `sz²·dz² + (sy²·dy² + sx²·dx²)`: the
/// exact value rounded a few times, within a few ulps of scipy's
/// `distance_transform_edt(..., sampling=s)**2`.
public enum EuclideanDistanceTransform {
    /// Squared distances (mm²) from every voxel with `isSource` to the nearest voxel with
    /// `isFeature`, `.infinity` when there is none; listed column by column (for each (x, y) in
    /// index order, z ascending), which every reduction of them is indifferent to. Grid x fastest;
    /// `size` and `spacing` have 3 entries.
    public static func squaredDistances(from isSource: [Bool], to isFeature: [Bool], size: [Int], spacing: [Double]) -> [Double] {
        squaredDistancesAndSources(from: isSource, to: isFeature, size: size, spacing: spacing).squared
    }

    /// The same, with the grid index of each source voxel in the same (column) order.
    public static func squaredDistancesAndSources(from isSource: [Bool], to isFeature: [Bool], size: [Int], spacing: [Double])
        -> (squared: [Double], sources: [Int]) {
        precondition(isSource.count == isFeature.count && isSource.count == size[0] * size[1] * size[2])
        guard isFeature.contains(true) else {
            let plane = size[0] * size[1]
            let sources = (0..<plane).flatMap { column in (0..<size[2]).map { column + plane * $0 } }.filter { isSource[$0] }
            return ([Double](repeating: .infinity, count: sources.count), sources)
        }
        if max(size[0], size[1]) < Int(Int16.max) {
            return transform(isSource, isFeature, size: size, spacing: spacing, offsets: Int16.self)
        }
        return transform(isSource, isFeature, size: size, spacing: spacing, offsets: Int32.self)
    }

    static func transform<Offset: FixedWidthInteger & SignedInteger>(_ isSource: [Bool], _ isFeature: [Bool], size: [Int], spacing: [Double],
                                                                     offsets _: Offset.Type) -> (squared: [Double], sources: [Int]) {
        let (nx, ny, nz) = (size[0], size[1], size[2])
        let (wx, wy, wz) = (spacing[0] * spacing[0], spacing[1] * spacing[1], spacing[2] * spacing[2])
        let none = Offset.min
        let longest = max(nx, ny, nz)
        let f = UnsafeMutableBufferPointer<Double>.allocate(capacity: longest)
        let vertices = UnsafeMutableBufferPointer<Int>.allocate(capacity: longest)
        let bounds = UnsafeMutableBufferPointer<Double>.allocate(capacity: longest + 1)
        let heights = UnsafeMutableBufferPointer<Double>.allocate(capacity: longest)
        let columnDx = UnsafeMutableBufferPointer<Offset>.allocate(capacity: ny)
        defer {
            [f.baseAddress, bounds.baseAddress, heights.baseAddress].forEach { $0?.deallocate() }
            vertices.deallocate()
            columnDx.deallocate()
        }

        // The sources, found by a sequential scan (rows without one skipped eight bytes at a time):
        // the (x, y) columns holding one, numbered in (x, y) order, and each one's source zs.
        var columnNumber = [Int32](repeating: -1, count: nx * ny)
        var sourceZStart: [Int] = [0]
        var sourceZs: [Int] = []
        isSource.withUnsafeBufferPointer { source in
            var counts = [Int32](repeating: 0, count: nx * ny)
            for row in 0..<(ny * nz) where ByteScan.anyTrue(source, from: row * nx, count: nx) {
                let y = row % ny
                for x in 0..<nx where source[row * nx + x] { counts[x + nx * y] += 1 }
            }
            var next: [Int] = []
            for column in 0..<(nx * ny) where counts[column] > 0 {
                columnNumber[column] = Int32(sourceZStart.count - 1)
                next.append(sourceZStart[sourceZStart.count - 1])
                sourceZStart.append(sourceZStart[sourceZStart.count - 1] + Int(counts[column]))
            }
            sourceZs = [Int](repeating: 0, count: sourceZStart[sourceZStart.count - 1])
            for row in 0..<(ny * nz) where ByteScan.anyTrue(source, from: row * nx, count: nx) {
                let (y, z) = (row % ny, row / ny)
                for x in 0..<nx where source[row * nx + x] {
                    let number = Int(columnNumber[x + nx * y])
                    sourceZs[next[number]] = z
                    next[number] += 1
                }
            }
        }
        let sourceColumns = sourceZStart.count - 1
        // For each x, the ys of its source columns (ascending): where the y pass must answer.
        var sourceYStart = [Int](repeating: 0, count: nx + 1)
        for y in 0..<ny { for x in 0..<nx where columnNumber[x + nx * y] >= 0 { sourceYStart[x + 1] += 1 } }
        for x in 0..<nx { sourceYStart[x + 1] += sourceYStart[x] }
        var sourceYs = [Int](repeating: 0, count: sourceYStart[nx])
        var fill = sourceYStart
        for y in 0..<ny { for x in 0..<nx where columnNumber[x + nx * y] >= 0 { sourceYs[fill[x]] = y; fill[x] += 1 } }

        // x: the nearest feature in each row (two sweeps), as an offset; the ys of the rows holding
        // a feature, slice by slice (the finite entries of the y pass).
        var dxs = [Offset](repeating: none, count: isFeature.count)
        var featureYs: [Int] = []
        var featureSliceStart = [Int](repeating: 0, count: nz + 1)
        isFeature.withUnsafeBufferPointer { feature in
            dxs.withUnsafeMutableBufferPointer { dx in
                for z in 0..<nz {
                    for y in 0..<ny where ByteScan.anyTrue(feature, from: nx * (y + ny * z), count: nx) {
                        let start = nx * (y + ny * z)
                        featureYs.append(y)
                        var last = -1
                        for x in 0..<nx {
                            if feature[start + x] { last = x }
                            if last >= 0 { dx[start + x] = Offset(last - x) }
                        }
                        last = -1
                        for x in stride(from: nx - 1, through: 0, by: -1) {
                            if feature[start + x] { last = x }
                            if last >= 0, dx[start + x] == none || last - x < -Int(dx[start + x]) { dx[start + x] = Offset(last - x) }
                        }
                    }
                    featureSliceStart[z + 1] = featureYs.count
                }
            }
        }

        // y: per slice with a feature and x with a source column, the envelope of
        // sx²·dx² + sy²·(p - q)² over the feature rows, answered at the source columns only, into
        // a compact store: source column by source column, z contiguous (what the z pass reads).
        var compactDx = [Offset](repeating: none, count: sourceColumns * nz)
        var compactDy = [Offset](repeating: 0, count: sourceColumns * nz)
        dxs.withUnsafeBufferPointer { dx in
            compactDx.withUnsafeMutableBufferPointer { cdx in
                compactDy.withUnsafeMutableBufferPointer { cdy in
                    featureYs.withUnsafeBufferPointer { featureYs in
                        sourceYs.withUnsafeBufferPointer { sourceYs in
                            for z in 0..<nz where featureSliceStart[z + 1] > featureSliceStart[z] {
                                let candidates = UnsafeBufferPointer(rebasing: featureYs[featureSliceStart[z]..<featureSliceStart[z + 1]])
                                for x in 0..<nx where sourceYStart[x + 1] > sourceYStart[x] {
                                    let start = x + nx * ny * z
                                    for y in candidates {
                                        let value = dx[start + nx * y]
                                        columnDx[y] = value
                                        let d = Double(value)
                                        f[y] = wx * d * d + 0
                                    }
                                    envelope(f, count: ny, weight: wy, vertices: vertices, bounds: bounds, heights: heights, candidates: candidates,
                                             at: UnsafeBufferPointer(rebasing: sourceYs[sourceYStart[x]..<sourceYStart[x + 1]])) { p, q in
                                        let slot = Int(columnNumber[x + nx * p]) * nz + z
                                        cdx[slot] = columnDx[q]
                                        cdy[slot] = Offset(q - p)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        dxs = []

        // z: per source column, the envelope of the in-plane value + sz²·(p - q)², answered at
        // its source voxels: column by column in (x, y) order, z ascending.
        var result: [Double] = []
        var sources: [Int] = []
        result.reserveCapacity(sourceZs.count)
        sources.reserveCapacity(sourceZs.count)
        var columns: [Int] = []
        columns.reserveCapacity(sourceColumns)
        for column in 0..<(nx * ny) where columnNumber[column] >= 0 { columns.append(column) }
        compactDx.withUnsafeBufferPointer { cdx in
            compactDy.withUnsafeBufferPointer { cdy in
                sourceZs.withUnsafeBufferPointer { sourceZs in
                    for column in 0..<sourceColumns {
                        let base = column * nz
                        for z in 0..<nz {
                            if cdx[base + z] == none { f[z] = .infinity } else {
                                let a = Double(cdx[base + z]), b = Double(cdy[base + z])
                                f[z] = wy * b * b + (wx * a * a + 0)
                            }
                        }
                        envelope(f, count: nz, weight: wz, vertices: vertices, bounds: bounds, heights: heights,
                                 at: UnsafeBufferPointer(rebasing: sourceZs[sourceZStart[column]..<sourceZStart[column + 1]])) { p, q in
                            let offset = Double(p - q)
                            result.append(wz * offset * offset + f[q])
                            sources.append(columns[column] + nx * ny * p)
                        }
                    }
                }
            }
        }
        return (result, sources)
    }

    /// One line: for each p, the q minimising `f[q] + weight·(p - q)²` (infinite f[q] never
    /// wins), handed to `nearest(p, q)` in p order, for every p or for the ascending `positions`.
    /// The q are `candidates` (ascending, every f[q] finite) or every q with a finite f[q]; at
    /// least one. `vertices`,
    /// `bounds` and `heights` are scratch of at least count (+ 1) entries.
    @inline(__always)
    static func envelope(_ f: UnsafeMutableBufferPointer<Double>, count: Int, weight: Double, vertices: UnsafeMutableBufferPointer<Int>,
                         bounds: UnsafeMutableBufferPointer<Double>, heights: UnsafeMutableBufferPointer<Double>,
                         candidates: UnsafeBufferPointer<Int>? = nil, at positions: UnsafeBufferPointer<Int>? = nil,
                         nearest: (Int, Int) -> Void) {
        var k = -1
        let twice = 2 * weight
        func push(_ q: Int) {
            let height = f[q] + weight * Double(q * q)
            while k >= 0 {
                let v = vertices[k]
                let s = (height - heights[k]) / (twice * Double(q - v))
                if s <= bounds[k] { k -= 1 } else {
                    k += 1
                    vertices[k] = q
                    bounds[k] = s
                    heights[k] = height
                    break
                }
            }
            if k < 0 {
                k = 0
                vertices[0] = q
                bounds[0] = -.infinity
                heights[0] = height
            }
        }
        if let candidates {
            for q in candidates { push(q) }
        } else {
            for q in 0..<count where f[q].isFinite { push(q) }
        }
        bounds[k + 1] = .infinity
        var j = 0
        if let positions {
            for p in positions {
                while bounds[j + 1] < Double(p) { j += 1 }
                nearest(p, vertices[j])
            }
            return
        }
        for p in 0..<count {
            while bounds[j + 1] < Double(p) { j += 1 }
            nearest(p, vertices[j])
        }
    }
}
