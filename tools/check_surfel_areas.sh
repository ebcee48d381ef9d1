#!/usr/bin/env bash
# Checks segeval's own derivation of the corner-surfel areas (Sources/Metrics/CornerSurfels.swift)
# against DeepMind surface-distance at the pinned commit: tools/check_surfel_areas.py (its docstring
# says what it derives and prints). Exit status 1 on any mismatch.
#
#   bash tools/check_surfel_areas.sh [EXTRA_SPACING ...]    # e.g. 0.5,1,2  (3-D) or 0.5,2 (2-D)
#
# DeepMind's package is exported from a local clone given in SEGEVAL_DEEPMIND_REPO, or cloned from
# GitHub, into a temporary folder put on PYTHONPATH; nothing of it is copied into the project.
# The Python is SEGEVAL_DISTANCE_VENV (default /tmp/segeval-dist-venv) when it has numpy and scipy,
# else a throw-away venv with just those two.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$HERE/distance_env.sh"
VENV=${SEGEVAL_DISTANCE_VENV:-/tmp/segeval-dist-venv}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import numpy, scipy" 2>/dev/null; then
    VENV=$work/venv
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q numpy scipy
fi
export_distance_package deepmind "$work"
"$VENV/bin/python" "$HERE/check_surfel_areas.py" "$@"
