#!/usr/bin/env bash
# 3-D surface distances: segeval against the Python libraries, side by side, on one realistic
# 512x512x120 label-map pair (../shared/spec/distances.md §4).
#
#   bash bench/distance_bench.sh
#
# Steps: CPU model / AVX-512; segeval release build (`swift build -c release --product segeval`);
# the throw-away venv (as tools/distance_reference.sh makes it); DeepMind's and Metrics Reloaded's
# packages exported at the pinned commits; the pair (bench/make_volume_pair.py, seeded); each
# library timed in its own process (bench/distance_libraries.py: one thread, best of N, wall and
# CPU, peak RSS); segeval timed under each convention with 1 and 2 threads (/usr/bin/time, best
# wall of N); a Markdown table at the end.
#
#   SEGEVAL_BIN=path                 use this segeval binary, build nothing
#   SEGEVAL_DISTANCE_VENV            venv (default /tmp/segeval-dist-venv; created if it cannot
#                                    import torch monai medpy seg_metrics SimpleITK nibabel scipy
#                                    skimage pandas sklearn absl)
#   SEGEVAL_DEEPMIND_REPO            local clone of google-deepmind/surface-distance (else cloned
#                                    from GitHub), e.g. /work/.mirror/google-deepmind+surface-distance/repo
#   SEGEVAL_METRICS_RELOADED_REPO    local clone of Project-MONAI/MetricsReloaded (else cloned),
#                                    e.g. /work/.mirror/Project-MONAI+MetricsReloaded/repo
#   SEGEVAL_DISTANCE_PAIR=folder     reuse a pair (folder with gt/case.nii.gz and pred/case.nii.gz)
#   SEGEVAL_DISTANCE_SEED            seed of the generated pair (default 12)
#   SEGEVAL_DISTANCE_LIBRARIES       comma-separated (default read,deepmind,monai,metricsreloaded,medpy;
#                                    add segmetrics for seg-metrics, distances only, slow)
#   SEGEVAL_DISTANCE_REPEATS         best of N per library (default 3)
#   SEGEVAL_DISTANCE_SLOW_REPEATS    best of N for medpy and segmetrics (default: SEGEVAL_DISTANCE_REPEATS)
#   SEGEVAL_DISTANCE_RUNS            segeval runs per convention and thread count (default 3; best wall)
#   SEGEVAL_DISTANCE_THREADS         segeval thread counts (default "1 2")
#   SEGEVAL_DISTANCE_RESULTS=folder  keep the JSON files, the segeval outputs and report.md there
#
# About 8 minutes on an idle 2-core machine with the defaults (Metrics Reloaded and MedPy take ~1 min
# a run). Wall times on a machine shared with builds are inflated; CPU time is the steadier anchor.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENV=${SEGEVAL_DISTANCE_VENV:-/tmp/segeval-dist-venv}
source tools/distance_env.sh
LIBRARIES=${SEGEVAL_DISTANCE_LIBRARIES:-read,deepmind,monai,metricsreloaded,medpy}
REPEATS=${SEGEVAL_DISTANCE_REPEATS:-3}
SLOW_REPEATS=${SEGEVAL_DISTANCE_SLOW_REPEATS:-$REPEATS}
RUNS=${SEGEVAL_DISTANCE_RUNS:-3}
THREADS=${SEGEVAL_DISTANCE_THREADS:-"1 2"}
CONVENTIONS="deepmind monai metricsreloaded medpy seg-metrics"
WORK=$(mktemp -d /tmp/segeval-dist-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

say() { printf '\n== %s\n' "$*"; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

# --- 0. the machine ------------------------------------------------------------------------
say "machine"
CPU_MODEL=$(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1)
if grep -qw avx512f /proc/cpuinfo; then AVX512=yes; else AVX512=no; fi
echo "CPU: ${CPU_MODEL:-unknown}; $(nproc) CPUs; avx512f: $AVX512; load average $(load)"

# --- 1. segeval ------------------------------------------------------------------------------
if [ -n "${SEGEVAL_BIN:-}" ]; then
  BIN=$SEGEVAL_BIN
else
  say "building segeval (release)"
  swift build -c release --product segeval 2>&1 | tail -n 2
  BIN="$(swift build -c release --show-bin-path)/segeval"
fi
echo "segeval: $BIN ($("$BIN" --version 2>/dev/null || echo 'version unknown'))"

# --- 2. the venv, and 3. DeepMind's and Metrics Reloaded's packages at the pinned commits (not on
# PyPI), as tools/distance_reference.sh makes them (tools/distance_env.sh) --------------------------
say "venv $VENV"
distance_venv "$VENV"
PY="$VENV/bin/python"
export_distance_package deepmind "$WORK"
export_distance_package metricsreloaded "$WORK"
export SEGEVAL_DEEPMIND_COMMIT=$DEEPMIND_COMMIT SEGEVAL_METRICS_RELOADED_COMMIT=$METRICS_RELOADED_COMMIT

# --- 4. the pair -------------------------------------------------------------------------------
if [ -n "${SEGEVAL_DISTANCE_PAIR:-}" ]; then
  PAIR=$(cd "$SEGEVAL_DISTANCE_PAIR" && pwd)
else
  say "making the pair (seed ${SEGEVAL_DISTANCE_SEED:-12})"
  PAIR=$WORK/pair
  "$PY" bench/make_volume_pair.py "$PAIR" --seed "${SEGEVAL_DISTANCE_SEED:-12}"
fi
GT=$PAIR/gt/case.nii.gz
PRED=$PAIR/pred/case.nii.gz
for f in "$GT" "$PRED"; do [ -f "$f" ] || { echo "missing $f" >&2; exit 1; }; done

# --- 5. the libraries, each in its own process --------------------------------------------------
mkdir -p "$WORK/results"
IFS=, read -r -a LIBS <<< "$LIBRARIES"
for lib in "${LIBS[@]}"; do
  n=$REPEATS
  case $lib in medpy|segmetrics) n=$SLOW_REPEATS ;; esac
  say "$lib, best of $n (load $(load))"
  "$PY" bench/distance_libraries.py "$GT" "$PRED" --libraries "$lib" --repeats "$n" \
      --json "$WORK/results/library-$lib.json" --quiet \
    || echo "$lib failed (exit $?)"
  "$PY" -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print(r.get("error") or "wall %.3f s, CPU %.3f s" % (r["wall_best"], r["cpu_best"]))' \
      "$WORK/results/library-$lib.json" 2>/dev/null || true
done

# --- 6. segeval under each convention ------------------------------------------------------------
: > "$WORK/results/segeval.tsv"
for conv in $CONVENTIONS; do
  for t in $THREADS; do
    say "segeval --distances $conv --threads $t, $RUNS runs (load $(load))"
    out=$WORK/results/segeval-$conv-t$t.json
    for run in $(seq "$RUNS"); do
      if /usr/bin/time -f '%e %U %S %M' -o "$WORK/time.txt" \
          "$BIN" --pred "$PAIR/pred" --gt "$PAIR/gt" --distances "$conv" --tolerance 1 --format json -q --threads "$t" \
          > "$out" 2> "$WORK/stderr.txt"; then
        read -r wall user sys rss < <(tail -n 1 "$WORK/time.txt")
        printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$conv" "$t" "$wall" "$user" "$sys" "$rss" >> "$WORK/results/segeval.tsv"
        echo "run $run: wall $wall s, user $user s, sys $sys s, max RSS $rss KiB"
      else
        echo "segeval failed: $(tail -n 5 "$WORK/stderr.txt")"
        rm -f "$out"
        break
      fi
    done
  done
done

# --- 7. the table ------------------------------------------------------------------------------
say "report (load $(load))"
"$PY" - "$WORK/results" "$GT" "$PRED" "$CPU_MODEL" "$AVX512" "$(nproc)" > "$WORK/results/report.md" <<'EOF'
import glob, json, os, sys
import nibabel as nib
import numpy as np

results, gt, pred, cpu, avx512, ncpu = sys.argv[1:7]
libs = {}
for path in sorted(glob.glob(os.path.join(results, "library-*.json"))):
    data = json.load(open(path))
    for r in data["results"]:
        libs[r["library"]] = r
versions = data["versions"] if libs else {}
seg = {}
for line in open(os.path.join(results, "segeval.tsv")):
    conv, t, wall, user, sys_, rss = line.split()
    key = (conv, int(t))
    wall, cpu_s, rss = float(wall), float(user) + float(sys_), int(rss)
    best = seg.setdefault(key, {"wall": wall, "cpu": cpu_s, "rss": rss, "runs": 0})
    best["wall"], best["cpu"], best["rss"] = min(best["wall"], wall), min(best["cpu"], cpu_s), max(best["rss"], rss)
    best["runs"] += 1

NAME = {"read": "nibabel read (2 files)", "deepmind": "DeepMind 1f805ce", "monai": "MONAI " + versions.get("monai", ""),
        "metricsreloaded": "Metrics Reloaded ca3d352", "medpy": "MedPy " + versions.get("medpy", ""),
        "segmetrics": "seg-metrics " + versions.get("seg-metrics", "") + " (distances only)"}
ok = lambda name: name in libs and "error" not in libs[name]
read = (libs["read"]["wall_best"], libs["read"]["cpu_best"]) if ok("read") else (0.0, 0.0)
def total(name):   # library time + reading the two files: what segeval's time includes
    r = libs[name]
    return r["wall_best"] + read[0], r["cpu_best"] + read[1]
def ratio(a, b):
    return f"{a / b:.1f}x" if b > 0 else "—"
def hd95(name):
    v = libs[name].get("values") or {}
    cell = lambda k: (lambda x: f"{x:.2f}" if isinstance(x, float) else str(x))(v.get(k, {}).get("hd95", "—"))
    return f"{cell('1')} / {cell('2')}"

print(f"CPU: {cpu} ({ncpu} CPUs), avx512f: {avx512}. Pair: {gt}, {pred}.")
print(f"Versions: " + ", ".join(f"{k} {v}" for k, v in versions.items()) + ".\n")
print("| library / convention | threads | wall s | CPU s | speed-up vs same convention, wall (CPU) | vs DeepMind, wall (CPU) | peak RSS MiB | HD95 label 1 / 2 mm |")
print("|---|---|---|---|---|---|---|---|")
for name in ["read", "deepmind", "monai", "metricsreloaded", "medpy", "segmetrics"]:
    if name not in libs:
        continue
    r = libs[name]
    if "error" in r:
        print(f"| {NAME[name]} | 1 | failed: {r['error'].splitlines()[-1][:80]} | | | | | |")
        continue
    vs_dm = "—"
    if name != "read" and ok("deepmind"):
        w, c = total(name)
        dw, dc = total("deepmind")
        vs_dm = f"{ratio(dw, w)} ({ratio(dc, c)})"
    print(f"| {NAME[name]} | 1 | {r['wall_best']:.3f} | {r['cpu_best']:.3f} | — | {vs_dm} | {r['peak_rss_kib'] / 1024:.0f} | "
          f"{hd95(name) if name != 'read' else '—'} |")
for (conv, t), s in sorted(seg.items(), key=lambda kv: (["deepmind", "monai", "metricsreloaded", "medpy", "seg-metrics"].index(kv[0][0]), kv[0][1])):
    lib = conv.replace("-", "")
    same = f"{ratio(total(lib)[0], s['wall'])} ({ratio(total(lib)[1], s['cpu'])})" if ok(lib) else "—"
    vs_dm = f"{ratio(total('deepmind')[0], s['wall'])} ({ratio(total('deepmind')[1], s['cpu'])})" if ok("deepmind") else "—"
    print(f"| **segeval --distances {conv}** | {t} | {s['wall']:.3f} | {s['cpu']:.3f} | {same} | {vs_dm} | {s['rss'] / 1024:.0f} | see below |")
if not seg:
    print("| segeval | — | failed (see above) | | | | | |")

sizes = []
for path in (gt, pred):
    h = nib.load(path).header
    sizes.append(int(np.prod(h.get_data_shape())) * np.dtype(h.get_data_dtype()).itemsize)
decoded = sum(sizes) / 2**20
print(f"\nLibrary rows: best of {max((len(r.get('wall', [])) for r in libs.values()), default=0)} per library (wall and CPU minima taken separately), "
      "one thread, the label maps already in memory (the read row is separate); peak RSS = the library's own process "
      "(interpreter and imports included). segeval rows: the whole process (start, reading both files, every metric "
      "of both labels, JSON out), best wall / best CPU (user + sys) / largest max RSS of its runs. Speed-ups compare "
      "segeval with library + read (wall and CPU separately); 'vs DeepMind' on a library row is DeepMind's time over its own.")
print(f"\nDecoded label maps: {' + '.join(f'{s:,} B' for s in sizes)} = {decoded:.1f} MiB; 3x = {3 * decoded:.1f} MiB "
      f"(compare segeval's peak RSS).")

hits = []
for conv in ["deepmind", "monai", "metricsreloaded", "medpy", "seg-metrics"]:
    threads = sorted(t for (c, t) in seg if c == conv)
    path = os.path.join(results, f"segeval-{conv}-t{threads[0]}.json") if threads else ""
    if not path or not os.path.exists(path):
        continue
    try:
        doc = json.load(open(path))
    except Exception as error:  # noqa: BLE001
        hits.append(f"{conv}: output is not JSON ({error})")
        continue
    found = []
    def walk(x, where):
        if isinstance(x, dict):
            for k, v in x.items():
                walk(v, f"{where}.{k}" if where else str(k))
        elif isinstance(x, list):
            for i, v in enumerate(x):
                walk(v, f"{where}[{i}]")
        elif "hd95" in where.lower() and isinstance(x, (int, float, str)):
            found.append(f"{where} = {x}")
    walk(doc, "")
    hits.append(f"{conv}: " + ("; ".join(found[:8]) if found else "no key holding 'hd95'"))
if hits:
    print("\nsegeval HD95 values (keys matching 'hd95' in its JSON):")
    for h in hits:
        print(f"- {h}")
EOF
cat "$WORK/results/report.md"
if [ -n "${SEGEVAL_DISTANCE_RESULTS:-}" ]; then
  mkdir -p "$SEGEVAL_DISTANCE_RESULTS"
  cp "$WORK"/results/* "$SEGEVAL_DISTANCE_RESULTS"/
  echo "results kept in $SEGEVAL_DISTANCE_RESULTS"
fi
