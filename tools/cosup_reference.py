"""CoSupNet (the authors' RPLFUnet) in PyTorch, written from shared/spec/cosup-model.md.

Our own clean definition, used only by the tools and the benchmark (segeval itself needs no
Python). Module names and registration order give exactly the state-dict keys of the authors'
checkpoints plus fout.* and out.* (registered here as ModuleLists; plain lists in the original).

    model = CoSupNet(width=64)          # the paper's network; width 8 = the small golden fixture
    prob, aux = model(x)                # x: [N, 1, H, W], H and W divisible by 16

    model = CoSupNet(width=32, classes=True)   # segeval's per-class network (`predict --classes`)
    prob, aux = model(x)                # prob: [N, 3, H, W], softmax over background, GGO, consolidation

The per-class network is the binary one with a single change: the main head `out1` is a 1x1
convolution to 3 channels (no bias) followed by a softmax over the channels, instead of 1 channel
and a sigmoid. Everything else, the five side outputs included, is unchanged.

Construction order (it decides the random draws under a seed, see complete_checkpoint.py):
ResNet (conv1, bn1, layer1..layer4; block: conv1, bn1, conv2, bn2, downsample), bridge,
up_blocks, final_upsample, final_conv, out1, out_, out, fout, up, gate. The ResNet re-initialises
its own convs (kaiming_normal fan_out/relu; BN weight 1, bias 0) at the end of its constructor,
as torchvision's ResNet does, i.e. before the bridge is built.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=True)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=True)
        self.bn2 = nn.BatchNorm2d(cout)
        self.downsample = None
        if stride != 1 or cin != cout:
            self.downsample = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, 0, bias=False), nn.BatchNorm2d(cout))

    def forward(self, t):
        y = F.relu(self.bn1(self.conv1(t)))
        y = self.bn2(self.conv2(y))
        identity = t if self.downsample is None else self.downsample(t)
        return F.relu(y + identity)


class ResNet34(nn.Module):
    def __init__(self, w):
        super().__init__()
        self.conv1 = nn.Conv2d(1, w, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(w)
        cin = w
        for index, blocks in enumerate([3, 4, 6, 3]):
            c = w << index
            layer = []
            for b in range(blocks):
                layer.append(BasicBlock(cin if b == 0 else c, c, 2 if (b == 0 and index > 0) else 1))
            setattr(self, f"layer{index + 1}", nn.Sequential(*layer))
            cin = c
        self.reinitialise()

    def reinitialise(self):
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
            elif isinstance(m, nn.BatchNorm2d):
                nn.init.constant_(m.weight, 1)
                nn.init.constant_(m.bias, 0)

    def forward(self, x):
        x0 = F.relu(self.bn1(self.conv1(x)))
        x1 = self.layer1(F.max_pool2d(x0, 2, 2))
        x2 = self.layer2(x1)
        x3 = self.layer3(x2)
        x4 = self.layer4(x3)
        return [x0, x1, x2, x3, x4]


class ConvBlock(nn.Module):
    """CBR: Conv3x3 (bias) + BN + ReLU."""

    def __init__(self, cin, cout):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, 3, 1, 1)
        self.bn = nn.BatchNorm2d(cout)

    def forward(self, x):
        return F.relu(self.bn(self.conv(x)))


class Bridge(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.bridge = nn.Sequential(ConvBlock(c, c), ConvBlock(c, c))

    def forward(self, x):
        return self.bridge(x)


class UpBlock(nn.Module):
    def __init__(self, cin, cup, cskip, cout):
        super().__init__()
        self.upsample = nn.ConvTranspose2d(cin, cup, 2, 2)
        self.conv_block_1 = ConvBlock(cup + cskip, cout)
        self.conv_block_2 = ConvBlock(cout, cout)

    def forward(self, x, skip):
        return self.conv_block_2(self.conv_block_1(torch.cat([self.upsample(x), skip], 1)))


class Head(nn.Module):
    """out_ / out[i]: bridge = Sequential(Conv1x1 -> 1 channel). Never called by forward."""

    def __init__(self, cin):
        super().__init__()
        self.bridge = nn.Sequential(nn.Conv2d(cin, 1, 1))


class FusionHead(nn.Module):
    """fout[i]: bridge (1x1, cin -> w) and conv (1x1, w -> w)."""

    def __init__(self, cin, w):
        super().__init__()
        self.bridge = nn.Conv2d(cin, w, 1)
        self.conv = nn.Conv2d(w, w, 1)


class Projection(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.bridge = nn.Conv2d(cin, cout, 1)


class Gate(nn.Module):
    def __init__(self, w):
        super().__init__()
        self.bridge = nn.Conv2d(w, w, 1)
        self.conv = nn.Conv2d(w, w, 1)


class CoSupNet(nn.Module):
    def __init__(self, width=64, classes=False):
        super().__init__()
        w = width
        self.classes = classes
        self.ResNet = ResNet34(w)
        self.bridge = Bridge(8 * w)
        self.up_blocks = nn.ModuleList([
            UpBlock(8 * w, 4 * w, 4 * w, 4 * w), UpBlock(4 * w, 2 * w, 2 * w, 2 * w),
            UpBlock(2 * w, w, w, w), UpBlock(w, w // 2, w, w)])
        self.final_upsample = nn.ConvTranspose2d(w, w, 2, 2)
        self.final_conv = nn.Conv2d(w, w, 3, 1, 1)
        self.out1 = nn.Conv2d(w, 3 if classes else 1, 1, bias=False)
        self.out_ = Head(w)
        sides = [w, w, 2 * w, 4 * w, 8 * w]
        self.out = nn.ModuleList([Head(c) for c in sides])
        self.fout = nn.ModuleList([FusionHead(c, w) for c in sides])
        self.up = Projection(w, 1)
        self.gate = Gate(w)

    def logits(self, x):
        """The main logit z (1 or 3 channels) and the five side logits s_i (before activation)."""
        size = x.shape[-2:]
        d = self.ResNet(x)
        b = self.bridge(d[4])
        after = [b]
        h = b
        for i, block in enumerate(self.up_blocks):
            h = block(h, d[3 - i])
            after.append(h)
        f = self.final_conv(self.final_upsample(after[4]))
        other = None
        side = []
        for i in range(5):
            xs = F.interpolate(self.fout[i].bridge(after[4 - i]), size=size, mode="bilinear", align_corners=False)
            gs = torch.sigmoid(self.fout[i].conv(xs))
            side.append(self.up.bridge(xs))
            other = gs * xs if other is None else other + gs * xs
        xg = F.interpolate(self.gate.bridge(f), size=size, mode="bilinear", align_corners=False)
        gx = torch.sigmoid(self.gate.conv(xg))
        fused = other * (1 - gx) + gx * xg + xg
        return self.out1(fused), side

    def forward(self, x):
        """prob (sigmoid of the main logit; softmax over its 3 channels with classes) and the five
        side outputs aux_i = sigmoid(sigmoid(s_i)), as the original computes them."""
        z, side = self.logits(x)
        aux = [torch.sigmoid(torch.sigmoid(s)) for s in side]
        return (torch.softmax(z, dim=1) if self.classes else torch.sigmoid(z)), aux


def preprocess(gray_uint8, size):
    """Spec section 2 with numpy + OpenCV: gray/255, INTER_LINEAR resize, standardise, float32."""
    import cv2
    import numpy as np
    raw = gray_uint8.astype(np.float64) / 255
    raw = cv2.resize(raw, (size, size), interpolation=cv2.INTER_LINEAR)
    raw = (raw - raw.mean()) / (raw.std() + 1e-8)
    return torch.from_numpy(raw.astype(np.float32))[None, None]


def load_state_dict(model, path):
    """Loads .safetensors or .pth (weights_only) into `model`, strictly."""
    if path.endswith(".safetensors"):
        from safetensors.torch import load_file
        state = load_file(path)
    else:
        state = torch.load(path, map_location="cpu", weights_only=True)
        for key in ("model_state_dict", "state_dict"):
            if isinstance(state, dict) and key in state:
                state = state[key]
        state = {k[7:] if k.startswith("module.") else k: v for k, v in state.items()}
    model.load_state_dict(state, strict=True)
    return model
