/// Metrics Reloaded (git ca3d352), `BinaryPairwiseMeasures` with `pixdim` = the spacing: the
/// consensus definitions (Maier-Hein et al., Nature Methods 2024) and segeval's default.
///
/// - Dice `dsc`: 2·TP / (|P| + |G|); both empty: 1. IoU: TP / |P ∪ G|; both empty: NaN.
///   Sensitivity TP/|G| (G empty: NaN); specificity TN/|not G| (no background: NaN); precision
///   (`positive_predictive_value`) TP/(TP + FP) **in float32** (its TP/FP maps are float32 sums);
///   P empty: 0, both empty: NaN. Its float32 counts are exact below 2^24 voxels per count;
///   segeval counts exactly at any size (above that, the library's counts round; not reproduced).
/// - Surface: the face rule (`border_map`; its `connectivity_type` argument is ignored by it),
///   exact EDT on the whole volume, float64.
/// - HD: the larger directed maximum. HD95 (`hd_perc` 95): numpy's linear 95th percentile of each
///   directed list, then the larger (**per direction**). ASSD: the pooled mean. MASD: the mean of
///   the two directed means. NSD at τ: (#P-surface voxels within τ + #G-surface voxels within τ)
///   / (|∂P| + |∂G|).
/// - Empty masks: both empty, HD = HD95 = ASSD = MASD = 0 and NSD NaN (the library's answers).
///   One side empty: the library raises `IndexError` for the four distances; segeval answers
///   +∞ there (no surface to reach: the distance to an empty set), and NSD 0. The library's NSD
///   with one side empty measures to a virtual voxel outside the grid when the other mask touches
///   voxel (0, 0, 0) (spec, section 1.4); segeval answers 0 there.
enum MetricsReloadedConvention {
    static func scores(_ pair: MaskPair, tolerance: Double) -> VolumeScores {
        let c = pair.counts
        var scores = VolumeScores()
        let bothEmpty = pair.predictionIsEmpty && pair.groundTruthIsEmpty
        scores[.dice] = .number(bothEmpty ? 1 : Ratio.of(2 * c.truePositives, c.predictedPositives + c.actualPositives))
        scores[.iou] = .number(Ratio.of(c.truePositives, c.truePositives + c.falsePositives + c.falseNegatives))
        scores[.sensitivity] = .number(Ratio.of(c.truePositives, c.actualPositives))
        scores[.specificity] = .number(Ratio.of(c.trueNegatives, c.trueNegatives + c.falsePositives))
        scores[.precision] = .number(pair.predictionIsEmpty ? (bothEmpty ? .nan : 0) : Ratio.float32(c.truePositives, c.predictedPositives))
        if bothEmpty {
            for metric in [VolumeMetric.hd, .hd95, .assd, .masd] { scores[metric] = .number(0) }
            scores[.nsd] = .number(.nan)
            return scores
        }
        if pair.predictionIsEmpty || pair.groundTruthIsEmpty {
            for metric in [VolumeMetric.hd, .hd95, .assd, .masd] { scores[metric] = .number(.infinity) }
            scores[.nsd] = .number(0)
            return scores
        }
        let d = SurfaceDistances(pair, rule: .faces)
        scores[.hd] = .number(d.hausdorff!)
        scores[.hd95] = .number(d.perDirectionPercentile(95)!)
        scores[.assd] = .number(d.pooledMean!)
        scores[.masd] = .number(d.meanOfDirectedMeans!)
        scores[.nsd] = .number(d.surfaceDice(tolerance: tolerance)!)
        return scores
    }
}
