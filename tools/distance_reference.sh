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
DEEPMIND_COMMIT=1f805ce
METRICS_RELOADED_COMMIT=ca3d352

if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import torch, monai, medpy, seg_metrics, SimpleITK, nibabel, scipy, skimage, pandas, sklearn, absl" 2>/dev/null; then
    rm -rf "$VENV"
    python3 -m venv "$VENV"
    wheel=$(ls /opt/wheels/torch-*cpu*.whl 2>/dev/null | head -1 || true)
    # + what the two repositories import (MetricsReloaded: scikit-image, pandas, scikit-learn; DeepMind: absl-py)
    "$VENV/bin/pip" install -q ${wheel:-torch} numpy scipy nibabel SimpleITK==2.5.7 monai==1.6.1 medpy==0.5.2 seg-metrics==1.2.8 \
        scikit-image pandas scikit-learn absl-py
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export_repo() {   # NAME URL COMMIT LOCAL_CLONE PACKAGE_FOLDER (only the Python package is exported)
    local name=$1 url=$2 commit=$3 local=$4 package=$5
    if [ -z "$local" ]; then
        git clone -q "$url" "$work/$name.git"
        local=$work/$name.git
    fi
    mkdir -p "$work/$name"
    git -C "$local" archive "$commit" "$package" | tar -x -C "$work/$name"
}
export_repo surface-distance https://github.com/google-deepmind/surface-distance "$DEEPMIND_COMMIT" "${SEGEVAL_DEEPMIND_REPO:-}" surface_distance
export_repo MetricsReloaded https://github.com/Project-MONAI/MetricsReloaded "$METRICS_RELOADED_COMMIT" "${SEGEVAL_METRICS_RELOADED_REPO:-}" MetricsReloaded

mkdir -p "$OUT"
SEGEVAL_DEEPMIND_COMMIT=$DEEPMIND_COMMIT SEGEVAL_METRICS_RELOADED_COMMIT=$METRICS_RELOADED_COMMIT \
PYTHONPATH="$work/surface-distance:$work/MetricsReloaded${PYTHONPATH:+:$PYTHONPATH}" \
    "$VENV/bin/python" "$HERE/distance_reference.py" "$OUT"
