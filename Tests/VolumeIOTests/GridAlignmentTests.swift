import Testing
@testable import VolumeIO

/// Bringing a prediction onto its GT's grid: exact axis flips and permutations are undone voxel
/// for voxel (the expected arrays are built here by indexing), anything else is refused.
@Suite("Grid checks and reorientation of a prediction onto its GT's grid")
struct GridAlignmentTests {
    /// A 4 x 3 x 2 GT with distinct labels, spacing 0.7 x 0.8 x 1.5, origin (10, 20, 30), sform.
    static let size = [4, 3, 2]
    static let spacing = [0.7, 0.8, 1.5]
    static let values: [Int32] = Array(1...24)

    static func volume(size: [Int] = size, spacing: [Double] = spacing, affine: [[Double]], samples: [Int32],
                       source: Volume.OrientationSource = .sform) -> Volume {
        Volume(size: size, spacing: spacing, affine: affine, orientationSource: source, samples: .labels(samples), format: "NIfTI-1")
    }

    static let groundTruthAffine: [[Double]] = [[0.7, 0, 0, 10], [0, 0.8, 0, 20], [0, 0, 1.5, 30], [0, 0, 0, 1]]

    @Test("the same grid: returned as it is, no note")
    func same() throws {
        let gt = Self.volume(affine: Self.groundTruthAffine, samples: Self.values)
        let (aligned, note) = try GridAlignment.align(gt, to: gt)
        #expect(aligned.samples == gt.samples && note == nil)
    }

    @Test("a prediction stored flipped along x (negative first column, origin at the far end): voxels moved back, with a note")
    func flipX() throws {
        let gt = Self.volume(affine: Self.groundTruthAffine, samples: Self.values)
        // Stored voxel (i, j, k) of the prediction is GT voxel (3 - i, j, k).
        var flipped = [Int32](repeating: 0, count: 24)
        for k in 0..<2 { for j in 0..<3 { for i in 0..<4 { flipped[i + 4 * (j + 3 * k)] = Self.values[(3 - i) + 4 * (j + 3 * k)] } } }
        let affine: [[Double]] = [[-0.7, 0, 0, 10 + 0.7 * 3], [0, 0.8, 0, 20], [0, 0, 1.5, 30], [0, 0, 0, 1]]
        let (aligned, note) = try GridAlignment.align(Self.volume(affine: affine, samples: flipped), to: gt)
        #expect(aligned.samples == .labels(Self.values))
        #expect(note?.contains("flipped along x") == true)
    }

    @Test("a prediction stored with x and z swapped (2 x 3 x 4 voxels) and z flipped: voxels moved back, spacing checked after the swap")
    func permuteAndFlip() throws {
        let gt = Self.volume(affine: Self.groundTruthAffine, samples: Self.values)
        // Prediction axes (a, b, c) = (GT z reversed, GT y, GT x): stored voxel (a, b, c) is GT (c, b, 1 - a).
        var stored = [Int32](repeating: 0, count: 24)
        for c in 0..<4 { for b in 0..<3 { for a in 0..<2 { stored[a + 2 * (b + 3 * c)] = Self.values[c + 4 * (b + 3 * (1 - a))] } } }
        // Column a = -GT z axis, column c = GT x axis; voxel (0, 0, 0) sits at GT (0, 0, 1).
        let affine: [[Double]] = [[0, 0, 0.7, 10], [0, 0.8, 0, 20], [-1.5, 0, 0, 30 + 1.5], [0, 0, 0, 1]]
        let prediction = Self.volume(size: [2, 3, 4], spacing: [1.5, 0.8, 0.7], affine: affine, samples: stored)
        let (aligned, note) = try GridAlignment.align(prediction, to: gt)
        #expect(aligned.samples == .labels(Self.values))
        #expect(aligned.size == Self.size && aligned.spacing == Self.spacing)
        #expect(note?.contains("axes (z, y, x) taken as (x, y, z)") == true)
    }

    @Test("refused: other sizes, other spacing, a shift, a rotation; a volume without orientation is taken as on the grid, with a note")
    func refusals() throws {
        let gt = Self.volume(affine: Self.groundTruthAffine, samples: Self.values)
        #expect(throws: GridAlignment.Mismatch.self) {
            try GridAlignment.align(Self.volume(size: [4, 3, 1], affine: Self.groundTruthAffine, samples: Array(1...12)), to: gt)
        }
        let other = Self.volume(spacing: [0.7, 0.8, 1.6], affine: [[0.7, 0, 0, 10], [0, 0.8, 0, 20], [0, 0, 1.6, 30], [0, 0, 0, 1]], samples: Self.values)
        do {
            _ = try GridAlignment.align(other, to: gt)
            Issue.record("other spacing accepted")
        } catch { #expect(error.description.contains("spacing differs")) }
        let shifted = Self.volume(affine: [[0.7, 0, 0, 10.5], [0, 0.8, 0, 20], [0, 0, 1.5, 30], [0, 0, 0, 1]], samples: Self.values)
        #expect(throws: GridAlignment.Mismatch.self) { try GridAlignment.align(shifted, to: gt) }
        let c = 0.8660254037844387, s = 0.5   // 30 degrees about z
        let rotated = Self.volume(affine: [[0.7 * c, -0.8 * s, 0, 10], [0.7 * s, 0.8 * c, 0, 20], [0, 0, 1.5, 30], [0, 0, 0, 1]], samples: Self.values)
        do {
            _ = try GridAlignment.align(rotated, to: gt)
            Issue.record("rotation accepted")
        } catch { #expect(error.description.contains("rotation or shift")) }
        // Within 1e-5 relative: float32 round-off of the same grid is the same grid.
        let rounded = Self.volume(spacing: Self.spacing.map { Double(Float($0)) },
                                  affine: Self.groundTruthAffine.map { $0.map { Double(Float($0)) } }, samples: Self.values)
        #expect(try GridAlignment.align(rounded, to: gt).note == nil)
        let bare = Self.volume(affine: [[0.7, 0, 0, 0], [0, 0.8, 0, 0], [0, 0, 1.5, 0], [0, 0, 0, 1]], samples: Self.values, source: .pixdim)
        #expect(try GridAlignment.align(bare, to: gt).note?.contains("no orientation") == true)
    }
}
