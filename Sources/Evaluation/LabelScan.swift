import Metrics
import VolumeIO

/// The mask pairs of every label of a (GT, prediction) volume pair, from one pass over both
/// volumes: per label, the voxel counts (|G|, |P|, |G ∩ P|) and the bounding box of G ∪ P; then
/// each label's crop (`MaskPair`: the box widened by one voxel) read from the volumes.
///
/// The volumes stay at their file's width (`Volume.Samples`); a probability map is read as label
/// `probabilityLabel` where the value is >= `threshold` (compared as doubles), else 0.
struct LabelScan {
    struct Entry {
        var groundTruth = 0, prediction = 0, both = 0
        var lower = [Int.max, Int.max, Int.max], upper = [-1, -1, -1]

        mutating func include(_ x: Int, _ y: Int, _ z: Int) {
            if x < lower[0] { lower[0] = x }
            if x > upper[0] { upper[0] = x }
            if y < lower[1] { lower[1] = y }
            if y > upper[1] { upper[1] = y }
            if z < lower[2] { lower[2] = z }
            if z > upper[2] { upper[2] = z }
        }
    }

    let entries: [Int32: Entry]
    let groundTruth: Volume
    let groundTruthLabels: VoxelLabels
    let predictionLabels: VoxelLabels

    /// Labels present in the GT or the prediction (non-zero).
    var present: [Int32] { entries.keys.sorted() }

    init(groundTruth: Volume, groundTruthLabels: VoxelLabels, predictionLabels: VoxelLabels) {
        self.groundTruth = groundTruth
        self.groundTruthLabels = groundTruthLabels
        self.predictionLabels = predictionLabels
        entries = VoxelLabels.visit(groundTruthLabels, predictionLabels, Scan(size: groundTruth.size))
    }

    /// The mask pair of `label` (empty masks when it is absent from both volumes).
    func pair(_ label: Int32) -> MaskPair {
        let grid = groundTruth.size
        let entry = entries[label] ?? Entry()
        let total = grid.reduce(1, *)
        let counts = ConfusionCounts(truePositives: entry.both, falsePositives: entry.prediction - entry.both,
                                     falseNegatives: entry.groundTruth - entry.both,
                                     trueNegatives: total - (entry.groundTruth + entry.prediction - entry.both))
        guard entry.upper[0] >= 0 else {
            return MaskPair(counts: counts, gridSize: grid, spacing: groundTruth.spacing, rank: groundTruth.rank, size: [0, 0, 0],
                            origin: [0, 0, 0], prediction: [], groundTruth: [])
        }
        let origin = (0..<3).map { max(entry.lower[$0] - 1, 0) }
        let end = (0..<3).map { min(entry.upper[$0] + 1, grid[$0] - 1) }
        let size = (0..<3).map { end[$0] - origin[$0] + 1 }
        let (prediction, groundTruthMask) = VoxelLabels.visit(groundTruthLabels, predictionLabels,
                                                             Crop(grid: grid, origin: origin, end: end, label: label))
        return MaskPair(counts: counts, gridSize: grid, spacing: groundTruth.spacing, rank: groundTruth.rank, size: size,
                        origin: origin, prediction: prediction, groundTruth: groundTruthMask)
    }
}

/// The counting pass over both volumes.
struct Scan: LabelPairVisitor {
    let size: [Int]

    func visit<G: LabelReader, P: LabelReader>(_ g: G, _ p: P) -> [Int32: LabelScan.Entry] {
        let (nx, ny, nz) = (size[0], size[1], size[2])
        var entries: [Int32: LabelScan.Entry] = [:]
        for z in 0..<nz {
            for y in 0..<ny {
                let row = nx * (y + ny * z)
                // Background rows (most of a CT volume) skipped eight bytes at a time.
                if g.allZero(from: row, count: nx) && p.allZero(from: row, count: nx) { continue }
                for x in 0..<nx {
                    let index = row + x
                    let a = g[index], b = p[index]
                    if a == 0 && b == 0 { continue }
                    if a != 0 {
                        entries[a, default: LabelScan.Entry()].groundTruth += 1
                        entries[a]!.include(x, y, z)
                        if a == b { entries[a]!.both += 1 }
                    }
                    if b != 0 {
                        entries[b, default: LabelScan.Entry()].prediction += 1
                        if a != b { entries[b]!.include(x, y, z) }
                    }
                }
            }
        }
        return entries
    }
}

/// One label's crop of both volumes.
struct Crop: LabelPairVisitor {
    let grid: [Int], origin: [Int], end: [Int]
    let label: Int32

    func visit<G: LabelReader, P: LabelReader>(_ g: G, _ p: P) -> (prediction: [Bool], groundTruth: [Bool]) {
        let count = (0..<3).reduce(1) { $0 * (end[$1] - origin[$1] + 1) }
        var prediction = [Bool](repeating: false, count: count)
        var groundTruth = prediction
        prediction.withUnsafeMutableBufferPointer { pm in
            groundTruth.withUnsafeMutableBufferPointer { gm in
                var index = 0
                for z in origin[2]...end[2] {
                    for y in origin[1]...end[1] {
                        let row = grid[0] * (y + grid[1] * z)
                        for x in origin[0]...end[0] {
                            pm[index] = p[row + x] == label
                            gm[index] = g[row + x] == label
                            index += 1
                        }
                    }
                }
            }
        }
        return (prediction, groundTruth)
    }
}

/// Reads voxel labels from a volume's buffer (specialised per voxel type).
protocol LabelReader {
    subscript(_ index: Int) -> Int32 { get }
    /// Whether voxels start ..< start + count are all 0 (background), when that is cheap to
    /// tell; false when it is not.
    func allZero(from start: Int, count: Int) -> Bool
}

extension LabelReader {
    func allZero(from start: Int, count: Int) -> Bool { false }
}

struct ByteLabels: LabelReader {
    let values: UnsafeBufferPointer<UInt8>
    subscript(index: Int) -> Int32 { Int32(values[index]) }

    /// Eight voxels at a time.
    func allZero(from start: Int, count: Int) -> Bool {
        guard let base = values.baseAddress else { return true }
        return ByteScan.allZero(UnsafeRawPointer(base + start), count: count)
    }
}

struct IntLabels: LabelReader {
    let values: UnsafeBufferPointer<Int32>
    subscript(index: Int) -> Int32 { values[index] }
}

struct ThresholdedFloats: LabelReader {
    let values: UnsafeBufferPointer<Float>
    let threshold: Double, label: Int32
    subscript(index: Int) -> Int32 { Double(values[index]) >= threshold ? label : 0 }
}

struct ThresholdedDoubles: LabelReader {
    let values: UnsafeBufferPointer<Double>
    let threshold: Double, label: Int32
    subscript(index: Int) -> Int32 { values[index] >= threshold ? label : 0 }
}

/// Work over a (GT, prediction) pair of label readers, run with the readers' concrete types.
protocol LabelPairVisitor {
    associatedtype Result
    func visit<G: LabelReader, P: LabelReader>(_ g: G, _ p: P) -> Result
}

/// A volume read as one label per voxel.
enum VoxelLabels {
    case bytes([UInt8])
    case labels([Int32])
    case floats([Float], threshold: Double, label: Int32)
    case probabilities([Double], threshold: Double, label: Int32)

    /// Runs `visitor` with both volumes' concrete readers.
    static func visit<V: LabelPairVisitor>(_ g: VoxelLabels, _ p: VoxelLabels, _ visitor: V) -> V.Result {
        switch g {
        case .bytes(let values): values.withUnsafeBufferPointer { visit(ByteLabels(values: $0), p, visitor) }
        case .labels(let values): values.withUnsafeBufferPointer { visit(IntLabels(values: $0), p, visitor) }
        case .floats(let values, let threshold, let label):
            values.withUnsafeBufferPointer { visit(ThresholdedFloats(values: $0, threshold: threshold, label: label), p, visitor) }
        case .probabilities(let values, let threshold, let label):
            values.withUnsafeBufferPointer { visit(ThresholdedDoubles(values: $0, threshold: threshold, label: label), p, visitor) }
        }
    }

    static func visit<G: LabelReader, V: LabelPairVisitor>(_ g: G, _ p: VoxelLabels, _ visitor: V) -> V.Result {
        switch p {
        case .bytes(let values): values.withUnsafeBufferPointer { visitor.visit(g, ByteLabels(values: $0)) }
        case .labels(let values): values.withUnsafeBufferPointer { visitor.visit(g, IntLabels(values: $0)) }
        case .floats(let values, let threshold, let label):
            values.withUnsafeBufferPointer { visitor.visit(g, ThresholdedFloats(values: $0, threshold: threshold, label: label)) }
        case .probabilities(let values, let threshold, let label):
            values.withUnsafeBufferPointer { visitor.visit(g, ThresholdedDoubles(values: $0, threshold: threshold, label: label)) }
        }
    }

    /// The non-zero labels of the first `count` voxels.
    func present(count: Int) -> Set<Int32> {
        withReader { read in
            var seen = Set<Int32>()
            var last: Int32 = 0
            for index in 0..<count {
                let label = read(index)
                if label != 0 && label != last { seen.insert(label); last = label }
            }
            return seen
        }
    }

    /// Calls `body` with a reader of voxel labels over the volume's buffer.
    func withReader<R>(_ body: ((Int) -> Int32) -> R) -> R {
        switch self {
        case .bytes(let values): values.withUnsafeBufferPointer { b in body { Int32(b[$0]) } }
        case .labels(let values): values.withUnsafeBufferPointer { b in body { b[$0] } }
        case .floats(let values, let threshold, let label): values.withUnsafeBufferPointer { b in body { Double(b[$0]) >= threshold ? label : 0 } }
        case .probabilities(let values, let threshold, let label): values.withUnsafeBufferPointer { b in body { b[$0] >= threshold ? label : 0 } }
        }
    }
}
