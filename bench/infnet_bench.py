"""Side-by-side timing of one Inf-Net forward pass (352x352, 2 threads): segeval vs PyTorch eager
(and channels_last) vs ONNX Runtime, same weights, same input. Called by infnet_bench.sh.

    python bench/infnet_bench.py --model infnet --segeval PATH|none --weights W --image IMG.png
        [--prior PRIOR.png] [--runs 12] [--rounds 3] [--threads 2]

--model infnet             Inf-Net / Semi-Inf-Net (Res2Net-50), 27.7 GFLOP per image; the output
                           timed and compared is lateral_map_2 (the prediction)
--model infnet-multiclass  the 6 -> 3 channel multi-class U-Net, 151.6 GFLOP; output: logits;
                           needs --prior (the Semi-Inf-Net map of the same slice)
--segeval none             skips segeval: only PyTorch and ONNX Runtime are timed, the table has
                           no ratio column and the targets are not evaluated

segeval runs as `segeval predict --model MODEL --weights W --images IMG --threads T --benchmark N
--quiet` (plus `--priors DIR` for the multi-class model, DIR holding the prior under the image's
file name) and reports its per-run times on a line `runs_ms: ...`.

Each engine is warmed up, then timed in `rounds` interleaved blocks of runs/rounds passes, so a
change in machine load hits all engines alike. Prints median ms, min, GFLOP/s and the ratios;
the outputs of the engines are compared too (max abs difference). Targets: segeval >= 1.5x ONNX
Runtime and >= 3x PyTorch eager.
"""
import argparse
import os
import shutil
import sys
import tempfile

import numpy as np
import torch

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "tools"))
sys.path.insert(0, here)
from infnet_reference import InfNet, InfNetUNet, infnet_input, load_state_dict, multiclass_input  # noqa: E402
from side_by_side import (OutputOnly, engines, export_onnx, interleaved, ort_session,  # noqa: E402
                          print_table, print_targets, time_segeval)

MODELS = {
    # name: (title, GFLOP per image, output name, index of the timed output or None)
    "infnet": ("Inf-Net (Res2Net-50) 352x352", 27.7, "lateral_map_2", 3),
    "infnet-multiclass": ("Multi-class U-Net (6->3) 352x352", 151.6, "logits", None),
}
TARGETS = [("onnxruntime", 1.5), ("pytorch eager", 3.0)]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", choices=sorted(MODELS), default="infnet")
    parser.add_argument("--segeval", required=True, help="segeval binary, or 'none' to skip it")
    parser.add_argument("--weights", required=True)
    parser.add_argument("--image", required=True)
    parser.add_argument("--prior", help="prior map (multi-class model only)")
    parser.add_argument("--runs", type=int, default=12)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    multiclass = args.model == "infnet-multiclass"
    if multiclass and not args.prior:
        parser.error("--model infnet-multiclass needs --prior")
    use_segeval = args.segeval.lower() != "none"
    title, gflop, output_name, index = MODELS[args.model]
    torch.set_num_threads(args.threads)

    def build():
        return load_state_dict((InfNetUNet() if multiclass else InfNet()).eval(), args.weights)

    x = multiclass_input(args.image, args.prior) if multiclass else infnet_input(args.image)
    model = OutputOnly(build(), index).eval()
    with torch.no_grad():
        reference = model(x).numpy()
    model_cl = OutputOnly(build().to(memory_format=torch.channels_last), index).eval()
    x_cl = x.contiguous(memory_format=torch.channels_last)
    with torch.no_grad():
        reference_cl = model_cl(x_cl).numpy()

    workdir = tempfile.mkdtemp(prefix="segeval-infnet-bench-")
    priors = None
    if multiclass and use_segeval:
        # segeval finds a slice's prior in --priors DIR under the slice's own file name
        priors = os.path.join(workdir, "priors")
        os.makedirs(priors)
        shutil.copyfile(args.prior, os.path.join(priors, os.path.basename(args.image)))

    onnx_path = os.path.join(workdir, args.model + ".onnx")
    export_onnx(model, x, onnx_path, output_name, quiet=True)
    session = ort_session(onnx_path, args.threads)
    feed = {"x": x.numpy()}
    ort_out = session.run(None, feed)[0]

    def segeval(runs):
        command = [args.segeval, "predict", "--model", args.model, "--weights", args.weights, "--images", args.image,
                   "--threads", str(args.threads), "--benchmark", str(runs), "--quiet"]
        return time_segeval(command + (["--priors", priors] if priors else []))

    times, runs = interleaved(engines(model, x, model_cl, x_cl, session, feed, segeval=use_segeval),
                              args.runs, args.rounds, segeval)
    shutil.rmtree(workdir, ignore_errors=True)

    medians = print_table(title, args.threads, runs, args.rounds, gflop, times, suffix=f"; output {output_name}")
    print(f"onnxruntime {output_name} vs pytorch eager: max abs diff {np.abs(ort_out - reference).max():.2e}")
    print(f"pytorch channels_last {output_name} vs eager: max abs diff {np.abs(reference_cl - reference).max():.2e}")
    print_targets(medians, TARGETS)


if __name__ == "__main__":
    main()
