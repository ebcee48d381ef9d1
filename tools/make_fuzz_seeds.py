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
    for target in ("pth", "pickle", "safetensors", "safetensors-header", "png", "jpeg", "nifti"):
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
    write_nifti_seeds(lambda name: path("nifti", name))


def nifti(version, endian, datatype, bitpix, data, dims=(3, 3, 2, 2), extension=0, slope=0.0, sform=0):
    """A NIfTI file from the layouts of nifti1.h / nifti2.h (the same fields the reader's tests write)."""
    import struct
    size = 348 if version == 1 else 540
    start = size + 4 + extension
    h = bytearray(start)
    e = "<" if endian == "little" else ">"
    struct.pack_into(e + "i", h, 0, size)
    if version == 1:
        struct.pack_into(e + "8h", h, 40, *(list(dims) + [1] * (8 - len(dims))))
        struct.pack_into(e + "hh", h, 70, datatype, bitpix)
        struct.pack_into(e + "8f", h, 76, 1, 0.7, 0.8, 1.5, 1, 1, 1, 1)
        struct.pack_into(e + "fff", h, 108, start, slope, 0)
        h[123] = 2
        struct.pack_into(e + "hh", h, 252, 1, sform)
        struct.pack_into(e + "12f", h, 280, -0.7, 0, 0, 10, 0, 0.8, 0, -20, 0, 0, 1.5, 30)
        h[344:348] = b"n+1\0"
    else:
        h[4:12] = b"n+2\0\r\n\x1a\n"
        struct.pack_into(e + "hh", h, 12, datatype, bitpix)
        struct.pack_into(e + "8q", h, 16, *(list(dims) + [1] * (8 - len(dims))))
        struct.pack_into(e + "8d", h, 104, 1, 0.7, 0.8, 1.5, 1, 1, 1, 1)
        struct.pack_into(e + "qdd", h, 168, start, slope, 0)
        struct.pack_into(e + "ii", h, 344, 1, sform)
        struct.pack_into(e + "i", h, 500, 2)
    if extension:
        h[size] = 1
        struct.pack_into(e + "ii", h, size + 4, extension, 6)
    return bytes(h) + data


def write_nifti_seeds(path):
    import gzip
    import struct
    labels = bytes([0, 1, 2, 0, 1, 1, 0, 0, 2, 2, 1, 0])
    seeds = {
        "labels.nii": nifti(1, "little", 2, 8, labels),
        "be_int16_ext.nii": nifti(1, "big", 4, 16, struct.pack(">12h", *range(-6, 6)), extension=32, slope=0.5),
        "two_f64.nii": nifti(2, "little", 64, 64, struct.pack("<12d", *[k / 11 for k in range(12)]), sform=1),
        "flat_f32.nii": nifti(1, "little", 16, 32, struct.pack("<12f", *[k / 11 for k in range(12)]), dims=(2, 6, 2)),
    }
    for name, data in seeds.items():
        with open(path(name), "wb") as fh:
            fh.write(data)
    with open(path("labels.nii.gz"), "wb") as fh:
        fh.write(gzip.compress(seeds["labels.nii"], mtime=0))


if __name__ == "__main__":
    main()
