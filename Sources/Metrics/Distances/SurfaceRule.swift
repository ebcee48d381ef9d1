/// Which voxels of a mask form its surface, as the libraries define it
/// (../shared/spec/distances.md, section 2). Both rules take voxel centres, each of weight 1;
/// DeepMind's area-weighted corner surfels are `CornerSurfaceDistances`.
public enum SurfaceRule: String, Sendable {
    /// "E6": a mask voxel with one of its 2·rank face neighbours outside the mask or outside the
    /// grid: `X ^ binary_erosion(X)` with scipy's face-connected cross and `border_value=0`
    /// (MedPy, MONAI, Metrics Reloaded). A mask touching the grid's edge has a surface there, and a
    /// one-slice volume (rank 3, nz = 1) is all surface.
    case faces
    /// "C26": a mask voxel with one of its 3^rank - 1 neighbours (faces, edges, corners) inside the
    /// grid and outside the mask: ITK's `LabelContour(fullyConnected=True)`, equal to
    /// `X & ~binary_erosion(X, 3x3x3, border_value=1)` (seg-metrics). The grid's edge is not a
    /// surface.
    case contour26

    /// The surface of `mask` on a grid of `size` (x fastest) as one flag per voxel. Outside the
    /// grid is background for `.faces` and ignored for `.contour26`.
    public func surface(_ mask: [Bool], size: [Int], rank: Int) -> [Bool] {
        let (nx, ny, nz) = (size[0], size[1], size[2])
        let (sy, sz) = (nx, nx * ny)
        var surface = [Bool](repeating: false, count: mask.count)
        mask.withUnsafeBufferPointer { m in
            for z in 0..<nz {
                for y in 0..<ny {
                    for x in 0..<nx {
                        let index = x + sy * y + sz * z
                        guard m[index] else { continue }
                        switch self {
                        case .faces:
                            var inside = x > 0 && m[index - 1] && x < nx - 1 && m[index + 1]
                                && y > 0 && m[index - sy] && y < ny - 1 && m[index + sy]
                            if rank >= 3 {
                                inside = inside && z > 0 && m[index - sz] && z < nz - 1 && m[index + sz]
                            }
                            surface[index] = !inside
                        case .contour26:
                            let zs = rank >= 3 ? max(z - 1, 0)...min(z + 1, nz - 1) : z...z
                            search: for zz in zs {
                                for yy in max(y - 1, 0)...min(y + 1, ny - 1) {
                                    for xx in max(x - 1, 0)...min(x + 1, nx - 1) where !m[xx + sy * yy + sz * zz] {
                                        surface[index] = true
                                        break search
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return surface
    }
}
