#!/usr/bin/python3
"""IMDN_AS in the C core against the official checkpoint in PyTorch
(issue #24 item 3: an external anchor for an architecture that
test_arch_vs_torch.py checks only against our own models/srtorch).

  test_imdn_as_official.py --runner build/tests/sr-run-raw

../shared/models/official/IMDN_AS.pth is converted with
`tools/convert-checkpoint --arch imdn_as` and run by `sr-run-raw`
(SR_NO_CLAMP=1, raw float32) on real image content.  The reference is a
float64 forward written here, straight from the checkpoint's own tensor names
(`fea_conv.0/2`, `IMDB<n>.c1..c5`, `IMDB<n>.cca.conv_du.0/2`, `c.0`,
`LR_conv`, `upsampler.0`) and the IMDN paper's description of the network
(Hui et al. 2019: distillation steps keeping a quarter of the channels,
contrast-aware channel attention = std + mean, LeakyReLU 0.05); it uses
neither models/srtorch nor the converter's renaming, so a wrong rename, a
transposed or misplaced tensor, or a wrong layer in the core all show.

Pass: max |C - reference| <= 1e-4 (the core computes in float32; a wrong
layer costs 1e-2 or more).  Inputs are multiples of 4 a side (the network's
two stride-2 convs and x4 shuffle); the core's own padding of other sizes is
not what this checks.  Skips (exit 77) without PyTorch or the checkpoint.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

import numpy as np
from PIL import Image

REPO = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
SHARED = os.environ.get("SR_SHARED_DIR") or os.path.join(REPO, "..", "shared")
CHECKPOINT = os.path.join(SHARED, "models", "official", "IMDN_AS.pth")
SAMPLE = os.path.join(REPO, "docs", "sample", "chelsea.png")
TOLERANCE = 1e-4
SLOPE = 0.05
# (label, crop box of the sample image) -- sizes multiples of 4, not square
INPUTS = [("chelsea 128x96", (100, 40, 228, 136)),
          ("chelsea 64x120", (250, 150, 314, 270))]


def reference_forward(sd, x):
    """The official IMDN_AS in float64, from the checkpoint's names.
    x: 1x3xHxW in 0..1 -> 1x3xHxW."""
    import torch
    import torch.nn.functional as F

    def conv(t, name, stride=1):
        w, b = sd[name + ".weight"], sd[name + ".bias"]
        return F.conv2d(t, w, b, stride=stride, padding=w.shape[-1] // 2)

    def act(t):
        return F.leaky_relu(t, SLOPE)

    def block(t, n):
        p = f"IMDB{n}."
        keep = sd[p + "c4.weight"].shape[0]          # distilled channels (C/4)
        rest = t.shape[1] - keep
        d1, r = torch.split(act(conv(t, p + "c1")), [keep, rest], 1)
        d2, r = torch.split(act(conv(r, p + "c2")), [keep, rest], 1)
        d3, r = torch.split(act(conv(r, p + "c3")), [keep, rest], 1)
        y = torch.cat([d1, d2, d3, conv(r, p + "c4")], 1)
        mean = y.mean((2, 3), keepdim=True)
        contrast = ((y - mean) ** 2).mean((2, 3), keepdim=True).sqrt() + mean
        gate = torch.sigmoid(conv(F.relu(conv(contrast, p + "cca.conv_du.0")), p + "cca.conv_du.2"))
        return conv(y * gate, p + "c5") + t

    n_blocks = len({m.group(1) for k in sd for m in [re.match(r"IMDB(\d+)\.", k)] if m})
    f = conv(act(conv(x, "fea_conv.0", stride=2)), "fea_conv.2", stride=2)
    outs, y = [], f
    for n in range(1, n_blocks + 1):
        y = block(y, n)
        outs.append(y)
    y = conv(act(conv(torch.cat(outs, 1), "c.0")), "LR_conv") + f
    return F.pixel_shuffle(conv(y, "upsampler.0"), 4)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runner", required=True, help="tests/sr-run-raw")
    ap.add_argument("--checkpoint", default=CHECKPOINT)
    a = ap.parse_args()
    try:
        import torch
    except ImportError:
        print("PyTorch is not available: skipping")
        return 77
    if not os.path.exists(a.checkpoint):
        print(f"skipping: no {a.checkpoint}")
        return 77
    torch.set_num_threads(1)
    raw = torch.load(a.checkpoint, map_location="cpu", weights_only=True)
    sd = {re.sub(r"^module\.", "", k): v.double() for k, v in raw.items()}
    image = Image.open(SAMPLE).convert("RGB")
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        model = os.path.join(tmp, "imdn-as.srm")
        r = subprocess.run([sys.executable, os.path.join(REPO, "tools", "convert-checkpoint"),
                            "--arch", "imdn_as", a.checkpoint, model],
                           capture_output=True, text=True)
        if r.returncode != 0:
            print(f"FAIL convert-checkpoint: {r.stderr.strip()}")
            return 1
        for label, box in INPUTS:
            x = np.asarray(image.crop(box), np.float32) / 255
            h, w, _ = x.shape
            src, dst = os.path.join(tmp, "in.f32"), os.path.join(tmp, "out.f32")
            x.astype("<f4").tofile(src)
            r = subprocess.run([a.runner, model, src, str(w), str(h), dst],
                               env=dict(os.environ, SR_NO_CLAMP="1"),
                               capture_output=True, text=True)
            if r.returncode != 0:
                print(f"FAIL {label}: sr-run-raw exit {r.returncode}: {r.stderr.strip()}")
                failures += 1
                continue
            got = np.fromfile(dst, "<f4")
            with torch.no_grad():
                ref = reference_forward(sd, torch.from_numpy(x.astype(np.float64))
                                        .permute(2, 0, 1)[None])
            ref = ref[0].permute(1, 2, 0).numpy()
            if got.size != ref.size:
                print(f"FAIL {label}: {got.size} output values, want {ref.size}")
                failures += 1
                continue
            err = float(np.abs(got.reshape(ref.shape) - ref).max())
            # The restoration must also do something: not the identity.
            change = float(np.abs(ref - x).mean())
            ok = err <= TOLERANCE and change > 1e-3
            failures += not ok
            print(f"{'ok  ' if ok else 'FAIL'} {label}: max |C - reference| {err:.2e} "
                  f"(tolerance {TOLERANCE:g}); mean |output - input| {change:.4f}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
