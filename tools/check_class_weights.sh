#!/usr/bin/env bash
# Measures a trained per-class CoSupNet the way the model card reports it (models/README.md,
# "Per class"): predicts the 48 MultiClassInfection-Test slices with `segeval predict --classes`,
# puts the maps beside the published per-class maps of the Inf-Net paper (Results/Multi-class lung
# infection segmentation/<class>/<model>/) and evaluates every model with segeval under the
# Inf-Net protocol: ground-glass opacities against GT-1/, consolidation against GT-2/.
#
#   bash tools/check_class_weights.sh WEIGHTS.safetensors [SEGEVAL_BINARY]
#
# Prints the per-class table (Markdown, six metrics) and keeps the files in $OUT (default: a temp
# folder, printed). Needs ../shared (the test set and the published maps).
set -euo pipefail
cd "$(dirname "$0")/.."
WEIGHTS=${1:?usage: tools/check_class_weights.sh WEIGHTS.safetensors [SEGEVAL_BINARY]}
SEGEVAL=${2:-.build/release/segeval}
DATA=../shared/data/covid-semiseg
TEST=$DATA/Dataset/TestingSet/MultiClassInfection-Test
OUT=${OUT:-$(mktemp -d)}
mkdir -p "$OUT/maps"
cp -R "$DATA/Results/Multi-class lung infection segmentation/Ground-glass opacities" \
      "$DATA/Results/Multi-class lung infection segmentation/Consolidation" "$OUT/maps/"
"$SEGEVAL" predict -q --classes --force --weights "$WEIGHTS" --images "$TEST/Imgs" --out "$OUT/maps"
"$SEGEVAL" --pred "$OUT/maps" --gt "$TEST" --format markdown --decimals 3 --out "$OUT/evaluation" \
    --models FCN8s_1100,DeepLabV3Plus_Stride8,DeepLabV3Plus_Stride16,Semi-Inf-Net_FCN8s_1100,Semi-Inf-Net_UNet,CoSupNet
echo "maps and evaluation in $OUT"
