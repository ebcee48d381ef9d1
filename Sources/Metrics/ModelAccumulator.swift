/// Everything a model's summary needs from its images, kept as running exact sums: a fixed size
/// whatever the number of images, so evaluation streams.
///
/// For each quantity averaged over images (each curve's point at each threshold, each adaptive
/// value, each per-image metric) it keeps the `ExactSum` of the defined values and the counts of
/// defined and undefined (NaN) ones. Both conventions read from that: the textbook one divides by
/// the defined count, the toolbox one (MATLAB, NaN averaged in) gives NaN when anything was
/// undefined. Accumulators of disjoint image sets merge (`add(_:)` of another) into exactly the
/// accumulator of the union, in any order: a run split over threads or shards sums to the same bits.
public struct ModelAccumulator: Sendable, Hashable {
    /// One quantity averaged over images.
    public struct Mean: Sendable, Hashable {
        public var sum = ExactSum()
        public var defined = 0
        public var undefined = 0

        public init() {}

        public init(sum: ExactSum, defined: Int, undefined: Int) {
            self.sum = sum
            self.defined = defined
            self.undefined = undefined
        }

        mutating func add(_ value: Double) {
            if value.isNaN { undefined += 1 } else { sum.add(value); defined += 1 }
        }

        mutating func add(_ other: Mean) {
            sum.add(other.sum)
            defined += other.defined
            undefined += other.undefined
        }

        /// The mean under a convention: textbook leaves undefined values out (NaN if none is
        /// defined), the toolbox averages them in (NaN if any).
        func mean(skippingUndefined: Bool) -> Double {
            if skippingUndefined { return defined == 0 ? .nan : sum.value / Double(defined) }
            return undefined > 0 || defined == 0 ? .nan : sum.value / Double(defined)
        }
    }

    public var table: MetricTable
    public private(set) var imageCount = 0
    /// Per curve metric (table order), per threshold.
    public private(set) var curves: [[Mean]]
    /// Per curve metric, the adaptive values.
    public private(set) var adaptive: [Mean]
    /// Per per-image metric (table order); `computed[k]`: some image had a value (not nil).
    public private(set) var images: [Mean]
    public private(set) var computed: [Bool]

    /// `thresholds`: the length of every curve (`ThresholdLadder.count`).
    public init(table: MetricTable = .standard, thresholds: Int = ThresholdLadder.count) {
        self.table = table
        curves = Array(repeating: Array(repeating: Mean(), count: thresholds), count: table.curves.count)
        adaptive = Array(repeating: Mean(), count: table.curves.count)
        images = Array(repeating: Mean(), count: table.images.count)
        computed = Array(repeating: false, count: table.images.count)
    }

    /// A state read back from a partial result; nil when its shape does not fit `table`.
    public init?(table: MetricTable, imageCount: Int, curves: [[Mean]], adaptive: [Mean], images: [Mean], computed: [Bool]) {
        guard imageCount >= 0, curves.count == table.curves.count, adaptive.count == table.curves.count,
              images.count == table.images.count, computed.count == table.images.count,
              let thresholds = curves.first?.count, curves.allSatisfy({ $0.count == thresholds }) else { return nil }
        self.table = table
        self.imageCount = imageCount
        self.curves = curves
        self.adaptive = adaptive
        self.images = images
        self.computed = computed
    }

    public var thresholds: Int { curves.first?.count ?? 0 }

    /// Adds one image's scores (measured with this table).
    public mutating func add(_ image: ImageScores) {
        imageCount += 1
        for metric in table.curves {
            let curve = image.curves[metric]
            precondition(curve.count == curves[metric.index].count, "every curve has the accumulator's thresholds")
            for (index, value) in curve.enumerated() { curves[metric.index][index].add(value) }
            adaptive[metric.index].add(image.adaptive[metric])
        }
        for metric in table.images {
            let value = image.values[metric]
            if value != nil { computed[metric.index] = true }
            // Not computed for this image (while others had it): averaged in as undefined.
            images[metric.index].add(value ?? .nan)
        }
    }

    /// Adds the images of another accumulator (of the same table and thresholds).
    public mutating func add(_ other: ModelAccumulator) {
        precondition(other.table == table && other.thresholds == thresholds, "accumulators of one table")
        imageCount += other.imageCount
        for metric in curves.indices {
            for index in curves[metric].indices { curves[metric][index].add(other.curves[metric][index]) }
            adaptive[metric].add(other.adaptive[metric])
        }
        for metric in images.indices {
            images[metric].add(other.images[metric])
            computed[metric] = computed[metric] || other.computed[metric]
        }
    }
}
