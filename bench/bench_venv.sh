# Sourced by predict_bench.sh and infnet_bench.sh (from the repository root): sets VENV to the
# throw-away venv of the side-by-side network benchmarks (SEGEVAL_BENCH_VENV, default
# /tmp/segeval-bench-venv) and creates it if it has no python yet, with torch (CPU), onnxruntime,
# onnx, safetensors, numpy and opencv (what bench/side_by_side.py and tools/cosup_reference.py,
# tools/infnet_reference.py import; Inf-Net's preprocessing needs no Pillow).
VENV=${SEGEVAL_BENCH_VENV:-/tmp/segeval-bench-venv}

if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
    # A local CPU wheel of torch if the machine has one, else the CPU index.
    wheel=$(ls /opt/wheels/torch-*cpu*.whl 2>/dev/null | head -1 || true)
    if [ -n "$wheel" ]; then
        "$VENV/bin/pip" install -q "$wheel"
    else
        "$VENV/bin/pip" install -q torch --index-url https://download.pytorch.org/whl/cpu
    fi
    "$VENV/bin/pip" install -q onnxruntime onnx safetensors numpy opencv-python-headless
fi
