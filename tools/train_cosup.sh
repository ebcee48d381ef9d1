#!/usr/bin/env bash
# Trains CoSupNet with deep co-supervision (tools/train_cosup.py) in a throw-away venv.
#
# Usage (from anywhere; arguments go to tools/train_cosup.py, see its docstring):
#   bash tools/train_cosup.sh --out ../segeval-runs/w32                  # train (the shipped recipe: width 32, 90 epochs)
#   bash tools/train_cosup.sh --out ../segeval-runs/w32 --resume         # continue an interrupted run
#   bash tools/train_cosup.sh --out ../segeval-runs/w32 --export --fp16  # best.pt -> .safetensors
#   bash tools/train_cosup.sh --out /tmp/t --width 32 --threads 2 --time-batches 3      # time an epoch
#   bash tools/train_cosup.sh --out /tmp/t --width 8 --check                            # logits == forward
# Keep --out outside the repository: checkpoints are never committed.
# A long run in the background that survives the shell:
#   mkdir -p ../segeval-runs && nohup bash tools/train_cosup.sh --out ../segeval-runs/w32 --resume \
#       >> ../segeval-runs/w32.out 2>&1 &        (first time without --resume)
#
# Environment: SEGEVAL_TRAIN_VENV (default /tmp/segeval-train-venv) is created on first use with
# torch (the CPU wheel in /opt/wheels when the machine has one, else PyPI's), numpy,
# opencv-python-headless and safetensors. Delete it to start afresh. Nothing of the product
# needs it.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
VENV=${SEGEVAL_TRAIN_VENV:-/tmp/segeval-train-venv}

if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import torch, numpy, cv2, safetensors" 2>/dev/null; then
    rm -rf "$VENV"
    python3 -m venv "$VENV"
    wheel=$(ls /opt/wheels/torch-*cpu*.whl 2>/dev/null | head -1 || true)
    "$VENV/bin/pip" install -q ${wheel:-torch} numpy opencv-python-headless safetensors
fi

exec "$VENV/bin/python" "$HERE/train_cosup.py" "$@"
