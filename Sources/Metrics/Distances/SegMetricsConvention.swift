/// seg-metrics 1.2.8, `seg_metrics.write_metrics` (distances through SimpleITK 2.5.7).
///
/// - Overlap: Dice 2·TP/(|G| + |P|), Jaccard TP/|P ∪ G|, precision TP/|P|, recall (sensitivity)
///   TP/|G|, specificity 1 − FPR with FPR = FP/(FP + TN) (0 when there is no background). Its
///   empty-mask answers: both empty, Dice = IoU = precision = recall = 1 and FPR 0; one side
///   empty, precision = recall = 0 and FPR 0 (so specificity 1 even when P has voxels).
/// - Surface: ITK's `LabelContour(fullyConnected=True)` (`SurfaceRule.contour26`: 26-connected,
///   the grid's edge is not a surface). Distances: `|SignedMaurerDistanceMap|` of the other mask
///   read at the contour, cast to **float32** (the distance to the other mask's contour voxels,
///   then rounded to float32); reductions in float64 over the float32 values.
/// - Both directed lists **pooled**: HD = the maximum, HD95 = numpy's linear 95th percentile,
///   ASSD = the mean (its `msd`). MASD and NSD: not in seg-metrics.
/// - An empty mask (either or both): its distance map is all zeros, so HD = HD95 = ASSD = 0.
enum SegMetricsConvention {
    static func scores(_ pair: MaskPair, tolerance: Double) -> VolumeScores {
        let c = pair.counts
        var scores = VolumeScores()
        if pair.predictionIsEmpty && pair.groundTruthIsEmpty {
            for metric in [VolumeMetric.dice, .iou, .precision, .sensitivity, .specificity] { scores[metric] = .number(1) }
        } else {
            scores[.dice] = .number(Ratio.of(2 * c.truePositives, c.actualPositives + c.predictedPositives))
            scores[.iou] = .number(Ratio.of(c.truePositives, c.truePositives + c.falsePositives + c.falseNegatives))
            if pair.predictionIsEmpty || pair.groundTruthIsEmpty {
                scores[.precision] = .number(0)
                scores[.sensitivity] = .number(0)
                scores[.specificity] = .number(1)
            } else {
                scores[.precision] = .number(Ratio.of(c.truePositives, c.predictedPositives))
                scores[.sensitivity] = .number(Ratio.of(c.truePositives, c.actualPositives))
                let negatives = c.falsePositives + c.trueNegatives
                scores[.specificity] = .number(1 - (negatives == 0 ? 0 : Ratio.of(c.falsePositives, negatives)))
            }
        }
        scores[.masd] = .notDefined
        scores[.nsd] = .notDefined
        if pair.predictionIsEmpty || pair.groundTruthIsEmpty {
            for metric in [VolumeMetric.hd, .hd95, .assd] { scores[metric] = .number(0) }
            return scores
        }
        let d = SurfaceDistances(pair, rule: .contour26).roundedToFloat32
        let pooled = d.predictionToGroundTruth + d.groundTruthToPrediction
        // A mask filling the grid has no contour (the grid's edge is not one): the library's
        // pooled list can be empty (answered 0) or hold distances to a missing contour (+∞).
        scores[.hd] = .number(pooled.max() ?? 0)
        scores[.hd95] = .number(SurfaceDistances.percentile(pooled, 95) ?? 0)
        scores[.assd] = .number(SurfaceDistances.mean(pooled) ?? 0)
        return scores
    }
}
