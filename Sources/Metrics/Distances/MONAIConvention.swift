/// MONAI 1.6.1 on the CPU, `monai.metrics` with `include_background=True` on the label's one-hot
/// channel and `spacing` given. MONAI works in **float32**: segeval rounds where it does and the
/// values agree with the library's within 1e-5 relative (its `torch.quantile` arithmetic is not
/// reproduced to the bit; spec, section 6).
///
/// - Dice `compute_dice` (`ignore_empty=True`): 2·TP / (|P| + |G|) in float32; G empty: NaN (also
///   when P is not). IoU `compute_iou`: the same rule. Sensitivity, specificity, precision
///   (`compute_confusion_matrix_metric`): float32 ratios, NaN where the denominator is 0.
/// - Surface: the face rule after cropping to the union's box with a one-voxel margin (the same
///   voxels); distances from a KDTree, exact, **returned as float32**.
/// - HD `compute_hausdorff_distance`: the larger directed maximum. HD95 (`percentile=95`): the
///   linear 95th percentile of each directed list, then the larger (**per direction**). ASSD
///   `compute_average_surface_distance(symmetric=True)`: the pooled mean. MASD: the mean of the
///   two directed `compute_average_surface_distance` values (derived: P→G and G→P calls).
///   NSD `compute_surface_dice([τ])` (`use_subvoxels=False`): surface voxels within τ, counted.
/// - One mask empty: HD, ASSD, MASD +∞, HD95 NaN (`torch.quantile` of infinities), NSD 0.
///   Both empty: every distance NaN.
enum MONAIConvention {
    static func scores(_ pair: MaskPair, tolerance: Double) -> VolumeScores {
        let c = pair.counts
        var scores = VolumeScores()
        let float32 = { (value: Double) in VolumeValue.number(Double(Float(value))) }
        if pair.groundTruthIsEmpty {
            scores[.dice] = .number(.nan)
            scores[.iou] = .number(.nan)
        } else {
            scores[.dice] = .number(Double(Float(2 * c.truePositives) / Float(c.predictedPositives + c.actualPositives)))
            scores[.iou] = .number(Ratio.float32(c.truePositives, c.truePositives + c.falsePositives + c.falseNegatives))
        }
        scores[.sensitivity] = .number(Ratio.float32(c.truePositives, c.actualPositives))
        scores[.specificity] = .number(Ratio.float32(c.trueNegatives, c.trueNegatives + c.falsePositives))
        scores[.precision] = .number(Ratio.float32(c.truePositives, c.predictedPositives))
        if pair.predictionIsEmpty && pair.groundTruthIsEmpty {
            for metric in [VolumeMetric.hd, .hd95, .assd, .masd, .nsd] { scores[metric] = .number(.nan) }
            return scores
        }
        if pair.predictionIsEmpty || pair.groundTruthIsEmpty {
            for metric in [VolumeMetric.hd, .assd, .masd] { scores[metric] = .number(.infinity) }
            scores[.hd95] = .number(.nan)
            scores[.nsd] = .number(0)
            return scores
        }
        let d = SurfaceDistances(pair, rule: .faces).roundedToFloat32
        scores[.hd] = float32(d.hausdorff!)
        scores[.hd95] = float32(d.perDirectionPercentile(95)!)
        scores[.assd] = float32(d.pooledMean!)
        scores[.masd] = float32((Double(Float(d.predictionToGroundTruthMean!)) + Double(Float(d.groundTruthToPredictionMean!))) / 2)
        let threshold = Float(tolerance)
        let within = d.predictionToGroundTruth.filter { Float($0) <= threshold }.count + d.groundTruthToPrediction.filter { Float($0) <= threshold }.count
        scores[.nsd] = .number(Ratio.float32(within, d.predictionToGroundTruth.count + d.groundTruthToPrediction.count))
        return scores
    }
}
