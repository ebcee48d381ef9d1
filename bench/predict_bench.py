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
import sys
import tempfile

import cv2
import numpy as np
import torch

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "tools"))
sys.path.insert(0, here)
from cosup_reference import CoSupNet, load_state_dict, preprocess  # noqa: E402
from side_by_side import (OutputOnly, engines, export_onnx, interleaved, ort_session,  # noqa: E402
                          print_table, print_targets, time_segeval)

GFLOP = 91.2
TARGETS = [("onnxruntime", 1.3), ("pytorch eager", 2.0)]


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

    model = load_state_dict(CoSupNet(64).eval(), args.weights)
    gray = cv2.imread(args.image, 0)
    x = preprocess(gray, 256)
    with torch.no_grad():
        reference = model(x)[0].numpy()
    model_cl = load_state_dict(CoSupNet(64).eval(), args.weights).to(memory_format=torch.channels_last)
    x_cl = x.contiguous(memory_format=torch.channels_last)

    onnx_path = os.path.join(tempfile.mkdtemp(prefix="segeval-bench-"), "cosup.onnx")
    export_onnx(OutputOnly(model, 0), x, onnx_path, "prob")
    session = ort_session(onnx_path, args.threads)
    feed = {"x": x.numpy()}
    ort_prob = session.run(None, feed)[0]

    def segeval(runs):
        return time_segeval([args.segeval, "predict", "--weights", args.weights, "--images", args.image,
                             "--threads", str(args.threads), "--benchmark", str(runs), "--quiet"])

    times, runs = interleaved(engines(model, x, model_cl, x_cl, session, feed), args.runs, args.rounds, segeval)
    medians = print_table("CoSupNet 256x256, width 64", args.threads, runs, args.rounds, GFLOP, times)
    print(f"onnxruntime prob vs pytorch: max abs diff {np.abs(ort_prob - reference).max():.2e}")
    print_targets(medians, TARGETS)


if __name__ == "__main__":
    main()
