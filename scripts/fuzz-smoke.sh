#!/usr/bin/env bash
# A few seconds of fuzzing per parser (scripts/fuzz.sh), for CI: builds the harnesses and fails on
# any finding. The real campaigns (10^6 executions per target) are a pre-release step: docs/fuzzing.md.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-5}
for target in pth pickle safetensors safetensors-header png jpeg nifti; do
    scripts/fuzz.sh "$target" "$seconds" | tail -n 1
done
