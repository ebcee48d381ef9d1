/// Distances between the surfaces of two binary masks on a voxel grid with spacing, under the
/// face-connected voxel-surface rule that MedPy, MONAI and Metrics Reloaded share ("E6" in
/// ../shared/spec/distances.md): a voxel of X is on its surface when one of its 2·rank face
/// neighbours is outside X or outside the grid (the grid border counts as background, scipy's
/// `binary_erosion(..., border_value=0)`), and the distance from a surface voxel of one mask to
/// the other mask's surface is the exact Euclidean distance in mm between voxel centres (scipy's
/// `distance_transform_edt(~border, sampling=spacing)` read at the voxel).
///
/// Grids are x fastest (`index = x + nx * (y + ny * z)`); `rank` 2 treats the grid as a 2-D image
/// (no neighbours along z, as a 2-D NIfTI file is given to the libraries), `rank` 3 as a volume
/// (a one-slice volume then has every voxel on its surface, as in the libraries).
public struct SurfaceDistances: Sendable {
    /// Distances (mm) from each surface voxel of the prediction to the GT's surface, in voxel
    /// index order; and from each GT surface voxel to the prediction's surface.
    public var predictionToGroundTruth: [Double]
    public var groundTruthToPrediction: [Double]

    /// - Precondition: both masks have `size.reduce(1, *)` voxels; `spacing` has 3 entries.
    public init(prediction: [Bool], groundTruth: [Bool], size: [Int], spacing: [Double], rank: Int = 3) {
        let predictionSurface = Self.surface(prediction, size: size, rank: rank)
        let groundTruthSurface = Self.surface(groundTruth, size: size, rank: rank)
        let toGroundTruth = EuclideanDistanceTransform.squaredDistances(isFeature: groundTruthSurface, size: size, spacing: spacing)
        let toPrediction = EuclideanDistanceTransform.squaredDistances(isFeature: predictionSurface, size: size, spacing: spacing)
        predictionToGroundTruth = predictionSurface.indices.compactMap { predictionSurface[$0] ? toGroundTruth[$0].squareRoot() : nil }
        groundTruthToPrediction = groundTruthSurface.indices.compactMap { groundTruthSurface[$0] ? toPrediction[$0].squareRoot() : nil }
    }

    /// The face-connected surface (E6) of a mask.
    public static func surface(_ mask: [Bool], size: [Int], rank: Int) -> [Bool] {
        let (nx, ny, nz) = (size[0], size[1], size[2])
        var surface = [Bool](repeating: false, count: mask.count)
        for z in 0..<nz {
            for y in 0..<ny {
                for x in 0..<nx {
                    let index = x + nx * (y + ny * z)
                    guard mask[index] else { continue }
                    var inside = x > 0 && mask[index - 1] && x < nx - 1 && mask[index + 1]
                        && y > 0 && mask[index - nx] && y < ny - 1 && mask[index + nx]
                    if rank >= 3 {
                        inside = inside && z > 0 && mask[index - nx * ny] && z < nz - 1 && mask[index + nx * ny]
                    }
                    surface[index] = !inside
                }
            }
        }
        return surface
    }
}

/// Reductions of the two directed distance lists, each as a named library computes it.
extension SurfaceDistances {
    /// The larger of the two directed maxima (every library's HD); nil when a list is empty.
    public var hausdorff: Double? {
        guard let a = predictionToGroundTruth.max(), let b = groundTruthToPrediction.max() else { return nil }
        return max(a, b)
    }

    /// numpy's `percentile(values, q)` with its default linear interpolation; nil for no values.
    public static func percentile(_ values: [Double], _ q: Double) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let position = q / 100 * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        let fraction = position - Double(lower)
        // numpy's _lerp: a + (b - a) * t, or b - (b - a) * (1 - t) for t >= 0.5.
        let (a, b) = (sorted[lower], sorted[upper])
        return fraction >= 0.5 ? b - (b - a) * (1 - fraction) : a + (b - a) * fraction
    }

    /// Both lists pooled, then the q-th percentile (MedPy `hd95`, seg-metrics).
    public func pooledPercentile(_ q: Double) -> Double? {
        guard !predictionToGroundTruth.isEmpty, !groundTruthToPrediction.isEmpty else { return nil }
        return Self.percentile(predictionToGroundTruth + groundTruthToPrediction, q)
    }

    /// The q-th percentile of each list, then the larger (MONAI, Metrics Reloaded).
    public func perDirectionPercentile(_ q: Double) -> Double? {
        guard let a = Self.percentile(predictionToGroundTruth, q), let b = Self.percentile(groundTruthToPrediction, q) else { return nil }
        return max(a, b)
    }

    /// The mean of both lists pooled (MedPy 0.5 `assd`, Metrics Reloaded ASSD, MONAI symmetric ASD).
    public var pooledMean: Double? {
        let count = predictionToGroundTruth.count + groundTruthToPrediction.count
        guard !predictionToGroundTruth.isEmpty, !groundTruthToPrediction.isEmpty else { return nil }
        var sum = ExactSum()
        for value in predictionToGroundTruth + groundTruthToPrediction { sum.add(value) }
        return sum.value / Double(count)
    }

    /// The mean of the two directed means (Metrics Reloaded MASD, MedPy <= 0.4 `assd`).
    public var meanOfDirectedMeans: Double? {
        guard let a = Self.mean(predictionToGroundTruth), let b = Self.mean(groundTruthToPrediction) else { return nil }
        return (a + b) / 2
    }

    /// The directed mean from the prediction to the GT (MedPy `asd(P, G)`, MONAI's default ASD).
    public var predictionToGroundTruthMean: Double? { Self.mean(predictionToGroundTruth) }

    /// The share of surface voxels of both masks within `tolerance` mm of the other surface
    /// (MONAI `use_subvoxels=False`, Metrics Reloaded NSD); nil when both surfaces are empty.
    public func surfaceDice(tolerance: Double) -> Double? {
        let count = predictionToGroundTruth.count + groundTruthToPrediction.count
        guard count > 0 else { return nil }
        let within = predictionToGroundTruth.filter { $0 <= tolerance }.count + groundTruthToPrediction.filter { $0 <= tolerance }.count
        return Double(within) / Double(count)
    }

    static func mean(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        var sum = ExactSum()
        for value in values { sum.add(value) }
        return sum.value / Double(values.count)
    }
}
