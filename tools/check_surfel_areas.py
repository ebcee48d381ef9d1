"""Checks segeval's own derivation of the corner-surfel areas (Sources/Metrics/CornerSurfels.swift)
against DeepMind surface-distance (git 1f805ce), which is imported from PYTHONPATH and never copied.

    bash tools/check_surfel_areas.sh                      # exports DeepMind's package, then runs this
    PYTHONPATH=/path/with/surface_distance python3 tools/check_surfel_areas.py [sx,sy,sz ...]

Needs numpy and scipy (and DeepMind's package on PYTHONPATH). Extra spacings may be given as
arguments ("0.5,1,2" in 3-D, "0.5,2" in 2-D); a fixed list plus seeded random ones are always tried.
For every spacing it prints how many of the 256 codes (3-D) or 16 codes (2-D) agree within 1e-12
relative and the largest relative difference; the exit status is 1 on any mismatch.

What a corner code is. The code of the grid corner (x, y, z) collects the 2x2x2 voxels that meet
there: bit (4*dx + 2*dy + dz) is set when voxel (x-dx, y-dy, z-dz) is inside, dx, dy, dz in {0, 1},
array axes (0, 1, 2) = (x, y, z), spacing (sx, sy, sz) in the same order. In 2-D bit (2*dx + dy) is
pixel (x-dx, y-dy). This is what DeepMind's kernel gives under scipy's correlate; the script checks
that too, on a random mask, and also the total surface area of compute_surface_distances.

The derivation (ours; the Swift file ports exactly this):

  Put the 8 voxel centres of a corner's neighbourhood on the unit cube, the voxel of bit
  (4*dx + 2*dy + dz) at (1-dx, 1-dy, 1-dz).
  1. Minority rule. A code with more than 4 inside voxels has the surface of its complement
     (255 - code): so the inside voxels are always at most 4 below.
  2. Vertices. Every cube edge whose two ends differ carries a vertex at its midpoint.
  3. Face segments. On each of the 6 faces, the crossing edges come in 0, 2 or 4. Two are joined by
     one segment. Four (an ambiguous face: inside voxels on one diagonal) are joined as two
     segments, each cutting off one inside corner (inside voxels stay separated on that face).
  4. Loops. Every vertex lies on two faces, so it ends two segments: the segments close into loops.
  5. Triangulation. A loop of n > 3 vertices is cut into n - 2 triangles by non-crossing diagonals;
     of all such triangulations we take the one with the largest total area measured in voxel units
     (unit cube), by dynamic programming over the polygon. Loops of 4 and 6 vertices that are flat
     have one area whatever the diagonals; the bent ones (pentagons, and the hexagons of 4 inside
     voxels that are not flat) have several, and we take the largest: for them, cutting the loop
     into the fewest flat pieces is always among the maximisers. Where several triangulations tie,
     they give equal areas at every spacing (check_tie_invariance below confirms it).
  6. Area. Each triangle keeps n = (b - a) x (c - a) / 2 in voxel units; stretched by the spacing
     its area is |(n0*sy*sz, n1*sx*sz, n2*sx*sy)| (the cross product of stretched edges). A code's
     area is the sum over its triangles.

  2-D: the same with squares (pixel of bit 2*dx + dy at (1-dx, 1-dy)), a 2-pixel minority rule and
  edge-midpoint vertices. A square with one odd pixel gets one segment cutting that corner off,
  length |(sx/2, sy/2)|; two inside pixels side by side give one segment across the square, parallel
  to the step between their centres and as long as it (sx for pixels that differ in x, sy for pixels
  that differ in y); diagonal pixels give two corner-cutting segments, 2 * |(sx/2, sy/2)|, however the ambiguity
  is resolved. A segment from p to q measures |((qx-px)*sx, (qy-py)*sy)|.
"""
import itertools
import math
import sys

import numpy as np

TOL = 1e-12


# ----------------------------------------------------------------------------------------- 3-D


def _corner(bit):
    """Unit-cube position of the voxel carried by `bit` (bit = 4*dx + 2*dy + dz)."""
    return (1 - ((bit >> 2) & 1), 1 - ((bit >> 1) & 1), 1 - (bit & 1))


_BIT_AT = {_corner(b): b for b in range(8)}


def _faces():
    """The 6 faces, each as its 4 corner positions in cyclic order."""
    faces = []
    for axis in range(3):
        u, w = [a for a in range(3) if a != axis]
        for side in (0, 1):
            ring = []
            for pu, pw in ((0, 0), (1, 0), (1, 1), (0, 1)):
                p = [0, 0, 0]
                p[axis], p[u], p[w] = side, pu, pw
                ring.append(tuple(p))
            faces.append(ring)
    return faces


_FACES = _faces()


def _edge(p, q):
    return (min(p, q), max(p, q))


def _midpoint(edge):
    p, q = edge
    return tuple((a + b) / 2.0 for a, b in zip(p, q))


def _sub(a, b):
    return tuple(x - y for x, y in zip(a, b))


def _half_cross(a, b, c):
    u, v = _sub(b, a), _sub(c, a)
    return (0.5 * (u[1] * v[2] - u[2] * v[1]),
            0.5 * (u[2] * v[0] - u[0] * v[2]),
            0.5 * (u[0] * v[1] - u[1] * v[0]))


def _norm(v):
    return math.sqrt(sum(x * x for x in v))


def loops_of_code(code):
    """The closed loops (lists of edge-midpoint positions) of a code, after the minority rule."""
    if bin(code).count("1") > 4:
        code = 255 - code
    inside = lambda p: (code >> _BIT_AT[p]) & 1
    segments = []
    for ring in _FACES:
        state = [inside(p) for p in ring]
        crossing = [_edge(ring[i], ring[(i + 1) % 4]) for i in range(4) if state[i] != state[(i + 1) % 4]]
        if len(crossing) == 2:
            segments.append(tuple(crossing))
        elif len(crossing) == 4:
            for i in range(4):
                if state[i]:
                    segments.append((_edge(ring[i - 1], ring[i]), _edge(ring[i], ring[(i + 1) % 4])))
    ends = {}
    for a, b in segments:
        ends.setdefault(a, []).append(b)
        ends.setdefault(b, []).append(a)
    assert all(len(v) == 2 for v in ends.values())
    loops, seen = [], set()
    for start in sorted(ends):
        if start in seen:
            continue
        loop, previous, current = [start], None, start
        seen.add(start)
        while True:
            step = [e for e in ends[current] if e != previous]
            following = step[0]
            if following == start or following in seen:
                break
            loop.append(following)
            seen.add(following)
            previous, current = current, following
        loops.append([_midpoint(e) for e in loop])
    return loops


def max_area_triangulation(vertices):
    """Triangles (index triples) of the largest-total-area triangulation, in voxel units."""
    n = len(vertices)
    best, split = {}, {}
    for length in range(2, n):
        for i in range(0, n - length):
            j = i + length
            best[i, j] = -1.0
            for k in range(i + 1, j):
                value = (best.get((i, k), 0.0) + best.get((k, j), 0.0)
                         + _norm(_half_cross(vertices[i], vertices[k], vertices[j])))
                if value > best[i, j] + 1e-12:
                    best[i, j], split[i, j] = value, k
    triangles = []

    def collect(i, j):
        if j - i < 2:
            return
        k = split[i, j]
        triangles.append((i, k, j))
        collect(i, k)
        collect(k, j)

    collect(0, n - 1)
    return triangles


def triangle_normals(code):
    """Per triangle, half the cross product of its edges in voxel units (its area vector)."""
    normals = []
    for loop in loops_of_code(code):
        for i, j, k in max_area_triangulation(loop):
            normals.append(_half_cross(loop[i], loop[j], loop[k]))
    return normals


def stretched_area(normal, spacing):
    sx, sy, sz = spacing
    return _norm((normal[0] * sy * sz, normal[1] * sx * sz, normal[2] * sx * sy))


def area_table_3d(spacing):
    return np.array([sum(stretched_area(n, spacing) for n in triangle_normals(c)) for c in range(256)])


# ----------------------------------------------------------------------------------------- 2-D


def length_table_2d(spacing):
    sx, sy = spacing
    corners = [(0, 0), (1, 0), (1, 1), (0, 1)]  # cyclic; pixel of bit 2*dx + dy at (1-dx, 1-dy)
    bit_at = {(1 - (b >> 1), 1 - (b & 1)): b for b in range(4)}
    table = []
    for code in range(16):
        if bin(code).count("1") > 2:
            code = 15 - code
        state = [(code >> bit_at[p]) & 1 for p in corners]
        mids = [tuple((a + b) / 2.0 for a, b in zip(corners[i], corners[(i + 1) % 4]))
                for i in range(4) if state[i] != state[(i + 1) % 4]]
        if len(mids) == 2:
            segments = [(mids[0], mids[1])]
        elif len(mids) == 4:  # diagonal: cut off each inside corner
            segments = []
            for i in range(4):
                if state[i]:
                    p, a, b = corners[i], corners[i - 1], corners[(i + 1) % 4]
                    segments.append((tuple((x + y) / 2.0 for x, y in zip(p, a)),
                                     tuple((x + y) / 2.0 for x, y in zip(p, b))))
        else:
            segments = []
        table.append(sum(math.hypot((q[0] - p[0]) * sx, (q[1] - p[1]) * sy) for p, q in segments))
    return np.array(table)


# -------------------------------------------------------------------------------------- checks


def relative_differences(ours, theirs):
    ours, theirs = np.asarray(ours, float), np.asarray(theirs, float)
    scale = np.maximum(np.abs(ours), np.abs(theirs))
    diff = np.abs(ours - theirs)
    return np.where(scale > 0, diff / np.where(scale > 0, scale, 1.0), 0.0)


def check_tie_invariance(spacings):
    """Every max-area triangulation (not only the one we pick) gives the same stretched area."""
    worst = 0.0
    for code in range(256):
        for loop in loops_of_code(code):
            if len(loop) < 4:
                continue
            options = []
            for tris in _all_triangulations(0, len(loop) - 1):
                normals = [_half_cross(loop[i], loop[j], loop[k]) for i, j, k in tris]
                options.append((sum(_norm(n) for n in normals), normals))
            top = max(a for a, _ in options)
            tied = [ns for a, ns in options if a > top - 1e-9]
            for s in spacings:
                values = [sum(stretched_area(n, s) for n in ns) for ns in tied]
                worst = max(worst, (max(values) - min(values)) / max(values))
    return worst


def _all_triangulations(i, j):
    if j - i < 2:
        return [[]]
    out = []
    for k in range(i + 1, j):
        for left in _all_triangulations(i, k):
            for right in _all_triangulations(k, j):
                out.append(left + right + [(i, k, j)])
    return out


def our_codes(mask):
    """Corner codes by the documented rule, on the mask padded with one zero voxel each side."""
    padded = np.pad(mask.astype(np.int64), 1)
    dims = mask.ndim
    out_shape = tuple(n + 1 for n in mask.shape)
    codes = np.zeros(out_shape, np.int64)
    for offsets in itertools.product((0, 1), repeat=dims):
        bit = sum(o << (dims - 1 - a) for a, o in enumerate(offsets))
        # corner c (0..n) sits between voxels c-1 and c; voxel c - d is padded index c - d + 1
        window = tuple(slice(1 - o, 1 - o + n + 1) for o, n in zip(offsets, mask.shape))
        codes |= padded[window] << bit
    return codes


def check_codes_and_total(lookup_tables, metrics, spacing, rng):
    """Our code rule equals DeepMind's correlate; total surface agrees with compute_surface_distances."""
    from scipy import ndimage
    dims = len(spacing)
    shape = (7, 6, 5)[:dims]
    mask = rng.random(shape) < 0.45
    kernel = lookup_tables.ENCODE_NEIGHBOURHOOD_3D_KERNEL if dims == 3 else lookup_tables.ENCODE_NEIGHBOURHOOD_2D_KERNEL
    padded = np.pad(mask.astype(np.uint8), 1)
    theirs = ndimage.correlate(padded, kernel, mode="constant", cval=0)
    ours = our_codes(mask)
    # DeepMind's output index i corresponds to our corner i - 1 (its window is voxels i-1, i)
    same_codes = np.array_equal(theirs[(slice(1, None),) * dims], ours)
    table = area_table_3d(spacing) if dims == 3 else length_table_2d(spacing)
    our_total = table[ours].sum()
    other = rng.random(shape) < 0.45
    result = metrics.compute_surface_distances(mask, other, spacing)
    their_total = float(np.sum(result["surfel_areas_gt"]))
    return same_codes, float(relative_differences([our_total], [their_total])[0])


def fmt(spacing):
    return "(" + ", ".join(f"{v:.6g}" for v in spacing) + ")"


def parse_spacings(args):
    threes, twos = [], []
    for a in args:
        values = tuple(float(v) for v in a.split(","))
        (threes if len(values) == 3 else twos).append(values)
    return threes, twos


def main(argv):
    try:
        from surface_distance import lookup_tables, metrics
    except ImportError as error:
        sys.exit(f"DeepMind's surface_distance is not on PYTHONPATH ({error}); see the docstring")
    rng = np.random.default_rng(20240611)
    extra3, extra2 = parse_spacings(argv[1:])
    spacings3 = [(0.7, 0.8, 1.5), (1.0, 1.0, 1.0), (0.3, 2.1, 0.9), (1.0, 1.0, 3.0), (0.1, 7.0, 0.55)]
    spacings3 += [tuple(rng.uniform(0.05, 5.0, 3)) for _ in range(5)] + extra3
    spacings2 = [(0.7, 0.8), (1.0, 1.0), (0.3, 2.1), (2.5, 0.4)]
    spacings2 += [tuple(rng.uniform(0.05, 5.0, 2)) for _ in range(3)] + extra2
    ok = True

    print("3-D corner surfel areas (256 codes) vs DeepMind create_table_neighbour_code_to_surface_area")
    for s in spacings3:
        rel = relative_differences(area_table_3d(s), lookup_tables.create_table_neighbour_code_to_surface_area(s))
        matches = int(np.sum(rel <= TOL))
        ok &= matches == 256
        print(f"  spacing {fmt(s)}: {matches}/256 match, max rel diff {rel.max():.3e}")
        if matches != 256:
            print("    mismatching codes:", [int(c) for c in np.nonzero(rel > TOL)[0]])

    print("2-D contour lengths (16 codes) vs DeepMind create_table_neighbour_code_to_contour_length")
    for s in spacings2:
        rel = relative_differences(length_table_2d(s), lookup_tables.create_table_neighbour_code_to_contour_length(s))
        matches = int(np.sum(rel <= TOL))
        ok &= matches == 16
        print(f"  spacing {fmt(s)}: {matches}/16 match, max rel diff {rel.max():.3e}")
        if matches != 16:
            print("    mismatching codes:", [int(c) for c in np.nonzero(rel > TOL)[0]])

    worst_tie = check_tie_invariance(spacings3)
    ok &= worst_tie <= TOL
    print(f"tied max-area triangulations: largest relative spread of their areas {worst_tie:.3e}")

    for s in (spacings3[0], spacings3[2], spacings2[0], spacings2[2]):
        same, rel = check_codes_and_total(lookup_tables, metrics, s, rng)
        ok &= same and rel <= 1e-9
        print(f"  codes of a random {len(s)}-D mask equal DeepMind's correlate: {same}; "
              f"total surface vs compute_surface_distances, rel diff {rel:.3e} (spacing {fmt(s)})")

    print("OK" if ok else "MISMATCH")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
