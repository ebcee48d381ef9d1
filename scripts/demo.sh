#!/usr/bin/env bash
# Installs what is missing, builds segeval (release), predicts the bundled demo slices with the
# built-in network and its shipped default weights (models/README.md), evaluates those maps next
# to the published Inf-Net and Semi-Inf-Net maps of the same six COVID-SemiSeg slices
# (fixtures/demo), and draws the PDF report; then the same per class (ground-glass opacities,
# consolidation) with the per-class network, beside the published per-class maps.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build -c release --static-swift-stdlib --product segeval 2>&1 | tail -n 1
segeval=.build/release/segeval
demo=fixtures/demo
maps=demo-out/maps
# demo-out/ is this script's own output folder: start it afresh (inputs stay in fixtures/demo).
rm -rf "$maps"
mkdir -p "$maps"
cp -R "$demo/Results/Inf-Net" "$demo/Results/Semi-Inf-Net" "$maps/"
"$segeval" predict --images "$demo/Imgs" --out "$maps/CoSupNet"
models=Inf-Net,Semi-Inf-Net,CoSupNet
"$segeval" --pred "$maps" --gt "$demo/GT" --models "$models" --out demo-out/evaluation
"$segeval" report -q --pred "$maps" --gt "$demo/GT" --models "$models" --images "$demo/Imgs" --cases all \
    --title "segeval demo: six COVID-SemiSeg slices" --out demo-out/report.pdf
# Per class: segeval's per-class network beside the published FCN8s and Semi-Inf-Net + multi-class
# UNet maps of the same slices, against their label maps (ground-glass opacities, consolidation).
classes=demo-out/class-maps
rm -rf "$classes"
mkdir -p "$classes"
cp -R "$demo/ClassesResults/." "$classes/"
"$segeval" predict -q --classes --images "$demo/Imgs" --out "$classes"
"$segeval" --pred "$classes" --gt "$demo/ClassesGT" --models FCN8s_1100,Semi-Inf-Net_UNet,CoSupNet --out demo-out/class-evaluation
"$segeval" report -q --pred "$classes" --gt "$demo/ClassesGT" --models FCN8s_1100,Semi-Inf-Net_UNet,CoSupNet --images "$demo/Imgs" \
    --cases all --title "segeval demo: per class, six COVID-SemiSeg slices" --out demo-out/class-report.pdf
echo "wrote demo-out/maps/CoSupNet/ (segeval's predictions), demo-out/evaluation/ (tables, per-image values," \
     "curves, summary.json) and demo-out/report.pdf; per class: demo-out/class-maps/, demo-out/class-evaluation/" \
     "and demo-out/class-report.pdf"
