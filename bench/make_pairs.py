"""Synthetic (prediction, ground truth) pairs for bench/scale_bench.sh (numpy).

    python3 bench/make_pairs.py OUT SIZE COUNT [DISTINCT]

writes OUT/GT/NNNNNNN.png and OUT/Pred/Model/NNNNNNN.png, COUNT pairs of SIZE x SIZE 8-bit gray
PNGs. Only DISTINCT pairs (default 1000) are drawn; the other names are hard links to them, so
that 10^5 or 10^6 pairs take the disk space of 1000 while every file is still opened, decoded and
scored on its own (the page cache makes reading them cheap, as it does for a real data set read
twice). GT: one or two filled ellipses (0/255); prediction: the GT blurred by a box filter with a
random offset and noise, so that every threshold, curve and adaptive value has work to do.
Seeded: the same files every time.
"""
import os
import random
import struct
import sys
import zlib


def png(path, size, rows):
    raw = b"".join(b"\x00" + bytes(row) for row in rows)  # filter type 0 per row
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)
    with open(path, "wb") as fh:
        fh.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 0, 0, 0, 0))
                 + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b""))


def pair(rng, size):
    import numpy as np
    g = np.random.default_rng(rng.getrandbits(63))
    y, x = np.mgrid[0:size, 0:size].astype(np.float64)
    gt = np.zeros((size, size), bool)
    for _ in range(rng.randint(1, 2)):
        cx, cy = rng.uniform(0.2, 0.8) * size, rng.uniform(0.2, 0.8) * size
        rx, ry = rng.uniform(0.05, 0.25) * size, rng.uniform(0.05, 0.25) * size
        gt |= ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1
    # The GT shifted, box-blurred (separable, radius r), scaled and noisy.
    r, dx, dy = max(1, size // 32), rng.randint(-size // 20, size // 20), rng.randint(-size // 20, size // 20)
    shifted = np.roll(gt.astype(np.float64) * 255, (dy, dx), axis=(0, 1))
    kernel = np.ones(2 * r + 1) / (2 * r + 1)
    blurred = np.apply_along_axis(lambda v: np.convolve(v, kernel, "same"), 1, shifted)
    blurred = np.apply_along_axis(lambda v: np.convolve(v, kernel, "same"), 0, blurred)
    pred = blurred * g.uniform(0.7, 1.0, blurred.shape) + g.normal(0, rng.uniform(5, 40), blurred.shape)
    return (gt * 255).astype(np.uint8).tolist(), np.clip(pred, 0, 255).astype(np.uint8).tolist()


def main():
    out, size, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    distinct = min(count, int(sys.argv[4]) if len(sys.argv) > 4 else 1000)
    rng = random.Random(size * 1_000_003 + distinct)
    os.makedirs(os.path.join(out, "GT"), exist_ok=True)
    os.makedirs(os.path.join(out, "Pred", "Model"), exist_ok=True)
    for index in range(count):
        name = f"{index:07d}.png"
        gt_path, pred_path = os.path.join(out, "GT", name), os.path.join(out, "Pred", "Model", name)
        if index < distinct:
            gt, pred = pair(rng, size)
            png(gt_path, size, gt)
            png(pred_path, size, pred)
        else:
            source = f"{index % distinct:07d}.png"
            os.link(os.path.join(out, "GT", source), gt_path)
            os.link(os.path.join(out, "Pred", "Model", source), pred_path)


if __name__ == "__main__":
    main()
