/// The enhanced-alignment measure (Fan et al., IJCAI 2018) of a *binary* map.
///
/// For a binary map FM and binary GT, the per-pixel enhanced alignment takes one of four values
/// (one per (FM, GT) pair), so the score is a function of TP, FP, FN, TN.
public enum EMeasure {
    /// MATLAB's `eps` (2^-52), as used by the toolbox.
    public static let eps = 0x1p-52

    public static func score(_ c: ConfusionCounts, denominator: EvaluationProtocol.EMeasureDenominator) -> Double {
        let pixels = c.total
        let enhancedSum: Double
        if c.actualPositives == 0 {
            // GT all zero: enhanced = 1 - FM.
            enhancedSum = Double(pixels - c.predictedPositives)
        } else if c.actualPositives == pixels {
            // GT all one: enhanced = FM.
            enhancedSum = Double(c.predictedPositives)
        } else {
            let meanFM = Double(c.predictedPositives) / Double(pixels)
            let meanGT = Double(c.actualPositives) / Double(pixels)
            enhancedSum = Double(c.truePositives) * enhanced(fm: 1, gt: 1, meanFM: meanFM, meanGT: meanGT)
                + Double(c.falsePositives) * enhanced(fm: 1, gt: 0, meanFM: meanFM, meanGT: meanGT)
                + Double(c.falseNegatives) * enhanced(fm: 0, gt: 1, meanFM: meanFM, meanGT: meanGT)
                + Double(c.trueNegatives) * enhanced(fm: 0, gt: 0, meanFM: meanFM, meanGT: meanGT)
        }
        switch denominator {
        case .pixelsMinusOne: return enhancedSum / (Double(pixels) - 1 + eps)
        case .pixels: return enhancedSum / Double(pixels)
        }
    }

    /// `((align + 1)^2) / 4` with `align = 2 (aGT aFM) / (aGT^2 + aFM^2 + eps)`.
    @inline(__always)
    static func enhanced(fm: Double, gt: Double, meanFM: Double, meanGT: Double) -> Double {
        let alignedFM = fm - meanFM
        let alignedGT = gt - meanGT
        let align = 2 * (alignedGT * alignedFM) / (alignedGT * alignedGT + alignedFM * alignedFM + eps)
        return ((align + 1) * (align + 1)) / 4
    }
}
