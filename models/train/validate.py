"""Set5 PSNR-Y exactly as /work/shared/docs/eval-protocol.md: the shipped (MATLAB-made) LR
files in, output clamped and rounded to uint8, HR cropped to s * LR size, BT.601 luma in
double precision without rounding, `s` pixels shaved from each border, mean of per-image PSNR.

Used only to watch the training curve and to record the score of exported weights; nothing
is selected or tuned on it (no best-checkpoint picking: we always export the latest weights).
"""
import os
import numpy as np
import torch
from PIL import Image

from data import shared_dir
from srtorch.metrics import psnr_y


def load_set(scale, name="Set5"):
    """[(image name, lr uint8, hr uint8 cropped to s * lr size)]"""
    root = os.path.join(shared_dir(), "data", "bench", name)
    items = []
    for f in sorted(os.listdir(os.path.join(root, "HR"))):
        base = os.path.splitext(f)[0]
        hr = np.asarray(Image.open(os.path.join(root, "HR", f)).convert("RGB"))
        lr = np.asarray(Image.open(os.path.join(
            root, "LR_bicubic", "X%d" % scale, "%sx%d.png" % (base, scale))).convert("RGB"))
        hr = hr[: lr.shape[0] * scale, : lr.shape[1] * scale]
        items.append((base, lr, hr))
    return items


@torch.no_grad()
def evaluate(model, scale, items=None):
    """(mean PSNR-Y, {name: PSNR-Y}) of `model` (input and output in 0..1) on Set5."""
    items = items if items is not None else load_set(scale)
    was_training = model.training
    model.eval()
    scores = {}
    for name, lr, hr in items:
        x = torch.tensor(lr).permute(2, 0, 1)[None].float() / 255.0
        # round half up like MATLAB's im2uint8 (torch.round would round half to even)
        y = model(x)[0].clamp(0, 1).mul(255.0).add(0.5).floor().byte().permute(1, 2, 0).numpy()
        scores[name] = psnr_y(y, hr, scale)
    model.train(was_training)
    return float(np.mean(list(scores.values()))), scores
