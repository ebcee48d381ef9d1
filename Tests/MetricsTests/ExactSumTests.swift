import SegevalTestSupport
import Testing
@testable import Metrics

/// `ExactSum` against sums known from first principles (powers of two and cancellations whose
/// exact value is plain), and its order independence.
@Suite struct ExactSumTests {
    static func sum(_ values: [Double]) -> Double {
        var sum = ExactSum()
        for value in values { sum.add(value) }
        return sum.value
    }

    @Test func cancellationsLeaveTheSmallTerm() {
        // Naive left-to-right summation gives 0 here; the exact sum is 1e-100.
        #expect(Self.sum([1e100, 1.0, -1e100, 1e-100, 1e50, -1.0, -1e50]) == 1e-100)
        #expect(Self.sum([1e100, 1.0, -1e100]) == 1.0)
        #expect(Self.sum([]) == 0)
        #expect(Self.sum([5, -5]) == 0)
    }

    @Test func roundsTheExactSumOnceToNearestEven() {
        let ulpHalf = 0x1p-53  // half an ulp of 1.0
        // 1 + 2^-53 is exactly half-way between 1 and 1 + 2^-52: ties to even gives 1.
        #expect(Self.sum([1.0, ulpHalf]) == 1.0)
        // Anything above the half-way point rounds up, however small (naive: 1.0).
        #expect(Self.sum([1.0, ulpHalf, 0x1p-106]) == 1.0 + 0x1p-52)
        #expect(Self.sum([0x1p-106, ulpHalf, 1.0]) == 1.0 + 0x1p-52)
        // Below it, down (naive in this order: 1 + 2^-52).
        #expect(Self.sum([1.0, ulpHalf, -0x1p-106]) == 1.0)
        // (1 + 2^-52) + 2^-53 is half-way to 1 + 2^-51, whose last bit is even.
        #expect(Self.sum([1.0 + 0x1p-52, ulpHalf]) == 1.0 + 0x1p-51)
        // Ten 0.1s: the exact sum of the double 0.1 (0.1000000000000000055...) ten times is
        // 1.000000000000000055..., nearest double 1 (naive: 0.9999999999999999).
        #expect(Self.sum(Array(repeating: 0.1, count: 10)) == 1.0)
    }

    @Test func integersScaledByPowersOfTwoSumExactly() {
        // k * 2^-30 for integers k: every partial sum is exact in integer arithmetic.
        var generator = SplitMix64(seed: 11)
        var integers: [Int64] = []
        for _ in 0..<5000 { integers.append(Int64.random(in: -(1 << 40)...(1 << 40), using: &generator)) }
        let exact = Double(integers.reduce(0, +)) * 0x1p-30
        #expect(Self.sum(integers.map { Double($0) * 0x1p-30 }) == exact)
    }

    @Test func anyOrderAndAnySplitGiveTheSameBits() {
        var generator = SplitMix64(seed: 3)
        // Scores in [0, 1] with wildly different magnitudes, as curve points are.
        let values = (0..<3000).map { _ in Double.random(in: 0...1, using: &generator) * Double(sign: .plus, exponent: Int.random(in: -40...0, using: &generator), significand: 1) }
        let reference = Self.sum(values)
        var naive = Set<UInt64>()
        for round in 0..<20 {
            var shuffled = values
            shuffled.shuffle(using: &generator)
            #expect(Self.sum(shuffled).bitPattern == reference.bitPattern)
            naive.insert(shuffled.reduce(0, +).bitPattern)
            // Split into parts summed separately, merged in another order.
            let cut1 = (round * 137) % values.count, cut2 = (round * 911 + 5) % values.count
            let (low, high) = (min(cut1, cut2), max(cut1, cut2))
            var a = ExactSum(), b = ExactSum(), c = ExactSum()
            for value in shuffled[..<low] { a.add(value) }
            for value in shuffled[low..<high] { b.add(value) }
            for value in shuffled[high...] { c.add(value) }
            c.add(a)
            c.add(b)
            #expect(c.value.bitPattern == reference.bitPattern)
            // The state read back from its partials (a shard's file) is the same sum.
            #expect(ExactSum(partials: c.partials)?.value.bitPattern == reference.bitPattern)
        }
        // The test means something: plain summation does depend on the order here.
        #expect(naive.count > 1)
    }

    @Test func nonFiniteTermsAreCountedNotSummed() {
        #expect(Self.sum([1, .nan, 2]).isNaN)
        #expect(Self.sum([1, .infinity]) == .infinity)
        #expect(Self.sum([-.infinity, 1]) == -.infinity)
        #expect(Self.sum([.infinity, -.infinity]).isNaN)
        #expect(Self.sum([.greatestFiniteMagnitude, .greatestFiniteMagnitude]) == .infinity)
        #expect(ExactSum(partials: [.nan]) == nil)
    }
}

/// Accumulators of disjoint image sets merge into the accumulator of the union, bit for bit.
@Suite struct ModelAccumulatorTests {
    static func images(_ count: Int, seed: UInt64) -> [ImageScores] {
        var generator = SplitMix64(seed: seed)
        let evaluator = ImageEvaluator(protocol: .standard)
        return (0..<count).map { index in
            let pixels = (0..<64).map { _ in UInt8.random(in: 0...1, using: &generator) }
            let levels = (0..<64).map { _ in UInt8.random(in: 0...255, using: &generator) }
            return evaluator.evaluate(name: "\(index)", groundTruth: GroundTruthMask(width: 8, height: 8, pixels: pixels),
                                      prediction: .uint8(width: 8, height: 8, pixels: levels))
        }
    }

    @Test func splitsMergeToTheSameSummary() {
        let images = Self.images(40, seed: 5)
        let whole = ModelSummary(images: images, protocol: .standard)
        for parts in [2, 3, 7] {
            var merged = ModelAccumulator()
            // Merged last part first: order does not matter.
            for part in (0..<parts).reversed() {
                var accumulator = ModelAccumulator()
                for image in images[(part * images.count / parts)..<((part + 1) * images.count / parts)] { accumulator.add(image) }
                merged.add(accumulator)
            }
            #expect(ModelSummary(merged, protocol: .standard) == whole)
        }
        #expect(whole.imageCount == 40)
    }
}
