/// Corner surfels: the piece of boundary surface (3-D) or contour (2-D) that a mask has around one
/// grid corner, measured in mm² (mm) for a given voxel spacing, per neighbour code.
///
/// ## Corners and codes
///
/// segeval stores a grid x fastest (`index = x + nx * (y + ny * z)`, `size = [nx, ny, nz]`,
/// `spacing = [sx, sy, sz]`): array axes (0, 1, 2) are (x, y, z). The grid corner `(x, y, z)`,
/// with `x` in `0...nx` (and likewise y, z), is the point that the up to 8 voxels
/// `(x - dx, y - dy, z - dz)`, `dx, dy, dz ∈ {0, 1}`, share; voxels outside the grid count as
/// outside the mask. Its code is the byte with
///
///     bit (4 * dx + 2 * dy + dz)  set  ⟺  voxel (x - dx, y - dy, z - dz) is inside
///
///     bit 0 (1):   (x,   y,   z  )      bit 4 (16):  (x-1, y,   z  )
///     bit 1 (2):   (x,   y,   z-1)      bit 5 (32):  (x-1, y,   z-1)
///     bit 2 (4):   (x,   y-1, z  )      bit 6 (64):  (x-1, y-1, z  )
///     bit 3 (8):   (x,   y-1, z-1)      bit 7 (128): (x-1, y-1, z-1)
///
/// that is, x carries the weight 4, y 2 and z 1 in the bit number. Codes 0 and 255 have no surface;
/// every other corner is a boundary corner. This is the code DeepMind surface-distance computes
/// (its 2x2x2 encoding kernel under `scipy.ndimage.correlate` on the nibabel array, axis 0 = x,
/// with spacing (sx, sy, sz)). The tables are symmetric under reflecting any axis, so counting the
/// offsets the other way, `(x - 1 + dx, …)`, gives the same areas; swapping axes does not.
/// In 2-D the corner `(x, y)` has bit `(2 * dx + dy)` for pixel `(x - dx, y - dy)`.
///
/// ## The derivation (our own; no table is copied)
///
/// The 8 voxel centres around a corner are the vertices of a unit cube, the voxel of bit
/// `4dx + 2dy + dz` at `(1 - dx, 1 - dy, 1 - dz)`.
/// 1. Minority rule: a code with more than 4 inside voxels has the surface of its complement.
/// 2. Every cube edge whose ends differ carries a vertex at its midpoint.
/// 3. On each face the crossing edges are 0, 2 or 4. Two are joined by one segment; four (inside
///    voxels on one diagonal, the ambiguous face) give two segments, each cutting off one inside
///    corner, so inside voxels stay apart on that face.
/// 4. Each vertex ends two segments (its edge lies on two faces), so the segments close into loops.
/// 5. A loop of more than 3 vertices is cut by non-crossing diagonals into triangles; of all such
///    triangulations we take the one of largest total area in voxel units (dynamic programming).
///    Flat loops have the same area whichever diagonals; for the bent ones (pentagons, and the
///    bent hexagons of 4 inside voxels) cutting the loop into the fewest flat pieces is always
///    among the largest. Where several triangulations tie, their areas agree at every spacing.
/// 6. Each triangle keeps its area vector `n = (b - a) × (c - a) / 2` in voxel units; stretched by
///    the spacing it has area `|(n.x·sy·sz, n.y·sx·sz, n.z·sx·sy)|`. A code's area is the sum.
///
/// 2-D is the same with squares: edge-midpoint vertices; one odd pixel gives a segment cutting its
/// corner off, two inside pixels side by side a segment across, parallel to the step between their
/// centres (sx long for pixels that differ in x, sy for y), and diagonal pixels two corner-cutting
/// segments; a segment from p to q measures
/// `|((q.x - p.x)·sx, (q.y - p.y)·sy)|`.
///
/// `tools/check_surfel_areas.py` (run through `tools/check_surfel_areas.sh`) re-derives the tables
/// the same way in Python and checks them against DeepMind surface-distance at git 1f805ce
/// (`create_table_neighbour_code_to_surface_area` / `..._contour_length`): all 256 codes and all 16
/// agree within 1e-12 relative at every spacing it tries. This Swift port was compared with
/// DeepMind's tables the same way (compiled on its own, spacings (0.7, 0.8, 1.5), (1, 1, 1),
/// (0.3, 2.1, 0.9), (1, 1, 3), (0.1, 7, 0.55); 2-D (0.7, 0.8), (1, 1), (0.3, 2.1), (2.5, 0.4)).
public enum CornerSurfels {
    /// 256 areas in mm², indexed by the corner code described above, for a 3-D grid with spacing
    /// `[sx, sy, sz]` in segeval's axis order.
    public static func areaTable3D(spacing: [Double]) -> [Double] {
        precondition(spacing.count == 3, "areaTable3D needs 3 spacings (sx, sy, sz)")
        let sx = spacing[0], sy = spacing[1], sz = spacing[2]
        let scale = SIMD3<Double>(sy * sz, sx * sz, sx * sy)
        return areaVectors.map { vectors in
            vectors.reduce(0.0) { sum, n in
                let m = n * scale
                return sum + (m * m).sum().squareRoot()
            }
        }
    }

    /// 16 contour lengths in mm, indexed by the 2-D corner code (bit `2dx + dy` for pixel
    /// `(x - dx, y - dy)`), for spacing `[sx, sy]`.
    public static func lengthTable2D(spacing: [Double]) -> [Double] {
        precondition(spacing.count == 2, "lengthTable2D needs 2 spacings (sx, sy)")
        let s = SIMD2<Double>(spacing[0], spacing[1])
        return segmentVectors.map { vectors in
            vectors.reduce(0.0) { sum, d in
                let m = d * s
                return sum + (m * m).sum().squareRoot()
            }
        }
    }

    // MARK: 3-D derivation

    /// Per code, the area vectors (half cross products, voxel units) of its triangles.
    static let areaVectors: [[SIMD3<Double>]] = (0..<256).map(triangleAreaVectors)

    /// Unit-cube position of the voxel of `bit` (`bit = 4dx + 2dy + dz` → `(1-dx, 1-dy, 1-dz)`).
    private static func cubeCorner(_ bit: Int) -> SIMD3<Int> {
        SIMD3(1 - ((bit >> 2) & 1), 1 - ((bit >> 1) & 1), 1 - (bit & 1))
    }

    /// Bit of the voxel at a unit-cube position.
    private static func bit(at p: SIMD3<Int>) -> Int {
        4 * (1 - p.x) + 2 * (1 - p.y) + (1 - p.z)
    }

    /// The six faces, each as the bits of its four corners in cyclic order.
    private static func faceRings() -> [[Int]] {
        var rings: [[Int]] = []
        for axis in 0..<3 {
            let others = (0..<3).filter { $0 != axis }
            for side in 0...1 {
                rings.append([(0, 0), (1, 0), (1, 1), (0, 1)].map { pu, pw in
                    var p = SIMD3<Int>(0, 0, 0)
                    p[axis] = side
                    p[others[0]] = pu
                    p[others[1]] = pw
                    return bit(at: p)
                })
            }
        }
        return rings
    }

    /// An edge, named by its two corner bits (smaller first).
    private static func edgeKey(_ a: Int, _ b: Int) -> Int { min(a, b) * 8 + max(a, b) }

    /// Twice the midpoint of an edge (integer coordinates in 0...2).
    private static func doubledMidpoint(_ key: Int) -> SIMD3<Int> {
        cubeCorner(key / 8) &+ cubeCorner(key % 8)
    }

    /// The loops of a code's surface, as twice their vertex positions.
    private static func loops(_ rawCode: Int) -> [[SIMD3<Int>]] {
        let code = rawCode.nonzeroBitCount > 4 ? 255 - rawCode : rawCode
        func inside(_ bit: Int) -> Bool { (code >> bit) & 1 == 1 }
        var ends: [Int: [Int]] = [:]
        func join(_ a: Int, _ b: Int) {
            ends[a, default: []].append(b)
            ends[b, default: []].append(a)
        }
        for ring in faceRings() {
            let crossing = (0..<4).filter { inside(ring[$0]) != inside(ring[($0 + 1) % 4]) }
                .map { edgeKey(ring[$0], ring[($0 + 1) % 4]) }
            if crossing.count == 2 {
                join(crossing[0], crossing[1])
            } else if crossing.count == 4 {
                for i in 0..<4 where inside(ring[i]) {
                    join(edgeKey(ring[(i + 3) % 4], ring[i]), edgeKey(ring[i], ring[(i + 1) % 4]))
                }
            }
        }
        var seen = Set<Int>()
        var result: [[SIMD3<Int>]] = []
        for start in ends.keys.sorted() where !seen.contains(start) {
            var loop = [start]
            seen.insert(start)
            var previous = -1, current = start
            while let next = ends[current]!.first(where: { $0 != previous }),
                  next != start, !seen.contains(next) {
                loop.append(next)
                seen.insert(next)
                previous = current
                current = next
            }
            result.append(loop.map(doubledMidpoint))
        }
        return result
    }

    /// Half the cross product of a triangle's edges, in voxel units, from doubled coordinates.
    private static func halfCross(_ a: SIMD3<Int>, _ b: SIMD3<Int>, _ c: SIMD3<Int>) -> SIMD3<Double> {
        let u = b &- a, v = c &- a
        let cross = SIMD3<Int>(u.y * v.z - u.z * v.y, u.z * v.x - u.x * v.z, u.x * v.y - u.y * v.x)
        return SIMD3<Double>(Double(cross.x), Double(cross.y), Double(cross.z)) / 8
    }

    private static func length(_ v: SIMD3<Double>) -> Double { (v * v).sum().squareRoot() }

    /// Triangles (vertex index triples) of the largest-area triangulation of a polygon.
    private static func maxAreaTriangulation(_ vertices: [SIMD3<Int>]) -> [(Int, Int, Int)] {
        let n = vertices.count
        var best = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        var split = [[Int]](repeating: [Int](repeating: -1, count: n), count: n)
        if n >= 3 {
            for span in 2..<n {
                for i in 0..<(n - span) {
                    let j = i + span
                    best[i][j] = -1
                    for k in (i + 1)..<j {
                        let value = best[i][k] + best[k][j]
                            + length(halfCross(vertices[i], vertices[k], vertices[j]))
                        if value > best[i][j] + 1e-12 {
                            best[i][j] = value
                            split[i][j] = k
                        }
                    }
                }
            }
        }
        var triangles: [(Int, Int, Int)] = []
        var pending = n >= 3 ? [(0, n - 1)] : []
        while let pair = pending.popLast() {
            let (i, j) = pair
            guard j - i >= 2 else { continue }
            let k = split[i][j]
            triangles.append((i, k, j))
            pending.append((i, k))
            pending.append((k, j))
        }
        return triangles
    }

    private static func triangleAreaVectors(_ code: Int) -> [SIMD3<Double>] {
        loops(code).flatMap { loop in
            maxAreaTriangulation(loop).map { halfCross(loop[$0.0], loop[$0.1], loop[$0.2]) }
        }
    }

    // MARK: 2-D derivation

    /// Per 2-D code, each contour segment as its (Δx, Δy) in pixel units.
    static let segmentVectors: [[SIMD2<Double>]] = (0..<16).map(contourSegments)

    private static func contourSegments(_ rawCode: Int) -> [SIMD2<Double>] {
        let code = rawCode.nonzeroBitCount > 2 ? 15 - rawCode : rawCode
        // the square's corners in cyclic order; the pixel of bit 2dx + dy sits at (1-dx, 1-dy)
        let ring = [SIMD2<Int>(0, 0), SIMD2(1, 0), SIMD2(1, 1), SIMD2(0, 1)]
        func inside(_ p: SIMD2<Int>) -> Bool { (code >> (2 * (1 - p.x) + (1 - p.y))) & 1 == 1 }
        func doubledMidpoint(_ i: Int, _ j: Int) -> SIMD2<Int> { ring[i % 4] &+ ring[j % 4] }
        func vector(_ p: SIMD2<Int>, _ q: SIMD2<Int>) -> SIMD2<Double> {
            SIMD2<Double>(Double(q.x - p.x), Double(q.y - p.y)) / 2
        }
        let crossing = (0..<4).filter { inside(ring[$0]) != inside(ring[($0 + 1) % 4]) }
        if crossing.count == 2 {
            let a = crossing[0], b = crossing[1]
            return [vector(doubledMidpoint(a, a + 1), doubledMidpoint(b, b + 1))]
        }
        if crossing.count == 4 {
            return (0..<4).filter { inside(ring[$0]) }.map { i in
                vector(doubledMidpoint(i + 3, i), doubledMidpoint(i, i + 1))
            }
        }
        return []
    }
}
