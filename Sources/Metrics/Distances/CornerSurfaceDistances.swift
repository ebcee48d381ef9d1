/// DeepMind's surface distances: surfaces made of corner surfels with areas, as
/// `surface_distance.compute_surface_distances` computes them (../shared/spec/distances.md, 1.3).
///
/// Every voxel corner of the crop (one more per axis than voxels; along z only for rank 3) gets
/// the code of the 2x2x2 voxels around it (2x2 in 2-D; voxels outside the crop are background,
/// which closes an object at the grid's edge). A corner whose code is neither empty nor full is a
/// border point carrying the surfel area of its code (`CornerSurfels`: mm², or mm of contour in
/// 2-D). The distance from a border point of one mask to the other's border points is the exact
/// Euclidean distance between corner points. Each direction's list is sorted by (distance, area),
/// as the library sorts it.
public struct CornerSurfaceDistances: Sendable {
    /// Sorted (distance mm, area) of the GT's and the prediction's border points.
    public var groundTruthToPrediction: [(distance: Double, area: Double)]
    public var predictionToGroundTruth: [(distance: Double, area: Double)]

    public init(_ pair: MaskPair) {
        guard !pair.prediction.isEmpty else {
            groundTruthToPrediction = []
            predictionToGroundTruth = []
            return
        }
        let threeD = pair.rank >= 3
        let corners = [pair.size[0] + 1, pair.size[1] + 1, threeD ? pair.size[2] + 1 : 1]
        let table = threeD ? CornerSurfels.areaTable3D(spacing: pair.spacing) : CornerSurfels.lengthTable2D(spacing: Array(pair.spacing.prefix(2)))
        let full = threeD ? 255 : 15
        let groundTruthCodes = Self.codes(pair.groundTruth, size: pair.size, corners: corners, threeD: threeD)
        let predictionCodes = Self.codes(pair.prediction, size: pair.size, corners: corners, threeD: threeD)
        let groundTruthBorder = groundTruthCodes.map { $0 != 0 && Int($0) != full }
        let predictionBorder = predictionCodes.map { $0 != 0 && Int($0) != full }
        @Sendable func directed(_ codes: [UInt8], _ border: [Bool], to other: [Bool]) -> [(distance: Double, area: Double)] {
            let (squared, sources) = EuclideanDistanceTransform.squaredDistancesAndSources(from: border, to: other, size: corners, spacing: pair.spacing)
            var list: [(distance: Double, area: Double)] = []
            list.reserveCapacity(squared.count)
            for (value, index) in zip(squared, sources) { list.append((value.squareRoot(), table[Int(codes[index])])) }
            list.sort { $0.distance != $1.distance ? $0.distance < $1.distance : $0.area < $1.area }
            return list
        }
        (groundTruthToPrediction, predictionToGroundTruth) = bothDirections(parallel: pair.directionsInParallel,
            { directed(groundTruthCodes, groundTruthBorder, to: predictionBorder) },
            { directed(predictionCodes, predictionBorder, to: groundTruthBorder) })
    }

    /// Neighbour codes on the corner grid: corner (i, j, k) sees voxels i-1 and i along x (and so
    /// on); the voxel at offset (dx, dy, dz) ∈ {0, 1}³ from (i-1, j-1, k-1) sets bit
    /// 7 - (4·dx + 2·dy + dz) (3-D) or 3 - (2·dx + dy) (2-D): DeepMind's kernel on (x, y, z).
    static func codes(_ mask: [Bool], size: [Int], corners: [Int], threeD: Bool) -> [UInt8] {
        let (nx, ny, nz) = (size[0], size[1], size[2])
        var codes = [UInt8](repeating: 0, count: corners[0] * corners[1] * corners[2])
        mask.withUnsafeBufferPointer { mask in
            for z in 0..<nz {
                for y in 0..<ny where ByteScan.anyTrue(mask, from: nx * (y + ny * z), count: nx) {
                    for x in 0..<nx where mask[x + nx * (y + ny * z)] {
                        // This voxel is the (dx, dy, dz) = (1,1,1)-side neighbour of corner (x, y, z)
                        // and the 0-side neighbour of corner (x+1, ...).
                        for dz in 0...(threeD ? 1 : 0) {
                            for dy in 0...1 {
                                for dx in 0...1 {
                                    let (cx, cy, cz) = (x + 1 - dx, y + 1 - dy, threeD ? z + 1 - dz : 0)
                                    let bit = threeD ? 7 - (4 * dx + 2 * dy + dz) : 3 - (2 * dx + dy)
                                    codes[cx + corners[0] * (cy + corners[1] * cz)] |= UInt8(1 << bit)
                                }
                            }
                        }
                    }
                }
            }
        }
        return codes
    }

    /// `compute_robust_hausdorff(d, percent)`: per direction, the distance at the first index
    /// whose cumulative area share (running sum / total) is at least percent/100 (the last one at
    /// most), +∞ for an empty list; then the larger.
    public func robustHausdorff(_ percent: Double) -> Double {
        func directed(_ list: [(distance: Double, area: Double)]) -> Double {
            guard !list.isEmpty else { return .infinity }
            let total = Self.sum(list.map(\.area))
            var running = 0.0
            for (index, entry) in list.enumerated() {
                running += entry.area
                if running / total >= percent / 100 { return list[index].distance }
            }
            return list[list.count - 1].distance
        }
        return max(directed(groundTruthToPrediction), directed(predictionToGroundTruth))
    }

    /// `compute_average_surface_distance`: the area-weighted mean distance of each direction
    /// (GT→prediction, prediction→GT); NaN for an empty list.
    public var averageDistances: (Double, Double) {
        func mean(_ list: [(distance: Double, area: Double)]) -> Double {
            Self.sum(list.map { $0.distance * $0.area }) / Self.sum(list.map(\.area))
        }
        return (mean(groundTruthToPrediction), mean(predictionToGroundTruth))
    }

    /// Both directions pooled, area-weighted.
    public var pooledAverageDistance: Double {
        let all = groundTruthToPrediction + predictionToGroundTruth
        return Self.sum(all.map { $0.distance * $0.area }) / Self.sum(all.map(\.area))
    }

    /// `compute_surface_dice_at_tolerance`: the area within `tolerance` mm of the other surface,
    /// over the total area of both.
    public func surfaceDice(tolerance: Double) -> Double {
        let all = groundTruthToPrediction + predictionToGroundTruth
        return Self.sum(all.filter { $0.distance <= tolerance }.map(\.area)) / Self.sum(all.map(\.area))
    }

    static func sum(_ values: [Double]) -> Double {
        var sum = ExactSum()
        for value in values { sum.add(value) }
        return sum.value
    }
}
