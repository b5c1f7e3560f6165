"""On-the-fly degradations for the photo models (imdn-photo-xS): LR patches that look like
what users upscale -- blurred, resampled with some kernel, noisy, JPEG-compressed -- paired
with the clean HR patch.

Per sample (PhotoSampler.sample):
  * an HR region of (p + 2*M) * s pixels (p = LR patch, M = 16 LR pixels of margin) under one
    of the 8 flips/rotations;
  * with probability `clean_share`: the clean MATLAB-bicubic LR of that region (what the
    clean models are trained on, so clean inputs are not harmed);
  * otherwise, in a random order: Gaussian blur (isotropic or anisotropic, random sigma and
    angle; probability 0.4), the downscale by s (bicubic / bilinear / area / MATLAB bicubic;
    always), noise (Gaussian colour or grey, or Poisson; probability 0.5), and sometimes a
    JPEG pass at whatever resolution the region has then (a picture compressed, then
    resized); last, JPEG at quality 30-95 with 4:2:0 chroma (PIL) with probability 0.9;
  * the LR patch is cut from the degraded region at an offset of 8..23 LR pixels, so the
    JPEG 8x8 blocks and 16x16 chroma blocks fall at a random phase of the patch, every
    block touching the patch is whole, and blur/resampling never see the region's border.
    The HR patch is the matching s*p square.

Blur runs as an FFT convolution (the region's border wraps, but the margin is wider than
any kernel), everything else in torch/PIL on one sample at a time.
`python3 models/train/degrade.py` measures the time per batch and writes a few examples.
"""
import io
import math
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # models/
from srtorch.metrics import imresize  # noqa: E402

MARGIN = 16          # LR pixels around the patch in the degraded region
OFFSET_MIN = 8       # the patch starts at OFFSET_MIN .. OFFSET_MIN + 15 in the region


def jpeg(img_u8, quality):
    """HxWx3 uint8 -> the same after a JPEG round trip (PIL/libjpeg, 4:2:0 chroma)."""
    buf = io.BytesIO()
    Image.fromarray(img_u8).save(buf, "JPEG", quality=int(quality), subsampling=2)
    buf.seek(0)
    return np.asarray(Image.open(buf).convert("RGB"))


def gaussian_kernel(size, sx, sy, theta):
    """2-D Gaussian, standard deviations sx, sy along axes rotated by theta; sums to 1."""
    r = (size - 1) / 2
    y, x = np.mgrid[-r:r + 1, -r:r + 1]
    c, s = math.cos(theta), math.sin(theta)
    u, v = c * x + s * y, -s * x + c * y
    k = np.exp(-0.5 * ((u / sx) ** 2 + (v / sy) ** 2))
    return k / k.sum()


def fft_blur(img, k):
    """img float32 HxWx3, k odd-size kernel: circular convolution centred on each pixel."""
    h, w = img.shape[:2]
    ks = k.shape[0]
    pad = np.zeros((h, w), np.float32)
    pad[:ks, :ks] = k
    pad = np.roll(pad, (-(ks // 2), -(ks // 2)), axis=(0, 1))
    t = torch.from_numpy(np.ascontiguousarray(img.transpose(2, 0, 1)))
    kf = torch.fft.rfft2(torch.from_numpy(pad))
    out = torch.fft.irfft2(torch.fft.rfft2(t) * kf, s=(h, w))
    return out.numpy().transpose(1, 2, 0)


class PhotoSampler:
    """Batches of (degraded LR patch, clean HR patch), as data.PatchSampler, from a list of
    HR images (uint8 HxWx3).  Images are drawn in proportion to their area."""

    KERNELS = ("matlab", "bicubic", "bilinear", "area")
    KERNEL_P = (0.4, 0.2, 0.2, 0.2)

    def __init__(self, images, scale, lr_patch, batch, seed, clean_share=0.25):
        self.s, self.p, self.batch = scale, lr_patch, batch
        self.region = lr_patch + 2 * MARGIN
        hr_need = self.region * scale
        self.images = [im for im in images if min(im.shape[:2]) >= hr_need]
        area = np.array([im.shape[0] * im.shape[1] for im in self.images], np.float64)
        self.prob = area / area.sum()
        self.rng = np.random.default_rng(seed)
        self.clean_share = clean_share

    # -- single degradations; img is float32 HxWx3 in 0..255 at the current resolution
    def _blur(self, img, at_lr):
        r = self.rng
        smax = (1.2 if at_lr else 0.6 * self.s + 0.3)     # in pixels of the current image
        sx = r.uniform(0.2, smax)
        sy = sx if r.random() < 0.5 else r.uniform(0.2, smax)
        size = 2 * int(math.ceil(3 * max(sx, sy))) + 1
        return fft_blur(img, gaussian_kernel(size, sx, sy, r.uniform(0, math.pi)))

    def _down(self, img):
        kind = self.rng.choice(len(self.KERNELS), p=self.KERNEL_P)
        h, w = img.shape[0] // self.s, img.shape[1] // self.s
        if self.KERNELS[kind] == "matlab":
            return imresize(img, size=(h, w))
        t = torch.from_numpy(np.ascontiguousarray(img.transpose(2, 0, 1)))[None]
        mode = self.KERNELS[kind]
        if mode == "area":
            out = F.interpolate(t, size=(h, w), mode="area")
        else:
            out = F.interpolate(t, size=(h, w), mode=mode, align_corners=False, antialias=True)
        return out[0].numpy().transpose(1, 2, 0)

    def _noise(self, img):
        r = self.rng
        if r.random() < 0.6:
            sigma = r.uniform(1, 15)
            if r.random() < 0.6:       # colour noise
                n = r.standard_normal(img.shape, dtype=np.float32) * sigma
            else:                      # grey (luma) noise
                n = r.standard_normal(img.shape[:2] + (1,), dtype=np.float32) * sigma
            return img + n
        peak = 10 ** r.uniform(1.7, 3.3)   # photons per full-scale value: 50 .. 2000
        x = np.clip(img, 0, 255) / 255.0
        if r.random() < 0.6:
            return r.poisson(x * peak).astype(np.float32) / peak * 255.0
        y = x @ np.array([0.299, 0.587, 0.114], np.float32)
        n = r.poisson(y * peak).astype(np.float32) / peak - y
        return img + n[..., None] * 255.0

    def _jpeg(self, img, lo=30, hi=95):
        u8 = np.clip(np.floor(img + 0.5), 0, 255).astype(np.uint8)
        return jpeg(u8, self.rng.integers(lo, hi + 1)).astype(np.float32)

    def sample(self):
        """One (lr uint8 p x p x 3, hr uint8 sp x sp x 3, degraded?) sample."""
        r, s, p, R = self.rng, self.s, self.p, self.region
        im = self.images[r.choice(len(self.images), p=self.prob)]
        y = r.integers(0, im.shape[0] - R * s + 1)
        x = r.integers(0, im.shape[1] - R * s + 1)
        hr = im[y:y + R * s, x:x + R * s]
        t = r.integers(0, 8)
        if t & 1:
            hr = hr[:, ::-1]
        if t & 2:
            hr = hr[::-1]
        if t & 4:
            hr = hr.transpose(1, 0, 2)
        hr = np.ascontiguousarray(hr)
        degraded = r.random() >= self.clean_share
        if not degraded:
            lr = imresize(hr, 1 / s)
        else:
            img = hr.astype(np.float32)
            ops = ["down"]
            if r.random() < 0.4:
                ops.append("blur")
            if r.random() < 0.5:
                ops.append("noise")
            if r.random() < 0.1:
                ops.append("jpeg")
            r.shuffle(ops)
            at_lr = False
            for op in ops:
                if op == "down":
                    img, at_lr = self._down(img), True
                elif op == "blur":
                    img = self._blur(img, at_lr)
                elif op == "noise":
                    img = self._noise(img)
                else:
                    img = self._jpeg(img, 50, 95)
            if r.random() < 0.9:
                img = self._jpeg(img)
            lr = np.clip(np.floor(img + 0.5), 0, 255).astype(np.uint8)
        oy, ox = r.integers(OFFSET_MIN, OFFSET_MIN + 16, size=2)
        return (lr[oy:oy + p, ox:ox + p], hr[oy * s:(oy + p) * s, ox * s:(ox + p) * s],
                degraded)

    def batch_tensors(self):
        s, p = self.s, self.p
        lrs = np.empty((self.batch, p, p, 3), np.uint8)
        hrs = np.empty((self.batch, p * s, p * s, 3), np.uint8)
        for i in range(self.batch):
            lrs[i], hrs[i], _ = self.sample()
        to_t = lambda a: torch.from_numpy(a).permute(0, 3, 1, 2).float().div_(255.0)
        return to_t(lrs), to_t(hrs)


def jpeg75_set(items):
    """The `jpeg75` recipe (tools/make-degraded-sets) applied to validate.load_set items."""
    return [(name, jpeg(lr, 75), hr) for name, lr, hr in items]


def _bench():
    import argparse
    import time
    import data
    import photo_data
    ap = argparse.ArgumentParser(description="time PhotoSampler batches; write examples")
    ap.add_argument("--scale", type=int, default=4)
    ap.add_argument("--patch", type=int, default=40)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--examples", help="folder for example LR/HR pairs")
    a = ap.parse_args()
    torch.set_num_threads(1)
    files = photo_data.list_images()[:8] + data.list_train_images()[:50]
    images = [np.asarray(Image.open(f).convert("RGB")) for f in files]
    sm = PhotoSampler(images, a.scale, a.patch, a.batch, seed=1)
    sm.batch_tensors()
    t0 = time.time()
    n = 20
    for _ in range(n):
        sm.batch_tensors()
    print("x%d, %d x %dx%d LR: %.1f ms per batch" % (a.scale, a.batch, a.patch, a.patch,
                                                     (time.time() - t0) / n * 1000))
    if a.examples:
        os.makedirs(a.examples, exist_ok=True)
        for i in range(12):
            lr, hr, d = sm.sample()
            Image.fromarray(lr).resize((hr.shape[1], hr.shape[0]), Image.NEAREST).save(
                os.path.join(a.examples, "%02d-lr%s.png" % (i, "-deg" if d else "-clean")))
            Image.fromarray(hr).save(os.path.join(a.examples, "%02d-hr.png" % i))


if __name__ == "__main__":
    _bench()
