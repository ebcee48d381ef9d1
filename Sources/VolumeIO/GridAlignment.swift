/// Whether a prediction lies on its GT's voxel grid, and if it does only up to an exact axis flip
/// or permutation, the prediction brought onto the GT's grid (no resampling: voxels are moved).
///
/// The libraries compare arrays voxel by voxel and never look at the affine
/// (../shared/spec/distances.md, section 3: a flipped prediction scored as stored gave Dice 0.073
/// instead of 0.911). So before any metric:
/// - the sizes (after the permutation) must be equal, and the spacings equal within 1e-5 relative;
/// - the affines (index → scanner mm) must be equal within 1e-5 relative, or equal after
///   permuting and flipping the prediction's axes: then it is reoriented and a note says how;
/// - a volume without orientation (`qform_code` = `sform_code` = 0) is taken to share the other's
///   grid when size and spacing agree, with a note;
/// - anything else (rotations, shifts, other sizes) is an error: resampling is the user's choice.
public enum GridAlignment {
    public struct Mismatch: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// The prediction on the GT's grid, and a note when it was moved or assumed.
    public static func align(_ prediction: Volume, to groundTruth: Volume) throws(Mismatch) -> (Volume, note: String?) {
        let gridWords = { (v: Volume) in v.size.map(String.init).joined(separator: "x") }
        func spacingsAgree(_ a: [Double], _ b: [Double]) -> Bool {
            zip(a, b).allSatisfy { abs($0 - $1) <= 1e-5 * max(abs($0), abs($1)) }
        }
        let spacingWords = { (v: Volume) in v.spacing.map { "\($0)" }.joined(separator: " x ") }
        if prediction.size == groundTruth.size, prediction.orientationSource == .pixdim || groundTruth.orientationSource == .pixdim {
            guard spacingsAgree(prediction.spacing, groundTruth.spacing) else {
                throw Mismatch(description: "voxel spacing differs: prediction \(spacingWords(prediction)) mm, GT \(spacingWords(groundTruth)) mm")
            }
            if prediction.orientationSource == groundTruth.orientationSource { return (prediction, nil) }
            let which = prediction.orientationSource == .pixdim ? "the prediction" : "the GT"
            return (prediction, "\(which) has no orientation (qform and sform codes 0): taken to be on the other's grid (same size and spacing)")
        }
        let scale = groundTruth.spacing.max() ?? 1
        func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-5 * max(scale, abs(a), abs(b)) }
        // Prediction voxel = Q·(GT voxel) + offset for a signed permutation Q: search the 48.
        for permutation in permutations {
            for signs in 0..<8 {
                let flip = (0..<3).map { signs >> $0 & 1 == 1 }
                // GT axis a runs along prediction axis permutation[a], reversed when flip[a].
                guard (0..<3).allSatisfy({ prediction.size[permutation[$0]] == groundTruth.size[$0] }) else { continue }
                var matches = true
                for row in 0..<3 where matches {
                    for axis in 0..<3 {
                        let column = prediction.affine[row][permutation[axis]] * (flip[axis] ? -1 : 1)
                        if !close(column, groundTruth.affine[row][axis]) { matches = false; break }
                    }
                    // Where GT voxel 0 lands: the prediction's origin plus its flipped axes' far ends.
                    var origin = prediction.affine[row][3]
                    for axis in 0..<3 where flip[axis] {
                        origin += prediction.affine[row][permutation[axis]] * Double(prediction.size[permutation[axis]] - 1)
                    }
                    if matches && !close(origin, groundTruth.affine[row][3]) { matches = false }
                }
                guard matches else { continue }
                let spacing = (0..<3).map { prediction.spacing[permutation[$0]] }
                guard spacingsAgree(spacing, groundTruth.spacing) else {
                    throw Mismatch(description: "voxel spacing differs: prediction \(spacingWords(prediction)) mm, GT \(spacingWords(groundTruth)) mm")
                }
                if permutation == [0, 1, 2] && !flip.contains(true) { return (prediction, nil) }
                let moved = reoriented(prediction, permutation: permutation, flip: flip, onto: groundTruth)
                let axes = ["x", "y", "z"]
                var words: [String] = []
                if permutation != [0, 1, 2] { words.append("axes (\(permutation.map { axes[$0] }.joined(separator: ", "))) taken as (x, y, z)") }
                let flipped = (0..<3).filter { flip[$0] }.map { axes[$0] }
                if !flipped.isEmpty { words.append("flipped along \(flipped.joined(separator: ", "))") }
                return (moved, "the prediction's grid differs from the GT's by an exact axis flip or permutation: brought onto the GT's grid (\(words.joined(separator: "; ")))")
            }
        }
        if prediction.size.sorted() != groundTruth.size.sorted() {
            throw Mismatch(description: "grid size differs: prediction \(gridWords(prediction)), GT \(gridWords(groundTruth)) voxels")
        }
        if !spacingsAgree(prediction.spacing.sorted(), groundTruth.spacing.sorted()) {
            throw Mismatch(description: "voxel spacing differs: prediction \(spacingWords(prediction)) mm, GT \(spacingWords(groundTruth)) mm")
        }
        throw Mismatch(description: "the prediction's orientation (its \(prediction.orientationSource.rawValue)) differs from the GT's (\(groundTruth.orientationSource.rawValue)) by more than an axis flip or permutation (a rotation or shift): resample the prediction onto the GT's grid first")
    }

    static let permutations = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]]

    /// The prediction's voxels read in the GT's index order.
    static func reoriented(_ volume: Volume, permutation: [Int], flip: [Bool], onto target: Volume) -> Volume {
        let size = target.size
        let sourceStrides = [1, volume.size[0], volume.size[0] * volume.size[1]]
        func sourceIndex(_ i: Int) -> Int {
            let coordinates = [i % size[0], i / size[0] % size[1], i / (size[0] * size[1])]
            var index = 0
            for axis in 0..<3 {
                let c = flip[axis] ? size[axis] - 1 - coordinates[axis] : coordinates[axis]
                index += c * sourceStrides[permutation[axis]]
            }
            return index
        }
        var moved = volume
        switch volume.samples {
        case .bytes(let values): moved.samples = .bytes((0..<values.count).map { values[sourceIndex($0)] })
        case .labels(let values): moved.samples = .labels((0..<values.count).map { values[sourceIndex($0)] })
        case .floats(let values): moved.samples = .floats((0..<values.count).map { values[sourceIndex($0)] })
        case .probabilities(let values): moved.samples = .probabilities((0..<values.count).map { values[sourceIndex($0)] })
        }
        moved.size = size
        moved.spacing = target.spacing
        moved.affine = target.affine
        moved.orientationSource = target.orientationSource
        return moved
    }
}
