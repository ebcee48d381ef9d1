"""Writes fixtures/wfm/cases.json: PySODMetrics' weighted F-measure on small synthetic pairs built
to have many distance-transform ties (background pixels with several equidistant nearest GT
pixels whose errors differ), so that segeval's tests pin its tie-breaking to scipy's.

    python3 tools/make_wfm_fixture.py [OUTPUT_FILE]      # default: fixtures/wfm/cases.json

Needs numpy, scipy and pysodmetrics (a throw-away venv, e.g. the one bench/ makes); segeval's
tests only read the file. For each case it also stores the score of the same pair rotated by 180
degrees, which differs only by how ties are broken: the gap shows that the case can tell two
tie-breaking rules apart.
"""
import json
import os
import sys

import numpy as np
import py_sod_metrics

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "fixtures", "wfm", "cases.json")


def wfm(pred, gt):
    metric = py_sod_metrics.WeightedFmeasure()
    metric.step(pred=pred, gt=gt)
    return float(metric.get_results()["wfm"])


def cases():
    rng = np.random.default_rng(20261127)
    h, w = 20, 16
    # Sparse dots: most background pixels are equidistant from several dots.
    gt = (rng.random((h, w)) < 0.05)
    yield "sparse-dots", gt, rng.integers(0, 256, (h, w))
    # Two squares side by side: the column between them is equidistant from both.
    gt = np.zeros((h, w), bool); gt[4:9, 2:6] = True; gt[4:9, 10:14] = True
    yield "two-squares", gt, rng.integers(0, 256, (h, w))
    # A diagonal line and a point: diagonal ties.
    gt = np.zeros((h, w), bool); gt[np.arange(3, 15), np.arange(1, 13)] = True; gt[17, 3] = True
    yield "diagonal", gt, rng.integers(0, 256, (h, w))
    # A blob with holes, a map correlated with it.
    gt = np.zeros((h, w), bool); gt[3:17, 3:13] = True; gt[6:8, 5:7] = False; gt[11, 9:11] = False
    pred = np.where(gt, rng.integers(120, 256, (h, w)), rng.integers(0, 140, (h, w)))
    yield "blob-with-holes", gt, pred
    # Non-square, denser GT, touching the borders.
    gt = (rng.random((17, 23)) < 0.2); gt[0, :3] = True; gt[-1, -2:] = True
    yield "dense-17x23", gt, rng.integers(0, 256, (17, 23))
    # A constant map (left unnormalised by both) on the sparse dots.
    gt = (rng.random((h, w)) < 0.05); gt[10, 8] = True
    yield "constant-map", gt, np.full((h, w), 77)


def main():
    out = []
    for name, gt, pred in cases():
        gt8 = np.where(gt, 255, 0).astype(np.uint8)
        pred8 = pred.astype(np.uint8)
        score = wfm(pred8, gt8)
        rotated = wfm(np.rot90(pred8, 2).copy(), np.rot90(gt8, 2).copy())
        out.append({
            "name": name, "width": int(gt.shape[1]), "height": int(gt.shape[0]),
            "gt": [int(v) for v in gt8.ravel()], "pred": [int(v) for v in pred8.ravel()],
            "pysod_wfm": score, "pysod_wfm_rotated_180": rotated,
        })
        print(f"{name:16s} wfm {score!r:22s} rotated {rotated!r:22s} tie gap {abs(score - rotated):.3e}")
    from importlib.metadata import version
    meta = {"generator": "tools/make_wfm_fixture.py", "pysodmetrics": version("pysodmetrics"),
            "scipy": version("scipy"), "numpy": np.__version__, "cases": out}
    os.makedirs(os.path.dirname(os.path.abspath(OUT)), exist_ok=True)
    with open(OUT, "w") as fh:
        json.dump(meta, fh, indent=None, separators=(",", ":"))
        fh.write("\n")


if __name__ == "__main__":
    main()
