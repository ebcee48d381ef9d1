"""Inf-Net / Semi-Inf-Net and the multi-class U-Net in PyTorch, written from
shared/spec/infnet-model.md (sections 2-4 and 9).

Our own clean definition, used only by the tools and the benchmark (segeval itself needs no
Python). Module names and registration order give exactly the state-dict keys of the authors'
checkpoints (946 keys for Inf-Net incl. the unused resnet.fc.* and every num_batches_tracked;
128 for the U-Net), so `load_state_dict(strict=True)` accepts their files.

    model = load_state_dict(InfNet().eval(), "weights.safetensors")   # or a .pth / .pkl
    m5, m4, m3, m2, edge = model(infnet_input("slice.jpg"))          # logits, [1,1,352,352] each
    # the prediction is m2 (lateral_map_2)

    unet = load_state_dict(InfNetUNet().eval(), "unet.safetensors")
    logits = unet(multiclass_input("slice.jpg", "prior.png"))        # [1,3,352,352]
    # channel 0 = GGO, 1 = consolidation, 2 = background (spec 9.3)

Self-check against the goldens (shared/golden/infnet, shared/golden/infnet-multiclass):

    python tools/infnet_reference.py [GOLDEN_ROOT]      # default ../shared/golden from the repo root

Preprocessing: `infnet_input` resizes with an exact numpy model of Pillow <= 12's 8-bit BILINEAR
resize (spec 2.2), so no particular Pillow is needed (Pillow 13 differs); `resize="pillow"` calls
Pillow instead. `multiclass_input` uses cv2.resize INTER_LINEAR as the authors' loader does.
"""
import math
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

SIZE = 352
MEAN = (0.485, 0.456, 0.406)
STD = (0.229, 0.224, 0.225)


# ---------------------------------------------------------------------------------------------
# Res2Net-50 v1b, 26w x 4s (spec 3.1)

class Bottle2neck(nn.Module):
    expansion = 4

    def __init__(self, cin, planes, stride=1, first=False, base_width=26, scale=4):
        super().__init__()
        width = int(math.floor(planes * (base_width / 64.0)))
        self.width, self.scale, self.first = width, scale, first
        self.conv1 = nn.Conv2d(cin, width * scale, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(width * scale)
        if first:
            # the untouched last chunk of a stage block: 3x3 average, zero padding counted (/9)
            self.pool = nn.AvgPool2d(3, stride=stride, padding=1)
        self.convs = nn.ModuleList([nn.Conv2d(width, width, 3, stride, 1, bias=False) for _ in range(scale - 1)])
        self.bns = nn.ModuleList([nn.BatchNorm2d(width) for _ in range(scale - 1)])
        self.conv3 = nn.Conv2d(width * scale, planes * self.expansion, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(planes * self.expansion)
        self.relu = nn.ReLU(inplace=False)
        if first:
            # v1b shortcut: 2x2 average (ceil mode, padding not counted) before the 1x1 conv;
            # kernel = stride = 1 (identity) in layer1
            self.downsample = nn.Sequential(
                nn.AvgPool2d(stride, stride=stride, ceil_mode=True, count_include_pad=False),
                nn.Conv2d(cin, planes * self.expansion, 1, bias=False),
                nn.BatchNorm2d(planes * self.expansion))
        else:
            self.downsample = None

    def forward(self, x):
        u = self.relu(self.bn1(self.conv1(x)))
        chunks = torch.split(u, self.width, dim=1)
        outs = []
        for i in range(self.scale - 1):
            t = chunks[i] if (self.first or i == 0) else outs[-1] + chunks[i]
            outs.append(self.relu(self.bns[i](self.convs[i](t))))
        outs.append(self.pool(chunks[-1]) if self.first else chunks[-1])
        z = self.bn3(self.conv3(torch.cat(outs, dim=1)))
        shortcut = x if self.downsample is None else self.downsample(x)
        return self.relu(z + shortcut)


class Res2Net50(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Sequential(
            nn.Conv2d(3, 32, 3, 2, 1, bias=False), nn.BatchNorm2d(32), nn.ReLU(inplace=False),
            nn.Conv2d(32, 32, 3, 1, 1, bias=False), nn.BatchNorm2d(32), nn.ReLU(inplace=False),
            nn.Conv2d(32, 64, 3, 1, 1, bias=False))
        self.bn1 = nn.BatchNorm2d(64)
        self.relu = nn.ReLU(inplace=False)
        self.maxpool = nn.MaxPool2d(3, 2, 1)
        cin = 64
        for index, (blocks, planes) in enumerate(zip((3, 4, 6, 3), (64, 128, 256, 512))):
            stride = 1 if index == 0 else 2
            layer = [Bottle2neck(cin, planes, stride, first=True)]
            cin = planes * 4
            layer += [Bottle2neck(cin, planes) for _ in range(blocks - 1)]
            setattr(self, f"layer{index + 1}", nn.Sequential(*layer))
        self.avgpool = nn.AdaptiveAvgPool2d(1)   # never called by Inf-Net
        self.fc = nn.Linear(2048, 1000)          # never called by Inf-Net

    def features(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x1 = self.layer1(x)
        x2 = self.layer2(x1)
        x3 = self.layer3(x2)
        x4 = self.layer4(x3)
        return x1, x2, x3, x4


# ---------------------------------------------------------------------------------------------
# Inf-Net head (spec 3.2-3.6)

class CB(nn.Module):
    """conv (no bias) + BN. The `relu` submodule exists for the module tree only: never applied."""

    def __init__(self, cin, cout, kernel, padding=0, dilation=1):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, kernel, 1, padding, dilation, bias=False)
        self.bn = nn.BatchNorm2d(cout)
        self.relu = nn.ReLU(inplace=False)

    def forward(self, x):
        return self.bn(self.conv(x))


class RFB(nn.Module):
    def __init__(self, cin, cout=32):
        super().__init__()
        self.relu = nn.ReLU(inplace=False)
        self.branch0 = nn.Sequential(CB(cin, cout, 1))
        for k, n in ((1, 3), (2, 5), (3, 7)):
            setattr(self, f"branch{k}", nn.Sequential(
                CB(cin, cout, 1),
                CB(cout, cout, (1, n), padding=(0, n // 2)),
                CB(cout, cout, (n, 1), padding=(n // 2, 0)),
                CB(cout, cout, 3, padding=n, dilation=n)))
        self.conv_cat = CB(4 * cout, cout, 3, padding=1)
        self.conv_res = CB(cin, cout, 1)

    def forward(self, x):
        cat = torch.cat([self.branch0(x), self.branch1(x), self.branch2(x), self.branch3(x)], dim=1)
        return self.relu(self.conv_cat(cat) + self.conv_res(x))


class ParallelPartialDecoder(nn.Module):
    def __init__(self, c=32):
        super().__init__()
        self.relu = nn.ReLU(inplace=False)   # unused
        self.upsample = nn.Upsample(scale_factor=2, mode="bilinear", align_corners=True)
        self.conv_upsample1 = CB(c, c, 3, padding=1)
        self.conv_upsample2 = CB(c, c, 3, padding=1)
        self.conv_upsample3 = CB(c, c, 3, padding=1)
        self.conv_upsample4 = CB(c, c, 3, padding=1)
        self.conv_upsample5 = CB(2 * c, 2 * c, 3, padding=1)
        self.conv_concat2 = CB(2 * c, 2 * c, 3, padding=1)
        self.conv_concat3 = CB(3 * c, 3 * c, 3, padding=1)
        self.conv4 = CB(3 * c, 3 * c, 3, padding=1)
        self.conv5 = nn.Conv2d(3 * c, 1, 1)

    def forward(self, f4, f3, f2):
        up = self.upsample
        a3 = self.conv_upsample1(up(f4)) * f3
        a2 = self.conv_upsample2(up(up(f4))) * self.conv_upsample3(up(f3)) * f2
        b3 = self.conv_concat2(torch.cat([a3, self.conv_upsample4(up(f4))], dim=1))
        b2 = self.conv_concat3(torch.cat([a2, self.conv_upsample5(up(b3))], dim=1))
        return self.conv5(self.conv4(b2))


def resize(t, factor):
    """R(t, f) of spec 3.5: bilinear, align_corners=False, no antialiasing, size floor(n*f)."""
    h, w = t.shape[-2:]
    return F.interpolate(t, size=(int(h * factor), int(w * factor)), mode="bilinear", align_corners=False)


def gate(c, x):
    return (1 - torch.sigmoid(c)) * x


class InfNet(nn.Module):
    """Returns (lateral_map_5, lateral_map_4, lateral_map_3, lateral_map_2, lateral_edge), logits;
    the prediction is lateral_map_2. Input [N,3,H,W], H and W divisible by 32."""

    def __init__(self, channel=32):
        super().__init__()
        self.resnet = Res2Net50()
        self.rfb2_1 = RFB(512, channel)
        self.rfb3_1 = RFB(1024, channel)
        self.rfb4_1 = RFB(2048, channel)
        self.ParDec = ParallelPartialDecoder(channel)
        self.ra4_conv1 = CB(2048, 256, 1)
        self.ra4_conv2 = CB(256 + 64, 256, 5, padding=2)
        self.ra4_conv3 = CB(256, 256, 5, padding=2)
        self.ra4_conv4 = CB(256, 256, 5, padding=2)
        self.ra4_conv5 = CB(256, 1, 1)
        self.ra3_conv1 = CB(1024, 64, 1)
        self.ra3_conv2 = CB(64 + 64, 64, 3, padding=1)
        self.ra3_conv3 = CB(64, 64, 3, padding=1)
        self.ra3_conv4 = CB(64, 1, 3, padding=1)
        self.ra2_conv1 = CB(512, 64, 1)
        self.ra2_conv2 = CB(64 + 64, 64, 3, padding=1)
        self.ra2_conv3 = CB(64, 64, 3, padding=1)
        self.ra2_conv4 = CB(64, 1, 3, padding=1)
        self.edge_conv1 = CB(256, 64, 1)
        self.edge_conv2 = CB(64, 64, 3, padding=1)
        self.edge_conv3 = CB(64, 64, 3, padding=1)
        self.edge_conv4 = CB(64, 1, 3, padding=1)

    def reverse_attention(self, name, convs, coarse, features, edge):
        """One reverse-attention stage: name_conv1 on the gated features, concatenated with the edge
        features, then name_conv2 .. name_conv{convs - 1} with ReLU, name_conv{convs}, plus `coarse`."""
        h = torch.cat([getattr(self, f"{name}_conv1")(gate(coarse, features)), edge], dim=1)
        for i in range(2, convs):
            h = F.relu(getattr(self, f"{name}_conv{i}")(h))
        return getattr(self, f"{name}_conv{convs}")(h) + coarse

    def forward(self, x):
        x1, x2, x3, x4 = self.resnet.features(x)
        f2, f3, f4 = self.rfb2_1(x2), self.rfb3_1(x3), self.rfb4_1(x4)
        g = self.ParDec(f4, f3, f2)
        lateral_map_5 = resize(g, 8)

        e = self.edge_conv3(self.edge_conv2(self.edge_conv1(x1)))
        lateral_edge = resize(self.edge_conv4(e), 4)

        c4 = resize(g, 0.25)
        s4 = self.reverse_attention("ra4", 5, c4, x4, resize(e, 0.125))
        lateral_map_4 = resize(s4, 32)

        c3 = resize(s4, 2)
        s3 = self.reverse_attention("ra3", 4, c3, x3, resize(e, 0.25))
        lateral_map_3 = resize(s3, 16)

        c2 = resize(s3, 2)
        s2 = self.reverse_attention("ra2", 4, c2, x2, resize(e, 0.5))
        lateral_map_2 = resize(s2, 8)

        return lateral_map_5, lateral_map_4, lateral_map_3, lateral_map_2, lateral_edge


# ---------------------------------------------------------------------------------------------
# Multi-class U-Net (spec 9.2)

class DoubleConv(nn.Module):
    def __init__(self, cin, cout, cmid=None):
        super().__init__()
        cmid = cmid or cout
        self.double_conv = nn.Sequential(
            nn.Conv2d(cin, cmid, 3, padding=1), nn.BatchNorm2d(cmid), nn.ReLU(inplace=False),
            nn.Conv2d(cmid, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(inplace=False))

    def forward(self, x):
        return self.double_conv(x)


class Down(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.maxpool_conv = nn.Sequential(nn.MaxPool2d(2), DoubleConv(cin, cout))

    def forward(self, x):
        return self.maxpool_conv(x)


class Up(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.up = nn.Upsample(scale_factor=2, mode="bilinear", align_corners=True)
        self.conv = DoubleConv(cin, cout, cin // 2)

    def forward(self, low, skip):
        low = self.up(low)
        dy, dx = skip.shape[2] - low.shape[2], skip.shape[3] - low.shape[3]
        if dy or dx:
            low = F.pad(low, [dx // 2, dx - dx // 2, dy // 2, dy - dy // 2])
        return self.conv(torch.cat([skip, low], dim=1))


class OutConv(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, 1)

    def forward(self, x):
        return self.conv(x)


class InfNetUNet(nn.Module):
    """6 -> 3 channel bilinear U-Net; returns the logits [N,3,H,W] (H, W divisible by 16)."""

    def __init__(self, n_channels=6, n_classes=3):
        super().__init__()
        self.inc = DoubleConv(n_channels, 64)
        self.down1 = Down(64, 128)
        self.down2 = Down(128, 256)
        self.down3 = Down(256, 512)
        self.down4 = Down(512, 512)
        self.up1 = Up(1024, 256)
        self.up2 = Up(512, 128)
        self.up3 = Up(256, 64)
        self.up4 = Up(128, 64)
        self.outc = OutConv(64, n_classes)

    def forward(self, x):
        x1 = self.inc(x)
        x2 = self.down1(x1)
        x3 = self.down2(x2)
        x4 = self.down3(x3)
        x5 = self.down4(x4)
        y = self.up1(x5, x4)
        y = self.up2(y, x3)
        y = self.up3(y, x2)
        y = self.up4(y, x1)
        return self.outc(y)


# ---------------------------------------------------------------------------------------------
# Weights

def read_state_dict(path):
    """The state dict of a .safetensors (F16 -> float32) or a torch .pth/.pkl (legacy or zip
    container, weights_only=True; `model_state_dict`/`state_dict` wrappers and a DataParallel
    `module.` prefix removed). Floating tensors are returned as float32."""
    if path.endswith(".safetensors"):
        from safetensors.torch import load_file
        state = load_file(path)
    else:
        state = torch.load(path, map_location="cpu", weights_only=True)
        for key in ("model_state_dict", "state_dict"):
            if isinstance(state, dict) and key in state and isinstance(state[key], dict):
                state = state[key]
        state = {(k[7:] if k.startswith("module.") else k): v for k, v in state.items()}
    return {k: (v.float() if v.is_floating_point() else v) for k, v in state.items()}


def load_state_dict(model, path):
    """Loads `path` into `model` strictly (every key, no extra) and returns the model."""
    model.load_state_dict(read_state_dict(path), strict=True)
    return model


# ---------------------------------------------------------------------------------------------
# Preprocessing

def _pillow_coefficients(n, m):
    """Spec 2.2: Pillow's 8-bit BILINEAR taps for one axis, n -> m. Returns (lo [m], k [m, T])
    as int64 arrays, k in fixed point with 22 fractional bits, zero-padded to T taps."""
    scale = n / m
    fs = max(scale, 1.0)
    support = 1.0 * fs
    inv = 1.0 / fs
    rows = []
    for o in range(m):
        centre = (o + 0.5) * scale
        lo = max(int(centre - support + 0.5), 0)
        hi = min(int(centre + support + 0.5), n)
        w = []
        for j in range(lo, hi):
            t = abs((j - centre + 0.5) * inv)
            w.append(1.0 - t if t < 1.0 else 0.0)
        total = 0.0
        for v in w:
            total += v
        if total != 0.0:
            w = [v / total for v in w]
        rows.append((lo, [int(v * (1 << 22) + 0.5) for v in w]))
    taps = max(len(k) for _, k in rows)
    lo = np.array([r[0] for r in rows], dtype=np.int64)
    k = np.zeros((m, taps), dtype=np.int64)
    for o, (_, kk) in enumerate(rows):
        k[o, :len(kk)] = kk
    return lo, k


def _pillow_pass(a, m):
    """One horizontal pass over the last axis of uint8 array `a` (rows x n) to m columns."""
    n = a.shape[-1]
    lo, k = _pillow_coefficients(n, m)
    idx = np.minimum(lo[:, None] + np.arange(k.shape[1])[None, :], n - 1)   # padded taps weigh 0
    acc = (a.astype(np.int64)[..., idx] * k).sum(axis=-1) + (1 << 21)
    return np.clip(acc >> 22, 0, 255).astype(np.uint8)


def pillow_bilinear_resize(band, width, height):
    """Exact numpy model of Pillow <= 12 `Image.resize((width, height), BILINEAR)` of one 8-bit
    band (spec 2.2): horizontal pass first, uint8 in between; a pass whose size does not change
    is skipped."""
    a = np.asarray(band, dtype=np.uint8)
    if a.shape[1] != width:
        a = _pillow_pass(a, width)
    if a.shape[0] != height:
        a = _pillow_pass(a.T, height).T
    return np.ascontiguousarray(a)


def _normalise(channels_hwc_uint8, mean, std):
    """ToTensor + Normalize in float32, two true divisions (spec 2.3). Returns [1, C, H, W]."""
    x = channels_hwc_uint8.astype(np.float32) / np.float32(255.0)
    x = (x - np.asarray(mean, dtype=np.float32)) / np.asarray(std, dtype=np.float32)
    return torch.from_numpy(np.ascontiguousarray(x.transpose(2, 0, 1)[None]))


def decode_rgb(path):
    """Spec 2.1: PIL.Image.open(path).convert('RGB') (Pillow if importable, else OpenCV,
    which decodes 8-bit grey PNG/JPEG slices to the same bytes)."""
    try:
        from PIL import Image
        with Image.open(path) as image:
            return np.asarray(image.convert("RGB"))
    except ImportError:
        import cv2
        bgr = cv2.imread(path, cv2.IMREAD_COLOR)
        if bgr is None:
            raise FileNotFoundError(path)
        return bgr[:, :, ::-1].copy()


def infnet_input(image, size=SIZE, resize="numpy"):
    """Inf-Net network input [1, 3, size, size] float32 (spec 2): `image` is a path or an HxW /
    HxWx3 uint8 array (RGB). resize="numpy" uses the exact model of Pillow <= 12's BILINEAR,
    resize="pillow" calls the installed Pillow (must be < 13 to match the authors)."""
    rgb = decode_rgb(image) if isinstance(image, (str, os.PathLike)) else np.asarray(image, dtype=np.uint8)
    if rgb.ndim == 2:
        rgb = np.repeat(rgb[:, :, None], 3, axis=2)
    if resize == "pillow":
        from PIL import Image
        resized = np.asarray(Image.fromarray(np.ascontiguousarray(rgb), "RGB").resize((size, size), Image.BILINEAR))
    elif resize == "numpy":
        if (rgb[:, :, 0] == rgb[:, :, 1]).all() and (rgb[:, :, 0] == rgb[:, :, 2]).all():
            band = pillow_bilinear_resize(rgb[:, :, 0], size, size)
            resized = np.repeat(band[:, :, None], 3, axis=2)
        else:
            resized = np.stack([pillow_bilinear_resize(rgb[:, :, c], size, size) for c in range(3)], axis=2)
    else:
        raise ValueError(f"resize must be 'numpy' or 'pillow', not {resize!r}")
    return _normalise(resized, MEAN, STD)


def multiclass_input(image, prior, size=SIZE):
    """Multi-class U-Net input [1, 6, size, size] float32 (spec 9.1): cv2.imread of the slice and
    of the prior (B, G, R), cv2.resize INTER_LINEAR, /255 and the ImageNet constants applied in
    B, G, R order; cat[image, prior]. `image` / `prior` are paths or HxWx3 BGR uint8 arrays."""
    import cv2

    def load(a):
        if isinstance(a, (str, os.PathLike)):
            arr = cv2.imread(os.fspath(a))
            if arr is None:
                raise FileNotFoundError(a)
            return arr
        a = np.asarray(a, dtype=np.uint8)
        return np.repeat(a[:, :, None], 3, axis=2) if a.ndim == 2 else a

    parts = [_normalise(cv2.resize(load(a), (size, size), interpolation=cv2.INTER_LINEAR), MEAN, STD)
             for a in (image, prior)]
    return torch.cat(parts, dim=1)


# ---------------------------------------------------------------------------------------------
# Self-check against the goldens

def _read_f32(path, shape):
    return torch.from_numpy(np.fromfile(path, dtype="<f4").reshape(shape))


def _safetensors_metadata(path):
    import json
    import struct
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        return json.loads(f.read(n)).get("__metadata__", {})


def _check_keys(model, weights):
    import json
    order = json.loads(_safetensors_metadata(weights).get("state_dict_order", "[]"))
    keys = list(model.state_dict().keys())
    return len(keys), (keys == order) if order else None


def _report_float64(name, diff, expected):
    good = abs(diff - expected) <= 1e-9 * expected
    print(f"  {name:16s} float64 run vs golden {diff:.10e}, meta.json {expected:.10e} {'same' if good else 'DIFFERENT'}")
    return good


def self_check(golden_root):
    import json
    ok = True
    torch.set_num_threads(max(1, min(2, os.cpu_count() or 1)))

    def report(name, diff, tol):
        nonlocal ok
        good = diff <= tol
        ok &= good
        print(f"  {name:16s} max |diff| {diff:.3e}  (tol {tol:g}) {'ok' if good else 'FAIL'}")

    # Inf-Net
    gdir = os.path.join(golden_root, "infnet")
    weights = os.path.join(gdir, "weights.safetensors")
    model = load_state_dict(InfNet().eval(), weights)
    count, same_order = _check_keys(model, weights)
    print(f"Inf-Net: {count} state-dict keys, order as in the golden: {same_order}")
    x_golden = _read_f32(os.path.join(gdir, "input.f32"), (1, 3, SIZE, SIZE))
    x_numpy = infnet_input(os.path.join(gdir, "input.png"))
    print(f"  input.f32 from input.png (numpy Pillow model): max |diff| "
          f"{(x_numpy - x_golden).abs().max().item():.3e}, exact {torch.equal(x_numpy, x_golden)}")
    ok &= torch.equal(x_numpy, x_golden)
    try:
        import PIL
        from PIL import Image
        version = tuple(int(p) for p in PIL.__version__.split(".")[:2])
        x_pil = infnet_input(os.path.join(gdir, "input.png"), resize="pillow")
        note = "" if version < (13, 0) else " (Pillow >= 13: not a reference, spec 2.2)"
        print(f"  input.f32 from input.png (Pillow {PIL.__version__}): exact {torch.equal(x_pil, x_golden)}{note}")
        if version < (13, 0):
            ok &= torch.equal(x_pil, x_golden)
        ref = np.asarray(Image.open(os.path.join(gdir, "resized352.png")).convert("L"))
        band = pillow_bilinear_resize(decode_rgb(os.path.join(gdir, "input.png"))[:, :, 0], SIZE, SIZE)
        print(f"  resized352.png vs numpy model: {int((ref != band).sum())} pixels differ")
        ok &= bool((ref == band).all())
    except ImportError:
        print("  Pillow not installed: Pillow cross-check skipped")
    with torch.no_grad():
        outputs = model(x_golden)
    names = ("lateral_map_5", "lateral_map_4", "lateral_map_3", "lateral_map_2", "lateral_edge")
    refs = [_read_f32(os.path.join(gdir, name + ".f32"), (1, 1, SIZE, SIZE)) for name in names]
    for name, out, ref in zip(names, outputs, refs):
        report(name, (out - ref).abs().max().item(), 2e-4)
    # float32 results depend on the machine's convolution kernels (ISA, threads); a float64 run
    # does not, and must reproduce the golden's own float32-vs-float64 measurements (meta.json)
    meta = json.load(open(os.path.join(gdir, "meta.json")))["float32_vs_float64_max_abs"]
    with torch.no_grad():
        outputs = model.double()(x_golden.double())
    for name, out, ref in zip(names, outputs, refs):
        ok &= _report_float64(name, (out - ref.double()).abs().max().item(), meta[name])

    # Multi-class U-Net
    gdir = os.path.join(golden_root, "infnet-multiclass")
    weights = os.path.join(gdir, "weights.safetensors")
    unet = load_state_dict(InfNetUNet().eval(), weights)
    count, same_order = _check_keys(unet, weights)
    print(f"Multi-class U-Net: {count} state-dict keys, order as in the golden: {same_order}")
    x_golden = _read_f32(os.path.join(gdir, "input.f32"), (1, 6, SIZE, SIZE))
    x_cv = multiclass_input(os.path.join(gdir, "input.png"), os.path.join(gdir, "prior.png"))
    import cv2
    print(f"  input.f32 from input.png + prior.png (cv2 {cv2.__version__}): max |diff| "
          f"{(x_cv - x_golden).abs().max().item():.3e}, exact {torch.equal(x_cv, x_golden)}")
    ok &= torch.equal(x_cv, x_golden)
    with torch.no_grad():
        logits = unet(x_golden)
    ref = _read_f32(os.path.join(gdir, "logits.f32"), (1, 3, SIZE, SIZE))
    report("logits", (logits - ref).abs().max().item(), 5e-4)
    meta = json.load(open(os.path.join(gdir, "meta.json")))["vs_golden"]["float64"]["logits_max_abs"]
    with torch.no_grad():
        logits = unet.double()(x_golden.double())
    ok &= _report_float64("logits", (logits - ref.double()).abs().max().item(), meta)
    print("all checks passed" if ok else "SOME CHECKS FAILED")
    return ok


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "..", "shared", "golden")
    sys.exit(0 if self_check(root) else 1)
