"""Writes fixtures/cosup-small/: the project's own small CoSupNet golden set (PyTorch, CPU).

    python3 tools/make_cosup_fixture.py [OUTPUT_FOLDER]      # default: fixtures/cosup-small
    python3 tools/make_cosup_fixture.py --classes            # fixtures/cosup-classes-small: the per-class network

Width 4, network input 32x32, weights stored as float16 (small files; also exercises the F16
readers), random but seeded, with non-trivial BatchNorm statistics. The slice is 48x40 (not the
network size) so that both resizes are tested. Needs torch, numpy, opencv-python-headless and
safetensors (a throw-away venv is fine); segeval's tests only read the files.
"""
import json
import os
import sys

import cv2
import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cosup_reference import CoSupNet, preprocess  # noqa: E402

WIDTH, SIZE = 4, 32
SLICE_H, SLICE_W = 48, 40


def synthetic_slice(height, width):
    """A smooth CT-like pattern: two bright ellipses with texture on a dark background."""
    y, x = np.mgrid[0:height, 0:width].astype(np.float64)
    body = np.exp(-(((x - width / 2) / (0.42 * width)) ** 2 + ((y - height / 2) / (0.45 * height)) ** 2) ** 2)
    lungs = sum(np.exp(-(((x - cx) / (0.15 * width)) ** 2 + ((y - height / 2) / (0.3 * height)) ** 2))
                for cx in (0.32 * width, 0.68 * width))
    texture = 0.15 * np.sin(x / 2.3) * np.cos(y / 3.1)
    image = 40 + 170 * body - 120 * lungs + 30 * texture
    return np.clip(np.round(image), 0, 255).astype(np.uint8)


def randomise_batchnorm(model, x):
    """As the shared golden set: BN affine ~ U, running stats from one batch, then perturbed."""
    for m in model.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            with torch.no_grad():
                m.weight.uniform_(0.6, 1.4)
                m.bias.uniform_(-0.3, 0.3)
            m.momentum = None
            m.reset_running_stats()
    model.train()
    with torch.no_grad():
        model(x)
    for m in model.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            with torch.no_grad():
                m.running_mean += 0.2 * m.running_var.sqrt() * torch.randn_like(m.running_mean)
                m.running_var *= torch.exp(0.3 * torch.randn_like(m.running_var))
                m.num_batches_tracked.zero_()
    model.eval()


def write_f32(folder, name, array, what):
    array = np.ascontiguousarray(array, dtype="<f4")
    array.tofile(os.path.join(folder, name + ".f32"))
    with open(os.path.join(folder, name + ".json"), "w") as f:
        json.dump({"file": name + ".f32", "dtype": "float32", "byte_order": "little", "shape": list(array.shape),
                   "min": float(array.min()), "max": float(array.max()), "what": what}, f, indent=1)


def main():
    args = [a for a in sys.argv[1:] if a != "--classes"]
    classes = "--classes" in sys.argv[1:]
    default = "cosup-classes-small" if classes else "cosup-small"
    folder = args[0] if args else os.path.join(os.path.dirname(__file__), "..", "fixtures", default)
    os.makedirs(folder, exist_ok=True)
    torch.manual_seed(0)
    torch.set_num_threads(1)
    gray = synthetic_slice(SLICE_H, SLICE_W)
    cv2.imwrite(os.path.join(folder, "input.png"), gray)
    gray = cv2.imread(os.path.join(folder, "input.png"), 0)
    x = preprocess(gray, SIZE)

    model = CoSupNet(WIDTH)
    randomise_batchnorm(model, x)
    if classes:
        # The per-class fixture is the binary fixture's network (same seed, same body, bit for
        # bit) with a 3-way head: out1 of 3 x WIDTH weights drawn as PyTorch's default init
        # (kaiming-uniform bound 1/sqrt(WIDTH)) from its own seeded generator. What it pins is
        # exactly what the per-class network adds: the 3-row head and the softmax.
        body = model.state_dict()
        model = CoSupNet(WIDTH, classes=True)
        bound = 1 / WIDTH ** 0.5
        head = (torch.rand(3, WIDTH, 1, 1, generator=torch.Generator().manual_seed(1)) * 2 - 1) * bound
        model.load_state_dict({**body, "out1.weight": head})
        model.eval()
    # Store as float16, and compute the reference from exactly those values.
    state = {k: (v.half() if v.is_floating_point() else v) for k, v in model.state_dict().items()}
    model.load_state_dict({k: (v.float() if v.is_floating_point() else v) for k, v in state.items()})

    from safetensors.torch import save_file
    save_file({k: v.contiguous() for k, v in state.items()}, os.path.join(folder, "weights.safetensors"))
    # A training checkpoint as people save them: nested, DataParallel prefixes, extra entries.
    checkpoint = {"epoch": 7, "model_state_dict": {"module." + k: v for k, v in state.items()}, "best_dice": 0.5}
    if not classes:
        torch.save(checkpoint, os.path.join(folder, "weights_checkpoint.pth"))

    with torch.no_grad():
        prob, aux = model(x)
    if classes:
        # The per-class network: softmax over (background, GGO, consolidation) at the network
        # size, then each class's map resized back to the slice (as predict writes them).
        write_f32(folder, "input", x.numpy(), "preprocessed network input [1,1,32,32] (spec section 2)")
        write_f32(folder, "prob", prob.numpy(), "softmax over background, GGO, consolidation at the network size [1,3,32,32]")
        for i, a in enumerate(aux):
            write_f32(folder, f"aux{i}", a.numpy(), f"side output {i} at the network size [1,1,32,32]")
        for k, name in ((1, "ggo"), (2, "consolidation")):
            back = cv2.resize(prob.numpy()[0, k].astype(np.float64), (SLICE_W, SLICE_H), interpolation=cv2.INTER_LINEAR)
            write_f32(folder, f"{name}_original_size", back, f"class {k} probability resized back to the slice size [48,40] (INTER_LINEAR, float64)")
        print("wrote", folder, "- torch", torch.__version__, "opencv", cv2.__version__)
        return
    write_f32(folder, "input", x.numpy(), "preprocessed network input [1,1,32,32] (spec section 2)")
    write_f32(folder, "prob", prob.numpy(), "main output at the network size [1,1,32,32]")
    for i, a in enumerate(aux):
        write_f32(folder, f"aux{i}", a.numpy(), f"side output {i} at the network size [1,1,32,32]")
    back = cv2.resize(prob.numpy()[0, 0].astype(np.float64), (SLICE_W, SLICE_H), interpolation=cv2.INTER_LINEAR)
    write_f32(folder, "prob_original_size", back, "prob resized back to the slice size [48,40] (INTER_LINEAR, float64)")

    # Gray conversion of colour slices as cv2.imread(path, 0) does it.
    rng = np.random.default_rng(3)
    color = rng.integers(0, 256, (12, 16, 3), dtype=np.uint8)
    color = cv2.GaussianBlur(color, (3, 3), 0)
    cv2.imwrite(os.path.join(folder, "color.png"), color)
    cv2.imwrite(os.path.join(folder, "color.jpg"), color, [cv2.IMWRITE_JPEG_QUALITY, 90])
    for name in ("color.png", "color.jpg"):
        cv2.imwrite(os.path.join(folder, name.replace(".", "_") + "_gray.png"), cv2.imread(os.path.join(folder, name), 0))
    print("wrote", folder, "- torch", torch.__version__, "opencv", cv2.__version__)


if __name__ == "__main__":
    main()
