#!/usr/bin/env bash
# Makes the committed reference values of the distance conventions (issue 12) with the libraries
# themselves, in a throw-away venv: tools/distance_reference.py (its docstring says what it writes).
#
#   bash tools/distance_reference.sh OUT_FOLDER          # e.g. fixtures/distances
#
# DeepMind's surface-distance and Metrics Reloaded are not on PyPI: their repositories are put on
# PYTHONPATH at the pinned commits (../shared/spec/distances.md), exported from a local clone given
# in SEGEVAL_DEEPMIND_REPO / SEGEVAL_METRICS_RELOADED_REPO, or cloned from GitHub. Their code runs
# in the venv only; nothing of it is copied into the project.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
OUT=${1:?usage: tools/distance_reference.sh OUT_FOLDER}
VENV=${SEGEVAL_DISTANCE_VENV:-/tmp/segeval-dist-venv}
source "$HERE/distance_env.sh"
distance_venv "$VENV"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export_distance_package deepmind "$work"
export_distance_package metricsreloaded "$work"

mkdir -p "$OUT"
SEGEVAL_DEEPMIND_COMMIT=$DEEPMIND_COMMIT SEGEVAL_METRICS_RELOADED_COMMIT=$METRICS_RELOADED_COMMIT \
    "$VENV/bin/python" "$HERE/distance_reference.py" "$OUT"
