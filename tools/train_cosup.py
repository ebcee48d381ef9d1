"""Trains CoSupNet (the authors' RPLFUnet) with deep co-supervision on the 50 doctor-labelled
COVID-SemiSeg slices, and exports the best checkpoint for `segeval predict`.

Usually run through tools/train_cosup.sh (it makes the venv). Examples:

    python3 tools/train_cosup.py --out ../segeval-runs/w32            # the shipped weights' recipe (defaults)
    python3 tools/train_cosup.py --out ../segeval-runs/w32 --resume   # continue an interrupted run
    python3 tools/train_cosup.py --out ../segeval-runs/w32 --export --fp16   # best.pt -> safetensors
    python3 tools/train_cosup.py --out /tmp/t --width 32 --time-batches 3     # time, write nothing
    python3 tools/train_cosup.py --out RUN --classes --init models/cosupnet-w32.safetensors \
        --epochs 30 --lr 3e-4 --warmup 1                                   # the shipped per-class recipe

Data
----
`--data` (default ../shared/data/covid-semiseg/.../LungInfection-Train/Doctor-label) holds
`Imgs/N.jpg` (8-bit gray JPEG, various sizes), `GT/N.png` (infection mask, 0/255) and `Edge/N.png`
(infection boundary, 0/255); 50 slices, stems 0..67 with gaps. Eight slices (VAL_IDS below:
every 6th stem of the sorted list, from the 4th; fixed, independent of --seed; infected area 8 to
35 % of the slice, median 14 %, vs 9 % in the training part) are held out for validation; the
other 42 train. The 48 test slices (TestingSet) are never
read by this script.

Preprocessing is exactly that of `segeval predict` (docs/predict.md, spec section 2):
cv2.imread(path, 0) / 255 in float64, cv2 INTER_LINEAR resize to 256x256, then (training only)
augmentation, then per-image standardisation (population std + 1e-8), float32 last. Validation
uses tools/cosup_reference.preprocess itself. Targets: GT and Edge are resized the same way
(INTER_LINEAR of /255); the mask is binarised at 0.5, the edge map is kept soft (a thin line
resized by 0.7-0.9x would otherwise break up).

Augmentation (training only, on the 256x256 [0,1] image before standardisation): horizontal flip
(p 0.5; lungs are near-symmetric, the vertical axis is not, so no vertical flip), one affine warp
with rotation U(-15, 15) degrees, isotropic scale U(0.9, 1.1) and shift U(-4, 4) % (image:
bilinear, border = the slice's minimum, i.e. air; masks: bilinear, border 0), then intensity
jitter: gamma U(0.8, 1.25), contrast x U(0.9, 1.1) and brightness +U(-0.05, 0.05) around the mean,
Gaussian noise sigma U(0, 0.02) with p 0.5. (Standardisation removes a global linear change;
gamma, noise and the clipping to [0, 1] are what the network sees.)

Network and outputs
-------------------
tools/cosup_reference.CoSupNet, unchanged (imported); `TrainNet` below adds `forward_train`, the
same computation returning logits instead of probabilities:
  main logit  z = out1(fused)                 (the product's prob = sigmoid(z), asserted equal to
                                               CoSupNet.forward in --check)
  side logit  s_i = up.bridge(xs_i), i = 0..4 (xs_i = fout[i].bridge(src_i) resized to 256x256;
                                               src_0..4 = u3, u2, u1, u0, bridge)
The product's side outputs are aux_i = sigmoid(sigmoid(s_i)), always in (0.5, 0.73). They can not
be supervised directly: a BCE/Dice against 0/1 targets can never be reached, its optimum pushes
s_i to +-infinity through a saturated second sigmoid, and Dice on values >= 0.5 everywhere is
meaningless. We supervise s_i, the logit that aux_i is a monotone function of, with
sigmoid(s_i) as the side probability; aux_i then orders pixels identically (a side map
thresholded at sigmoid(0.5) = 0.6225 equals sigmoid(s_i) thresholded at 0.5).

Loss (deep co-supervision)
--------------------------
  L = L_main + w_e * (L_edge(s_0) + L_edge(s_1)) + w_s * (L_sem(s_2) + L_sem(s_3) + L_sem(s_4))
  L_main = BCE(z, mask) + Dice(sigmoid z, mask)
  L_edge = BCE(s, edge, pos_weight = #neg/#pos of the batch, clipped to [1, 50]) + Dice(sigmoid s, edge)
  L_sem  = BCE(s, mask) + Dice(sigmoid s, mask)
  defaults w_e = w_s = 0.4 (--edge-weight, --sem-weight).
Edge supervision (the paper's ESM) on the two high-resolution, low-level side outputs (u3 at
256, u2 at 128): a one-pixel boundary cannot be represented at 1/8 or 1/16 resolution.
Auxiliary semantic supervision (the paper's ASSM) on the three deeper ones (u1 at 64, u0 at 32,
the bridge at 16). The paper does not state numeric weights that we could verify (the spec does
not give them); 0.4 per side output is the pilot's weight (issue 5) and keeps the summed side
terms (2.0) comparable to, not dominant over, the main term once the side heads have learnt.
Note that the five side outputs share one head (up.bridge, as in the original): the per-scale
fout[i].bridge projections are what specialise to edges or semantics. The edge BCE is
class-balanced (edge pixels are ~1 % of the image, as in HED-style edge losses). Dice is the soft
Dice per image (smooth 1), averaged over the batch.

Optimisation
------------
AdamW (lr --lr 1e-3, weight decay 1e-4), linear warm-up over --warmup epochs (default 2) then
cosine decay to lr/100 at --epochs (default 90), stepped per epoch; batch --batch 3 (42 = 14
batches, no remainder); BN in train mode while training, eval mode for validation and export.
Tensors in PyTorch's channels_last layout (about 1.3x faster on the CPU than NCHW; --contiguous
for NCHW). The first pilots (lr 1e-4, batch 6: 7 steps per epoch) were still underfitting after
60 epochs (main loss 0.78); lr 1e-3 with batch 3 reached that loss in 5 epochs.

After every epoch the 8 held-out slices are scored, each at its own size after resizing the
probability back as segeval does, and best.pt keeps the epoch with the best mean
*threshold-averaged* Dice (`protocol_dice`: the Inf-Net table's mean Dice over 256 thresholds
of the min-max normalised 8-bit map; ties: the earlier epoch). Dice at 0.5 is logged too; it is
not used, because a map with weak false positives can score well at 0.5 and badly in the table
(pilot w32: val Dice at 0.5 0.612, test table Dice 0.444). last.pt keeps everything needed to
resume (model, optimizer, scheduler, epoch, best score, RNG states, args). Both are written
atomically (tmp + rename).
log.jsonl gets one line per epoch (loss terms, lr, val Dice averaged and at 0.5, seconds).

Determinism: the model init uses torch.manual_seed(--seed); the shuffle order and each sample's
augmentation are drawn from generators seeded by (seed, epoch[, slice]), so an epoch is the same
whether the run was resumed or not (checked: 2 epochs + --resume for a 3rd gave the same losses
and validation Dice to the last bit as 3 epochs in one go). torch.use_deterministic_algorithms(True,
warn_only=True). Same seed, threads and PyTorch build -> same result on the CPU (float sums may
differ across thread counts). --device cuda runs on a GPU (not tested here; bilinear backward
there is not deterministic).

Export (--export): best.pt -> <out>/cosup-w<W>.safetensors (float32) and, with --fp16,
cosup-w<W>-f16.safetensors (float tensors in float16, num_batches_tracked stays int64). The keys
are CoSupNet's full state dict: exactly the names of shared/golden/keys_full.txt (width 64),
fout.* included (segeval requires them), plus out_.* / out.* (unused, harmless) and the BN
num_batches_tracked (ignored by segeval).
"""
import argparse
import json
import math
import os
import sys
import time

import cv2
import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cosup_reference import CoSupNet, preprocess  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_DATA = os.path.normpath(os.path.join(
    HERE, "..", "..", "shared", "data", "covid-semiseg", "Dataset", "TrainingSet",
    "LungInfection-Train", "Doctor-label"))
DEFAULT_LABELS = os.path.normpath(os.path.join(
    HERE, "..", "..", "shared", "data", "covid-semiseg", "Dataset", "TrainingSet",
    "MultiClassInfection-Train", "GT"))
SIZE = 256
CLASS_NAMES = ("background", "ground-glass opacities", "consolidation")
# Held-out validation slices (file stems), fixed for every seed and width: every 6th stem of the
# numerically sorted list of the 50 stems, starting with the 4th (sorted(stems)[3::6]).
VAL_IDS = [3, 13, 20, 28, 34, 42, 49, 55]


class TrainNet(CoSupNet):
    """CoSupNet with a training forward that returns logits (main and the five side heads)."""

    channels_last = False  # activations and weights in NHWC (set by build; ~1.3x faster on CPU)

    def forward_train(self, x):
        return self.logits(x)


# ----------------------------------------------------------------------------------------- data

def read_gray(path):
    img = cv2.imread(path, 0)
    if img is None:
        raise SystemExit(f"cannot read {path}")
    return img


def resized01(gray):
    """gray uint8 -> float64 /255 -> INTER_LINEAR 256x256 (predict's first two steps)."""
    return cv2.resize(gray.astype(np.float64) / 255, (SIZE, SIZE), interpolation=cv2.INTER_LINEAR)


def standardise(raw):
    return ((raw - raw.mean()) / (raw.std() + 1e-8)).astype(np.float32)


def read_labels(path):
    """A palette label map (0 background, 1 GGO, 2 consolidation) as its indices, not colours."""
    from PIL import Image
    with Image.open(path) as im:
        if im.mode != "P":
            raise SystemExit(f"{path}: a palette label map expected, got mode {im.mode}")
        labels = np.array(im)
    if labels.max() > 2:
        raise SystemExit(f"{path}: label {labels.max()} (0, 1, 2 expected)")
    return labels


def resized_labels(labels):
    """Label map -> 256x256 labels: each class indicator resized as the mask is, then the argmax."""
    return np.argmax(np.stack([resized01((labels == k).astype(np.uint8) * 255) for k in range(3)]), axis=0)


class Slice:
    def __init__(self, data, stem, labels_dir=None):
        self.stem = stem
        self.gray = read_gray(os.path.join(data, "Imgs", f"{stem}.jpg"))
        gt = read_gray(os.path.join(data, "GT", f"{stem}.png"))
        edge = read_gray(os.path.join(data, "Edge", f"{stem}.png"))
        if gt.shape != self.gray.shape or edge.shape != self.gray.shape:
            raise SystemExit(f"slice {stem}: image, GT and Edge sizes differ")
        self.gt_full = gt > 127
        self.img = resized01(self.gray)
        self.mask = (resized01(gt) > 0.5).astype(np.float64)
        self.edge = np.clip(resized01(edge), 0, 1)
        self.labels_full = self.labels = None
        if labels_dir:
            self.labels_full = read_labels(os.path.join(labels_dir, f"{stem}.png"))
            if self.labels_full.shape != self.gray.shape:
                raise SystemExit(f"slice {stem}: image and label map sizes differ")
            if not np.array_equal(self.labels_full > 0, self.gt_full):
                raise SystemExit(f"slice {stem}: the label map's infection differs from GT/")
            self.labels = resized_labels(self.labels_full)
            self.mask = (self.labels > 0).astype(np.float64)


def load_slices(data, labels_dir=None):
    stems = sorted(int(os.path.splitext(n)[0]) for n in os.listdir(os.path.join(data, "Imgs")) if n.endswith(".jpg"))
    if len(stems) != 50:
        print(f"note: {len(stems)} slices in {data} (50 expected)", file=sys.stderr)
    missing = [v for v in VAL_IDS if v not in stems]
    if missing:
        raise SystemExit(f"validation slices missing: {missing}")
    train = [Slice(data, s, labels_dir) for s in stems if s not in VAL_IDS]
    val = [Slice(data, s, labels_dir) for s in VAL_IDS]
    return train, val


def augment(s, rng):
    img, mask, edge = s.img, s.mask, s.edge
    onehot = None if s.labels is None else np.stack([(s.labels == k).astype(np.float64) for k in range(3)])
    if rng.random() < 0.5:
        img, mask, edge = img[:, ::-1], mask[:, ::-1], edge[:, ::-1]
        onehot = None if onehot is None else onehot[:, :, ::-1]
    angle = rng.uniform(-15, 15)
    scale = rng.uniform(0.9, 1.1)
    tx, ty = rng.uniform(-0.04, 0.04, size=2) * SIZE
    m = cv2.getRotationMatrix2D((SIZE / 2 - 0.5, SIZE / 2 - 0.5), angle, scale)
    m[:, 2] += (tx, ty)
    warp = lambda a, border: cv2.warpAffine(np.ascontiguousarray(a), m, (SIZE, SIZE), flags=cv2.INTER_LINEAR,
                                            borderMode=cv2.BORDER_CONSTANT, borderValue=border)
    img = warp(img, float(img.min()))
    mask = (warp(mask, 0.0) > 0.5).astype(np.float64)
    edge = np.clip(warp(edge, 0.0), 0, 1)
    labels = None
    if onehot is not None:  # each indicator warped as the mask is (background's border 1), then the argmax
        labels = np.argmax(np.stack([warp(onehot[k], 1.0 if k == 0 else 0.0) for k in range(3)]), axis=0)
        mask = (labels > 0).astype(np.float64)
    img = np.clip(img, 0, 1) ** rng.uniform(0.8, 1.25)
    mean = img.mean()
    img = (img - mean) * rng.uniform(0.9, 1.1) + mean + rng.uniform(-0.05, 0.05)
    if rng.random() < 0.5:
        img = img + rng.normal(0, rng.uniform(0, 0.02), img.shape)
    img = np.clip(img, 0, 1)
    if labels is None:
        return standardise(img), mask.astype(np.float32), edge.astype(np.float32)
    return standardise(img), mask.astype(np.float32), edge.astype(np.float32), labels.astype(np.int64)


def batches(train, seed, epoch, batch):
    order = np.random.default_rng([seed, epoch]).permutation(len(train))
    for start in range(0, len(order) - batch + 1, batch):  # drop the remainder (none for 42 / 6)
        items = []
        for k in order[start:start + batch]:
            items.append(augment(train[k], np.random.default_rng([seed, epoch, train[k].stem])))
        x, m, e = (torch.from_numpy(np.stack([it[j] for it in items]))[:, None] for j in range(3))
        labels = torch.from_numpy(np.stack([it[3] for it in items])) if len(items[0]) > 3 else None
        yield x, m, e, labels


# ----------------------------------------------------------------------------------------- loss

def soft_dice(prob, target, smooth=1.0):
    inter = (prob * target).sum(dim=(1, 2, 3))
    total = prob.sum(dim=(1, 2, 3)) + target.sum(dim=(1, 2, 3))
    return (1 - (2 * inter + smooth) / (total + smooth)).mean()


def seg_loss(logit, target):
    return F.binary_cross_entropy_with_logits(logit, target) + soft_dice(torch.sigmoid(logit), target)


def edge_loss(logit, target):
    pos = target.sum()
    pos_weight = ((target.numel() - pos) / pos.clamp(min=1)).clamp(1, 50).detach()
    bce = F.binary_cross_entropy_with_logits(logit, target, pos_weight=pos_weight)
    return bce + soft_dice(torch.sigmoid(logit), target)


def class_loss(logit, labels):
    """Per-class main loss: cross-entropy over the 3 classes + the soft Dice of GGO and of
    consolidation (each per image, averaged over the batch), halved so that the sum has the
    weight of the binary model's one Dice."""
    onehot = F.one_hot(labels, 3).permute(0, 3, 1, 2).to(logit.dtype)
    prob = torch.softmax(logit, dim=1)
    dice = 0.5 * (soft_dice(prob[:, 1:2], onehot[:, 1:2]) + soft_dice(prob[:, 2:3], onehot[:, 2:3]))
    return F.cross_entropy(logit, labels) + dice


def total_loss(model, x, mask, edge, args, labels=None):
    logit, side = model.forward_train(x)
    main = seg_loss(logit, mask) if labels is None else class_loss(logit, labels)
    l_edge = edge_loss(side[0], edge) + edge_loss(side[1], edge)
    l_sem = seg_loss(side[2], mask) + seg_loss(side[3], mask) + seg_loss(side[4], mask)
    loss = main + args.edge_weight * l_edge + args.sem_weight * l_sem
    return loss, {"main": main.item(), "edge": l_edge.item(), "sem": l_sem.item()}


# ------------------------------------------------------------------------------------ validation

def protocol_dice(prob, gt):
    """The Inf-Net protocol's threshold-averaged Dice of one map (what the test table reports).

    prob: float probability map at the slice's size; gt: boolean mask. As segeval reads a
    predicted PNG: 8-bit rounding, min-max normalisation (a constant map is left as is), then
    for the 256 thresholds k/255 the Dice of `map >= t` (0 when there is no true positive);
    the mean over the thresholds. (The table's thresholds are MATLAB's colon ladder, equal to
    k/255 within 1e-16; close enough for choosing an epoch.)
    """
    levels = np.round(prob * 255).astype(np.int64).clip(0, 255)
    pos = np.bincount(levels[gt], minlength=256).astype(np.float64)
    neg = np.bincount(levels[~gt], minlength=256).astype(np.float64)
    lo, hi = levels.min(), levels.max()
    value = np.arange(256) / 255.0
    if hi > lo:
        value = (np.arange(256) - lo) / float(hi - lo)
    n_gt = pos.sum()
    dices = []
    for k in range(256):
        above = value >= k / 255.0
        tp, fp = pos[above].sum(), neg[above].sum()
        dices.append(0.0 if tp == 0 else 2 * tp / (2 * tp + fp + (n_gt - tp)))
    return float(np.mean(dices))


@torch.no_grad()
def validate(model, val, device="cpu"):
    """Scores of the held-out slices, each at its own size after resizing the probability back.

    Returns (mean threshold-averaged Dice as the test table computes it, mean Dice at 0.5,
    per-slice threshold-averaged Dice). Checkpoints are chosen by the first: a map with weak
    false positives can score well at 0.5 and badly averaged over all thresholds.
    With --classes each slice contributes the mean of its GGO and consolidation scores (each
    class's map against that class's mask, as the per-class table scores them; an empty class
    mask scores 0 there, as in the table, whatever the map).
    """
    model.eval()
    averaged, at_half = [], []
    for s in val:
        x = preprocess(s.gray, SIZE).to(device)
        if model.channels_last:
            x = x.contiguous(memory_format=torch.channels_last)
        prob, _ = model(x)
        h, w = s.gray.shape
        if s.labels_full is None:
            pairs = [(prob[0, 0], s.gt_full)]
        else:
            pairs = [(prob[0, k], s.labels_full == k) for k in (1, 2)]
        slice_avg, slice_half = [], []
        for channel, gt in pairs:
            p = cv2.resize(channel.double().cpu().numpy(), (w, h), interpolation=cv2.INTER_LINEAR)
            slice_avg.append(protocol_dice(p, gt))
            pred = np.round(p * 255) / 255 >= 0.5  # as read back from segeval's 8-bit PNGs
            denom = pred.sum() + gt.sum()
            slice_half.append(1.0 if denom == 0 else 2.0 * np.logical_and(pred, gt).sum() / denom)
        averaged.append(float(np.mean(slice_avg)))
        at_half.append(float(np.mean(slice_half)))
    model.train()
    return float(np.mean(averaged)), float(np.mean(at_half)), averaged


# ------------------------------------------------------------------------------------ schedule

def lr_factor(epoch, args):
    """Multiplier of --lr for 0-based epoch `epoch`: linear warm-up, then cosine to 1/100."""
    if epoch < args.warmup:
        return (epoch + 1) / (args.warmup + 1)
    t = (epoch - args.warmup) / max(1, args.epochs - args.warmup)
    return 0.01 + 0.99 * 0.5 * (1 + math.cos(math.pi * min(1.0, t)))


# --------------------------------------------------------------------------------- checkpoints

def atomic_save(obj, path):
    tmp = path + ".tmp"
    torch.save(obj, tmp)
    os.replace(tmp, path)


def rng_states():
    return {"torch": torch.get_rng_state(), "numpy": np.random.get_state()}


def restore_rng(states):
    torch.set_rng_state(states["torch"])
    np.random.set_state(states["numpy"])


def build(args):
    torch.manual_seed(args.seed)
    model = TrainNet(width=args.width, classes=args.classes).to(args.device)
    if not args.contiguous:
        model.channels_last = True
        model = model.to(memory_format=torch.channels_last)
    if args.init:
        init_from(model, args.init)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=args.weight_decay)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda e: lr_factor(e, args))
    return model, opt, sched


def init_from(model, path):
    """--init: start from trained binary weights (a safetensors export, e.g. the shipped
    models/cosupnet-w32.safetensors). Every tensor whose name and shape match is copied; with
    --classes the 3-way head out1 (3 x width) is made from the binary head's single row w:
    background 0, GGO w, consolidation w, so that at the start P(infection) = 2e^z / (1 + 2e^z)
    orders pixels as the binary sigmoid(z) does and the two classes are told apart by training.
    The binary model was trained on the same 42 slices with the same 8 held out (VAL_IDS does not
    depend on the seed), so validation stays clean."""
    from safetensors.torch import load_file
    src = load_file(path)
    own = model.state_dict()
    copied, head = 0, False
    for key, value in src.items():
        if key not in own:
            continue
        if own[key].shape == value.shape:
            own[key].copy_(value.to(own[key].dtype))
            copied += 1
        elif key == "out1.weight" and value.shape[0] == 1 and own[key].shape[0] == 3:
            own[key].zero_()
            own[key][1:3].copy_(value.to(own[key].dtype).expand(2, *value.shape[1:]))
            head = True
        else:
            raise SystemExit(f"--init {path}: {key} is {tuple(value.shape)}, the network's is {tuple(own[key].shape)}")
    missing = [k for k in own if k not in src and not k.endswith("num_batches_tracked")]
    if missing:
        raise SystemExit(f"--init {path}: no tensor for {', '.join(missing[:5])}")
    model.load_state_dict(own)
    print(f"--init {path}: {copied} tensors copied{', per-class head made from the binary head' if head else ''}")


RESUME_FIXED = ("width", "seed", "batch", "lr", "weight_decay", "warmup", "edge_weight", "sem_weight", "contiguous",
                "classes", "init")


def train(args):
    os.makedirs(args.out, exist_ok=True)
    train_set, val_set = load_slices(args.data, args.labels if args.classes else None)
    model, opt, sched = build(args)
    model.train()
    start, best, best_epoch = 0, -1.0, -1
    last_path = os.path.join(args.out, "last.pt")
    log_path = os.path.join(args.out, "log.jsonl")
    if args.resume:
        if not os.path.exists(last_path):
            raise SystemExit(f"--resume: {last_path} does not exist")
        ck = torch.load(last_path, map_location="cpu", weights_only=False)
        for key in RESUME_FIXED:
            if (ck["args"].get(key) or False) != (getattr(args, key) or False):
                raise SystemExit(f"--resume: --{key.replace('_', '-')} is {getattr(args, key)}, "
                                 f"the checkpoint was made with {ck['args'][key]}")
        if ck["args"]["epochs"] != args.epochs:
            print(f"note: --epochs {args.epochs} differs from the checkpoint's {ck['args']['epochs']}: the cosine "
                  f"schedule is stretched from here on (a run resumed so is not bit-identical to an "
                  f"uninterrupted {args.epochs}-epoch run)")
        model.load_state_dict(ck["model"])
        opt.load_state_dict(ck["optimizer"])
        sched.load_state_dict(ck["scheduler"])
        start, best, best_epoch = ck["epoch"], ck["best"], ck["best_epoch"]
        restore_rng(ck["rng"])
        # Drop log lines of epochs after the checkpoint (a run stopped between log and save).
        if os.path.exists(log_path):
            with open(log_path) as fh:
                lines = [ln for ln in fh if ln.strip() and json.loads(ln)["epoch"] <= start]
            with open(log_path + ".tmp", "w") as fh:
                fh.writelines(lines)
            os.replace(log_path + ".tmp", log_path)
        print(f"resumed from {last_path}: {start} epoch(s) done, best val Dice {best:.4f} (epoch {best_epoch})")
    elif os.path.exists(last_path):
        raise SystemExit(f"{last_path} exists: pass --resume to continue it, or use another --out")
    n_params = sum(p.numel() for p in model.parameters())
    print(f"CoSupNet{' per class' if args.classes else ''} width {args.width}: {n_params:,} parameters; {len(train_set)} train / {len(val_set)} val "
          f"slices (val {VAL_IDS}); {args.epochs} epochs, batch {args.batch}, {torch.get_num_threads()} threads")
    for epoch in range(start, args.epochs):
        t0 = time.time()
        sums, n = {"loss": 0.0, "main": 0.0, "edge": 0.0, "sem": 0.0}, 0
        lr = opt.param_groups[0]["lr"]
        for x, m, e, labels in batches(train_set, args.seed, epoch, args.batch):
            x, m, e = x.to(args.device), m.to(args.device), e.to(args.device)
            labels = None if labels is None else labels.to(args.device)
            if model.channels_last:
                x = x.contiguous(memory_format=torch.channels_last)
            loss, parts = total_loss(model, x, m, e, args, labels)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sums["loss"] += loss.item()
            for k, v in parts.items():
                sums[k] += v
            n += 1
        sched.step()
        t_train = time.time() - t0
        dice, dice_half, per_slice = validate(model, val_set, args.device)
        improved = dice > best
        if improved:
            best, best_epoch = dice, epoch + 1
        record = {"epoch": epoch + 1, "lr": lr, **{k: v / max(n, 1) for k, v in sums.items()},
                  "val_dice": dice, "val_dice_at_half": dice_half,
                  "val_dice_slices": [round(d, 4) for d in per_slice],
                  "best_val_dice": best, "best_epoch": best_epoch,
                  "train_s": round(t_train, 1), "epoch_s": round(time.time() - t0, 1)}
        with open(log_path, "a") as fh:
            fh.write(json.dumps(record) + "\n")
        if improved:
            atomic_save({"model": model.state_dict(), "width": args.width, "classes": args.classes, "epoch": epoch + 1,
                         "val_dice": dice, "args": vars(args)}, os.path.join(args.out, "best.pt"))
        atomic_save({"model": model.state_dict(), "optimizer": opt.state_dict(), "scheduler": sched.state_dict(),
                     "epoch": epoch + 1, "best": best, "best_epoch": best_epoch, "rng": rng_states(),
                     "args": vars(args)}, last_path)
        print(f"epoch {epoch + 1}/{args.epochs}  lr {lr:.2e}  loss {record['loss']:.4f} "
              f"(main {record['main']:.4f} edge {record['edge']:.4f} sem {record['sem']:.4f})  "
              f"val Dice {dice:.4f} (at 0.5: {dice_half:.4f}){' *' if improved else ''}  {record['epoch_s']:.0f} s", flush=True)
    print(f"done: best val Dice {best:.4f} at epoch {best_epoch}")
    export(args)


# ---------------------------------------------------------------------------------------- export

def export(args):
    from safetensors.torch import save_file
    ck = torch.load(os.path.join(args.out, "best.pt"), map_location="cpu", weights_only=False)
    classes = ck.get("classes", False)
    model = TrainNet(width=ck["width"], classes=classes)
    model.load_state_dict(ck["model"], strict=True)
    state = {k: v.detach().contiguous() for k, v in model.state_dict().items()}
    golden = os.path.normpath(os.path.join(HERE, "..", "..", "shared", "golden", "keys_full.txt"))
    if os.path.exists(golden):
        with open(golden) as fh:
            names = {ln.split("\t")[0] for ln in fh if ln.strip()}
        if names != set(state):
            raise SystemExit(f"export: keys differ from {golden}: {sorted(names ^ set(state))[:10]}")
    meta = {"format": "pt", "model": "cosupnet", "width": str(ck["width"]), "epoch": str(ck["epoch"]),
            "val_dice": f"{ck['val_dice']:.4f}", "seed": str(ck["args"]["seed"])}
    if classes:
        meta.update({"model": "cosupnet-classes", "classes": ",".join(CLASS_NAMES)})
    name = f"cosup{'-classes' if classes else ''}-w{ck['width']}"
    paths = [os.path.join(args.out, f"{name}.safetensors")]
    save_file(state, paths[0] + ".tmp", metadata=meta)
    os.replace(paths[0] + ".tmp", paths[0])
    if args.fp16:
        half = {k: (v.half() if v.is_floating_point() else v) for k, v in state.items()}
        paths.append(os.path.join(args.out, f"{name}-f16.safetensors"))
        save_file(half, paths[1] + ".tmp", metadata={**meta, "dtype": "float16"})
        os.replace(paths[1] + ".tmp", paths[1])
    for p in paths:
        os.chmod(p, 0o644)
        print(f"exported {p} ({os.path.getsize(p) / 1e6:.1f} MB; epoch {ck['epoch']}, val Dice {ck['val_dice']:.4f})")


# ----------------------------------------------------------------------------------- utilities

def check(args):
    """forward_train agrees with CoSupNet.forward (eval mode)."""
    torch.manual_seed(args.seed)
    model = TrainNet(width=args.width, classes=args.classes).eval()
    x = torch.randn(2, 1, SIZE, SIZE)
    with torch.no_grad():
        prob, aux = model(x)
        logit, side = model.forward_train(x)
    d_main = ((torch.softmax(logit, 1) if args.classes else torch.sigmoid(logit)) - prob).abs().max().item()
    d_side = max((torch.sigmoid(torch.sigmoid(s)) - a).abs().max().item() for s, a in zip(side, aux))
    print(f"check: max |sigmoid(logit) - prob| = {d_main:.2e}, max |sigmoid^2(side) - aux| = {d_side:.2e}")
    if d_main > 1e-6 or d_side > 1e-6:
        raise SystemExit("check failed")


def time_batches(args):
    """Times --time-batches training steps (after one warm-up step) and extrapolates an epoch."""
    train_set, val_set = load_slices(args.data, args.labels if args.classes else None)
    model, opt, _ = build(args)
    model.train()
    it = batches(train_set, args.seed, 0, args.batch)
    times = []
    for i in range(args.time_batches + 1):
        x, m, e, labels = next(it)
        x, m, e = x.to(args.device), m.to(args.device), e.to(args.device)
        labels = None if labels is None else labels.to(args.device)
        if args.device != "cpu":
            torch.cuda.synchronize()
        t0 = time.time()
        loss, _ = total_loss(model, x, m, e, args, labels)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        loss.item()
        if i > 0:
            times.append(time.time() - t0)
    t0 = time.time()
    validate(model, val_set[:2], args.device)
    t_val = (time.time() - t0) / 2 * len(val_set)
    per_batch = float(np.median(times))
    n_batches = len(train_set) // args.batch
    print(f"width {args.width}, batch {args.batch}, {torch.get_num_threads()} threads: "
          f"{per_batch:.2f} s/batch (median of {len(times)}: {', '.join(f'{t:.2f}' for t in times)}), "
          f"validation {t_val:.1f} s -> epoch ~ {n_batches * per_batch + t_val:.0f} s "
          f"({n_batches} batches + {len(val_set)} val slices)")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=DEFAULT_DATA, help="Doctor-label folder (Imgs/, GT/, Edge/)")
    ap.add_argument("--classes", action="store_true",
                    help="the per-class network (3-way softmax head; labels from --labels)")
    ap.add_argument("--labels", default=DEFAULT_LABELS,
                    help="with --classes: palette label maps N.png (0 background, 1 GGO, 2 consolidation)")
    ap.add_argument("--out", required=True, help="run folder: last.pt, best.pt, log.jsonl, exports")
    ap.add_argument("--width", type=int, default=32, help="channel width: 32 shipped, 64 the paper's")
    ap.add_argument("--epochs", type=int, default=90)
    ap.add_argument("--batch", type=int, default=3)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--weight-decay", type=float, default=1e-4)
    ap.add_argument("--warmup", type=int, default=2, help="linear warm-up epochs before the cosine")
    ap.add_argument("--edge-weight", type=float, default=0.4, help="weight of each edge-supervised side output")
    ap.add_argument("--sem-weight", type=float, default=0.4, help="weight of each mask-supervised side output")
    ap.add_argument("--init", default=None,
                    help="start from these trained weights (safetensors; with --classes the binary head "
                         "seeds the 3-way head); default: PyTorch's seeded initialisation")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=2, help="torch.set_num_threads")
    ap.add_argument("--contiguous", action="store_true",
                    help="keep PyTorch's default NCHW layout (default: channels_last, faster on the CPU)")
    ap.add_argument("--device", default="cpu", help="cpu (default) or cuda (untested here; not bit-reproducible)")
    ap.add_argument("--resume", action="store_true", help="continue from <out>/last.pt")
    ap.add_argument("--export", action="store_true", help="only export <out>/best.pt to safetensors")
    ap.add_argument("--fp16", action="store_true", help="also export a float16 safetensors")
    ap.add_argument("--check", action="store_true", help="only check forward_train against forward")
    ap.add_argument("--time-batches", type=int, default=0, help="only time N training batches")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    cv2.setNumThreads(1)
    torch.use_deterministic_algorithms(True, warn_only=True)
    if args.check:
        check(args)
    elif args.export:
        export(args)
    elif args.time_batches:
        time_batches(args)
    else:
        train(args)


if __name__ == "__main__":
    main()
