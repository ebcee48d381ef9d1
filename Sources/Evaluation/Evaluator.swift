import Foundation
import ImageIO
import Metrics
import Files

/// One model's (and class's) evaluation: per-image scores and the summary.
public struct ModelResult: Sendable {
    public var model: String
    public var className: String?
    public var classLabel: Int?
    public var images: [ImageScores]
    public var summary: ModelSummary
    /// Notes on the folder and on what was done (resizes, skipped files, upper-case names).
    public var notes: [String]

    public init(model: String, className: String?, classLabel: Int?, images: [ImageScores], summary: ModelSummary, notes: [String]) {
        self.model = model
        self.className = className
        self.classLabel = classLabel
        self.images = images
        self.summary = summary
        self.notes = notes
    }
}

/// A decoded ground truth and what the weighted F-measure precomputes from it.
struct PreparedGroundTruth: Sendable {
    var mask: GroundTruthMask
    var weightedF: WeightedFMeasure.Preparation?
}

/// Runs model jobs: decodes every distinct ground truth once, then every prediction, all in
/// parallel, and evaluates each pair with `ImageEvaluator`. Input files are only read.
public struct Evaluator: Sendable {
    public var imageEvaluator: ImageEvaluator

    public init(protocol evaluationProtocol: EvaluationProtocol = .infnet, computesWeightedFMeasure: Bool = false) {
        imageEvaluator = ImageEvaluator(protocol: evaluationProtocol, computesWeightedFMeasure: computesWeightedFMeasure)
    }

    static func distinctGroundTruths(_ jobs: [ModelJob]) -> [GroundTruthSource] {
        var sources: [GroundTruthSource] = []
        var seen = Set<GroundTruthSource>()
        for job in jobs {
            for pair in job.pairs where seen.insert(pair.groundTruth).inserted { sources.append(pair.groundTruth) }
        }
        return sources
    }

    /// - Parameter progress: called with (pairs done, total pairs) from worker threads.
    /// - Throws: `EvaluationError` naming every file that could not be read (first 10 + count).
    public func run(_ jobs: [ModelJob], progress: (@Sendable (Int, Int) -> Void)? = nil) throws(EvaluationError) -> [ModelResult] {
        let sources = Self.distinctGroundTruths(jobs)
        let withWeightedF = imageEvaluator.computesWeightedFMeasure
        let decodedMasks: [Result<PreparedGroundTruth, FileError>] = parallelMap(count: sources.count) { index in
            let source = sources[index]
            do throws(FileError) {
                let mask = try source.read()
                // The weighted F-measure's distance transform depends on the GT alone: once per GT.
                return .success(PreparedGroundTruth(mask: mask,
                                                    weightedF: withWeightedF ? WeightedFMeasure.Preparation(groundTruth: mask) : nil))
            } catch {
                return .failure(error)
            }
        }
        var masks: [GroundTruthSource: PreparedGroundTruth] = [:]
        var failures: [String] = []
        for (source, decoded) in zip(sources, decodedMasks) {
            switch decoded {
            case .success(let prepared): masks[source] = prepared
            case .failure(let error): failures.append(error.description)
            }
        }
        if !failures.isEmpty { throw EvaluationError("cannot read ground truth: " + EvaluationError.list(failures)) }

        let pairs = jobs.enumerated().flatMap { jobIndex, job in job.pairs.map { (jobIndex, $0) } }
        let counter = ProgressCounter(total: pairs.count, report: progress)
        let evaluator = imageEvaluator
        let frozenMasks = masks
        let outcomes: [Result<(ImageScores, Bool), FileError>] = parallelMap(count: pairs.count) { index in
            let pair = pairs[index].1
            defer { counter.step() }
            let prepared = frozenMasks[pair.groundTruth]!
            let mask = prepared.mask
            let prediction: (map: PredictionMap, resizedFrom: (width: Int, height: Int)?, unreadChannels: [String])
            do throws(FileError) { prediction = try pair.readPrediction(size: (mask.width, mask.height)) } catch { return .failure(error) }
            var scores = evaluator.evaluate(name: pair.name, groundTruth: mask, prediction: prediction.map,
                                            preparation: prepared.weightedF)
            if let original = prediction.resizedFrom {
                scores.findings.append(.predictionResized(width: original.width, height: original.height, toWidth: mask.width, toHeight: mask.height))
            }
            if !prediction.unreadChannels.isEmpty {
                scores.findings.append(.unreadChannels(prediction.unreadChannels))
            }
            return .success((scores, prediction.resizedFrom != nil))
        }

        var perJob = Array(repeating: [ImageScores](), count: jobs.count)
        var resizedCount = Array(repeating: 0, count: jobs.count)
        for ((jobIndex, _), outcome) in zip(pairs, outcomes) {
            switch outcome {
            case .success(let (scores, resized)):
                perJob[jobIndex].append(scores)
                if resized { resizedCount[jobIndex] += 1 }
            case .failure(let error):
                failures.append(error.description)
            }
        }
        if !failures.isEmpty { throw EvaluationError("cannot read prediction: " + EvaluationError.list(failures)) }

        return jobs.enumerated().map { index, job in
            var notes = job.notes
            if !job.skipped.isEmpty {
                notes.append("skipped \(job.skipped.count) prediction(s) without ground truth: \(EvaluationError.list(job.skipped))")
            }
            if resizedCount[index] > 0 {
                notes.append("\(resizedCount[index]) of \(job.pairs.count) prediction(s) differ in size from their ground truth and were resized in memory (MATLAB bicubic imresize, antialiased when shrinking); the files were not modified")
            }
            let summary = ModelSummary(images: perJob[index], protocol: evaluator.evaluationProtocol, table: imageEvaluator.table)
            return ModelResult(model: job.model, className: job.className, classLabel: job.classLabel,
                               images: perJob[index], summary: summary, notes: notes)
        }
    }
}
