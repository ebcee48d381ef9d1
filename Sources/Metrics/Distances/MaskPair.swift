import Dispatch

/// The prediction and GT masks of one label on a voxel grid, as every distance metric needs them:
/// the voxel counts over the whole grid, and both masks cropped to the bounding box of their union
/// widened by one voxel (clipped at the grid's edge).
///
/// Why the crop is exact for every surface rule and distance: every surface voxel and every
/// corner surfel of either mask lies in the union's bounding box, the exact distance transform of
/// a box reaches every feature in it, and the one-voxel margin keeps the meaning of "outside":
/// a mask voxel on the crop's edge is on the grid's edge, so a neighbour outside the crop is
/// outside the grid (background for the face rule and DeepMind's corner codes, ignored by ITK's
/// contour, each as its library does), and every other neighbour of a mask voxel is inside the crop.
///
/// Runs `first` and `second`, on two threads when `parallel`.
func bothDirections<T: Sendable>(parallel: Bool, _ first: @Sendable () -> T, _ second: @Sendable () -> T) -> (T, T) {
    guard parallel else { return (first(), second()) }
    let slots = DirectionSlots<T>()
    DispatchQueue.concurrentPerform(iterations: 2) { index in
        if index == 0 { slots.set(0, first()) } else { slots.set(1, second()) }
    }
    return slots.values
}

/// Two write-once slots, each written by one thread before `concurrentPerform` returns.
private final class DirectionSlots<T>: @unchecked Sendable {
    private var first: T?
    private var second: T?
    func set(_ index: Int, _ value: T) { if index == 0 { first = value } else { second = value } }
    var values: (T, T) { (first!, second!) }
}

/// Grids are x fastest (`index = x + nx * (y + ny * z)`), `size` and `spacing` have 3 entries
/// (a 2-D image has nz = 1 and `rank` 2).
public struct MaskPair: Sendable {
    /// TP/FP/FN/TN over the whole grid.
    public var counts: ConfusionCounts
    /// The whole grid's size, its spacing in mm and rank (2: an image, no neighbours along z).
    public var gridSize: [Int]
    public var spacing: [Double]
    public var rank: Int
    /// The crop: its size, its first voxel in grid coordinates, and both masks on it.
    public var size: [Int]
    public var origin: [Int]
    public var prediction: [Bool]
    public var groundTruth: [Bool]

    /// Whether the two directions of a distance may run on two threads at once (the evaluator
    /// sets it when it has a thread to spare: fewer cases than threads).
    public var directionsInParallel = false

    /// Millilitres per voxel.
    public var voxelVolume: Double { spacing[0] * spacing[1] * spacing[2] / 1000 }

    /// Builds the pair from two per-voxel tests over the grid (called once per voxel each for the
    /// counts, and again inside the crop).
    public init(size gridSize: [Int], spacing: [Double], rank: Int,
                prediction isPrediction: (Int) -> Bool, groundTruth isGroundTruth: (Int) -> Bool) {
        precondition(gridSize.count == 3 && spacing.count == 3)
        let (nx, ny, nz) = (gridSize[0], gridSize[1], gridSize[2])
        var lower = [nx, ny, nz], upper = [-1, -1, -1]
        var tp = 0, fp = 0, fn = 0
        for z in 0..<nz {
            for y in 0..<ny {
                let row = nx * (y + ny * z)
                var rowLow = nx, rowHigh = -1
                for x in 0..<nx {
                    let p = isPrediction(row + x), g = isGroundTruth(row + x)
                    guard p || g else { continue }
                    if p && g { tp += 1 } else if p { fp += 1 } else { fn += 1 }
                    if rowLow == nx { rowLow = x }
                    rowHigh = x
                }
                if rowHigh >= 0 {
                    lower[0] = min(lower[0], rowLow); upper[0] = max(upper[0], rowHigh)
                    lower[1] = min(lower[1], y); upper[1] = max(upper[1], y)
                    lower[2] = min(lower[2], z); upper[2] = max(upper[2], z)
                }
            }
        }
        let total = nx * ny * nz
        counts = ConfusionCounts(truePositives: tp, falsePositives: fp, falseNegatives: fn, trueNegatives: total - tp - fp - fn)
        self.gridSize = gridSize
        self.spacing = spacing
        self.rank = rank
        guard upper[0] >= 0 else {
            size = [0, 0, 0]
            origin = [0, 0, 0]
            prediction = []
            groundTruth = []
            return
        }
        let origin = (0..<3).map { max(lower[$0] - 1, 0) }
        let end = (0..<3).map { min(upper[$0] + 1, gridSize[$0] - 1) }
        let size = (0..<3).map { end[$0] - origin[$0] + 1 }
        var prediction = [Bool](repeating: false, count: size[0] * size[1] * size[2])
        var groundTruth = prediction
        var index = 0
        for z in origin[2]...end[2] {
            for y in origin[1]...end[1] {
                let row = nx * (y + ny * z)
                for x in origin[0]...end[0] {
                    prediction[index] = isPrediction(row + x)
                    groundTruth[index] = isGroundTruth(row + x)
                    index += 1
                }
            }
        }
        self.size = size
        self.origin = origin
        self.prediction = prediction
        self.groundTruth = groundTruth
    }

    /// A pair built elsewhere (a single scan of label volumes): the crop's masks, its place and
    /// the whole grid's counts.
    public init(counts: ConfusionCounts, gridSize: [Int], spacing: [Double], rank: Int, size: [Int], origin: [Int],
                prediction: [Bool], groundTruth: [Bool]) {
        precondition(prediction.count == size.reduce(1, *) && groundTruth.count == prediction.count)
        self.counts = counts
        self.gridSize = gridSize
        self.spacing = spacing
        self.rank = rank
        self.size = size
        self.origin = origin
        self.prediction = prediction
        self.groundTruth = groundTruth
    }

    /// |P| and |G| over the whole grid.
    public var predictionIsEmpty: Bool { counts.predictedPositives == 0 }
    public var groundTruthIsEmpty: Bool { counts.actualPositives == 0 }
}
