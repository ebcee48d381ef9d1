#!/usr/bin/env bash
# Benchmark of `segeval predict`'s network against PyTorch eager and ONNX Runtime, side by side:
# same weights, same 256x256 input, 2 threads, median of >= 12 runs after warm-up.
#
#   bash bench/predict_bench.sh [WEIGHTS.safetensors] [IMAGE.png]
#
# Defaults: ../shared/golden/full/weights.safetensors and its input.png (the width-64 network).
# Creates a throw-away venv (SEGEVAL_BENCH_VENV, default /tmp/segeval-bench-venv) with torch (CPU),
# onnxruntime, onnx, safetensors, numpy and opencv; builds segeval in release mode
# (SEGEVAL_BENCH_SCRATCH, default .build-bench). Environment: THREADS (2), RUNS (12), ROUNDS (3).
set -euo pipefail
cd "$(dirname "$0")/.."
WEIGHTS=${1:-../shared/golden/full/weights.safetensors}
IMAGE=${2:-../shared/golden/full/input.png}
SCRATCH=${SEGEVAL_BENCH_SCRATCH:-.build-bench}
THREADS=${THREADS:-2}

source bench/bench_venv.sh

swift build -c release --scratch-path "$SCRATCH" --product segeval >/dev/null
BIN="$SCRATCH/release/segeval"

export OMP_NUM_THREADS=$THREADS
"$VENV/bin/python" bench/predict_bench.py --segeval "$BIN" --weights "$WEIGHTS" --image "$IMAGE" \
    --threads "$THREADS" --runs "${RUNS:-12}" --rounds "${ROUNDS:-3}"
