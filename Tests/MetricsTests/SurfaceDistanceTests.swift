import SegevalTestSupport
import Testing
@testable import Metrics

/// The distance transform and the E6 surface against brute force (first principles).
@Suite struct SurfaceDistanceTests {
    @Test("the transform equals the brute-force nearest feature on random anisotropic grids, read at random sources, in column order")
    func bruteForce() {
        var generator = SplitMix64(seed: 5)
        for (size, spacing) in [([7, 5, 4], [0.7, 0.8, 1.5]), ([9, 1, 3], [1.0, 2.0, 0.3]), ([4, 6, 1], [0.5, 0.5, 3.0]), ([1, 1, 6], [1.0, 1.0, 1.1])] {
            let count = size.reduce(1, *)
            for density in [0.02, 0.2, 0.7] {
                let features = (0..<count).map { _ in Double.random(in: 0..<1, using: &generator) < density }
                let sources = (0..<count).map { _ in Double.random(in: 0..<1, using: &generator) < 0.6 }
                let fast = EuclideanDistanceTransform.squaredDistances(from: sources, to: features, size: size, spacing: spacing)
                // Column order: for each (x, y), z ascending.
                let order = (0..<(size[0] * size[1])).flatMap { column in (0..<size[2]).map { column + size[0] * size[1] * $0 } }.filter { sources[$0] }
                #expect(fast.count == order.count)
                for (position, index) in order.enumerated() where position < fast.count {
                    let (x, y, z) = (index % size[0], (index / size[0]) % size[1], index / (size[0] * size[1]))
                    var best = Double.infinity
                    for other in 0..<count where features[other] {
                        let (u, v, w) = (other % size[0], (other / size[0]) % size[1], other / (size[0] * size[1]))
                        let dx = Double(x - u) * spacing[0], dy = Double(y - v) * spacing[1], dz = Double(z - w) * spacing[2]
                        best = min(best, dx * dx + dy * dy + dz * dz)
                    }
                    if best.isInfinite {
                        #expect(fast[position].isInfinite)
                    } else {
                        #expect(abs(fast[position] - best) <= 1e-12 * max(1, best), "\(size) \(spacing) voxel \(index): \(fast[position]) vs \(best)")
                    }
                }
            }
        }
    }

    @Test("E6 surface: border voxels are surface; a one-slice volume is all surface in 3-D, not in 2-D")
    func surfaces() {
        let size = [5, 5, 3]
        var cube = [Bool](repeating: false, count: 75)
        for z in 0..<3 { for y in 1..<4 { for x in 1..<4 { cube[x + 5 * (y + 5 * z)] = true } } }
        let surface = SurfaceRule.faces.surface(cube, size: size, rank: 3)
        // Only the centre voxel of the middle slice has all six neighbours inside.
        #expect(surface.filter { $0 }.count == 27 - 1)
        #expect(!surface[2 + 5 * (2 + 5 * 1)])
        let slab = [Bool](repeating: true, count: 25)
        #expect(SurfaceRule.faces.surface(slab, size: [5, 5, 1], rank: 3).allSatisfy { $0 })
        #expect(SurfaceRule.faces.surface(slab, size: [5, 5, 1], rank: 2).filter { $0 }.count == 16)
    }

    @Test("C26 contour (ITK LabelContour, fully connected): the grid's edge is not a surface; a diagonal neighbour counts")
    func contour26() {
        let size = [5, 5, 3]
        var cube = [Bool](repeating: false, count: 75)
        for z in 0..<3 { for y in 1..<4 { for x in 1..<4 { cube[x + 5 * (y + 5 * z)] = true } } }
        // The cube spans every slice: the centre column (x = y = 2) has all its in-grid neighbours inside.
        let contour = SurfaceRule.contour26.surface(cube, size: size, rank: 3)
        #expect(contour.filter { $0 }.count == 27 - 3)
        // A full slab has no contour at all; in 2-D neither.
        let slab = [Bool](repeating: true, count: 25)
        #expect(!SurfaceRule.contour26.surface(slab, size: [5, 5, 1], rank: 3).contains(true))
        // A 3x3 square minus one corner: the centre sees the missing corner diagonally (on the contour
        // under C26, not under the face rule).
        var square = [Bool](repeating: false, count: 25)
        for y in 1..<4 { for x in 1..<4 { square[x + 5 * y] = true } }
        square[3 + 5 * 3] = false
        #expect(SurfaceRule.contour26.surface(square, size: [5, 5, 1], rank: 2)[2 + 5 * 2])
        #expect(!SurfaceRule.faces.surface(square, size: [5, 5, 1], rank: 2)[2 + 5 * 2])
    }

    @Test("numpy percentile (linear) on hand-made lists")
    func percentile() {
        #expect(SurfaceDistances.percentile([1, 2, 3, 4], 50) == 2.5)
        #expect(SurfaceDistances.percentile([0, 10], 95) == 9.5)
        #expect(SurfaceDistances.percentile([3], 95) == 3)
        #expect(SurfaceDistances.percentile([], 95) == nil)
    }
}

/// DeepMind's corner surfels from first principles (tools/check_surfel_areas.sh checks every code
/// against DeepMind's table itself).
@Suite struct CornerSurfelTests {
    @Test("one corner voxel cuts off a triangle; a flat layer of four is one face of the corner cell; complements measure the same")
    func areas() {
        let (sx, sy, sz) = (0.7, 0.8, 1.5)
        let table = CornerSurfels.areaTable3D(spacing: [sx, sy, sz])
        #expect(table[0] == 0 && table[255] == 0)
        // Voxel (x, y, z) alone (bit 0): the triangle through the three edge midpoints at half spacing.
        let a = [sx / 2, 0, 0], b = [0, sy / 2, 0], c = [0, 0, sz / 2]
        let u = zip(b, a).map { $0 - $1 }, v = zip(c, a).map { $0 - $1 }
        let cross = [u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]]
        let triangle = (cross.map { $0 * $0 }.reduce(0, +)).squareRoot() / 2
        #expect(abs(table[1] - triangle) <= 1e-15)
        #expect(abs(table[254] - triangle) <= 1e-15)
        // The four voxels at x - 1 (bits 4...7): a plane across the cell, sy x sz.
        #expect(abs(table[0b1111_0000] - sy * sz) <= 1e-15)
        // The four at z - 1 (bits 1, 3, 5, 7): sx x sy.
        #expect(abs(table[0b1010_1010] - sx * sy) <= 1e-15)
        let lengths = CornerSurfels.lengthTable2D(spacing: [sx, sy])
        #expect(abs(lengths[1] - (sx * sx + sy * sy).squareRoot() / 2) <= 1e-15)
        #expect(abs(lengths[0b1100] - sy) <= 1e-15)   // the two pixels at x - 1: a segment along y
    }
}
