#!/usr/bin/env bash
# Installs what is missing, builds segeval (release) and evaluates the bundled demo data:
# six COVID-SemiSeg slices, the published Inf-Net and Semi-Inf-Net maps (fixtures/demo),
# and draws the PDF report.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build -c release --static-swift-stdlib --product segeval 2>&1 | tail -n 1
segeval=.build/release/segeval
demo=fixtures/demo
mkdir -p demo-out
"$segeval" --pred "$demo/Results" --gt "$demo/GT" --out demo-out/evaluation
"$segeval" report -q --pred "$demo/Results" --gt "$demo/GT" --images "$demo/Imgs" --cases all \
    --title "segeval demo: six COVID-SemiSeg slices" --out demo-out/report.pdf
echo "wrote demo-out/evaluation/ (tables, per-image values, curves, summary.json) and demo-out/report.pdf"
