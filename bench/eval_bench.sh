#!/usr/bin/env bash
# segeval vs PySODMetrics on the 14 published COVID-SemiSeg model folders (672 pairs).
# See bench/README.md. Usage: bash bench/eval_bench.sh [DATA]
#   DATA                      default ../shared/data/covid-semiseg (relative to the repo root)
#   SEGEVAL_BENCH_VENV        throw-away venv (default /tmp/segeval-bench-venv)
#   SEGEVAL_BENCH_RUNS        segeval runs per measurement (default 10; median reported)
#   SEGEVAL_BENCH_PYSOD_RUNS  PySODMetrics runs per measurement (default 1; median reported)
#   SEGEVAL_BENCH_NO_BUILD=1  use the existing .build-static binary
#   SEGEVAL_BENCH_NICE=N      run the timed commands under `nice -n N` (e.g. -15 as root, on a machine
#                             shared with builds, to approach idle-machine numbers). With the kernel's
#                             autogroup scheduling on, nice only ranks processes of one session, so
#                             the script also writes N to /proc/$$/autogroup (the nice of this
#                             session's group; it lasts as long as the session: run the script in a
#                             session of its own, e.g. `setsid bash bench/eval_bench.sh`)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
DATA="$(cd "${1:-$ROOT/../shared/data/covid-semiseg}" && pwd)"
VENV="${SEGEVAL_BENCH_VENV:-/tmp/segeval-bench-venv}"
RUNS="${SEGEVAL_BENCH_RUNS:-10}"
PYRUNS="${SEGEVAL_BENCH_PYSOD_RUNS:-1}"
WORK="$(mktemp -d /tmp/segeval-bench.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
NICE=()
if [ -n "${SEGEVAL_BENCH_NICE:-}" ]; then
  NICE=(nice -n "$SEGEVAL_BENCH_NICE")
  [ -w "/proc/$$/autogroup" ] && echo "$SEGEVAL_BENCH_NICE" > "/proc/$$/autogroup" 2>/dev/null || true
fi

LUNG_PRED="$DATA/Results/Lung infection segmentation"
LUNG_GT="$DATA/Dataset/TestingSet/LungInfection-Test/GT"
MULTI_PRED="$DATA/Results/Multi-class lung infection segmentation"
MULTI_GT="$DATA/Dataset/TestingSet/MultiClassInfection-Test"
for d in "$LUNG_PRED" "$LUNG_GT" "$MULTI_PRED" "$MULTI_GT"; do
  [ -d "$d" ] || { echo "missing $d" >&2; exit 1; }
done

say() { printf '\n== %s\n' "$*"; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

# --- 1. segeval, release ------------------------------------------------------------------
# As scripts/demo.sh builds it: release, Swift runtime linked statically (saves ~15 ms of
# dynamic linking per process start; the benchmark starts two processes per run).
BIN="$ROOT/.build-static/release/segeval"
if [ "${SEGEVAL_BENCH_NO_BUILD:-0}" != 1 ] || [ ! -x "$BIN" ]; then
  say "building segeval (release, static Swift runtime)"
  swift build -c release --static-swift-stdlib --scratch-path .build-static --product segeval 2>&1 | tail -n 2
fi

# --- 2. throw-away venv with PySODMetrics -------------------------------------------------
if ! "$VENV/bin/python" -c 'import py_sod_metrics, cv2, scipy' 2>/dev/null; then
  say "creating $VENV (pysodmetrics numpy opencv-python-headless pillow scipy)"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q pysodmetrics numpy opencv-python-headless pillow scipy
fi
PY="$VENV/bin/python"
PYSOD_VERSION="$("$VENV/bin/pip" show pysodmetrics 2>/dev/null | sed -n 's/^Version: //p')"

# --- 3. the libpng decoder ----------------------------------------------------------------
gcc -O2 -o "$WORK/decode_png" bench/decode_png.c -lpng16 -lpthread
"$PY" bench/pysod_eval.py list "$DATA" > "$WORK/unique.txt"            # 672 preds + 144 GT files
"$PY" bench/pysod_eval.py pairs "$DATA" | awk -F'\t' '{print $1; print $2}' > "$WORK/pairs.txt"  # 1344
NPAIRS=$(( $(wc -l < "$WORK/pairs.txt") / 2 ))

median() { sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
pysod_time() {  # mode -> median wall seconds over PYRUNS runs (CPU seconds of the last run -> $WORK/cpu)
  for _ in $(seq "$PYRUNS"); do
    "${NICE[@]}" "$PY" bench/pysod_eval.py "$1" "$DATA" ${2:+"$2"} | tee -a "$WORK/pysod-$1.log" | sed -n 's/^seconds=\([0-9.]*\).*/\1/p'
  done | median
  sed -n 's/.* cpu=\([0-9.]*\).*/\1/p' "$WORK/pysod-$1.log" | tail -n 1 > "$WORK/cpu"
}
# segeval: both commands (lung root + multi-class root) together, median of RUNS runs
cat > "$WORK/segeval_all.sh" <<EOS
"$BIN" --pred "$LUNG_PRED" --gt "$LUNG_GT" -q --format csv "\$@" >/dev/null
"$BIN" --pred "$MULTI_PRED" --gt "$MULTI_GT" -q --format csv "\$@" >/dev/null
EOS
segeval_time() {  # extra args -> median seconds
  if command -v hyperfine >/dev/null; then
    "${NICE[@]}" hyperfine -N --warmup 2 --runs "$RUNS" --export-json "$WORK/hf.json" \
      "bash $WORK/segeval_all.sh $*" >"$WORK/hf.log" 2>&1 || { cat "$WORK/hf.log" >&2; exit 1; }
    "$PY" -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print(r["median"]); print("%.4f" % (r["user"] + r["system"]), file=open(sys.argv[2], "w"))' "$WORK/hf.json" "$WORK/cpu"
  else
    bash "$WORK/segeval_all.sh" "$@"
    echo "?" > "$WORK/cpu"
    for _ in $(seq "$RUNS"); do
      s=$(date +%s.%N); "${NICE[@]}" bash "$WORK/segeval_all.sh" "$@"; e=$(date +%s.%N)
      awk -v a="$s" -v b="$e" 'BEGIN { printf "%.6f\n", b - a }'
    done | median
  fi
}
ratio() { "$PY" -c "import sys; a,b=float(sys.argv[1]),float(sys.argv[2]); print(f'{a/b:.1f}')" "$1" "$2"; }

say "machine: $(nproc) cores${NICE:+, timed commands under ${NICE[*]}}, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1); load average $(load)"
echo "segeval $("$BIN" --version 2>/dev/null || echo '?'), PySODMetrics $PYSOD_VERSION, $(python3 --version), $(gcc --version | head -1)"
echo "$NPAIRS pairs; $(wc -l < "$WORK/unique.txt") unique PNG files"

# --- 4. segeval, the toolbox metric set ---------------------------------------------------
say "segeval (default metrics; lung + multi-class commands together), median of $RUNS [load $(load)]"
T_SEG=$(segeval_time); C_SEG=$(cat "$WORK/cpu")
echo "segeval: ${T_SEG} s wall, ${C_SEG} s CPU (user+sys, mean)"

# --- 5. decoding only ---------------------------------------------------------------------
say "decode only [load $(load)]"
"${NICE[@]}" "$WORK/decode_png" "$WORK/unique.txt" 1 "$RUNS" > "$WORK/dec1"
T_DEC1=$(cut -d' ' -f1 "$WORK/dec1"); C_DEC1=$(awk '{print $NF}' "$WORK/dec1")
T_DEC2=$("${NICE[@]}" "$WORK/decode_png" "$WORK/unique.txt" 2 "$RUNS" | cut -d' ' -f1)
T_DECP1=$("${NICE[@]}" "$WORK/decode_png" "$WORK/pairs.txt" 1 "$RUNS" | cut -d' ' -f1)
T_DECP2=$("${NICE[@]}" "$WORK/decode_png" "$WORK/pairs.txt" 2 "$RUNS" | cut -d' ' -f1)
T_DECPY=$(for _ in 1 2 3; do "${NICE[@]}" "$PY" bench/pysod_eval.py decode "$DATA" | sed -n 's/^seconds=\([0-9.]*\).*/\1/p'; done | median)
echo "libpng (C, classic API), each unique file once (672 pred + 144 GT): 1 thread ${T_DEC1} s (CPU ${C_DEC1} s), 2 threads ${T_DEC2} s"
echo "libpng (C, classic API), pred + GT per pair (1344 decodes):       1 thread ${T_DECP1} s, 2 threads ${T_DECP2} s"
echo "cv2.imread grayscale (Python), pred + GT per pair (1344 decodes):  ${T_DECPY} s"

# --- 6. PySODMetrics, the toolbox metric set ----------------------------------------------
say "PySODMetrics (Smeasure, Emeasure, MAE, FmeasureV2 Dice/Sen/Spe/Pre; cv2 decoding included), median of $PYRUNS [load $(load)]"
T_PY=$(pysod_time metrics); C_PY=$(cat "$WORK/cpu")
tail -n 1 "$WORK/pysod-metrics.log"
echo "PySODMetrics: ${T_PY} s wall, ${C_PY} s CPU"

# --- 7. weighted F-measure ----------------------------------------------------------------
say "weighted F-measure [load $(load)]"
T_WPY=$(pysod_time wfm "$WORK/pysod_wfm.csv"); C_WPY=$(cat "$WORK/cpu")
echo "PySODMetrics WeightedFmeasure: ${T_WPY} s wall, ${C_WPY} s CPU"
T_WSEG=$(segeval_time --metrics wfm); C_WSEG=$(cat "$WORK/cpu")
echo "segeval --metrics wfm: ${T_WSEG} s wall, ${C_WSEG} s CPU (user+sys, mean)"

say "weighted F-measure, per image: segeval --out per_image.csv vs PySODMetrics"
"$BIN" --pred "$LUNG_PRED" --gt "$LUNG_GT" -q --out "$WORK/out-lung" >/dev/null
"$BIN" --pred "$MULTI_PRED" --gt "$MULTI_GT" -q --out "$WORK/out-multi" >/dev/null
"$PY" bench/compare_wfm.py "$WORK/pysod_wfm.csv" "$WORK/out-lung/per_image.csv" "$WORK/out-multi/per_image.csv"

# --- 8. summary ---------------------------------------------------------------------------
T_DEC_BEST=$("$PY" -c "import sys; print(min(map(float, sys.argv[1:])))" "$T_DEC1" "$T_DEC2")
say "summary ($NPAIRS pairs, $(nproc) cores, load average at end $(load))"
printf '%-44s %10s   (CPU %s s)\n' "PySODMetrics, toolbox set (s)" "$T_PY" "$C_PY"
printf '%-44s %10s   (CPU %s s, 2 threads)\n' "segeval, toolbox set (s)" "$T_SEG" "$C_SEG"
printf '%-44s %10s   (target >= 30x)\n' "ratio PySOD / segeval" "$(ratio "$T_PY" "$T_SEG")x"
printf '%-44s %10s   (1 thread %s s [CPU %s s], 2 threads %s s)\n' "decode only, libpng, unique files (s)" "$T_DEC_BEST" "$T_DEC1" "$C_DEC1" "$T_DEC2"
printf '%-44s %10s   (target <= 2x)\n' "ratio segeval / decode" "$(ratio "$T_SEG" "$T_DEC_BEST")x"
printf '%-44s %10s\n' "decode only, cv2, per pair (s)" "$T_DECPY"
printf '%-44s %10s   (CPU %s s)\n' "wFm PySODMetrics (s)" "$T_WPY" "$C_WPY"
printf '%-44s %10s   (CPU %s s, 2 threads)\n' "wFm segeval (s)" "$T_WSEG" "$C_WSEG"
printf '%-44s %10s   (target >= 10x)\n' "ratio wFm PySOD / segeval" "$(ratio "$T_WPY" "$T_WSEG")x"
