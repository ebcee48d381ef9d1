"""Writes the committed fuzzing seeds in Fuzz/corpus/ (small valid files of each format, and a
few byte strings for the structure-aware targets). Run in a throw-away venv with torch,
safetensors, numpy and Pillow (e.g. the one tools/train_cosup.sh makes):

    /tmp/segeval-train-venv/bin/python tools/make_fuzz_seeds.py

The PNG and JPEG fixtures color.png/color.jpg are copied from fixtures/cosup-small as they are.
"""
import os
import shutil

import numpy as np
import torch
from PIL import Image
from safetensors.torch import save_file

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
CORPUS = os.path.join(ROOT, "Fuzz", "corpus")


def main():
    for target in ("pth", "pickle", "safetensors", "safetensors-header", "png", "jpeg"):
        os.makedirs(os.path.join(CORPUS, target), exist_ok=True)
    path = lambda *parts: os.path.join(CORPUS, *parts)
    torch.manual_seed(0)
    # A plain state dict with a float16 tensor and an expanded (stride-0) view; a nested one with a
    # transposed (non-contiguous) view.
    torch.save({"w": torch.tensor([1., 2., 3.]), "b": torch.zeros(2, 2).half(), "e": torch.tensor([5.]).expand(4)},
               path("pth", "small.pth"))
    torch.save({"state_dict": {"w": torch.arange(6.).reshape(2, 3).t()}, "epoch": 3}, path("pth", "nested_strided.pth"))
    save_file({"w": torch.tensor([1., 2., 3.]), "b": torch.zeros(2, 2).half()}, path("safetensors", "small.safetensors"),
              metadata={"format": "pt"})
    for index, seed in enumerate([b"\x00" * 8, bytes(range(64)), b"\x16" * 40]):
        for target in ("pickle", "safetensors-header"):
            with open(path(target, f"seed{index}"), "wb") as fh:
                fh.write(seed)
    Image.fromarray((np.arange(64).reshape(8, 8) * 4).astype(np.uint8)).save(path("png", "gray8.png"))
    Image.fromarray((np.arange(64).reshape(8, 8) * 1000).astype(np.uint16)).save(path("png", "gray16.png"))
    Image.fromarray(np.zeros((8, 8, 4), np.uint8)).save(path("png", "rgba.png"))
    Image.fromarray((np.arange(64).reshape(8, 8) % 3).astype(np.uint8)).convert("P").save(path("png", "palette.png"))
    Image.fromarray(np.arange(64).reshape(8, 8) > 20).save(path("png", "onebit.png"))
    Image.fromarray(np.arange(256).reshape(16, 16).astype(np.uint8)).save(path("jpeg", "gray.jpg"), quality=50)
    Image.fromarray(np.zeros((16, 16, 3), np.uint8) + 100).save(path("jpeg", "progressive.jpg"), progressive=True)
    shutil.copy(os.path.join(ROOT, "fixtures", "cosup-small", "color.png"), path("png", "color.png"))
    shutil.copy(os.path.join(ROOT, "fixtures", "cosup-small", "color.jpg"), path("jpeg", "color.jpg"))


if __name__ == "__main__":
    main()
