#!/usr/bin/python3
"""Tiling and threading properties of the C core (sr_upscale's tile scheduler).

  test_tiling.py --runner build/tests/sr-run-raw

For random-weight networks on an image much larger than the tiles:
- local architectures (ECBSR, IMDN_RTC): tiled output equals whole-image
  output, max difference <= 1e-5, for several tile sizes and thread counts;
- every architecture: output is bit-identical for 1, 2 and 8 threads at a
  given tile size (tiles are independent, so scheduling cannot matter), also
  when one tile's layers are split across threads;
- test-time augmentation equals the mean of PyTorch over the 8 flips/rotations;
- any scale: the output equals PyTorch's resized with an antialiased cubic;
- bf16 (SR_PRECISION=bf16, on CPUs with AVX512_BF16): the same bit-identity
  over threads and tiles, tiled = whole for the local architectures, and an
  output that differs from fp32 (so bf16 did run) by little.
Exit 77 (skip) when PyTorch (used to write the random models) is missing.
"""
import argparse
import os
import subprocess
import sys
import tempfile

try:
    import torch
except ImportError:
    print("PyTorch is not available: skipping")
    sys.exit(77)
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.realpath(__file__)))
from test_arch_vs_torch import make_model  # noqa: E402
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.realpath(__file__))), "models"))
from srtorch import archs, metrics  # noqa: E402

# (label, architecture, channels, blocks, scale, input_range, width, height)
CASES = [
    ("ecbsr C8 B3 x3", "ecbsr", 8, 3, 3, 1.0, 97, 61),
    ("imdn_rtc C12 B2 x2", "imdn_rtc", 12, 2, 2, 1.0, 83, 70),
    ("imdn C16 B2 x2", "imdn", 16, 2, 2, 1.0, 90, 75),
    ("imdn_as C16 B1", "imdn_as", 16, 1, 1, 1.0, 130, 66),
    ("rfdn C8 B1 x2", "rfdn", 8, 1, 2, 1.0, 150, 40),
    # Wide enough for the Winograd convolutions (32+ input channels).
    ("imdn C64 B1 x2", "imdn", 64, 1, 2, 1.0, 77, 53),
    ("rfdn C48 B1 x2", "rfdn", 48, 1, 2, 1.0, 101, 45),
]
LOCAL = {"ecbsr", "imdn_rtc"}
WHOLE = 65536  # a tile larger than any test image: one tile, no halo


def run(runner, model, x, tmp, tile, threads, tta=False, scale=None, precision="fp32"):
    h, w, _ = x.shape
    src, dst = os.path.join(tmp, "in.f32"), os.path.join(tmp, "out.f32")
    x.astype("<f4").tofile(src)
    env = dict(os.environ, SR_NO_CLAMP="1", SR_TILE=str(tile), SR_THREADS=str(threads),
               SR_TTA="1" if tta else "0", SR_PRECISION=precision)
    if scale:
        env["SR_SCALE"] = str(scale)
    r = subprocess.run([runner, model, src, str(w), str(h), dst], env=env,
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"runner failed: {r.stderr.strip()}")
    return np.fromfile(dst, "<f4")


def check_tta(runner, path, net, x, tmp, label, input_range):
    """TTA output = mean over the 8 flips/rotations of PyTorch's output."""
    got = run(runner, path, x, tmp, WHOLE, 2, tta=True)
    t = torch.from_numpy(x.astype(np.float64)).permute(2, 0, 1)[None]
    acc = 0
    with torch.no_grad():
        for d in range(8):
            v = t.transpose(2, 3) if d & 4 else t
            v = v.flip(3) if d & 1 else v
            v = v.flip(2) if d & 2 else v
            y = archs.upscale(net.double(), v, input_range)
            y = y.flip(2) if d & 2 else y
            y = y.flip(3) if d & 1 else y
            acc = acc + (y.transpose(2, 3) if d & 4 else y)
    want = (acc / 8)[0].permute(1, 2, 0).numpy().reshape(-1)
    diff = float(np.abs(got.astype(np.float64) - want).max())
    ok = diff <= 1e-4
    print(f"{'ok  ' if ok else 'FAIL'} {label:20s} TTA (8 views) vs PyTorch: max diff {diff:.2e}")
    return ok


def check_any_scale(runner, path, net, x, tmp, label, input_range, scale, local):
    """Output at a non-native scale = PyTorch's output resized (cubic,
    antialiased when shrinking) away from the image border; tiling and
    threads change nothing for local models."""
    h, w, _ = x.shape
    th, tw = int(h * scale + 0.5), int(w * scale + 0.5)
    got = run(runner, path, x, tmp, WHOLE, 1, scale=scale).reshape(th, tw, 3)
    t = torch.from_numpy(x.astype(np.float64)).permute(2, 0, 1)[None]
    with torch.no_grad():
        y = archs.upscale(net.double(), t, input_range)[0].permute(1, 2, 0).numpy()
    want = metrics.imresize(y, size=(th, tw))
    b = 4  # the border differs on purpose: we replicate, MATLAB mirrors
    diff = float(np.abs(got[b:-b, b:-b] - want[b:-b, b:-b]).max())
    tiled = run(runner, path, x, tmp, 16, 2, scale=scale).reshape(th, tw, 3)
    tdiff = float(np.abs(tiled.astype(np.float64) - got).max())
    ok = diff <= 1e-4 and (not local or tdiff <= 1e-5)
    print(f"{'ok  ' if ok else 'FAIL'} {label:20s} scale {scale}: vs PyTorch+resize {diff:.2e}, "
          f"tiled vs whole {tdiff:.2e}{'' if local else ' (not local: reported)'}")
    return ok


def cpu_has_bf16():
    try:
        with open("/proc/cpuinfo") as f:
            return any(line.startswith("flags") and " avx512_bf16" in line for line in f)
    except OSError:
        return False


def check_bf16(runner, path, x, tmp, label, arch, fp32_whole):
    """bf16: deterministic over threads and tiles, tiled = whole when local,
    and near fp32 but not equal to it (bf16 did run)."""
    ok_all = True
    whole = run(runner, path, x, tmp, WHOLE, 1, precision="bf16")
    for tile in (WHOLE, 8, 40):
        outs = [run(runner, path, x, tmp, tile, t, precision="bf16") for t in (1, 2, 8)]
        same = all(np.array_equal(outs[0], o) for o in outs[1:])
        diff = float(np.abs(outs[0].astype(np.float64) - whole).max())
        ok = same and (arch not in LOCAL or diff <= 1e-5)
        ok_all &= ok
        print(f"{'ok  ' if ok else 'FAIL'} {label:20s} bf16 tile {tile:5d}: threads 1/2/8 "
              f"{'bit-identical' if same else 'DIFFER'}; max|tiled - whole| = {diff:.2e}")
    vs32 = float(np.abs(whole.astype(np.float64) - fp32_whole).max())
    # Random untrained weights: only a loose sanity bound (a tenth of the
    # output's magnitude) here; test_bf16_accuracy.py holds real models to
    # 0.01 dB PSNR-Y.
    ran = vs32 > 0 if cpu_has_bf16() else vs32 == 0
    ok = ran and vs32 <= 0.1 * max(1.0, float(np.abs(fp32_whole).max()))
    ok_all &= ok
    print(f"{'ok  ' if ok else 'FAIL'} {label:20s} bf16 vs fp32: max diff {vs32:.2e}"
          f"{'' if cpu_has_bf16() else ' (no AVX512_BF16: fp32 fallback, must be equal)'}")
    return ok_all


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runner", required=True)
    a = ap.parse_args()
    torch.set_num_threads(1)
    gen = torch.Generator().manual_seed(7)
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        for case in CASES:
            label, arch, _, _, _, _, w, h = case
            path, net = make_model(case, gen, tmp)
            x = torch.rand((h, w, 3), generator=gen).numpy()
            whole = run(a.runner, path, x, tmp, WHOLE, 1)
            # One tile, several threads: the layers themselves are split.
            split = [run(a.runner, path, x, tmp, WHOLE, t) for t in (2, 8)]
            same = all(np.array_equal(whole, o) for o in split)
            failures += not same
            print(f"{'ok  ' if same else 'FAIL'} {label:20s} one tile, layers split over 2/8 threads: "
                  f"{'bit-identical' if same else 'DIFFER'}")
            if arch in ("ecbsr", "imdn"):
                failures += not check_tta(a.runner, path, net, x, tmp, label, case[5])
                for f in (case[4] - 0.6, case[4] + 0.7):
                    failures += not check_any_scale(a.runner, path, net, x, tmp, label, case[5],
                                                    round(f, 2), arch in LOCAL)
            failures += not check_bf16(a.runner, path, x, tmp, label, arch, whole)
            for tile in (8, 24, 40):
                outs = [run(a.runner, path, x, tmp, tile, t) for t in (1, 2, 8)]
                same = all(np.array_equal(outs[0], o) for o in outs[1:])
                diff = float(np.abs(outs[0].astype(np.float64) - whole).max())
                ok = same and (arch not in LOCAL or diff <= 1e-5)
                failures += not ok
                print(f"{'ok  ' if ok else 'FAIL'} {label:20s} tile {tile:3d}: threads 1/2/8 "
                      f"{'bit-identical' if same else 'DIFFER'}; max|tiled - whole| = {diff:.2e}"
                      f"{'' if arch in LOCAL else ' (not local: reported, not bounded)'}")
    print(f"{'all' if not failures else failures} tiling checks {'passed' if not failures else 'failed'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
