"""Completes a checkpoint of the authors' code with the fout.* weights it never saved.

    python3 tools/complete_checkpoint.py CHECKPOINT.pth COMPLETED.pth [--seed 2] [--width W]
    (COMPLETED may end in .safetensors)

Why: in the authors' RPLFUnet, `fout` (the attention-fusion heads, used by the forward pass) and
`out` (unused) are plain Python lists, so their weights are not registered, not trained and not
saved by torch.save. The model that was evaluated used their initial values, drawn from the
global RNG when train.py built the network after torch.manual_seed(2). This script rebuilds the
network under the same seed, in the original construction order, and copies fout.* (and out.*)
into the checkpoint; every saved key is kept as it is. Needs PyTorch (CPU is fine).

Assumptions (see docs/predict.md): the network was the first thing built after the seed; the
construction order is the one in tools/cosup_reference.py (ResNet with its own re-init, bridge,
up_blocks, final_upsample, final_conv, out1, out_, out, fout, up, gate); PyTorch's default
initialisers (identical in torch 1.7 - 2.x for these layers on the CPU generator).
"""
import argparse
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cosup_reference import CoSupNet  # noqa: E402


def find_state_dict(obj):
    for key in ("model_state_dict", "state_dict", "model", "net"):
        if isinstance(obj, dict) and key in obj and isinstance(obj[key], dict):
            return find_state_dict(obj[key])
    return obj


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("checkpoint")
    parser.add_argument("output")
    parser.add_argument("--seed", type=int, default=2, help="seed set before the network was built (train.py: 2)")
    parser.add_argument("--width", type=int, help="channel width (default: from ResNet.conv1.weight)")
    parser.add_argument("--force", action="store_true", help="replace fout.* even if the checkpoint has them")
    args = parser.parse_args()

    loaded = torch.load(args.checkpoint, map_location="cpu", weights_only=True)
    state = find_state_dict(loaded)
    state = {k[7:] if k.startswith("module.") else k: v for k, v in state.items()}
    width = args.width or state["ResNet.conv1.weight"].shape[0]

    torch.manual_seed(args.seed)
    rebuilt = CoSupNet(width).state_dict()
    added = 0
    for key, value in rebuilt.items():
        if key.startswith(("fout.", "out.")) and (args.force or key not in state):
            state[key] = value.clone()
            added += 1
    if args.output.endswith(".safetensors"):
        from safetensors.torch import save_file
        save_file({k: v.contiguous() for k, v in state.items()}, args.output)
    else:
        torch.save(state, args.output)
    print(f"{args.output}: {len(state)} tensors, {added} added (fout.*/out.* rebuilt with seed {args.seed}, width {width})")


if __name__ == "__main__":
    main()
