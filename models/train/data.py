"""Training data: random (LR, HR) patch pairs from the 571 training images.

LR images are made once per image and scale with the MATLAB-style bicubic of srtorch/metrics.py from
the whole (modcropped) HR image -- not per patch -- so patch borders see the same neighbourhood
as a real LR image would.  Everything is kept in memory (about 0.5 GB for HR + one scale) and
the pairs are also cached on disk under models/train/cache/ so that the short time slices of
run-all.sh do not pay the JPEG decoding and resizing again.
"""
import os
import pickle
import numpy as np
import torch
from PIL import Image

from srtorch.metrics import imresize, modcrop

TRAIN_SETS = ("BSDS500-train", "BSDS500-test", "T91", "SunHays80")
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))


def shared_dir():
    """<repo>/../shared unless SR_SHARED_DIR says otherwise."""
    return os.environ.get("SR_SHARED_DIR", os.path.join(os.path.dirname(REPO), "shared"))


def list_train_images():
    root = os.path.join(shared_dir(), "data", "train")
    files = []
    for sub in TRAIN_SETS:
        d = os.path.join(root, sub)
        if not os.path.isdir(d):
            raise SystemExit("training set missing: %s" % d)
        files += [os.path.join(d, f) for f in sorted(os.listdir(d))
                  if f.lower().endswith((".png", ".jpg", ".jpeg", ".bmp"))]
    return files


def load_pairs(scale, log=print, hr_scale=1.0):
    """List of (hr uint8 HxWx3, lr uint8 hxwx3) with H = s*h, for every training image.

    hr_scale < 1 first shrinks each training image by that factor (MATLAB bicubic) and uses
    the result as the HR image: the scale augmentation of VDSR's "291" training set, which
    also gives cleaner targets (JPEG blocks and sensor noise shrink away)."""
    tag = "" if hr_scale == 1.0 else "-hr%d" % round(hr_scale * 100)
    cache = os.path.join(HERE, "cache", "pairs-x%d%s.pkl" % (scale, tag))
    files = list_train_images()
    if os.path.exists(cache):
        with open(cache, "rb") as f:
            names, pairs = pickle.load(f)
        if names == [os.path.relpath(p, shared_dir()) for p in files]:
            return pairs
        log("cache %s is stale, rebuilding" % cache)
    log("making x%d LR images for %d training images%s (once; cached)"
        % (scale, len(files), "" if hr_scale == 1.0 else " shrunk to %g" % hr_scale))
    pairs = []
    for path in files:
        hr = np.asarray(Image.open(path).convert("RGB"))
        if hr_scale != 1.0:
            hr = imresize(hr, hr_scale)
        hr = modcrop(hr, scale)
        pairs.append((np.ascontiguousarray(hr), imresize(hr, 1 / scale)))
    os.makedirs(os.path.dirname(cache), exist_ok=True)
    tmp = cache + ".tmp%d" % os.getpid()
    with open(tmp, "wb") as f:
        pickle.dump(([os.path.relpath(p, shared_dir()) for p in files], pairs), f, protocol=4)
    os.replace(tmp, cache)
    return pairs


def load_multiscale_pairs(scale, hr_scales, log=print):
    """The pairs of every factor in hr_scales together (1.0 = the images as they are)."""
    return [p for f in hr_scales for p in load_pairs(scale, log, f)]


class PatchSampler:
    """Draws batches of random LR patches (lr_patch x lr_patch) and the matching HR patches,
    each under one of the 8 flips/rotations.  Images are drawn with probability proportional
    to their area, so every training pixel is about equally likely to be seen."""

    def __init__(self, pairs, scale, lr_patch, batch, seed):
        self.pairs = [p for p in pairs if min(p[1].shape[:2]) >= lr_patch]
        self.scale, self.lr_patch, self.batch = scale, lr_patch, batch
        area = np.array([p[1].shape[0] * p[1].shape[1] for p in self.pairs], dtype=np.float64)
        self.prob = area / area.sum()
        self.rng = np.random.default_rng(seed)

    def batch_tensors(self):
        s, p = self.scale, self.lr_patch
        lrs = np.empty((self.batch, p, p, 3), np.uint8)
        hrs = np.empty((self.batch, p * s, p * s, 3), np.uint8)
        for i, k in enumerate(self.rng.choice(len(self.pairs), self.batch, p=self.prob)):
            hr, lr = self.pairs[k]
            y = self.rng.integers(0, lr.shape[0] - p + 1)
            x = self.rng.integers(0, lr.shape[1] - p + 1)
            lp = lr[y:y + p, x:x + p]
            hp = hr[y * s:(y + p) * s, x * s:(x + p) * s]
            t = self.rng.integers(0, 8)           # dihedral group: transpose x 4 flips
            if t & 1:
                lp, hp = lp[:, ::-1], hp[:, ::-1]
            if t & 2:
                lp, hp = lp[::-1], hp[::-1]
            if t & 4:
                lp, hp = lp.transpose(1, 0, 2), hp.transpose(1, 0, 2)
            lrs[i], hrs[i] = lp, hp
        to_t = lambda a: torch.from_numpy(a).permute(0, 3, 1, 2).float().div_(255.0)
        return to_t(lrs), to_t(hrs)
