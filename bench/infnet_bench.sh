#!/usr/bin/env bash
# Benchmark of `segeval predict`'s Inf-Net networks against PyTorch eager (and channels_last) and
# ONNX Runtime, side by side: same weights, same 352x352 input, 2 threads, median of >= 12 runs
# after warm-up. Targets: segeval >= 1.5x ONNX Runtime and >= 3x PyTorch eager.
#
#   bash bench/infnet_bench.sh [all|infnet|infnet-multiclass]        # default: all (both models)
#
# infnet             Inf-Net / Semi-Inf-Net (Res2Net-50, 27.7 GFLOP), output lateral_map_2;
#                    INFNET_WEIGHTS (default ../shared/golden/infnet/weights.safetensors),
#                    INFNET_IMAGE (default ../shared/golden/infnet/input.png)
# infnet-multiclass  the multi-class U-Net (151.6 GFLOP), output logits;
#                    MULTICLASS_WEIGHTS, MULTICLASS_IMAGE, MULTICLASS_PRIOR (defaults
#                    ../shared/golden/infnet-multiclass/{weights.safetensors,input.png,prior.png})
# Weights: .safetensors, or the authors' .pth / .pkl.
#
# Creates a throw-away venv (SEGEVAL_BENCH_VENV, default /tmp/segeval-bench-venv) with torch (CPU),
# onnxruntime, onnx, safetensors, numpy and opencv; builds segeval in release mode
# (SEGEVAL_BENCH_SCRATCH, default .build-bench). Environment: THREADS (2), RUNS (12), ROUNDS (3),
# SEGEVAL_BIN: unset = build segeval and time it; a path = time that binary, no build;
# `none` = no build, segeval not timed (PyTorch and ONNX Runtime only, no ratios or targets).
set -euo pipefail
cd "$(dirname "$0")/.."
WHICH=${1:-all}
SCRATCH=${SEGEVAL_BENCH_SCRATCH:-.build-bench}
THREADS=${THREADS:-2}
GOLDEN=../shared/golden

case "$WHICH" in
    all) MODELS="infnet infnet-multiclass" ;;
    infnet|infnet-multiclass) MODELS=$WHICH ;;
    *) echo "usage: $0 [all|infnet|infnet-multiclass]" >&2; exit 2 ;;
esac

source bench/bench_venv.sh

BIN=${SEGEVAL_BIN:-}
if [ -z "$BIN" ]; then
    swift build -c release --scratch-path "$SCRATCH" --product segeval >/dev/null
    BIN="$SCRATCH/release/segeval"
fi

export OMP_NUM_THREADS=$THREADS
for model in $MODELS; do
    if [ "$model" = infnet ]; then
        set -- --weights "${INFNET_WEIGHTS:-$GOLDEN/infnet/weights.safetensors}" \
               --image "${INFNET_IMAGE:-$GOLDEN/infnet/input.png}"
    else
        set -- --weights "${MULTICLASS_WEIGHTS:-$GOLDEN/infnet-multiclass/weights.safetensors}" \
               --image "${MULTICLASS_IMAGE:-$GOLDEN/infnet-multiclass/input.png}" \
               --prior "${MULTICLASS_PRIOR:-$GOLDEN/infnet-multiclass/prior.png}"
    fi
    "$VENV/bin/python" bench/infnet_bench.py --model "$model" --segeval "$BIN" "$@" \
        --threads "$THREADS" --runs "${RUNS:-12}" --rounds "${ROUNDS:-3}"
    echo
done
