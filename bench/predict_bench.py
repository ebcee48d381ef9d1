"""Side-by-side timing of one CoSupNet forward pass (256x256, 2 threads): segeval vs PyTorch
eager (and channels_last) vs ONNX Runtime, same weights, same input. Called by predict_bench.sh.

    python bench/predict_bench.py --segeval PATH --weights W.safetensors --image IMG.png
        [--runs 12] [--rounds 3] [--threads 2]

Each engine is warmed up, then timed in `rounds` interleaved blocks of runs/rounds passes, so a
change in machine load hits all engines alike. Prints median ms, GFLOP/s (91.2 GFLOP per image
at width 64) and the ratios. The outputs of all engines are compared too (max abs difference).
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

import cv2
import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
from cosup_reference import CoSupNet, load_state_dict, preprocess  # noqa: E402

GFLOP = 91.2


def time_segeval(binary, weights, image, runs, threads):
    out = subprocess.run([binary, "predict", "--weights", weights, "--images", image, "--threads", str(threads),
                          "--benchmark", str(runs), "--quiet"], check=True, capture_output=True, text=True).stdout
    line = [l for l in out.splitlines() if l.startswith("runs_ms:")][0]
    return [float(v) for v in line.split(":")[1].split()]


def time_callable(fn, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return times


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--segeval", required=True)
    parser.add_argument("--weights", required=True)
    parser.add_argument("--image", required=True)
    parser.add_argument("--runs", type=int, default=12)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    import onnxruntime as ort

    model = load_state_dict(CoSupNet(64).eval(), args.weights)
    gray = cv2.imread(args.image, 0)
    x = preprocess(gray, 256)
    with torch.no_grad():
        reference = model(x)[0].numpy()
    model_cl = load_state_dict(CoSupNet(64).eval(), args.weights).to(memory_format=torch.channels_last)
    x_cl = x.contiguous(memory_format=torch.channels_last)

    onnx_path = os.path.join(tempfile.mkdtemp(prefix="segeval-bench-"), "cosup.onnx")

    class ProbOnly(torch.nn.Module):
        def __init__(self, m):
            super().__init__()
            self.m = m

        def forward(self, t):
            return self.m(t)[0]

    try:
        torch.onnx.export(ProbOnly(model), (x,), onnx_path, opset_version=17, input_names=["x"], output_names=["prob"], dynamo=False)
    except TypeError:
        torch.onnx.export(ProbOnly(model), (x,), onnx_path, opset_version=17, input_names=["x"], output_names=["prob"])
    options = ort.SessionOptions()
    options.intra_op_num_threads = args.threads
    options.inter_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    session = ort.InferenceSession(onnx_path, options, providers=["CPUExecutionProvider"])
    feed = {"x": x.numpy()}
    ort_prob = session.run(None, feed)[0]

    def eager():
        with torch.no_grad():
            model(x)

    def channels_last():
        with torch.no_grad():
            model_cl(x_cl)

    engines = {
        "segeval": None,
        "pytorch eager": eager,
        "pytorch channels_last": channels_last,
        "onnxruntime": lambda: session.run(None, feed),
    }
    for name, fn in engines.items():
        if fn:
            fn()  # warm-up
    per_round = max(1, args.runs // args.rounds)
    times = {name: [] for name in engines}
    for _ in range(args.rounds):
        for name, fn in engines.items():
            if fn is None:
                times[name] += time_segeval(args.segeval, args.weights, args.image, per_round, args.threads)
            else:
                times[name] += time_callable(fn, per_round)

    medians = {name: statistics.median(t) for name, t in times.items()}
    print(f"CoSupNet 256x256, width 64, {args.threads} threads, median of {per_round * args.rounds} runs "
          f"({args.rounds} interleaved rounds) after warm-up; {GFLOP} GFLOP per image")
    print(f"{'engine':24s} {'median ms':>10s} {'min ms':>8s} {'GFLOP/s':>8s} {'segeval speed-up':>17s}")
    for name, median in medians.items():
        print(f"{name:24s} {median:10.1f} {min(times[name]):8.1f} {GFLOP / (median / 1000):8.1f} {median / medians['segeval']:16.2f}x")
    print(f"onnxruntime prob vs pytorch: max abs diff {np.abs(ort_prob - reference).max():.2e}")
    targets = [("onnxruntime", 1.3), ("pytorch eager", 2.0)]
    for name, target in targets:
        ratio = medians[name] / medians["segeval"]
        print(f"target >= {target}x {name}: {'met' if ratio >= target else 'NOT met'} ({ratio:.2f}x)")


if __name__ == "__main__":
    main()
