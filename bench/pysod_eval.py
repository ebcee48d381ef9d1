#!/usr/bin/env python3
"""PySODMetrics side of the segeval benchmark (bench/eval_bench.sh runs it in a throw-away venv).

Modes:
  pairs    DATA             print the 672 "pred<TAB>gt<TAB>model<TAB>class" pairs of the 14 models
  metrics  DATA             the Inf-Net toolbox metric set with PySODMetrics, per model, timed
                            (S-measure, E-measure curve + adaptive, MAE, Dice/Sen/Spe/Precision
                            curves + adaptive through FmeasureV2); decoding with cv2 included
  wfm      DATA [CSV]       PySODMetrics' WeightedFmeasure over the same pairs, timed; with CSV,
                            also writes the per-image values (model,class,image,wFmeasure)
  decode   DATA             cv2.imread(..., IMREAD_GRAYSCALE) of each pair's prediction and GT, timed
  list     DATA             print the unique files (each prediction + each GT file once)

Each timed mode prints one line "seconds=<wall> cpu=<user+sys> pairs=<n> ..." last.
"""
import os
import sys
import time

LUNG_PRED = "Results/Lung infection segmentation"
MULTI_PRED = "Results/Multi-class lung infection segmentation"
LUNG_GT = "Dataset/TestingSet/LungInfection-Test/GT"
MULTI_GT = "Dataset/TestingSet/MultiClassInfection-Test"
CLASSES = [("Ground-glass opacities", "GT-1"), ("Consolidation", "GT-2")]


def pngs(folder):
    return sorted(f for f in os.listdir(folder) if f.lower().endswith(".png"))


def pairs(data):
    """[(pred_path, gt_path, model, class_name)] for the 4 lung + 5 GGO + 5 consolidation models."""
    out = []
    groups = [(os.path.join(data, LUNG_PRED), os.path.join(data, LUNG_GT), "")]
    for cls, gtdir in CLASSES:
        groups.append((os.path.join(data, MULTI_PRED, cls), os.path.join(data, MULTI_GT, gtdir), cls))
    for root, gt_dir, cls in groups:
        for model in sorted(os.listdir(root)):
            mdir = os.path.join(root, model)
            if not os.path.isdir(mdir):
                continue
            for name in pngs(mdir):
                out.append((os.path.join(mdir, name), os.path.join(gt_dir, name), model, cls))
    return out


def by_model(ps):
    groups = {}
    for p in ps:
        groups.setdefault((p[2], p[3]), []).append(p)
    return groups


def mode_metrics(data):
    import cv2
    import numpy as np
    import py_sod_metrics as M

    ps = pairs(data)
    t0, c0 = time.perf_counter(), time.process_time()
    results = {}
    for (model, cls), items in by_model(ps).items():
        sm, em, mae = M.Smeasure(), M.Emeasure(), M.MAE()
        kw = dict(with_adaptive=True, with_dynamic=True)
        fm = M.FmeasureV2(metric_handlers={
            "dice": M.DICEHandler(**kw),
            "sen": M.SensitivityHandler(**kw),
            "spe": M.SpecificityHandler(**kw),
            "pre": M.PrecisionHandler(**kw),
        })
        for pred_path, gt_path, _, _ in items:
            pred = cv2.imread(pred_path, cv2.IMREAD_GRAYSCALE)
            gt = cv2.imread(gt_path, cv2.IMREAD_GRAYSCALE)
            sm.step(pred=pred, gt=gt)
            em.step(pred=pred, gt=gt)
            mae.step(pred=pred, gt=gt)
            fm.step(pred=pred, gt=gt)
        f = fm.get_results()
        e = em.get_results()["em"]
        results[(model, cls)] = dict(
            Sm=sm.get_results()["sm"], MAE=mae.get_results()["mae"],
            meanEm=float(np.mean(e["curve"])), adpEm=e["adp"],
            meanDice=float(np.mean(f["dice"]["dynamic"])), adpDice=f["dice"]["adaptive"],
            meanSen=float(np.mean(f["sen"]["dynamic"])), meanSpe=float(np.mean(f["spe"]["dynamic"])),
            meanPre=float(np.mean(f["pre"]["dynamic"])))
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    for (model, cls), r in results.items():
        print(f"{model:26s} {cls or '-':24s} " + " ".join(f"{k}={v:.4f}" for k, v in r.items()))
    print(f"seconds={seconds:.4f} cpu={cpu:.4f} pairs={len(ps)} models={len(results)}")


def mode_wfm(data, csv_path=None):
    import cv2
    import py_sod_metrics as M

    ps = pairs(data)
    rows = []
    t0, c0 = time.perf_counter(), time.process_time()
    for (model, cls), items in by_model(ps).items():
        w = M.WeightedFmeasure()
        for pred_path, gt_path, _, _ in items:
            pred = cv2.imread(pred_path, cv2.IMREAD_GRAYSCALE)
            gt = cv2.imread(gt_path, cv2.IMREAD_GRAYSCALE)
            w.step(pred=pred, gt=gt)
        w.get_results()
        for (pred_path, _, _, _), v in zip(items, w.weighted_fms):
            rows.append((model, cls, os.path.basename(pred_path), float(v)))
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    if csv_path:
        with open(csv_path, "w") as fh:
            fh.write("model,class,image,wFmeasure\n")
            for model, cls, image, v in rows:
                fh.write(f"{model},{cls},{image},{v!r}\n")
    print(f"seconds={seconds:.4f} cpu={cpu:.4f} pairs={len(ps)}")


def mode_decode(data):
    import cv2

    ps = pairs(data)
    t0, c0 = time.perf_counter(), time.process_time()
    total = 0
    for pred_path, gt_path, _, _ in ps:
        total += int(cv2.imread(pred_path, cv2.IMREAD_GRAYSCALE)[0, 0])
        total += int(cv2.imread(gt_path, cv2.IMREAD_GRAYSCALE)[0, 0])
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(f"seconds={seconds:.4f} cpu={cpu:.4f} pairs={len(ps)} decodes={2 * len(ps)} checksum={total}")


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    mode, data = sys.argv[1], sys.argv[2]
    if mode == "pairs":
        for p in pairs(data):
            print("\t".join(p))
    elif mode == "list":
        seen = []
        for pred_path, _, _, _ in pairs(data):
            seen.append(pred_path)
        gts = sorted({gt for _, gt, _, _ in pairs(data)})
        print("\n".join(seen + gts))
    elif mode == "metrics":
        mode_metrics(data)
    elif mode == "wfm":
        mode_wfm(data, sys.argv[3] if len(sys.argv) > 3 else None)
    elif mode == "decode":
        mode_decode(data)
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
