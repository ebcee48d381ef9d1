/// MedPy 0.5.2, `medpy.metric.binary` (float64).
///
/// - Dice `dc`: 2·TP / (|P| + |G|); both masks empty: NaN (its `ZeroDivisionError` branch is dead
///   under numpy). IoU `jc`: TP / |P ∪ G|; both empty: 1. Sensitivity, specificity, precision:
///   TP/|G|, TN/(TN + FP), TP/|P|, NaN where the denominator is 0.
/// - Surface: the face rule (`SurfaceRule.faces`), exact EDT, float64.
/// - HD `hd`: the larger directed maximum. HD95 `hd95`: both directed lists **pooled**, numpy's
///   linear 95th percentile. ASSD `assd`: the pooled mean (MedPy >= 0.5). MASD: the mean of
///   `asd(P, G)` and `asd(G, P)` (what `assd` computed up to MedPy 0.4). NSD: not in MedPy.
/// - An empty mask: every distance function raises `RuntimeError`; reported as such.
enum MedPyConvention {
    static func scores(_ pair: MaskPair, tolerance: Double) -> VolumeScores {
        let c = pair.counts
        var scores = VolumeScores()
        scores[.dice] = .number(Ratio.of(2 * c.truePositives, c.predictedPositives + c.actualPositives))
        let union = c.truePositives + c.falsePositives + c.falseNegatives
        scores[.iou] = .number(union == 0 ? 1 : Ratio.of(c.truePositives, union))
        scores[.sensitivity] = .number(Ratio.of(c.truePositives, c.actualPositives))
        scores[.specificity] = .number(Ratio.of(c.trueNegatives, c.trueNegatives + c.falsePositives))
        scores[.precision] = .number(Ratio.of(c.truePositives, c.predictedPositives))
        scores[.nsd] = .notDefined
        if pair.predictionIsEmpty || pair.groundTruthIsEmpty {
            let which = pair.predictionIsEmpty ? "first supplied array (the prediction)" : "second supplied array (the GT)"
            for metric in [VolumeMetric.hd, .hd95, .assd, .masd] {
                scores[metric] = .raises("MedPy raises RuntimeError: the \(which) does not contain any binary object")
            }
            return scores
        }
        let d = SurfaceDistances(pair, rule: .faces)
        scores[.hd] = .number(d.hausdorff!)
        scores[.hd95] = .number(d.pooledPercentile(95)!)
        scores[.assd] = .number(d.pooledMean!)
        scores[.masd] = .number(d.meanOfDirectedMeans!)
        return scores
    }
}
