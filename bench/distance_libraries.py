"""Times the Python surface-distance libraries on one gt/pred label-map pair, each under its own
convention (../shared/spec/distances.md §1 and §4): Dice + HD95 + an ASSD variant + NSD(τ = 1 mm)
for labels 1 and 2, single-threaded, best of N.

    python bench/distance_libraries.py GT.nii.gz PRED.nii.gz [--libraries read,deepmind,monai,metricsreloaded]
                                       [--repeats 3] [--json OUT.json] [--isolate] [--labels 1 2]

Run it in the benchmark's venv (bench/distance_bench.sh makes it): DeepMind's surface_distance and
MetricsReloaded must be importable (their repositories on PYTHONPATH).

Libraries (--libraries, comma-separated; "all" = every one; default read,deepmind,monai,metricsreloaded):

  read             nibabel: load both files, np.asanyarray(dataobj) (what every row below starts from)
  deepmind         compute_surface_distances once per label, then compute_dice_coefficient,
                   compute_robust_hausdorff(d, 95), compute_average_surface_distance (the pair),
                   compute_surface_dice_at_tolerance(d, 1.0)
  monai            compute_dice, compute_hausdorff_distance(percentile=95),
                   compute_average_surface_distance(symmetric=True), compute_surface_dice([1.0]);
                   one float32 channel per label [1, 1, X, Y, Z], include_background=True, spacing given
  metricsreloaded  BinaryPairwiseMeasures(pred, ref, pixdim, dict_args hd_perc 95, nsd 1): dsc,
                   measured_distance (HD, ASSD, HD95, MASD; its print of the distance array is sent
                   to a StringIO), normalised_surface_distance
  medpy            dc, hd95, assd (voxelspacing) — slow (about a minute), not in the default
  segmetrics       write_metrics(labels=[1, 2], metrics=["hd95", "msd"]) — distances only (its Dice
                   takes ~13 min, §4), slow, not in the default

Every timed call starts from the two label maps in memory and includes making the per-label masks.
Timing: time.perf_counter (wall) and time.process_time (CPU of this process), best of --repeats for
each, separately. Threads: OMP/MKL/OpenBLAS = 1 (set before numpy is imported), torch.set_num_threads(1),
SimpleITK's global default threads 1 (torch and SimpleITK imported only for the rows that
use them, before timing; every library is imported before its first timed call).

--isolate runs each library in a child process (this script again), so the peak RSS column is that
library's own (the interpreter and its imports included); otherwise it is this process's peak so
far. --json writes every time, value and the versions.
"""
import os

for _var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "NUMEXPR_NUM_THREADS",
             "VECLIB_MAXIMUM_THREADS", "ITK_GLOBAL_DEFAULT_NUMBER_OF_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import contextlib  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import resource  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402

import numpy as np  # noqa: E402

ALL = ["read", "deepmind", "monai", "metricsreloaded", "medpy", "segmetrics"]
DEFAULT = ["read", "deepmind", "monai", "metricsreloaded"]
TAU = 1.0
PERCENTILE = 95
NAMES = {"read": "nibabel read (2 files)", "deepmind": "DeepMind", "monai": "MONAI",
         "metricsreloaded": "Metrics Reloaded", "medpy": "MedPy", "segmetrics": "seg-metrics (distances)"}
# the ASSD variant each library reports
ASSD_KIND = {"deepmind": "pair (G→P, P→G)", "monai": "pooled (symmetric=True)", "metricsreloaded": "pooled",
             "medpy": "pooled", "segmetrics": "pooled msd (C26)"}


MODULES = {"read": ["nibabel"], "deepmind": ["surface_distance"], "monai": ["torch", "monai.metrics"],
           "metricsreloaded": ["MetricsReloaded.metrics.pairwise_measures"], "medpy": ["medpy.metric.binary"],
           "segmetrics": ["SimpleITK", "seg_metrics.seg_metrics"]}


def prepare(name):
    """Imports the library outside the timed calls and makes it single-threaded (torch and SimpleITK
    are only imported for the libraries that use them, so that the other rows' RSS does not hold them)."""
    import importlib
    for module in MODULES[name]:
        importlib.import_module(module)
    if "torch" in MODULES[name]:
        import torch
        torch.set_num_threads(1)
        try:
            torch.set_num_interop_threads(1)
        except RuntimeError:
            pass
    if "SimpleITK" in MODULES[name]:
        import SimpleITK as sitk
        sitk.ProcessObject.SetGlobalDefaultNumberOfThreads(1)


def read(gt_path, pred_path):
    import nibabel as nib
    g_img, p_img = nib.load(gt_path), nib.load(pred_path)
    g, p = np.asanyarray(g_img.dataobj), np.asanyarray(p_img.dataobj)
    return g, p, tuple(float(z) for z in g_img.header.get_zooms()[:g.ndim])


# ------------------------------------------------------------------ one function per library
# Each takes the two label maps (array axis order), the spacing in that order and the labels, and
# returns {label: {metric: value}}.

def run_deepmind(g, p, spacing, labels):
    import surface_distance as sd
    out = {}
    for k in labels:
        gk, pk = g == k, p == k
        d = sd.compute_surface_distances(gk, pk, list(spacing))
        out[k] = {"dice": sd.compute_dice_coefficient(gk, pk),
                  "hd95": sd.compute_robust_hausdorff(d, PERCENTILE),
                  "assd": list(sd.compute_average_surface_distance(d)),
                  "nsd": sd.compute_surface_dice_at_tolerance(d, TAU)}
    return out


def run_monai(g, p, spacing, labels):
    import torch
    from monai.metrics import (compute_average_surface_distance, compute_dice, compute_hausdorff_distance,
                               compute_surface_dice)
    one = lambda t: float(t.reshape(-1)[0])  # noqa: E731
    sp = list(spacing)
    out = {}
    for k in labels:
        yp = torch.from_numpy((p == k).astype(np.float32))[None, None]
        yg = torch.from_numpy((g == k).astype(np.float32))[None, None]
        out[k] = {"dice": one(compute_dice(yp, yg, include_background=True)),
                  "hd95": one(compute_hausdorff_distance(yp, yg, include_background=True, percentile=PERCENTILE, spacing=sp)),
                  "assd": one(compute_average_surface_distance(yp, yg, include_background=True, symmetric=True, spacing=sp)),
                  "nsd": one(compute_surface_dice(yp, yg, [TAU], include_background=True, spacing=sp))}
    return out


def run_metricsreloaded(g, p, spacing, labels):
    from MetricsReloaded.metrics.pairwise_measures import BinaryPairwiseMeasures as BPM
    out = {}
    for k in labels:
        m = BPM((p == k).astype(np.int32), (g == k).astype(np.int32), pixdim=list(spacing),
                dict_args={"hd_perc": PERCENTILE, "nsd": TAU})
        with contextlib.redirect_stdout(io.StringIO()):   # measured_distance prints the distance array
            hd, assd, hd95, masd = m.measured_distance()
        out[k] = {"dice": m.dsc(), "hd95": hd95, "assd": assd, "nsd": m.normalised_surface_distance(), "masd": masd}
    return out


def run_medpy(g, p, spacing, labels):
    from medpy.metric import binary
    out = {}
    for k in labels:
        gk, pk = g == k, p == k
        out[k] = {"dice": binary.dc(pk, gk), "hd95": binary.hd95(pk, gk, voxelspacing=spacing),
                  "assd": binary.assd(pk, gk, voxelspacing=spacing)}
    return out


def run_segmetrics(g, p, spacing, labels):
    import seg_metrics.seg_metrics as sg
    with contextlib.redirect_stdout(io.StringIO()):
        result = sg.write_metrics(labels=list(labels), gdth_img=g, pred_img=p, spacing=list(spacing),
                                  metrics=["hd95", "msd"], verbose=False)[0]
    return {k: {"hd95": result["hd95"][i], "assd": result["msd"][i]} for i, k in enumerate(labels)}


RUNNERS = {"deepmind": run_deepmind, "monai": run_monai, "metricsreloaded": run_metricsreloaded,
           "medpy": run_medpy, "segmetrics": run_segmetrics}


def plain(value):
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    value = float(value)
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return value


def peak_rss_kib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


def versions():
    import importlib.metadata as md
    out = {"python": sys.version.split()[0]}
    for dist in ("numpy", "scipy", "nibabel", "torch", "monai", "medpy", "seg-metrics", "SimpleITK"):
        try:
            out[dist] = md.version(dist)
        except md.PackageNotFoundError:
            pass
    for env in ("SEGEVAL_DEEPMIND_COMMIT", "SEGEVAL_METRICS_RELOADED_COMMIT"):
        if os.environ.get(env):
            out[env.lower().replace("segeval_", "")] = os.environ[env]
    return out


def time_library(name, gt_path, pred_path, labels, repeats):
    """{wall: [..], cpu: [..], values: {...}, peak_rss_kib}"""
    walls, cpus, values = [], [], None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")   # scipy's ndimage.filters/morphology deprecations (DeepMind)
        prepare(name)
    if name == "read":
        for _ in range(repeats):
            w0, c0 = time.perf_counter(), time.process_time()
            read(gt_path, pred_path)
            walls.append(time.perf_counter() - w0)
            cpus.append(time.process_time() - c0)
    else:
        g, p, spacing = read(gt_path, pred_path)
        run = RUNNERS[name]
        for _ in range(repeats):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                w0, c0 = time.perf_counter(), time.process_time()
                result = run(g, p, spacing, labels)
                walls.append(time.perf_counter() - w0)
                cpus.append(time.process_time() - c0)
        values = {str(k): {m: plain(v) for m, v in result[k].items()} for k in labels}
    return {"library": name, "wall": walls, "cpu": cpus, "wall_best": min(walls), "cpu_best": min(cpus),
            "values": values, "peak_rss_kib": peak_rss_kib()}


def time_isolated(name, args):
    with tempfile.NamedTemporaryFile(suffix=".json") as tmp:
        cmd = [sys.executable, os.path.abspath(__file__), args.gt, args.pred, "--libraries", name,
               "--repeats", str(args.repeats), "--json", tmp.name, "--labels", *map(str, args.labels), "--quiet"]
        done = subprocess.run(cmd, stderr=subprocess.PIPE, text=True)
        if done.returncode != 0:
            tail = "\n".join(done.stderr.strip().splitlines()[-5:])
            return {"library": name, "error": f"exit {done.returncode}: {tail}"}
        with open(tmp.name) as f:
            return json.load(f)["results"][0]


def fmt(v, digits=2):
    if isinstance(v, str):
        return v
    if v is None:
        return "—"
    return f"{v:.{digits}f}"


def table(results, labels):
    head = ["library", "wall best s", "CPU best s"] + [f"HD95 l{k}" for k in labels] + \
           [f"ASSD l{k}" for k in labels] + [f"NSD l{k}" for k in labels] + [f"Dice l{k}" for k in labels] + ["peak RSS MiB"]
    rows = []
    for r in results:
        if "error" in r:
            rows.append([NAMES.get(r["library"], r["library"]), "failed: " + r["error"].splitlines()[-1][:60]])
            continue
        v = r.get("values") or {}
        def get(k, m, digits):
            x = v.get(str(k), {}).get(m)
            if isinstance(x, list):   # DeepMind's ASSD pair
                return "/".join(fmt(e, digits) for e in x)
            return fmt(x, digits) if x is not None else "—"
        rows.append([NAMES.get(r["library"], r["library"]), f"{r['wall_best']:.3f}", f"{r['cpu_best']:.3f}"]
                    + [get(k, "hd95", 2) for k in labels] + [get(k, "assd", 3) for k in labels]
                    + [get(k, "nsd", 4) for k in labels] + [get(k, "dice", 4) for k in labels]
                    + [f"{r['peak_rss_kib'] / 1024:.0f}"])
    widths = [max(len(str(row[i])) for row in [head] + rows if i < len(row)) for i in range(len(head))]
    line = lambda row: "  ".join(str(c).ljust(widths[i]) if i == 0 else str(c).rjust(widths[i])  # noqa: E731
                                 for i, c in enumerate(row))
    print(line(head))
    for row in rows:
        print(line(row))
    kinds = ", ".join(f"{NAMES[r['library']]}: {ASSD_KIND[r['library']]}" for r in results
                      if r["library"] in ASSD_KIND and "error" not in r)
    if kinds:
        print(f"ASSD: {kinds}.")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     epilog=__doc__.split("\n\n", 1)[1], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("gt")
    parser.add_argument("pred")
    parser.add_argument("--libraries", default=",".join(DEFAULT), help="comma-separated; 'all' = " + ",".join(ALL))
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--labels", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--json", metavar="OUT")
    parser.add_argument("--isolate", action="store_true", help="each library in a child process (own peak RSS)")
    parser.add_argument("--quiet", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    names = ALL if args.libraries == "all" else [n.strip() for n in args.libraries.split(",") if n.strip()]
    unknown = [n for n in names if n not in ALL]
    if unknown:
        parser.error(f"unknown libraries {unknown}; choose from {ALL}")

    results = []
    for name in names:
        if not args.quiet:
            print(f"[{time.strftime('%H:%M:%S')}] {NAMES[name]} ×{args.repeats} (load {os.getloadavg()[0]:.2f}) ...",
                  file=sys.stderr, flush=True)
        if args.isolate:
            results.append(time_isolated(name, args))
        else:
            try:
                results.append(time_library(name, args.gt, args.pred, args.labels, args.repeats))
            except Exception as error:  # noqa: BLE001 - report and go on with the next library
                results.append({"library": name, "error": f"{type(error).__name__}: {error}"})
    if not args.quiet:
        print(f"\n{args.gt} vs {args.pred}, labels {args.labels}, best of {args.repeats}, one thread, "
              f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
              + ("" if args.isolate else "; peak RSS = this process so far"))
        table(results, args.labels)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"gt": args.gt, "pred": args.pred, "labels": args.labels, "repeats": args.repeats,
                       "isolated": args.isolate, "tau_mm": TAU, "percentile": PERCENTILE, "versions": versions(),
                       "load_average": os.getloadavg(), "results": results}, f, indent=1)


if __name__ == "__main__":
    main()
