#!/usr/bin/env bash
# Measures a trained CoSupNet the way the model card reports it (models/README.md):
#  1. predicts the 48 LungInfection-Test slices with the float32 and the float16 export;
#  2. compares the two sets of 8-bit maps (float16 may be shipped only if no pixel differs by
#     more than 1/255);
#  3. evaluates the maps of the file to ship with segeval under the Inf-Net protocol (the paper's
#     table row): the float16 maps when they passed 2., else the float32 maps.
#
#   bash tools/check_weights.sh RUN_FOLDER [SEGEVAL_BINARY]
#
# RUN_FOLDER holds cosup-w<W>.safetensors (tools/train_cosup.sh --export) and, optionally,
# cosup-w<W>-f16.safetensors (--export --fp16); without the float16 file steps 1-2 are skipped and
# the float32 maps are evaluated. The binary defaults to .build/release/segeval. Needs ../shared (the test set)
# and the training venv (numpy, opencv) for the comparison.
set -euo pipefail
cd "$(dirname "$0")/.."
RUN=${1:?usage: tools/check_weights.sh RUN_FOLDER [SEGEVAL_BINARY]}
SEGEVAL=${2:-.build/release/segeval}
VENV=${SEGEVAL_TRAIN_VENV:-/tmp/segeval-train-venv}
TEST=../shared/data/covid-semiseg/Dataset/TestingSet/LungInfection-Test
f32=$(ls "$RUN"/cosup-w*.safetensors | grep -v -- -f16 | head -1)
f16=${f32%.safetensors}-f16.safetensors
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
"$SEGEVAL" predict -q --weights "$f32" --images "$TEST/Imgs" --out "$OUT/f32"
if [ ! -f "$f16" ]; then
    echo "no float16 export ($f16): evaluating the float32 maps"
    ship=f32
elif "$SEGEVAL" predict -q --weights "$f16" --images "$TEST/Imgs" --out "$OUT/f16" &&
     "$VENV/bin/python" - "$OUT/f32" "$OUT/f16" <<'PY'
import os, sys
import cv2
import numpy as np
a, b = sys.argv[1], sys.argv[2]
worst, differing, total = 0, 0, 0
for name in sorted(os.listdir(a)):
    x = cv2.imread(os.path.join(a, name), cv2.IMREAD_UNCHANGED).astype(int)
    y = cv2.imread(os.path.join(b, name), cv2.IMREAD_UNCHANGED).astype(int)
    d = np.abs(x - y)
    worst = max(worst, int(d.max()))
    differing += int((d > 0).sum())
    total += d.size
print(f"float16 vs float32 maps: largest difference {worst}/255; {differing} of {total} pixels differ "
      f"({100 * differing / total:.4f} %)")
if worst > 1:
    print("float16 changes the maps by more than 1/255: ship the float32 file")
    sys.exit(3)
PY
then ship=f16; else ship=f32; fi
echo "evaluating the $ship maps"
mkdir -p "$OUT/maps"
mv "$OUT/$ship" "$OUT/maps/CoSupNet"
"$SEGEVAL" --pred "$OUT/maps" --gt "$TEST/GT" --out "$OUT/evaluation"
mkdir -p "$RUN/test-evaluation"
cp "$OUT/evaluation/"* "$RUN/test-evaluation/"
echo "copied the evaluation files to $RUN/test-evaluation/"
