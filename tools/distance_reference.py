"""The reference values of the surface-distance and overlap conventions (issue 12), from the
libraries themselves: MedPy 0.5.2, MONAI 1.6.1, DeepMind surface-distance (git 1f805ce),
Metrics Reloaded (git ca3d352), seg-metrics 1.2.8 and SimpleITK 2.5.7
(../shared/spec/distances.md describes what each computes).

Run through tools/distance_reference.sh (it makes the throw-away venv and puts the two
repositories that are not on PyPI on the path; their code is run there, never copied here):

    bash tools/distance_reference.sh fixtures/distances

Writes OUT/<case>_gt.nii.gz and OUT/<case>_pred.nii.gz (small volumes, written with nibabel) and
OUT/reference.json: per case and label, each library's values, or the error it raised (as
{"error": "TypeName: message"}); non-finite numbers as the strings "inf", "-inf", "nan".
The volumes are seeded: the same files every run.

Every library gets the same binary masks (label == k; a probability map thresholded p >= 0.5) and
the spacing nibabel reads (`header.get_zooms()`: pixdim, float32 widened), in array axis order
(x, y, z as stored).
"""
import io
import json
import math
import os
import sys
import contextlib

import nibabel as nib
import numpy as np

TOLERANCES = [1.0, 2.0]
PERCENTILE = 95
SPACING = (0.7, 0.8, 1.5)


def ellipsoid(shape, centre, radii):
    grid = np.indices(shape).astype(np.float64)
    return sum(((grid[a] - centre[a]) / radii[a]) ** 2 for a in range(len(shape))) <= 1


def cases():
    """(name, gt labels, pred labels or probability map, spacing, labels evaluated)."""
    rng = np.random.default_rng(12)
    shape = (14, 12, 9)
    out = []
    gt = ellipsoid(shape, (6.5, 5.5, 4), (4.5, 3.5, 3)).astype(np.uint8)
    pred = ellipsoid(shape, (7.2, 5.0, 4.3), (4.0, 3.8, 2.6)).astype(np.uint8)
    out.append(("blobs", gt, pred, SPACING, [1]))
    out.append(("empty_pred", gt, np.zeros(shape, np.uint8), SPACING, [1]))
    out.append(("empty_gt", np.zeros(shape, np.uint8), pred, SPACING, [1]))
    out.append(("both_empty", np.zeros(shape, np.uint8), np.zeros(shape, np.uint8), SPACING, [1]))
    single_g, single_p = np.zeros(shape, np.uint8), np.zeros(shape, np.uint8)
    single_g[3, 4, 2] = 1
    single_p[5, 4, 3] = 1
    out.append(("single_voxels", single_g, single_p, SPACING, [1]))
    border_g = np.zeros(shape, np.uint8)
    border_g[0:4, 0:3, 0:3] = 1       # touches voxel (0, 0, 0) and three faces
    border_p = np.zeros(shape, np.uint8)
    border_p[0:5, 0:3, 0:2] = 1
    border_p[10:14, 9:12, 6:9] = 1    # a second piece in the far corner
    out.append(("border", border_g, border_p, SPACING, [1]))
    # Two labels, one of them only in the GT and one only in the prediction.
    multi_g = gt.copy()
    multi_g[ellipsoid(shape, (3, 9, 6), (2, 2, 2))] = 2
    multi_p = pred.copy()
    multi_p[ellipsoid(shape, (11, 2, 2), (2, 1.5, 1.5))] = 3
    out.append(("labels", multi_g, multi_p, SPACING, [1, 2, 3]))
    # A probability map: the blob's prediction smoothed, with values exactly at 0.5.
    prob = np.clip(pred * 0.8 + rng.uniform(0, 0.45, shape), 0, 1)
    prob[7, 5, 4] = 0.5
    prob[1, 1, 1] = 0.5
    out.append(("probability", gt, prob.astype(np.float32), SPACING, [1]))
    # One slice, stored 3-D (nz = 1) and 2-D.
    flat_g = ellipsoid((14, 12), (6.5, 5.5), (4.5, 3.5)).astype(np.uint8)
    flat_p = ellipsoid((14, 12), (7.2, 5.0), (4.0, 3.8)).astype(np.uint8)
    out.append(("slice_3d", flat_g[:, :, None], flat_p[:, :, None], SPACING, [1]))
    out.append(("slice_2d", flat_g, flat_p, SPACING[:2], [1]))
    # Isotropic unit spacing, a ring against a disc (distances along all axes).
    ring_g = ellipsoid(shape, (7, 6, 4), (5, 4, 3)) & ~ellipsoid(shape, (7, 6, 4), (3, 2, 2))
    out.append(("ring", ring_g.astype(np.uint8), ellipsoid(shape, (7, 6, 4), (4, 3, 2.5)).astype(np.uint8), (1.0, 1.0, 1.0), [1]))
    # A 2-D image with square pixels (what a PNG layout with --spacing 0.5 is): an ellipse and a
    # small second lesion in the GT, a shifted ellipse touching the image border in the prediction.
    planar_g = ellipsoid((20, 16), (9.5, 7.5), (6, 4.5)) | ellipsoid((20, 16), (16, 13), (1.5, 1.5))
    planar_p = ellipsoid((20, 16), (11, 6.5), (7.5, 4.5)) | ellipsoid((20, 16), (1, 14), (1, 1.2))
    out.append(("planar", planar_g.astype(np.uint8), planar_p.astype(np.uint8), (0.5, 0.5), [1]))
    return out


def number(value):
    value = float(value)
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return value


def attempt(function):
    """The value(s), or the error raised; stdout silenced (MetricsReloaded prints arrays)."""
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            result = function()
        if isinstance(result, (tuple, list)):
            return [number(v) for v in result]
        return number(result)
    except Exception as error:  # noqa: BLE001 - the error is the reference value
        return {"error": f"{type(error).__name__}: {error}"}


def medpy_values(p, g, spacing):
    from medpy.metric import binary
    values = {
        "hd": attempt(lambda: binary.hd(p, g, voxelspacing=spacing)),
        "hd95": attempt(lambda: binary.hd95(p, g, voxelspacing=spacing)),
        "assd": attempt(lambda: binary.assd(p, g, voxelspacing=spacing)),
        "asd_pred_to_gt": attempt(lambda: binary.asd(p, g, voxelspacing=spacing)),
        "asd_gt_to_pred": attempt(lambda: binary.asd(g, p, voxelspacing=spacing)),
        "dice": attempt(lambda: binary.dc(p, g)),
        "iou": attempt(lambda: binary.jc(p, g)),
        "precision": attempt(lambda: binary.precision(p, g)),
        "sensitivity": attempt(lambda: binary.sensitivity(p, g)),
        "specificity": attempt(lambda: binary.specificity(p, g)),
    }
    return values


def monai_values(p, g, spacing):
    import torch
    from monai.metrics import (compute_average_surface_distance, compute_dice, compute_hausdorff_distance,
                               compute_confusion_matrix_metric, compute_iou, compute_surface_dice,
                               get_confusion_matrix)
    yp = torch.from_numpy(p.astype(np.float32))[None, None]
    yg = torch.from_numpy(g.astype(np.float32))[None, None]
    sp = list(spacing)
    one = lambda t: t.reshape(-1)[0].item()
    values = {
        "hd": attempt(lambda: one(compute_hausdorff_distance(yp, yg, include_background=True, spacing=sp))),
        "hd95": attempt(lambda: one(compute_hausdorff_distance(yp, yg, include_background=True, percentile=PERCENTILE, spacing=sp))),
        "asd_pred_to_gt": attempt(lambda: one(compute_average_surface_distance(yp, yg, include_background=True, spacing=sp))),
        "asd_gt_to_pred": attempt(lambda: one(compute_average_surface_distance(yg, yp, include_background=True, spacing=sp))),
        "assd": attempt(lambda: one(compute_average_surface_distance(yp, yg, include_background=True, symmetric=True, spacing=sp))),
        "dice": attempt(lambda: one(compute_dice(yp, yg, include_background=True))),
        "iou": attempt(lambda: one(compute_iou(yp, yg, include_background=True))),
    }
    for name, monai_name in [("sensitivity", "sensitivity"), ("specificity", "specificity"), ("precision", "precision")]:
        values[name] = attempt(lambda: one(compute_confusion_matrix_metric(
            monai_name, get_confusion_matrix(yp, yg, include_background=True))))
    for tau in TOLERANCES:
        values[f"nsd_{tau:g}"] = attempt(lambda: one(compute_surface_dice(yp, yg, [tau], include_background=True, spacing=sp)))
        values[f"nsd_subvoxels_{tau:g}"] = attempt(lambda: one(compute_surface_dice(
            yp, yg, [tau], include_background=True, spacing=sp, use_subvoxels=True)))
    return values


def pooled_average(d):
    distances = np.concatenate([d["distances_gt_to_pred"], d["distances_pred_to_gt"]])
    areas = np.concatenate([d["surfel_areas_gt"], d["surfel_areas_pred"]])
    return np.sum(distances * areas) / np.sum(areas)


def deepmind_values(p, g, spacing):
    import surface_distance as sd
    distances = lambda: sd.compute_surface_distances(g.astype(bool), p.astype(bool), list(spacing))
    values = {
        "hd": attempt(lambda: sd.compute_robust_hausdorff(distances(), 100)),
        "hd95": attempt(lambda: sd.compute_robust_hausdorff(distances(), PERCENTILE)),
        "asd_gt_to_pred_and_pred_to_gt": attempt(lambda: sd.compute_average_surface_distance(distances())),
        "dice": attempt(lambda: sd.compute_dice_coefficient(g.astype(bool), p.astype(bool))),
        # Derived (the library has no symmetric value): both directions' distances and surfel
        # areas as compute_surface_distances returns them, pooled, area-weighted.
        "asd_pooled_derived": attempt(lambda: pooled_average(distances())),
    }
    for tau in TOLERANCES:
        values[f"nsd_{tau:g}"] = attempt(lambda: sd.compute_surface_dice_at_tolerance(distances(), tau))
    return values


def metrics_reloaded_values(p, g, spacing):
    from MetricsReloaded.metrics.pairwise_measures import BinaryPairwiseMeasures as BPM
    values = {}
    for tau in TOLERANCES:
        measures = BPM(p.astype(np.int32), g.astype(np.int32), pixdim=list(spacing), dict_args={"hd_perc": PERCENTILE, "nsd": tau})
        values[f"nsd_{tau:g}"] = attempt(measures.normalised_surface_distance)
    measures = BPM(p.astype(np.int32), g.astype(np.int32), pixdim=list(spacing), dict_args={"hd_perc": PERCENTILE, "nsd": 1})
    values.update({
        "hd": attempt(measures.measured_hausdorff_distance),
        "hd95": attempt(measures.measured_hausdorff_distance_perc),
        "assd": attempt(measures.measured_average_distance),
        "masd": attempt(measures.measured_masd),
        "dice": attempt(measures.dsc),
        "iou": attempt(measures.intersection_over_union),
        "sensitivity": attempt(measures.sensitivity),
        "specificity": attempt(measures.specificity),
        "precision": attempt(measures.positive_predictive_value),
    })
    return values


def seg_metrics_values(p, g, spacing):
    import seg_metrics.seg_metrics as sg
    def run():
        with contextlib.redirect_stdout(io.StringIO()):
            return sg.write_metrics(labels=[1], gdth_img=g.astype(np.uint8), pred_img=p.astype(np.uint8),
                                    spacing=list(spacing), verbose=False)[0]
    try:
        result = run()
    except Exception as error:  # noqa: BLE001
        return {"error": f"{type(error).__name__}: {error}"}
    keys = ["hd", "hd95", "msd", "mdsd", "stdsd", "dice", "jaccard", "precision", "recall", "fpr", "vs"]
    return {key: number(result[key][0]) for key in keys if key in result}


def simpleitk_values(p, g, spacing):
    import SimpleITK as sitk
    def image(a):
        i = sitk.GetImageFromArray(np.ascontiguousarray(a.astype(np.uint8).T))  # sitk wants (z, y, x)
        i.SetSpacing([float(s) for s in spacing])
        return i
    def hausdorff():
        f = sitk.HausdorffDistanceImageFilter()
        f.Execute(image(g), image(p))
        return f.GetHausdorffDistance(), f.GetAverageHausdorffDistance()
    def overlap():
        f = sitk.LabelOverlapMeasuresImageFilter()
        f.Execute(image(g), image(p))
        return f.GetDiceCoefficient(), f.GetJaccardCoefficient()
    return {"region_hd_and_average": attempt(hausdorff), "dice_and_jaccard": attempt(overlap)}


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    import importlib.metadata as md
    reference = {
        "spec": "../shared/spec/distances.md",
        "versions": {name: md.version(name) for name in ["medpy", "monai", "seg-metrics", "SimpleITK", "nibabel", "numpy", "scipy", "torch"]},
        "repositories": {"surface-distance": os.environ.get("SEGEVAL_DEEPMIND_COMMIT", "?"),
                         "MetricsReloaded": os.environ.get("SEGEVAL_METRICS_RELOADED_COMMIT", "?")},
        "percentile": PERCENTILE, "tolerances_mm": TOLERANCES, "threshold": ">= 0.5",
        "cases": {},
    }
    for name, gt, pred, spacing, labels in cases():
        for role, array in (("gt", gt), ("pred", pred)):
            image = nib.Nifti1Image(array, np.diag(list(spacing) + [1] * (4 - len(spacing)))[:4, :4] if array.ndim == 3
                                    else np.diag(list(spacing) + [1, 1]))
            image.header.set_zooms(spacing)
            nib.save(image, os.path.join(out, f"{name}_{role}.nii.gz"))
        # What every library gets: the spacing as nibabel reads it back (float32 pixdim widened).
        zooms = tuple(float(z) for z in nib.load(os.path.join(out, f"{name}_gt.nii.gz")).header.get_zooms())
        entry = {"spacing": list(zooms), "shape": list(gt.shape), "labels": {}}
        for label in labels:
            g = gt == label
            p = (pred >= 0.5) if pred.dtype.kind == "f" else (pred == label)
            entry["labels"][str(label)] = {
                "gt_voxels": int(g.sum()), "pred_voxels": int(p.sum()),
                "medpy": medpy_values(p, g, zooms),
                "monai": monai_values(p, g, zooms),
                "deepmind": deepmind_values(p, g, zooms),
                "metricsreloaded": metrics_reloaded_values(p, g, zooms),
                "seg-metrics": seg_metrics_values(p, g, zooms),
                "simpleitk": simpleitk_values(p, g, zooms),
            }
        reference["cases"][name] = entry
        print(f"{name}: labels {labels}", file=sys.stderr)
    with open(os.path.join(out, "reference.json"), "w") as fh:
        json.dump(reference, fh, indent=1, sort_keys=True)
        fh.write("\n")


if __name__ == "__main__":
    main()
