/// DeepMind surface-distance (git 1f805ce), `surface_distance.metrics` (float64).
///
/// - Dice `compute_dice_coefficient`: 2·TP / (|G| + |P|); both empty: NaN. DeepMind has no IoU,
///   sensitivity, specificity or precision: segeval gives the plain ratios TP/|P ∪ G|, TP/|G|,
///   TN/(TN + FP), TP/|P| there, NaN where the denominator is 0.
/// - Surface: corner surfels with marching-cubes areas (contour lengths in 2-D), the object closed
///   at the grid's edge (`CornerSurfaceDistances`), exact EDT between corner points.
/// - HD `compute_robust_hausdorff(d, 100)`, HD95 `(d, 95)`: per direction, the first distance
///   whose cumulative surfel-area share reaches the percentage (no interpolation), then the larger.
///   ASSD: the area-weighted mean of both directions pooled (derived from its data; the library
///   returns only the two directed means, `compute_average_surface_distance`). MASD: the mean of
///   those two. NSD `compute_surface_dice_at_tolerance(d, τ)`: area-weighted.
/// - Empty masks follow from its lists (a missing surface gives +∞ distances from the other, or
///   no entries): one side empty, HD = HD95 = ASSD = +∞, MASD NaN, NSD 0; both empty, HD = HD95 =
///   +∞, ASSD, MASD and NSD NaN.
enum DeepMindConvention {
    static func scores(_ pair: MaskPair, tolerance: Double) -> VolumeScores {
        let c = pair.counts
        var scores = VolumeScores()
        let volumeSum = c.predictedPositives + c.actualPositives
        scores[.dice] = .number(volumeSum == 0 ? .nan : Ratio.of(2 * c.truePositives, volumeSum))
        scores[.iou] = .number(Ratio.of(c.truePositives, c.truePositives + c.falsePositives + c.falseNegatives))
        scores[.sensitivity] = .number(Ratio.of(c.truePositives, c.actualPositives))
        scores[.specificity] = .number(Ratio.of(c.trueNegatives, c.trueNegatives + c.falsePositives))
        scores[.precision] = .number(Ratio.of(c.truePositives, c.predictedPositives))
        let d = CornerSurfaceDistances(pair)
        scores[.hd] = .number(d.robustHausdorff(100))
        scores[.hd95] = .number(d.robustHausdorff(95))
        let (groundTruthToPrediction, predictionToGroundTruth) = d.averageDistances
        scores[.assd] = .number(d.pooledAverageDistance)
        scores[.masd] = .number((groundTruthToPrediction + predictionToGroundTruth) / 2)
        scores[.nsd] = .number(d.surfaceDice(tolerance: tolerance))
        return scores
    }
}
