/// The five-number summary drawn as a box plot (Tukey): quartiles by linear interpolation
/// between order statistics (Hyndman–Fan type 7, as NumPy and R's default), whiskers at the most
/// extreme values within 1.5 IQR of the box, everything beyond as outliers. NaN values are
/// left out and counted.
public struct BoxStatistics: Sendable, Equatable {
    public var count: Int
    public var undefinedCount: Int
    public var lowerQuartile: Double
    public var median: Double
    public var upperQuartile: Double
    public var lowerWhisker: Double
    public var upperWhisker: Double
    public var outliers: [Double]

    /// nil when no value is defined.
    public init?(_ values: [Double]) {
        let sorted = values.filter { !$0.isNaN }.sorted()
        undefinedCount = values.count - sorted.count
        guard !sorted.isEmpty else { return nil }
        count = sorted.count
        lowerQuartile = Self.quantile(sorted, 0.25)
        median = Self.quantile(sorted, 0.5)
        upperQuartile = Self.quantile(sorted, 0.75)
        let reach = 1.5 * (upperQuartile - lowerQuartile)
        let (low, high) = (lowerQuartile - reach, upperQuartile + reach)
        let inside = sorted.filter { $0 >= low && $0 <= high }
        lowerWhisker = inside.first ?? lowerQuartile
        upperWhisker = inside.last ?? upperQuartile
        outliers = sorted.filter { $0 < low || $0 > high }
    }

    /// Type-7 quantile of sorted values: `h = (n - 1) p`, interpolated between floor and ceiling.
    public static func quantile(_ sorted: [Double], _ p: Double) -> Double {
        let h = Double(sorted.count - 1) * p
        let low = Int(h.rounded(.down))
        let high = min(low + 1, sorted.count - 1)
        return sorted[low] + (h - Double(low)) * (sorted[high] - sorted[low])
    }
}
