#!/usr/bin/env python3
"""Compare segeval's per-image weighted F-measure with PySODMetrics' WeightedFmeasure.

  compare_wfm.py PYSOD_CSV SEGEVAL_PER_IMAGE_CSV [SEGEVAL_PER_IMAGE_CSV ...] [--explain DATA]

PYSOD_CSV: written by `pysod_eval.py wfm DATA PYSOD_CSV` (model,class,image,wFmeasure).
SEGEVAL_PER_IMAGE_CSV: `per_image.csv` of `segeval ... --out DIR` (column `wFmeasure`; empty when
the GT has no foreground, where PySODMetrics returns 0 by convention — such rows are counted apart).
Prints max and mean absolute difference over the pairs both define, and the worst 5.
With --explain DATA, the worst pair is recomputed step by step in NumPy to locate the difference
(distance-transform ties, kernel, border).
"""
import csv
import sys


def load(path):
    out = {}
    with open(path, newline="") as fh:
        for row in csv.DictReader(fh):
            key = (row["model"], row["class"] or "", row["image"])
            v = row["wFmeasure"].strip()
            out[key] = float(v) if v not in ("", "null", "nan") else None
    return out


def main():
    args = sys.argv[1:]
    data = None
    if "--explain" in args:
        i = args.index("--explain")
        data = args[i + 1]
        del args[i:i + 2]
    if len(args) < 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    pysod = load(args[0])
    seg = {}
    for p in args[1:]:
        seg.update(load(p))
    missing = sorted(set(pysod) ^ set(seg))
    diffs, undefined = [], []
    for key in sorted(set(pysod) & set(seg)):
        a, b = pysod[key], seg[key]
        if b is None:
            undefined.append((key, a))
            continue
        diffs.append((abs(a - b), key, a, b))
    diffs.sort(reverse=True)
    n = len(diffs)
    print(f"pairs compared: {n}  (PySOD pairs {len(pysod)}, segeval pairs {len(seg)}, "
          f"in one only {len(missing)})")
    if undefined:
        print(f"GT without foreground (segeval: undefined/null, PySODMetrics: {sorted({u[1] for u in undefined})}): "
              f"{len(undefined)} pairs, not compared")
    if n:
        mx = diffs[0][0]
        mean = sum(d[0] for d in diffs) / n
        over = sum(1 for d in diffs if d[0] > 1e-6)
        print(f"max |diff| = {mx:.3e}   mean |diff| = {mean:.3e}   pairs with |diff| > 1e-6: {over}")
        print("worst 5:")
        for d, key, a, b in diffs[:5]:
            print(f"  {d:.3e}  {key[0]:24s} {key[1] or '-':24s} {key[2]:10s} pysod={a:.12f} segeval={b:.12f}")
    if data and n:
        explain(data, diffs[0][1])


def explain(data, key):
    """Recompute the worst pair and show where scipy's nearest-feature ties differ."""
    import os
    import cv2
    import numpy as np
    from scipy.ndimage import convolve, distance_transform_edt
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import pysod_eval as pe

    model, cls, image = key
    for pred_path, gt_path, m, c in pe.pairs(data):
        if m == model and c == cls and os.path.basename(pred_path) == image:
            break
    pred = cv2.imread(pred_path, cv2.IMREAD_GRAYSCALE) / 255.0
    if pred.max() != pred.min():
        pred = (pred - pred.min()) / (pred.max() - pred.min())
    gt = cv2.imread(gt_path, cv2.IMREAD_GRAYSCALE) > 128
    dst, idx = distance_transform_edt(~gt, return_indices=True)
    E = np.abs(pred - gt)
    # how many background pixels have several equidistant nearest foreground pixels whose E differ
    bg = np.argwhere(~gt)
    fg = np.argwhere(gt)
    print(f"\nworst pair {key}: {pred.shape}, |GT|={gt.sum()}")
    from scipy.spatial import cKDTree
    tree = cKDTree(fg)
    d, _ = tree.query(bg)
    ties = 0
    ambiguous = 0
    for (y, x), dd in zip(bg, d):
        cand = tree.query_ball_point((y, x), dd + 1e-9)
        if len(cand) > 1:
            ties += 1
            vals = {E[tuple(fg[c])] for c in cand}
            if len(vals) > 1:
                ambiguous += 1
    print(f"background pixels with equidistant nearest GT pixels: {ties}; of those with different E "
          f"at the candidates (tie-breaking changes Et): {ambiguous}")
    # Sensitivity to tie-breaking: the same metric on the image rotated by 180 degrees is the same
    # number up to which equidistant GT pixel scipy picks (and summation order).
    import py_sod_metrics as M
    w = M.WeightedFmeasure()
    a = w.cal_wfm(pred, gt)
    b = w.cal_wfm(pred[::-1, ::-1].copy(), gt[::-1, ::-1].copy())
    c = w.cal_wfm(pred.T.copy(), gt.T.copy())
    print(f"PySOD wFm as is {a:.15f}; rotated 180 deg {b:.15f} (|diff| {abs(a - b):.2e}); "
          f"transposed {c:.15f} (|diff| {abs(a - c):.2e})")


if __name__ == "__main__":
    main()
