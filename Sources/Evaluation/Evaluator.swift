import Files
import Foundation
import ImageIO
import Metrics

/// One model's (and class's) evaluation: the running sums its summary is made of, and notes.
/// Per-image scores are not kept: they stream to the caller as they are made (`Evaluator.run`).
public struct ModelResult: Sendable {
    public var model: String
    public var className: String?
    public var classLabel: Int?
    /// Exact sums over the images scored (this shard's, or every shard's once merged).
    public var accumulator: ModelAccumulator
    public var summary: ModelSummary
    /// The job's pairs, in every shard (what "N of M resized" counts against).
    public var pairCount: Int
    /// Predictions resized in memory to their ground truth's size.
    public var resizedCount: Int
    /// Notes on the folder: skipped files, upper-case names (the same in every shard).
    public var folderNotes: [String]

    public init(model: String, className: String?, classLabel: Int?, accumulator: ModelAccumulator,
                protocol evaluationProtocol: EvaluationProtocol, pairCount: Int, resizedCount: Int, folderNotes: [String]) {
        self.model = model
        self.className = className
        self.classLabel = classLabel
        self.accumulator = accumulator
        self.summary = ModelSummary(accumulator, protocol: evaluationProtocol)
        self.pairCount = pairCount
        self.resizedCount = resizedCount
        self.folderNotes = folderNotes
    }

    public var imageCount: Int { accumulator.imageCount }

    /// The folder notes and what was done (resizes).
    public var notes: [String] {
        guard resizedCount > 0 else { return folderNotes }
        return folderNotes + ["\(resizedCount) of \(pairCount) prediction(s) differ in size from their ground truth and were resized in memory (MATLAB bicubic imresize, antialiased when shrinking); the files were not modified"]
    }

    /// Adds another shard's images of the same job (exact: any order gives the same summary).
    public mutating func merge(_ other: ModelResult, protocol evaluationProtocol: EvaluationProtocol) {
        accumulator.add(other.accumulator)
        resizedCount += other.resizedCount
        summary = ModelSummary(accumulator, protocol: evaluationProtocol)
    }
}

/// A decoded ground truth and what the weighted F-measure precomputes from it.
struct PreparedGroundTruth: Sendable {
    var mask: GroundTruthMask
    var weightedF: WeightedFMeasure.Preparation?
}

/// Runs model jobs as a stream, so that memory does not grow with the number of images.
///
/// Every (job, pair) is put in one order: by image name (byte-wise, as each job's pairs already
/// are), then job. Pairs next to each other that share a ground truth (the same image in every
/// model of a class) form a group: its ground truth is decoded once, every model's prediction is
/// scored against it, and it is dropped. Groups are evaluated a window at a time on all cores, and
/// each window's scores are handed to `consume` on the calling thread in that order (so each job
/// sees its images in its own order), then added to the job's `ModelAccumulator` and dropped.
/// Peak memory is one window of decoded images and scores, whatever the number of pairs.
///
/// A shard (`Shard`) takes a contiguous run of the groups: the union of the shards is the run, in
/// order, and the exact accumulators make the merged sums bit-identical to one run's.
public struct Evaluator: Sendable {
    public var imageEvaluator: ImageEvaluator
    /// Worker threads (the results do not depend on it).
    public var threads: Int
    /// Groups per window (decoded and scored together before they are consumed).
    public var windowSize: Int

    /// - Parameters:
    ///   - threads: default: the CPUs this process may use (`AvailableCPUs`).
    ///   - windowSize: default: 8 groups per thread, at least 64.
    ///   - distances: the surface distances on each pair (`--distances` on 2-D maps), nil for none.
    public init(protocol evaluationProtocol: EvaluationProtocol = .infnet, computesWeightedFMeasure: Bool = false,
                distances: DistanceSettings? = nil, threads: Int = AvailableCPUs.count, windowSize: Int? = nil) {
        imageEvaluator = ImageEvaluator(protocol: evaluationProtocol, computesWeightedFMeasure: computesWeightedFMeasure, distances: distances)
        self.threads = max(1, threads)
        self.windowSize = max(1, windowSize ?? max(64, 8 * self.threads))
    }

    /// One (job, pair) in the run's order: indices (8 bytes), not copies of the pair.
    struct Item: Sendable {
        private var jobIndex: Int32
        private var pairIndex: Int32
        var job: Int { Int(jobIndex) }
        var pair: Int { Int(pairIndex) }

        init(job: Int, pair: Int) {
            jobIndex = Int32(job)
            pairIndex = Int32(pair)
        }
    }

    /// The run's order and its groups: `items` sorted by name (byte-wise), then job; group k is
    /// `items[bounds[k]..<bounds[k + 1]]`, the pairs next to each other that share a ground truth.
    struct Plan: Sendable {
        var items: [Item]
        var bounds: [Int]
        var groupCount: Int { bounds.count - 1 }

        func group(_ index: Int) -> ArraySlice<Item> { items[bounds[index]..<bounds[index + 1]] }
    }

    static func plan(_ jobs: [ModelJob]) -> Plan {
        var items: [Item] = []
        items.reserveCapacity(jobs.reduce(0) { $0 + $1.pairs.count })
        // Int32 indices: a run is limited to 2^31 - 1 jobs and pairs per job (checked).
        precondition(jobs.count < Int(Int32.max) && jobs.allSatisfy { $0.pairs.count < Int(Int32.max) }, "at most 2^31 - 1 pairs per model")
        for (job, model) in jobs.enumerated() { items += model.pairs.indices.map { Item(job: job, pair: $0) } }
        items.sort { a, b in
            let x = jobs[a.job].pairs[a.pair].name, y = jobs[b.job].pairs[b.pair].name
            if x != y { return x.utf8.lexicographicallyPrecedes(y.utf8) }
            return a.job < b.job
        }
        var bounds = [0]
        func groundTruth(_ item: Item) -> GroundTruthSource { jobs[item.job].pairs[item.pair].groundTruth }
        for index in items.indices.dropFirst() where groundTruth(items[index]) != groundTruth(items[index - 1]) {
            bounds.append(index)
        }
        if !items.isEmpty { bounds.append(items.count) }
        return Plan(items: items, bounds: bounds)
    }

    /// The groups as pairs (tests).
    static func groups(_ jobs: [ModelJob]) -> [[(job: Int, pair: ImagePair)]] {
        let plan = plan(jobs)
        return (0..<plan.groupCount).map { plan.group($0).map { ($0.job, jobs[$0.job].pairs[$0.pair]) } }
    }

    /// One pair's outcome.
    enum Outcome: Sendable {
        case scored(job: Int, ImageScores, resized: Bool)
        case groundTruthFailed(String)
        case predictionFailed(String)
    }

    /// - Parameters:
    ///   - shard: the part of the pairs to evaluate (default: all).
    ///   - progress: called with (pairs done, pairs in this shard) from worker threads.
    ///   - consume: each pair's scores with its job's index, on the calling thread, in each job's
    ///     pair order.
    /// - Throws: `EvaluationError` naming every file that could not be read (first 10 + count):
    ///   ground truths first; then predictions.
    public func run(_ jobs: [ModelJob], shard: Shard = .whole, progress: (@Sendable (Int, Int) -> Void)? = nil,
                    consume: (Int, ImageScores) -> Void = { _, _ in }) throws(EvaluationError) -> [ModelResult] {
        let plan = Self.plan(jobs)
        let groups = shard.range(of: plan.groupCount)
        let counter = ProgressCounter(total: groups.isEmpty ? 0 : plan.bounds[groups.upperBound] - plan.bounds[groups.lowerBound],
                                      report: progress)
        let evaluator = imageEvaluator
        var accumulators = Array(repeating: ModelAccumulator(table: evaluator.table, thresholds: ThresholdLadder.count),
                                 count: jobs.count)
        var resized = Array(repeating: 0, count: jobs.count)
        var groundTruthFailures: [String] = [], predictionFailures: [String] = []

        var start = groups.startIndex
        while start < groups.endIndex {
            let window = start..<min(start + windowSize, groups.endIndex)
            start = window.upperBound
            let outcomes: [[Outcome]] = parallelMap(count: window.count, threads: threads) { offset in
                let group = plan.group(window.lowerBound + offset).map { (job: $0.job, pair: jobs[$0.job].pairs[$0.pair]) }
                return Self.evaluate(group, with: evaluator, counter: counter)
            }
            for outcome in outcomes.joined() {
                switch outcome {
                case .scored(let job, let scores, let wasResized):
                    guard groundTruthFailures.isEmpty && predictionFailures.isEmpty else { continue }
                    accumulators[job].add(scores)
                    if wasResized { resized[job] += 1 }
                    consume(job, scores)
                case .groundTruthFailed(let message): groundTruthFailures.append(message)
                case .predictionFailed(let message): predictionFailures.append(message)
                }
            }
        }
        if !groundTruthFailures.isEmpty { throw EvaluationError("cannot read ground truth: " + EvaluationError.list(groundTruthFailures)) }
        if !predictionFailures.isEmpty { throw EvaluationError("cannot read prediction: " + EvaluationError.list(predictionFailures)) }

        return jobs.enumerated().map { index, job in
            var notes = job.notes
            if !job.skipped.isEmpty {
                notes.append("skipped \(job.skipped.count) prediction(s) without ground truth: \(EvaluationError.list(job.skipped))")
            }
            return ModelResult(model: job.model, className: job.className, classLabel: job.classLabel,
                               accumulator: accumulators[index], protocol: evaluator.evaluationProtocol,
                               pairCount: job.pairs.count, resizedCount: resized[index], folderNotes: notes)
        }
    }

    /// One group: its ground truth decoded once (with the weighted F-measure's preparation, which
    /// depends on the GT alone), then each pair's prediction scored against it.
    static func evaluate(_ group: [(job: Int, pair: ImagePair)], with evaluator: ImageEvaluator, counter: ProgressCounter) -> [Outcome] {
        defer { for _ in group { counter.step() } }
        let prepared: PreparedGroundTruth
        do throws(FileError) {
            let mask = try group[0].pair.groundTruth.read()
            prepared = PreparedGroundTruth(mask: mask, weightedF: evaluator.computesWeightedFMeasure ? WeightedFMeasure.Preparation(groundTruth: mask) : nil)
        } catch {
            return [.groundTruthFailed(error.description)]
        }
        let mask = prepared.mask
        return group.map { item in
            let prediction: (map: PredictionMap, resizedFrom: (width: Int, height: Int)?, unreadChannels: [String])
            do throws(FileError) { prediction = try item.pair.readPrediction(size: (mask.width, mask.height)) } catch {
                return .predictionFailed(error.description)
            }
            var scores = evaluator.evaluate(name: item.pair.name, groundTruth: mask, prediction: prediction.map,
                                            preparation: prepared.weightedF)
            if let original = prediction.resizedFrom {
                scores.findings.append(.predictionResized(width: original.width, height: original.height, toWidth: mask.width, toHeight: mask.height))
            }
            if !prediction.unreadChannels.isEmpty {
                scores.findings.append(.unreadChannels(prediction.unreadChannels))
            }
            return .scored(job: item.job, scores, resized: prediction.resizedFrom != nil)
        }
    }
}

extension Evaluator {
    /// A result with its images' scores.
    public struct KeptResult: Sendable {
        public var result: ModelResult
        public var images: [ImageScores]
        public var model: String { result.model }
        public var className: String? { result.className }
        public var classLabel: Int? { result.classLabel }
        public var summary: ModelSummary { result.summary }
    }

    /// `run`, keeping every image's scores in memory, per result in order: for small sets in a
    /// library's caller and in tests (the command line streams them instead).
    public func runKeepingImages(_ jobs: [ModelJob]) throws(EvaluationError) -> [KeptResult] {
        var images = Array(repeating: [ImageScores](), count: jobs.count)
        let results = try run(jobs, consume: { job, scores in images[job].append(scores) })
        return zip(results, images).map { KeptResult(result: $0, images: $1) }
    }
}
