/// A deterministic part of a run: `--shard i/n` takes the i-th of n contiguous runs of the
/// evaluation's pair groups (`Evaluator.groups`: by image name, then job; the pairs that share a
/// ground truth stay together). i counts from 0, as SLURM's `--array=0-(n-1)` does, so
/// `--shard $SLURM_ARRAY_TASK_ID/n` works as it is. Shard i gets groups
/// `[i*G/n, (i+1)*G/n)` of G: every group in exactly one shard, sizes within one of each other,
/// and shard order is run order (merging in shard order gives a single run's row order).
public struct Shard: Sendable, Hashable, CustomStringConvertible {
    public var index: Int
    public var count: Int

    /// The whole run (0/1).
    public static let whole = Shard(uncheckedIndex: 0, count: 1)

    init(uncheckedIndex index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    /// - Throws: `EvaluationError` unless 0 <= index < count and count <= 1,000,000.
    public init(index: Int, count: Int) throws(EvaluationError) {
        guard count >= 1, count <= Self.maximumCount else {
            throw EvaluationError("--shard: the number of shards must be between 1 and \(Self.maximumCount), not \(count)")
        }
        guard index >= 0, index < count else {
            throw EvaluationError("--shard: the shard index counts from 0 and must be below \(count), not \(index) (e.g. --shard 0/\(count) ... --shard \(count - 1)/\(count))")
        }
        self.init(uncheckedIndex: index, count: count)
    }

    /// "i/n", e.g. "0/4" or "$SLURM_ARRAY_TASK_ID/4" expanded.
    public init(parsing text: String) throws(EvaluationError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else {
            throw EvaluationError("--shard: expected i/n (e.g. 0/4: the first of 4 shards), not '\(text)'")
        }
        try self.init(index: index, count: count)
    }

    public static let maximumCount = 1_000_000

    public var isWhole: Bool { count == 1 }

    public var description: String { "\(index)/\(count)" }

    /// The indices of this shard's part of `total` items.
    public func range(of total: Int) -> Range<Int> {
        // total * index <= total * 10^6: no overflow for any array that fits in memory.
        let (low, overflowLow) = total.multipliedReportingOverflow(by: index)
        let (high, overflowHigh) = total.multipliedReportingOverflow(by: index + 1)
        precondition(!overflowLow && !overflowHigh, "shard arithmetic overflow")
        return (low / count)..<(high / count)
    }
}
