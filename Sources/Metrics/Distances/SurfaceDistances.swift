/// Distances between the surfaces of two binary masks on a voxel grid with spacing, where a
/// surface is a set of voxels (`SurfaceRule`: the face rule of MedPy, MONAI and Metrics Reloaded,
/// or ITK's 26-connected contour of seg-metrics) and the distance from a surface voxel of one
/// mask to the other mask's surface is the exact Euclidean distance in mm between voxel centres
/// (scipy's `distance_transform_edt(~surface, sampling=spacing)` read at the voxel).
///
/// Computed on the `MaskPair`'s crop: one exact distance transform per direction.
public struct SurfaceDistances: Sendable {
    /// Distances (mm) from each surface voxel of the prediction to the GT's surface; and from each
    /// GT surface voxel to the prediction's surface (in the transform's column order). A list is empty
    /// when its mask is; every distance is `.infinity` when the other mask is empty.
    public var predictionToGroundTruth: [Double]
    public var groundTruthToPrediction: [Double]

    public init(_ pair: MaskPair, rule: SurfaceRule) {
        let predictionSurface = rule.surface(pair.prediction, size: pair.size, rank: pair.rank)
        let groundTruthSurface = rule.surface(pair.groundTruth, size: pair.size, rank: pair.rank)
        (predictionToGroundTruth, groundTruthToPrediction) = bothDirections(parallel: pair.directionsInParallel,
            { Self.distances(from: predictionSurface, to: groundTruthSurface, pair) },
            { Self.distances(from: groundTruthSurface, to: predictionSurface, pair) })
    }

    /// The mask pair of `prediction` and `groundTruth` on the grid, under the face rule.
    /// - Precondition: both masks have `size.reduce(1, *)` voxels; `spacing` has 3 entries.
    public init(prediction: [Bool], groundTruth: [Bool], size: [Int], spacing: [Double], rank: Int = 3) {
        self.init(MaskPair(size: size, spacing: spacing, rank: rank, prediction: { prediction[$0] }, groundTruth: { groundTruth[$0] }), rule: .faces)
    }

    static func distances(from source: [Bool], to target: [Bool], _ pair: MaskPair) -> [Double] {
        EuclideanDistanceTransform.squaredDistances(from: source, to: target, size: pair.size, spacing: pair.spacing).map { $0.squareRoot() }
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

    /// The directed mean from the GT to the prediction (MedPy `asd(G, P)`).
    public var groundTruthToPredictionMean: Double? { Self.mean(groundTruthToPrediction) }

    /// Every distance rounded to float32 and widened back (MONAI's KDTree distances, seg-metrics'
    /// float32 distance maps).
    public var roundedToFloat32: SurfaceDistances {
        var copy = self
        copy.predictionToGroundTruth = predictionToGroundTruth.map { Double(Float($0)) }
        copy.groundTruthToPrediction = groundTruthToPrediction.map { Double(Float($0)) }
        return copy
    }

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
