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
            let values = normalized(map, present: presentRange(levels.lazy.map(Int.init)))
            let positive = values.map { $0 >= threshold ? UInt8(1) : 0 }
            return levels.map { positive[Int($0)] }
        case .uint16(let levels):
            let values = normalized(map, present: presentRange(levels.lazy.map(Int.init)))
            let positive = values.map { $0 >= threshold ? UInt8(1) : 0 }
            return levels.map { positive[Int($0)] }
        }
    }

    static func presentRange<S: Sequence>(_ levels: S) -> (Int, Int) where S.Element == Int {
        var low = Int.max, high = Int.min
        for level in levels {
            if level < low { low = level }
            if level > high { high = level }
        }
        return low > high ? (0, 0) : (low, high)
    }

    static func normalized(_ map: PredictionMap, present: (Int, Int)) -> [Double] {
        MinMaxNormalization.levelValues(rawValues: map.rawLevelValues, lowestLevel: present.0, highestLevel: present.1)
    }
}
