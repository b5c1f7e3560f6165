"""Reference PyTorch versions of the networks the C core runs.

Parameter names are exactly the canonical tensor names of docs/model-format.md,
so `build(meta).load_state_dict(tensors)` works on the contents of any model
file.  The modules take and return images in the model's own input range; the
caller multiplies by `input_range` (see `upscale`).

Written from the papers' descriptions (IMDN: Hui et al. 2019; RFDN: Liu et al.
2020; ECBSR: Zhang et al. 2021) and the layouts of the published checkpoints.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

ARCHITECTURES = ("imdn", "imdn_as", "imdn_rtc", "rfdn", "ecbsr")
SLOPE = 0.05  # LeakyReLU slope used throughout IMDN and RFDN


def conv(cin, cout, k, stride=1, padding=None):
    """Conv with bias; 'same' padding unless told otherwise (as the C core)."""
    return nn.Conv2d(cin, cout, k, stride, (k - 1) // 2 if padding is None else padding)


def lrelu(x):
    return F.leaky_relu(x, SLOPE)


# ---------------------------------------------------------------- IMDN family

class CCA(nn.Module):
    """Contrast-aware channel attention: the per-channel statistic is
    std + mean over the image (population std), squeezed to C/16 and back."""

    def __init__(self, c):
        super().__init__()
        self.down = conv(c, c // 16, 1)
        self.up = conv(c // 16, c, 1)

    def forward(self, x):
        mean = x.mean((2, 3), keepdim=True)
        std = (x - mean).pow(2).mean((2, 3), keepdim=True).sqrt()
        return x * torch.sigmoid(self.up(F.relu(self.down(std + mean))))


class IMDB(nn.Module):
    """Information multi-distillation block.  Each step keeps d = C/4 channels
    ("distilled") and refines the other C - d; the last step (c4) has no
    activation.  The RTC variant drops the attention."""

    def __init__(self, c, attention=True):
        super().__init__()
        d = c // 4
        self.d = d
        self.c1 = conv(c, c, 3)
        self.c2 = conv(c - d, c, 3)
        self.c3 = conv(c - d, c, 3)
        self.c4 = conv(c - d, d, 3)
        self.cca = CCA(4 * d) if attention else None
        self.c5 = conv(4 * d, c, 1)

    def forward(self, x):
        d1, r = lrelu(self.c1(x)).split([self.d, x.shape[1] - self.d], 1)
        d2, r = lrelu(self.c2(r)).split([self.d, x.shape[1] - self.d], 1)
        d3, r = lrelu(self.c3(r)).split([self.d, x.shape[1] - self.d], 1)
        y = torch.cat([d1, d2, d3, self.c4(r)], 1)
        if self.cca is not None:
            y = self.cca(y)
        return self.c5(y) + x


# ---------------------------------------------------------------- RFDN

class ESA(nn.Module):
    """Enhanced spatial attention: a mask computed at low resolution
    (stride-2 conv, 7x7/3 max-pool), brought back by bilinear upsampling."""

    def __init__(self, c):
        super().__init__()
        f = c // 4
        self.conv1 = conv(c, f, 1)
        self.conv_f = conv(f, f, 1)
        self.conv2 = conv(f, f, 3, stride=2, padding=0)
        self.conv_max = conv(f, f, 3)
        self.conv3 = conv(f, f, 3)
        self.conv3_ = conv(f, f, 3)
        self.conv4 = conv(f, c, 1)

    def forward(self, x):
        c1_ = self.conv1(x)
        v = F.max_pool2d(self.conv2(c1_), kernel_size=7, stride=3)
        v = F.relu(self.conv_max(v))
        v = self.conv3_(F.relu(self.conv3(v)))
        v = F.interpolate(v, size=x.shape[2:], mode="bilinear", align_corners=False)
        return x * torch.sigmoid(self.conv4(v + self.conv_f(c1_)))


class RFDB(nn.Module):
    """Residual feature distillation block: 1x1 "distill" convs beside 3x3
    "refine" convs with a shallow residual each; no residual around the block."""

    def __init__(self, c):
        super().__init__()
        d = c // 2
        self.c1_d, self.c2_d, self.c3_d = conv(c, d, 1), conv(c, d, 1), conv(c, d, 1)
        self.c1_r, self.c2_r, self.c3_r = conv(c, c, 3), conv(c, c, 3), conv(c, c, 3)
        self.c4 = conv(c, d, 3)
        self.c5 = conv(4 * d, c, 1)
        self.esa = ESA(c)

    def forward(self, x):
        d1 = lrelu(self.c1_d(x))
        r1 = lrelu(self.c1_r(x) + x)
        d2 = lrelu(self.c2_d(r1))
        r2 = lrelu(self.c2_r(r1) + r1)
        d3 = lrelu(self.c3_d(r2))
        r3 = lrelu(self.c3_r(r2) + r2)
        r4 = lrelu(self.c4(r3))
        return self.esa(self.c5(torch.cat([d1, d2, d3, r4], 1)))


# ---------------------------------------------------------------- whole nets

class FusedNet(nn.Module):
    """imdn, imdn_as and rfdn: head, B blocks whose outputs are all
    concatenated and fused by a 1x1 conv, 3x3 body_tail, global residual to
    the head, then a 3x3 conv and pixel-shuffle.  imdn_as's head is two
    stride-2 convs (so the x4 shuffle gives back the input size)."""

    def __init__(self, block, channels, blocks, shuffle, downsample_head=False):
        super().__init__()
        c = channels
        if downsample_head:
            self.head = nn.ModuleList([conv(3, c, 3, stride=2), conv(c, c, 3, stride=2)])
        else:
            self.head = nn.ModuleList([conv(3, c, 3)])
        self.blocks = nn.ModuleList([block(c) for _ in range(blocks)])
        self.fuse = conv(blocks * c, c, 1)
        self.body_tail = conv(c, c, 3)
        self.upsample = conv(c, 3 * shuffle ** 2, 3)
        self.shuffle = shuffle

    def forward(self, x):
        f = self.head[0](x)
        for h in self.head[1:]:
            f = h(lrelu(f))
        outs, y = [], f
        for b in self.blocks:
            y = b(y)
            outs.append(y)
        y = self.body_tail(lrelu(self.fuse(torch.cat(outs, 1)))) + f
        return F.pixel_shuffle(self.upsample(y), self.shuffle)


class IMDN_RTC(nn.Module):
    """The real-time IMDN: attention-free blocks chained, a 1x1 body_tail, a
    global residual, no fusion of the intermediate block outputs."""

    def __init__(self, channels, blocks, scale):
        super().__init__()
        c = channels
        self.head = nn.ModuleList([conv(3, c, 3)])
        self.blocks = nn.ModuleList([IMDB(c, attention=False) for _ in range(blocks)])
        self.body_tail = conv(c, c, 1)
        self.upsample = conv(c, 3 * scale ** 2, 3)
        self.scale = scale

    def forward(self, x):
        f = y = self.head[0](x)
        for b in self.blocks:
            y = b(y)
        y = self.body_tail(y) + f
        return F.pixel_shuffle(self.upsample(y), self.scale)


# ---------------------------------------------------------------- ECBSR

def nearest_residual(y, x, scale):
    """Adds x to the pre-shuffle output so that each output pixel gets its
    input pixel (channel k of y belongs to colour k // s^2), then shuffles."""
    return F.pixel_shuffle(y + x.repeat_interleave(scale * scale, dim=1), scale)


class ConvPReLU(nn.Conv2d):
    """ECBSR inference layer: a 3x3 conv and PReLU whose slopes sit beside
    weight and bias (so the tensor is called layers.I.alpha)."""

    def __init__(self, cin, cout, act=True):
        super().__init__(cin, cout, 3, padding=1)
        self.alpha = nn.Parameter(torch.full((cout,), 0.25)) if act else None

    def forward(self, x):
        y = super().forward(x)
        return y if self.alpha is None else F.prelu(y, self.alpha)


class ECBSR(nn.Module):
    """Inference (re-parameterised) ECBSR: B+2 plain 3x3 convs."""

    def __init__(self, channels, blocks, scale):
        super().__init__()
        widths = [3] + [channels] * (blocks + 1) + [3 * scale ** 2]
        self.layers = nn.ModuleList(
            ConvPReLU(widths[i], widths[i + 1], act=(i < blocks + 1))
            for i in range(blocks + 2))
        self.scale = scale

    def forward(self, x):
        y = x
        for layer in self.layers:
            y = layer(y)
        return nearest_residual(y, x, self.scale)


# Fixed 3x3 filters of the ECB edge branches.
EDGE_MASKS = {
    "sobel_x": [[1, 0, -1], [2, 0, -2], [1, 0, -1]],
    "sobel_y": [[1, 2, 1], [0, 0, 0], [-1, -2, -1]],
    "laplacian": [[0, 1, 0], [1, -4, 1], [0, 1, 0]],
}


def pad_then_1x1(conv1x1, x):
    """The 1x1 conv applied to x zero-padded by one pixel: the border holds
    just the bias.  Equal to padding the 1x1 output with its bias, which is
    what lets a 1x1 -> 3x3 (no padding) chain fold into one 'same' 3x3 conv."""
    return conv1x1(F.pad(x, (1, 1, 1, 1)))


class EdgeBranch(nn.Module):
    """1x1 conv, then a fixed depthwise 3x3 filter with a learnt per-channel
    scale and bias."""

    def __init__(self, cin, cout, mask):
        super().__init__()
        self.conv = conv(cin, cout, 1)
        self.scale = nn.Parameter(torch.randn(cout) * 1e-3)
        self.bias = nn.Parameter(torch.zeros(cout))
        self.register_buffer("mask", torch.tensor(mask, dtype=torch.float32), persistent=False)

    def kernel(self):
        return self.scale.view(-1, 1, 1, 1) * self.mask.to(self.scale)

    def forward(self, x):
        y = pad_then_1x1(self.conv, x)
        return F.conv2d(y, self.kernel(), self.bias, groups=y.shape[1])

    def fold(self):
        """(weight, bias) of the equivalent 'same' 3x3 conv."""
        k0, b0 = self.conv.weight[:, :, 0, 0], self.conv.bias
        w = self.kernel() * k0[:, :, None, None]   # [out, in, 3, 3]
        b = self.bias + self.kernel().sum((1, 2, 3)) * b0
        return w, b


class ECB(nn.Module):
    """Edge-oriented convolution block (training form): the sum of a 3x3
    conv, a 1x1-expand -> 3x3 chain, three edge branches and (when the widths
    match) the identity; then PReLU unless it is the last layer."""

    def __init__(self, cin, cout, act=True, expand=2):
        super().__init__()
        self.conv3x3 = conv(cin, cout, 3)
        self.expand = conv(cin, expand * cout, 1)
        self.expand_3x3 = conv(expand * cout, cout, 3, padding=0)
        self.edges = nn.ModuleDict({k: EdgeBranch(cin, cout, m) for k, m in EDGE_MASKS.items()})
        self.identity = cin == cout
        self.alpha = nn.Parameter(torch.full((cout,), 0.25)) if act else None

    def forward(self, x):
        y = self.conv3x3(x) + self.expand_3x3(pad_then_1x1(self.expand, x))
        for e in self.edges.values():
            y = y + e(x)
        if self.identity:
            y = y + x
        return y if self.alpha is None else F.prelu(y, self.alpha)

    @torch.no_grad()
    def fold(self):
        """(weight, bias) of the single 3x3 conv this block equals."""
        w, b = self.conv3x3.weight.clone(), self.conv3x3.bias.clone()
        k0, b0 = self.expand.weight[:, :, 0, 0], self.expand.bias
        k1, b1 = self.expand_3x3.weight, self.expand_3x3.bias
        w += torch.einsum("omhw,mi->oihw", k1, k0)
        b += b1 + torch.einsum("omhw,m->o", k1, b0)
        for e in self.edges.values():
            we, be = e.fold()
            w += we
            b += be
        if self.identity:
            w[range(w.shape[0]), range(w.shape[0]), 1, 1] += 1
        return w, b


class ECBSRTrain(nn.Module):
    """ECBSR as trained: ECB blocks; `reparameterize()` gives the state dict
    of the inference form (ECBSR above)."""

    def __init__(self, channels, blocks, scale):
        super().__init__()
        widths = [3] + [channels] * (blocks + 1) + [3 * scale ** 2]
        self.layers = nn.ModuleList(
            ECB(widths[i], widths[i + 1], act=(i < blocks + 1)) for i in range(blocks + 2))
        self.scale = scale

    def forward(self, x):
        y = x
        for layer in self.layers:
            y = layer(y)
        return nearest_residual(y, x, self.scale)

    @torch.no_grad()
    def reparameterize(self):
        sd = {}
        for i, layer in enumerate(self.layers):
            sd[f"layers.{i}.weight"], sd[f"layers.{i}.bias"] = layer.fold()
            if layer.alpha is not None:
                sd[f"layers.{i}.alpha"] = layer.alpha.detach().clone()
        return sd


# ---------------------------------------------------------------- factory

def check_config(arch, channels, blocks, scale):
    """Raises ValueError when the numbers cannot make a network of `arch`."""
    if arch not in ARCHITECTURES:
        raise ValueError(f"unknown architecture {arch!r} (known: {', '.join(ARCHITECTURES)})")
    if not (1 <= channels <= 256 and 1 <= blocks <= 64 and 1 <= scale <= 8):
        raise ValueError(f"channels {channels}, blocks {blocks}, scale {scale} out of range")
    if arch == "imdn_as" and scale != 1:
        raise ValueError("imdn_as restores at the same size: scale must be 1")
    if arch in ("imdn", "imdn_as", "imdn_rtc") and channels % 4:
        raise ValueError(f"{arch} needs channels divisible by 4 (got {channels})")
    if arch in ("imdn", "imdn_as") and channels < 16:
        raise ValueError(f"{arch}'s attention needs at least 16 channels (got {channels})")
    if arch == "rfdn" and channels < 4:
        raise ValueError(f"rfdn's spatial attention needs at least 4 channels (got {channels})")


def build(meta, training=False):
    """The network described by a metadata dict (architecture, channels,
    blocks, scale).  training=True gives ECBSR's ECB form."""
    arch, c, b, s = meta["architecture"], int(meta["channels"]), int(meta["blocks"]), int(meta["scale"])
    check_config(arch, c, b, s)
    if arch == "imdn":
        return FusedNet(IMDB, c, b, s)
    if arch == "imdn_as":
        return FusedNet(IMDB, c, b, 4, downsample_head=True)
    if arch == "imdn_rtc":
        return IMDN_RTC(c, b, s)
    if arch == "rfdn":
        return FusedNet(RFDB, c, b, s)
    return ECBSRTrain(c, b, s) if training else ECBSR(c, b, s)


def expected_shapes(meta):
    """Canonical tensor name -> shape for a metadata dict."""
    return {k: tuple(v.shape) for k, v in build(meta).state_dict().items()}


def upscale(model, x, input_range=1.0):
    """Runs `model` on x in 0..1 (NCHW) and returns its output in 0..1
    (unclamped), mapping to and from the model's input range."""
    return model(x * input_range) / input_range
