import Files
import Foundation
import Metrics
import VolumeIO

/// Scores volumes: for each case, the GT is read once, then each model's prediction, brought onto
/// the GT's grid (`GridAlignment`), and every label is scored under the chosen convention
/// (`DistanceConvention`). Cases run on `threads` workers, one case (its GT and one prediction)
/// in flight per worker; rows come back in case order, then model, then label.
public struct VolumeEvaluator: Sendable {
    public var convention: DistanceConvention
    /// NSD's tolerance in mm.
    public var tolerance: Double
    /// A probability map's voxel is foreground when its value is >= this.
    public var threshold: Double
    /// The labels to score; nil: every non-zero label present in the GT or the prediction.
    public var labels: [Int32]?
    public var threads: Int

    public init(convention: DistanceConvention, tolerance: Double, threshold: Double, labels: [Int32]?, threads: Int) {
        self.convention = convention
        self.tolerance = tolerance
        self.threshold = threshold
        self.labels = labels
        self.threads = threads
    }

    /// One (case, model, label) result.
    public struct Row: Sendable {
        public var caseName: String
        public var model: Int
        public var label: Int32
        public var scores: VolumeScores
        /// |G| = 0, |P| = 0 for this label.
        public var groundTruthEmpty: Bool
        public var predictionEmpty: Bool
    }

    /// What one case gave: its rows, and notes (reorientation, spacing repairs) to pass on.
    public struct CaseResult: Sendable {
        public var rows: [Row] = []
        public var notes: [String] = []
    }

    /// Evaluates every case; `progress(done, total)` after each.
    /// - Throws: the first case's error (a file that cannot be read, grids that do not match).
    public func run(_ layout: VolumeLayout, progress: @Sendable (Int, Int) -> Void = { _, _ in }) throws -> [CaseResult] {
        let cases = layout.cases
        let done = Counter()
        let outcomes = parallelMap(count: cases.count, threads: threads) { index -> Result<CaseResult, EvaluationError> in
            defer { progress(done.increment(), cases.count) }
            do {
                return .success(try evaluate(cases[index], spareThread: threads > cases.count))
            } catch let error as EvaluationError {
                return .failure(error)
            } catch {
                return .failure(EvaluationError("\(error)"))
            }
        }
        return try outcomes.map { try $0.get() }
    }

    func evaluate(_ item: VolumeLayout.Case, spareThread: Bool = false) throws -> CaseResult {
        var result = CaseResult()
        var groundTruth = try NIfTIReader.read(path: item.groundTruth)
        result.notes += groundTruth.notes.map { "\(item.groundTruth): \($0)" }
        var groundTruthLabels = try Self.labelMap(groundTruth, path: item.groundTruth)
        let lastModel = item.predictions.lastIndex { $0 != nil }
        var groundTruthPresent: Set<Int32>?
        for (model, path) in item.predictions.enumerated() {
            guard let path else { continue }
            var prediction: Volume? = try NIfTIReader.read(path: path)
            result.notes += prediction!.notes.map { "\(path): \($0)" }
            do {
                let (aligned, note) = try GridAlignment.align(prediction!, to: groundTruth)
                prediction = aligned
                if let note { result.notes.append("\(path): \(note)") }
            } catch {
                throw EvaluationError("\(path) and its GT \(item.groundTruth) are not on the same voxel grid: \(error.description)")
            }
            var predictionLabels = try labels(of: prediction!, path: path) {
                if groundTruthPresent == nil { groundTruthPresent = groundTruthLabels.present(count: groundTruth.voxelCount) }
                return groundTruthPresent!
            }
            // Every label's crop first, then the prediction is let go: the distances run with the
            // GT and the crops in memory, not both whole volumes.
            let pairs: [(Int32, MaskPair)] = {
                let scan = LabelScan(groundTruth: groundTruth, groundTruthLabels: groundTruthLabels, predictionLabels: predictionLabels)
                return (labels ?? scan.present).map { ($0, scan.pair($0)) }
            }()
            predictionLabels = .bytes([])
            prediction = nil
            if model == lastModel {
                groundTruthLabels = .bytes([])
                groundTruth.samples = .bytes([])
            }
            for (label, var pair) in pairs {
                pair.directionsInParallel = spareThread
                result.rows.append(Row(caseName: item.name, model: model, label: label,
                                       scores: convention.scores(pair, tolerance: tolerance), groundTruthEmpty: pair.groundTruthIsEmpty,
                                       predictionEmpty: pair.predictionIsEmpty))
            }
        }
        return result
    }

    /// A prediction read as labels: a label map as it is, a probability map as `probabilityLabel`
    /// where >= the threshold (`groundTruthPresent` is asked for only then).
    func labels(of prediction: Volume, path: String, groundTruthPresent: () -> Set<Int32>) throws -> VoxelLabels {
        switch prediction.samples {
        case .bytes(let values): return .bytes(values)
        case .labels(let values): return .labels(values)
        case .floats(let values):
            return .floats(values, threshold: threshold, label: try probabilityLabel(groundTruthPresent: groundTruthPresent(), path: path))
        case .probabilities(let values):
            return .probabilities(values, threshold: threshold, label: try probabilityLabel(groundTruthPresent: groundTruthPresent(), path: path))
        }
    }

    /// The label a probability map stands for: the one `--labels` names, else the GT's only label,
    /// else 1 (an empty GT).
    func probabilityLabel(groundTruthPresent: Set<Int32>, path: String) throws -> Int32 {
        if let labels {
            guard labels.count == 1 else { throw EvaluationError("\(path) is a probability map (float voxels): it stands for one label, but --labels names \(labels.count); give one") }
            return labels[0]
        }
        guard groundTruthPresent.count <= 1 else {
            throw EvaluationError("\(path) is a probability map (float voxels) while its GT holds labels \(groundTruthPresent.sorted().map(String.init).joined(separator: ", ")): give the label it stands for with --labels K")
        }
        return groundTruthPresent.first ?? 1
    }

    /// The GT's labels: a label map, or float voxels that are all whole numbers >= 0 (some tools
    /// save masks as float32).
    static func labelMap(_ volume: Volume, path: String) throws -> VoxelLabels {
        switch volume.samples {
        case .bytes(let values): return .bytes(values)
        case .labels(let values): return .labels(values)
        case .floats, .probabilities:
            var labels = [Int32](repeating: 0, count: volume.voxelCount)
            for index in 0..<volume.voxelCount {
                let value = volume.samples.value(at: index)
                guard value >= 0, value <= 1_000_000, value.rounded() == value else {
                    throw EvaluationError("\(path): a GT must be a label map; this one has float voxels that are not whole numbers (\(value) at voxel \(index))")
                }
                labels[index] = Int32(value)
            }
            return .labels(labels)
        }
    }
}

/// A thread-safe counter (progress).
final class Counter: @unchecked Sendable {
    private var value = 0
    private let lock = NSLock()

    func increment() -> Int {
        lock.lock()
        defer { lock.unlock() }
        value += 1
        return value
    }
}
