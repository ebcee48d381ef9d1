"""A seeded, realistic 3-D label-map pair for the surface-distance speed benchmark
(../shared/spec/distances.md §4 describes the pair this one imitates; the generator is not the
same, so the voxel counts and distances differ).

    python bench/make_volume_pair.py OUT [--seed 12] [--shape 512 512 120] [--spacing 0.8 0.8 1.5]

Writes OUT/gt/case.nii.gz and OUT/pred/case.nii.gz (nibabel, uint8, pixdim = spacing, sform =
qform = diag(spacing) with code 1) and prints the voxel counts per label. Needs numpy, scipy and
nibabel (the benchmark's venv has them). The same seed gives the same files, byte for byte.

What is in it (array axes x, y, z as stored; millimetres below):

* two lung-shaped regions (ellipsoids with a flattened medial side and the heart cut out); they
  are not labelled, lesions are clipped to them;
* 36 lesions: label 1 (GGO-like) irregular blobs (rotated ellipsoids with a smooth random
  perturbation of the surface), and label 2 (consolidation-like) a smaller blob inside about 40 %
  of them; radii rescaled so that label 1 holds about 200 000 voxels and label 2 about 15 000;
* the prediction: every lesion shifted (~1.5 mm per axis) and rescaled (0.8-1.2 per axis), its
  surface perturbation changed, except 3 missed lesions (from the larger half, so that they move HD95); 1 lesion predicted entirely as label 2
  (a label swap); 6 false-positive blobs (5 label 1, 1 label 2); boundary noise (each voxel of
  the inner surface removed with probability 0.25, each of the outer shell added with 0.15).
"""
import argparse
import os
import sys
import time

import nibabel as nib
import numpy as np
from scipy import ndimage

LESIONS = 36
MISSES = 3
FALSE_POSITIVES = 6
CONSOLIDATION_FRACTION = 0.4
TARGET_LABEL1 = 200_000      # voxels of label 1 in the reference (before clipping; about)
TARGET_LABEL2 = 15_000       # voxels of label 2 in the reference (about)
NOISE_P = (0.25, 0.15)     # boundary noise: drop inner-surface voxels, add outer-shell voxels


def lungs(shape, spacing):
    """Two lungs as analytic inside-tests on mm coordinates."""
    ext = np.array(shape) * np.array(spacing)          # volume extent in mm
    cx, cy, cz = ext / 2
    half = np.array([0.17 * ext[0], 0.30 * ext[1], 0.45 * ext[2]])
    centres = [np.array([cx - 0.19 * ext[0], cy, cz]), np.array([cx + 0.19 * ext[0], cy, cz])]
    heart_c = np.array([cx, cy - 0.12 * ext[1], cz - 0.18 * ext[2]])
    heart_r = np.array([0.13 * ext[0], 0.14 * ext[1], 0.25 * ext[2]])

    def inside(x, y, z):
        """x, y, z: broadcastable mm coordinates → bool."""
        out = np.zeros(np.broadcast(x, y, z).shape, bool)
        for side, c in zip((-1, 1), centres):
            q = ((x - c[0]) / half[0]) ** 2 + ((y - c[1]) / half[1]) ** 2 + ((z - c[2]) / half[2]) ** 2
            # flatten the medial side: distance to the mid-plane at least 0.05 of the width
            medial = side * (x - cx) > 0.05 * ext[0]
            # narrower towards the apex (top, high z)
            taper = 1.0 + 0.6 * np.clip((z - c[2]) / half[2], 0, 1) ** 2
            out |= (q * taper <= 1.0) & medial
        heart = (((x - heart_c[0]) / heart_r[0]) ** 2 + ((y - heart_c[1]) / heart_r[1]) ** 2
                 + ((z - heart_c[2]) / heart_r[2]) ** 2) <= 1.0
        return out & ~heart

    return inside


def rotation(rng):
    q, r = np.linalg.qr(rng.normal(size=(3, 3)))
    q *= np.sign(np.diag(r))
    if np.linalg.det(q) < 0:
        q[:, 0] = -q[:, 0]
    return q


def waves(rng, n=4):
    """A smooth random perturbation: n plane waves on normalised coordinates."""
    directions = rng.normal(size=(n, 3))
    directions /= np.linalg.norm(directions, axis=1, keepdims=True)
    return {"k": directions * rng.uniform(1.5, 3.5, size=(n, 1)),
            "phase": rng.uniform(0, 2 * np.pi, size=n),
            "amp": rng.uniform(0.5, 1.0, size=n) / n}


def jitter_waves(rng, w):
    return {"k": w["k"] * rng.uniform(0.9, 1.1, size=w["k"].shape),
            "phase": w["phase"] + rng.normal(0, 0.6, size=w["phase"].shape),
            "amp": w["amp"] * rng.uniform(0.7, 1.3, size=w["amp"].shape)}


def blob_mask(blob, box, spacing):
    """bool mask of blob over the voxel box (tuple of slices)."""
    x, y, z = [(np.arange(s.start, s.stop) * sp)[tuple(slice(None) if a == i else None for a in range(3))]
               for i, (s, sp) in enumerate(zip(box, spacing))]
    d = [x - blob["c"][0], y - blob["c"][1], z - blob["c"][2]]
    R = blob["R"]  # columns = principal axes
    u = [(d[0] * R[0, i] + d[1] * R[1, i] + d[2] * R[2, i]) / blob["r"][i] for i in range(3)]
    q = u[0] ** 2 + u[1] ** 2 + u[2] ** 2
    w = blob["w"]
    pert = 0.0
    for k, ph, a in zip(w["k"], w["phase"], w["amp"]):
        pert = pert + a * np.sin(k[0] * u[0] + k[1] * u[1] + k[2] * u[2] + ph)
    return q <= (1.0 + 0.45 * pert) ** 2


def box_of(blobs, shape, spacing):
    lo = np.full(3, np.inf)
    hi = np.full(3, -np.inf)
    for b in blobs:
        reach = 1.5 * max(b["r"]) + 2 * max(spacing)
        lo = np.minimum(lo, b["c"] - reach)
        hi = np.maximum(hi, b["c"] + reach)
    lo = np.clip(np.floor(lo / spacing).astype(int), 0, np.array(shape))
    hi = np.clip(np.ceil(hi / spacing).astype(int) + 1, 0, np.array(shape))
    return tuple(slice(int(a), int(b)) for a, b in zip(lo, hi))


def lung_mask(inside, box, spacing):
    x, y, z = [(np.arange(s.start, s.stop) * sp)[tuple(slice(None) if a == i else None for a in range(3))]
               for i, (s, sp) in enumerate(zip(box, spacing))]
    return inside(x, y, z)


def boundary_noise(rng, mask, p):
    """Removes inner-surface voxels with probability p[0], adds outer-shell voxels with p[1]."""
    if not mask.any():
        return mask
    inner = mask & ~ndimage.binary_erosion(mask)
    outer = ndimage.binary_dilation(mask) & ~mask
    drop = inner & (rng.random(mask.shape) < p[0])
    add = outer & (rng.random(mask.shape) < p[1])
    return (mask & ~drop) | add


def sample_in_lung(rng, inside, ext, margin):
    while True:
        c = rng.uniform(margin, ext - margin)
        if inside(c[0], c[1], c[2]):
            return c


def paint(volume, lesion, consolidation, box, label1, spacing, inside, rng=None, noise=(0.0, 0.0)):
    """Paints one lesion (and its consolidation) into volume[box]; returns nothing."""
    lung = lung_mask(inside, box, spacing)
    m1 = blob_mask(lesion, box, spacing) & lung
    if rng is not None:
        m1 = boundary_noise(rng, m1, noise) & lung
    sub = volume[box]
    sub[m1 & (sub == 0)] = label1
    if consolidation is not None:
        m2 = blob_mask(consolidation, box, spacing) & m1
        if rng is not None:
            m2 = boundary_noise(rng, m2, noise) & m1
        sub[m2] = 2


def generate(seed, shape, spacing):
    rng = np.random.default_rng(seed)
    spacing = np.asarray(spacing, float)
    ext = np.asarray(shape) * spacing
    inside = lungs(shape, spacing)
    voxel = float(np.prod(spacing))

    # --- reference lesions
    lesions = []
    for _ in range(LESIONS):
        r = np.exp(rng.normal(np.log(8.0), 0.5)) * rng.uniform(0.75, 1.25, size=3)
        lesions.append({"c": sample_in_lung(rng, inside, ext, 10.0), "r": r, "R": rotation(rng), "w": waves(rng)})
    # rescale the radii: the nominal ellipsoid volume (the perturbed, lung-clipped blobs hold
    # about as many voxels) near TARGET_LABEL1 voxels
    nominal = sum(4 / 3 * np.pi * np.prod(b["r"]) for b in lesions)
    s = (TARGET_LABEL1 * voxel * 1.06 / nominal) ** (1 / 3)
    for b in lesions:
        b["r"] = b["r"] * s
    consolidated = rng.random(LESIONS) < CONSOLIDATION_FRACTION
    consolidations = []
    for b, has in zip(lesions, consolidated):
        if not has:
            consolidations.append(None)
            continue
        offset = rng.normal(size=3)
        offset *= 0.3 / np.linalg.norm(offset)
        consolidations.append({"c": b["c"] + b["R"] @ (offset * b["r"]),
                               "r": b["r"] * rng.uniform(0.35, 0.55, size=3),
                               "R": b["R"], "w": waves(rng)})
    nominal2 = sum(4 / 3 * np.pi * np.prod(c["r"]) for c in consolidations if c is not None)
    s2 = (TARGET_LABEL2 * voxel * 1.05 / nominal2) ** (1 / 3) if nominal2 > 0 else 1.0
    for c in consolidations:
        if c is not None:
            c["r"] = c["r"] * s2

    # --- the prediction's errors
    size = [np.prod(b["r"]) for b in lesions]
    larger = np.argsort(size)[LESIONS // 2:]                   # misses among the larger half
    missed = set(int(i) for i in rng.choice(larger, MISSES, replace=False))
    plain = [i for i in np.argsort(size) if not consolidated[i] and i not in missed]
    swapped = int(plain[len(plain) // 4]) if plain else -1     # a smallish lesion, label 1 → 2

    gt = np.zeros(shape, np.uint8)
    pred = np.zeros(shape, np.uint8)
    for i, (b, c) in enumerate(zip(lesions, consolidations)):
        box = box_of([b] + ([c] if c is not None else []), shape, spacing)
        paint(gt, b, c, box, 1, spacing, inside)

    for i, (b, c) in enumerate(zip(lesions, consolidations)):
        # draw every lesion's jitter, missed or not, so that the stream does not depend on MISSES
        shift = rng.normal(0, 1.5, size=3)
        scale = rng.uniform(0.8, 1.2, size=3)
        pb = {"c": b["c"] + shift, "r": b["r"] * scale, "R": b["R"], "w": jitter_waves(rng, b["w"])}
        pc = None
        if c is not None:
            pc = {"c": c["c"] + shift + rng.normal(0, 1.0, size=3), "r": c["r"] * rng.uniform(0.8, 1.25, size=3),
                  "R": c["R"], "w": jitter_waves(rng, c["w"])}
        if i in missed:
            continue
        box = box_of([pb] + ([pc] if pc is not None else []), shape, spacing)
        paint(pred, pb, pc, box, 2 if i == swapped else 1, spacing, inside, rng, NOISE_P)

    for j in range(FALSE_POSITIVES):
        r = np.exp(rng.normal(np.log(4.5), 0.3)) * rng.uniform(0.75, 1.25, size=3)
        fp = {"c": sample_in_lung(rng, inside, ext, 10.0), "r": r, "R": rotation(rng), "w": waves(rng)}
        box = box_of([fp], shape, spacing)
        paint(pred, fp, None, box, 2 if j == FALSE_POSITIVES - 1 else 1, spacing, inside, rng, NOISE_P)

    info = {"missed": sorted(missed), "swapped": swapped, "consolidated": [int(i) for i in np.flatnonzero(consolidated)]}
    return gt, pred, info


def save(array, spacing, path):
    affine = np.diag(list(spacing) + [1.0])
    image = nib.Nifti1Image(array, affine)
    image.header.set_data_dtype(np.uint8)
    image.header.set_zooms(spacing)
    image.set_sform(affine, code=1)
    image.set_qform(affine, code=1)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    nib.save(image, path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", help="output folder (gt/ and pred/ are made in it)")
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--shape", type=int, nargs=3, default=[512, 512, 120])
    parser.add_argument("--spacing", type=float, nargs=3, default=[0.8, 0.8, 1.5])
    args = parser.parse_args()
    start = time.perf_counter()
    gt, pred, info = generate(args.seed, tuple(args.shape), args.spacing)
    save(gt, args.spacing, os.path.join(args.out, "gt", "case.nii.gz"))
    save(pred, args.spacing, os.path.join(args.out, "pred", "case.nii.gz"))
    for name, a in (("gt", gt), ("pred", pred)):
        counts = np.bincount(a.ravel(), minlength=3)
        size = os.path.getsize(os.path.join(args.out, name, "case.nii.gz"))
        print(f"{name:4s} label 1: {counts[1]:7d}  label 2: {counts[2]:6d} voxels  ({size / 1000:.0f} KB)")
    print(f"missed lesions {info['missed']}, label swap lesion {info['swapped']}, "
          f"{len(info['consolidated'])} lesions with label 2, {FALSE_POSITIVES} false positives; "
          f"seed {args.seed}, {time.perf_counter() - start:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
