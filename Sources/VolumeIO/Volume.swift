/// A 3-D volume as read from a NIfTI file: its voxel grid, spacing, orientation and values.
///
/// Voxel (i, j, k) is `samples[i + nx * (j + ny * k)]` (NIfTI's order: x fastest). A 2-D file is
/// a volume with nz = 1.
public struct Volume: Sendable {
    /// The values: a label map (integer voxel types, unscaled: `bytes` for uint8 files, else
    /// `labels`) or a probability map (`floats` for unscaled float32 files, else `probabilities`:
    /// float64, or any type with `scl_slope`/`scl_inter` applied). Each kept at its file's width
    /// where it can be (memory: one decoded volume, not four times it).
    public enum Samples: Sendable, Equatable {
        case bytes([UInt8])
        case labels([Int32])
        case floats([Float])
        case probabilities([Double])

        public var count: Int {
            switch self {
            case .bytes(let values): values.count
            case .labels(let values): values.count
            case .floats(let values): values.count
            case .probabilities(let values): values.count
            }
        }

        /// A label map (integer voxels, unscaled).
        public var isLabelMap: Bool {
            switch self {
            case .bytes, .labels: true
            case .floats, .probabilities: false
            }
        }

        /// Voxel `index` as a number (tests and messages; the evaluation reads the arrays).
        public func value(at index: Int) -> Double {
            switch self {
            case .bytes(let values): Double(values[index])
            case .labels(let values): Double(values[index])
            case .floats(let values): Double(values[index])
            case .probabilities(let values): values[index]
            }
        }
    }

    /// Voxels along x, y, z.
    public var size: [Int]
    /// 2 for a 2-D file (`dim[0]` = 2), else 3: what the libraries are given as the array's rank.
    public var rank: Int = 3
    /// Millimetres between voxel centres along x, y, z: `pixdim[1...3]`, each float32 of a
    /// NIfTI-1 header widened exactly to a double (0.7 reads 0.699999988079071, as nibabel's
    /// `get_zooms()` and ITK's `GetSpacing()` give it), negative values taken positive and 0
    /// read as 1 (nibabel's and ITK's rule; `notes` says so), converted to mm from metres or
    /// micrometres when `xyzt_units` says so (ITK's rule; nibabel leaves the unit to the user).
    public var spacing: [Double]
    /// Voxel indices (i, j, k, 1) to scanner millimetres, as nibabel's `affine`: the sform when
    /// `sform_code > 0`, else the qform when `qform_code > 0`, else diag(pixdim).
    public var affine: [[Double]]
    public var orientationSource: OrientationSource
    public var samples: Samples
    /// "NIfTI-1" or "NIfTI-2".
    public var format: String
    /// What was done that a user should know (spacing repaired, units converted).
    public var notes: [String]

    public enum OrientationSource: String, Sendable {
        case sform, qform, pixdim
    }

    public var voxelCount: Int { size.reduce(1, *) }

    public init(size: [Int], spacing: [Double], affine: [[Double]], orientationSource: OrientationSource, samples: Samples,
                format: String, notes: [String] = []) {
        self.size = size
        self.spacing = spacing
        self.affine = affine
        self.orientationSource = orientationSource
        self.samples = samples
        self.format = format
        self.notes = notes
    }

    /// Millilitres per voxel.
    public var voxelVolume: Double { spacing.reduce(1, *) / 1000 }
}
