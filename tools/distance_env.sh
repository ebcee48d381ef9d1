# Sourced by tools/distance_reference.sh, tools/check_surfel_areas.sh and bench/distance_bench.sh:
# the pinned commits of the two libraries that are not on PyPI, the throw-away venv with the
# others, and the export of their Python packages onto PYTHONPATH (their code runs in the venv
# only; nothing of it is copied into the project).
#
#   source tools/distance_env.sh
#   distance_venv "$VENV"                       # creates it unless it imports every library
#   export_distance_package deepmind "$WORK"     # or metricsreloaded; prepends it to PYTHONPATH
#
# Local clones: SEGEVAL_DEEPMIND_REPO, SEGEVAL_METRICS_RELOADED_REPO (else cloned from GitHub).

DEEPMIND_COMMIT=1f805ce
METRICS_RELOADED_COMMIT=ca3d352

distance_venv() {   # VENV
    local venv=$1
    if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c "import torch, monai, medpy, seg_metrics, SimpleITK, nibabel, scipy, skimage, pandas, sklearn, absl" 2>/dev/null; then
        return 0
    fi
    rm -rf "$venv"
    python3 -m venv "$venv"
    local wheel
    wheel=$(ls /opt/wheels/torch-*cpu*.whl 2>/dev/null | head -1 || true)
    # + what the two repositories import (MetricsReloaded: scikit-image, pandas, scikit-learn; DeepMind: absl-py)
    "$venv/bin/pip" install -q ${wheel:-torch} numpy scipy nibabel SimpleITK==2.5.7 monai==1.6.1 medpy==0.5.2 seg-metrics==1.2.8 \
        scikit-image pandas scikit-learn absl-py
}

export_distance_package() {   # deepmind|metricsreloaded WORK
    local which=$1 work=$2 name url commit local package
    case $which in
        deepmind) name=surface-distance url=https://github.com/google-deepmind/surface-distance
                  commit=$DEEPMIND_COMMIT local=${SEGEVAL_DEEPMIND_REPO:-} package=surface_distance ;;
        metricsreloaded) name=MetricsReloaded url=https://github.com/Project-MONAI/MetricsReloaded
                  commit=$METRICS_RELOADED_COMMIT local=${SEGEVAL_METRICS_RELOADED_REPO:-} package=MetricsReloaded ;;
        *) echo "export_distance_package: unknown package $which" >&2; return 1 ;;
    esac
    if [ -z "$local" ]; then
        git clone -q "$url" "$work/$name.git"
        local=$work/$name.git
    fi
    mkdir -p "$work/$name"
    # Only the Python package is exported. A partial mirror may lack unrelated blobs (git then
    # complains but archives the package): git's messages are shown only when it did not come out.
    if ! git -C "$local" archive "$commit" "$package" 2>"$work/$name.err" | tar -x -C "$work/$name" \
        || [ ! -d "$work/$name/$package" ]; then
        cat "$work/$name.err" >&2
        echo "could not export $package at $commit from $local" >&2
        return 1
    fi
    export PYTHONPATH="$work/$name${PYTHONPATH:+:$PYTHONPATH}"
}
