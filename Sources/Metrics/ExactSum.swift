/// The exact sum of doubles, rounded once when read: the same value whatever the order in which
/// the terms were added or partial sums merged.
///
/// Sums over images are the only place where segeval's results could depend on thread
/// scheduling, shard boundaries or merge order: floating-point addition is not associative. An
/// `ExactSum` keeps the sum without error as a few non-overlapping doubles ("partials", Shewchuk
/// 1997, "Adaptive precision floating-point arithmetic and fast robust geometric predicates",
/// the algorithm of Python's `math.fsum`), and `value` rounds that exact sum to the nearest double
/// (ties to even). The exact sum does not depend on the order, so neither does the rounded value:
/// a single run, any number of threads and any sharding give the same bits.
///
/// Against the old "sum in image order, then divide" (MATLAB `mean`) a mean can differ in the last
/// bit or two, always towards the exact mean.
///
/// Non-finite terms are counted, not summed: `value` is NaN if a NaN was added or +inf and -inf
/// were both added, else the infinity added. A finite sum whose exact value exceeds the double
/// range reads as the infinity of its sign.
public struct ExactSum: Sendable, Hashable {
    /// Non-overlapping, by increasing magnitude, none zero; their exact sum is the sum.
    public private(set) var partials: [Double] = []
    public private(set) var nanCount = 0
    public private(set) var positiveInfinityCount = 0
    public private(set) var negativeInfinityCount = 0
    /// An intermediate sum of finite terms overflowed (its sign).
    public private(set) var overflow: FloatingPointSign?

    public init() {}

    /// A state as `partials` etc. report it (a merged partial result read back).
    /// - Returns: nil when `partials` holds a non-finite value.
    public init?(partials: [Double], nanCount: Int = 0, positiveInfinityCount: Int = 0, negativeInfinityCount: Int = 0,
                 overflow: FloatingPointSign? = nil) {
        guard partials.allSatisfy(\.isFinite), nanCount >= 0, positiveInfinityCount >= 0, negativeInfinityCount >= 0 else { return nil }
        self.nanCount = nanCount
        self.positiveInfinityCount = positiveInfinityCount
        self.negativeInfinityCount = negativeInfinityCount
        self.overflow = overflow
        // Re-adding normalises whatever was read (it need not have been non-overlapping).
        for value in partials { add(value) }
    }

    public mutating func add(_ term: Double) {
        guard term.isFinite else {
            if term.isNaN { nanCount += 1 } else if term > 0 { positiveInfinityCount += 1 } else { negativeInfinityCount += 1 }
            return
        }
        var x = term
        var kept = 0
        for index in partials.indices {
            var y = partials[index]
            if abs(x) < abs(y) { swap(&x, &y) }
            let high = x + y
            if !high.isFinite {
                // Only possible near the top of the double range (never for scores in [0, 1]).
                overflow = high.sign
                return
            }
            let low = y - (high - x)
            if low != 0 {
                partials[kept] = low
                kept += 1
            }
            x = high
        }
        partials.removeSubrange(kept...)
        if x != 0 { partials.append(x) }
    }

    /// Adds every term of `other` (merging partial sums of shards or threads).
    public mutating func add(_ other: ExactSum) {
        for value in other.partials { add(value) }
        nanCount += other.nanCount
        positiveInfinityCount += other.positiveInfinityCount
        negativeInfinityCount += other.negativeInfinityCount
        if let sign = other.overflow { overflow = overflow ?? sign }
    }

    /// The exact sum rounded to the nearest double, ties to even.
    public var value: Double {
        if nanCount > 0 || (positiveInfinityCount > 0 && negativeInfinityCount > 0) { return .nan }
        if positiveInfinityCount > 0 { return .infinity }
        if negativeInfinityCount > 0 { return -.infinity }
        if let overflow { return overflow == .minus ? -.infinity : .infinity }
        var count = partials.count
        guard count > 0 else { return 0 }
        // From the largest partial down, until the remaining ones can no longer change the sum.
        count -= 1
        var high = partials[count]
        var low = 0.0
        while count > 0 {
            let x = high
            count -= 1
            let y = partials[count]
            high = x + y
            let yRounded = high - x
            low = y - yRounded
            if low != 0 { break }
        }
        // Half-way cases: the partials below decide the direction of the rounding of `low`.
        if count > 0 && ((low < 0 && partials[count - 1] < 0) || (low > 0 && partials[count - 1] > 0)) {
            let y = low * 2
            let x = high + y
            if y == x - high { high = x }
        }
        return high
    }
}
