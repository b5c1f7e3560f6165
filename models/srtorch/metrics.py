"""The evaluation protocol of /work/shared/docs/eval-protocol.md (the MATLAB
Evaluate_PSNR_SSIM.m of the SR literature) and MATLAB-style bicubic resize.

Images are numpy arrays HxWx3 (uint8, or float in 0..255).  numpy only, so
these work without PyTorch.
"""
import numpy as np


def rgb_to_y(img):
    """BT.601 luma in 16..235, double precision and not rounded (as MATLAB's
    rgb2ycbcr on doubles)."""
    rgb = np.asarray(img, dtype=np.float64)
    return 16.0 + (65.481 * rgb[..., 0] + 128.553 * rgb[..., 1] + 24.966 * rgb[..., 2]) / 255.0


def _shaved_y(sr, hr, shave):
    if sr.shape != hr.shape:
        raise ValueError(f"image sizes differ: {sr.shape} vs {hr.shape}")
    a, b = rgb_to_y(sr), rgb_to_y(hr)
    if shave:
        a, b = a[shave:-shave, shave:-shave], b[shave:-shave, shave:-shave]
    return a, b


def psnr_y(sr, hr, shave):
    """PSNR on the luma with `shave` pixels cut from every border (shave = scale)."""
    a, b = _shaved_y(sr, hr, shave)
    mse = np.mean((a - b) ** 2)
    return float("inf") if mse == 0 else float(10.0 * np.log10(255.0 ** 2 / mse))


def _gaussian(n=11, sigma=1.5):
    x = np.arange(n) - (n - 1) / 2
    g = np.exp(-x * x / (2 * sigma * sigma))
    return g / g.sum()  # the outer product of this is fspecial's normalised 2-D window


def _filter_valid(img, g):
    """filter2(outer(g, g), img, 'valid'), done separably."""
    n = len(g)
    h, w = img.shape
    t = sum(g[i] * img[i:h - n + 1 + i, :] for i in range(n))
    return sum(g[j] * t[:, j:w - n + 1 + j] for j in range(n))


def ssim_y(sr, hr, shave):
    """SSIM (Wang et al. 2004) on the shaved luma: 11x11 Gaussian window,
    sigma 1.5, K = (0.01, 0.03), L = 255, mean of the 'valid' SSIM map."""
    a, b = _shaved_y(sr, hr, shave)
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2
    g = _gaussian()
    mu_a, mu_b = _filter_valid(a, g), _filter_valid(b, g)
    var_a = _filter_valid(a * a, g) - mu_a ** 2
    var_b = _filter_valid(b * b, g) - mu_b ** 2
    cov = _filter_valid(a * b, g) - mu_a * mu_b
    ssim_map = ((2 * mu_a * mu_b + c1) * (2 * cov + c2)) / \
               ((mu_a ** 2 + mu_b ** 2 + c1) * (var_a + var_b + c2))
    return float(ssim_map.mean())


# ------------------------------------------------------------ imresize

def _cubic(x):
    """Keys' cubic with a = -0.5, MATLAB's 'bicubic' kernel."""
    ax = np.abs(x)
    ax2, ax3 = ax * ax, ax * ax * ax
    return ((1.5 * ax3 - 2.5 * ax2 + 1) * (ax <= 1) +
            (-0.5 * ax3 + 2.5 * ax2 - 4 * ax + 2) * ((ax > 1) & (ax <= 2)))


def _contributions(in_len, out_len, scale, antialias):
    """Weights [out, taps] and 0-based source indices, as MATLAB's
    contributions(): when shrinking, the kernel is stretched by 1/scale
    (antialiasing); indices beyond the edges are mirrored (symmetric, edge
    pixel repeated); taps whose weight is zero for every output are dropped."""
    width = 4.0
    if scale < 1 and antialias:
        def h(x):
            return scale * _cubic(scale * x)
        width /= scale
    else:
        h = _cubic
    x = np.arange(1, out_len + 1, dtype=np.float64)
    u = x / scale + 0.5 * (1 - 1 / scale)           # source position, 1-based
    left = np.floor(u - width / 2)
    taps = int(np.ceil(width)) + 2
    idx = left[:, None] + np.arange(taps)[None, :]   # 1-based
    w = h(u[:, None] - idx)
    w /= w.sum(axis=1, keepdims=True)
    mirror = np.concatenate([np.arange(in_len), np.arange(in_len)[::-1]])
    idx = mirror[np.mod(idx.astype(np.int64) - 1, 2 * in_len)]
    keep = np.any(w != 0, axis=0)
    return w[:, keep], idx[:, keep]


def imresize(img, scale=None, size=None, antialias=True):
    """MATLAB imresize(img, scale, 'bicubic') (or to size=(h, w)).

    Works on HxW or HxWxC arrays.  uint8 input gives uint8 output rounded
    after each axis, as MATLAB does; float input stays float (no rounding),
    which is what training pipelines want."""
    a = np.asarray(img)
    is_u8 = a.dtype == np.uint8
    h, w = a.shape[:2]
    if size is None:
        if scale is None:
            raise ValueError("give scale or size")
        # ceil as MATLAB, but 1/3 * 255 must be 85, not 86.
        size = tuple(int(np.ceil(n * scale - 1e-9)) for n in (h, w))
        scales = (scale, scale)
    else:
        scales = (size[0] / h, size[1] / w)
    out = a.astype(np.float64)
    # MATLAB resizes the axis with the smaller scale first (rows on a tie).
    for axis in sorted((0, 1), key=lambda d: scales[d]):
        wts, idx = _contributions(out.shape[axis], size[axis], scales[axis], antialias)
        moved = np.moveaxis(out, axis, 0)                       # [in, ...]
        res = np.einsum("ot,ot...->o...", wts, moved[idx])      # [out, ...]
        out = np.moveaxis(res, 0, axis)
        if is_u8:
            out = np.clip(np.floor(out + 0.5), 0, 255)
    return out.astype(np.uint8) if is_u8 else out


def modcrop(img, scale):
    """Crops so both sides are multiples of scale (top-left kept)."""
    h, w = img.shape[:2]
    return img[:h - h % scale, :w - w % scale]
