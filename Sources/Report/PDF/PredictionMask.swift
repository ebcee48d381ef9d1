import Metrics

/// The binary mask shown for a prediction in the comparison grid.
///
/// A prediction is thresholded on the map the protocol evaluates: `im2double`, then MATLAB's
/// `mapminmax` to 0...1 over the map (`MinMaxNormalization`; a constant map stays unchanged),
/// and a pixel is positive when that value is `>= threshold` — the toolbox's own binarisation
/// for Dice and sensitivity (`Fmeasure_calu`). So the fill at 0.5 is exactly what the threshold
/// curve counts at its point closest to 0.5 (with the protocol's threshold values).
public enum PredictionMask {
    public static func binary(_ map: PredictionMap, threshold: Double) -> [UInt8] {
        switch map.levels {
        case .uint8(let levels):
            let positive = normalized(map, levels: levels).map { $0 >= threshold ? UInt8(1) : 0 }
            return levels.map { positive[Int($0)] }
        case .uint16(let levels):
            let positive = normalized(map, levels: levels).map { $0 >= threshold ? UInt8(1) : 0 }
            return levels.map { positive[Int($0)] }
        }
    }

    /// The normalised value of each level, over the levels present among `levels`.
    static func normalized<Level: FixedWidthInteger>(_ map: PredictionMap, levels: [Level]) -> [Double] {
        var present = [Bool](repeating: false, count: map.rawLevelValues.count)
        for level in levels { present[Int(level)] = true }
        let range = MinMaxNormalization.presentRange(levelCount: present.count) { present[$0] } ?? (0, 0)
        return MinMaxNormalization.levelValues(rawValues: map.rawLevelValues, lowestLevel: range.lowest, highestLevel: range.highest)
    }
}
