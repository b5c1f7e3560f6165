#!/usr/bin/python3
"""The command-line tool's 16-bit path (issue #24 item 1): a 16-bit PNG in
gives a 16-bit PNG out, with 16-bit precision all the way through.

  test_cli_16bit.py --cli build/tools/sr-upscale

The input is a 40 x 30 RGB ramp with 1200 distinct 16-bit levels per channel
(R rises in raster order over the full range, G falls, B rises 7 times as
fast, wrapping), far more than 8 bits hold.  It goes through blur-x4.srm
(tests/gimp/make_test_models.py: a linear network whose output is the 3 x 3
box mean of the input, zero-padded at the borders, repeated 4 x 4), so the
exact answer is computed here in numpy.  The output must be a 16-bit RGB PNG
of 160 x 120 within 2/65535 of it everywhere -- an 8-bit step is 257/65535,
so any 8-bit stage on the way fails by two orders of magnitude.  An 8-bit
PNG of the same ramp must still give an 8-bit PNG (within 1/255).

PNGs are read and written by tests/png16.py (Pillow reads 16-bit RGB as 8-bit).
"""
import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.realpath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import png16  # noqa: E402

SCALE = 4
W, H = 40, 30
TOLERANCE_16 = 2      # in 1/65535
TOLERANCE_8 = 1       # in 1/255


def ramp16():
    n = np.arange(W * H, dtype=np.float64).reshape(H, W)
    r = np.round(n * 65535 / (W * H - 1))
    g = 65535 - r
    b = np.round(n * 7 * 65535 / (W * H - 1)) % 65536
    return np.stack([r, g, b], axis=-1).astype(np.uint16)


def box_blur_x4(a):
    """blur-x4.srm in float64: zero-padded 3x3 mean, nearest-neighbour x4."""
    p = np.pad(a.astype(np.float64), [(1, 1), (1, 1), (0, 0)])
    h, w = a.shape[:2]
    m = sum(p[i:i + h, j:j + w] for i in range(3) for j in range(3)) / 9.0
    return np.repeat(np.repeat(m, SCALE, 0), SCALE, 1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", required=True, help="sr-upscale")
    a = ap.parse_args()
    failures = 0

    def check(ok, what):
        nonlocal failures
        failures += not ok
        print(("ok   " if ok else "FAIL ") + what)

    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, os.path.join(HERE, "gimp", "make_test_models.py"),
                        os.path.join(REPO, "models", "srtorch"), tmp], check=True)
        model = os.path.join(tmp, "blur-x4.srm")
        src = ramp16()
        levels = min(len(np.unique(src[..., c])) for c in range(3))
        check(levels > 256, f"the input ramp has {levels} distinct 16-bit levels per channel")
        expected = box_blur_x4(src.astype(np.float64) / 65535) * 65535

        for depth in (16, 8):
            img = src if depth == 16 else np.round(src / 257).astype(np.uint8)
            inp, out = os.path.join(tmp, f"in{depth}.png"), os.path.join(tmp, f"out{depth}.png")
            png16.write(inp, img)
            r = subprocess.run([a.cli, "-m", model, inp, out], capture_output=True, text=True)
            if r.returncode != 0:
                check(False, f"{depth}-bit: sr-upscale exit {r.returncode}: {r.stderr.strip()}")
                continue
            got, got_depth = png16.read(out)
            check(got_depth == depth, f"{depth}-bit PNG in -> {got_depth}-bit PNG out")
            check(got.shape == (H * SCALE, W * SCALE, 3),
                  f"{depth}-bit: output {got.shape[1]} x {got.shape[0]} x {got.shape[2]}, "
                  f"want {W * SCALE} x {H * SCALE} x 3")
            if got.shape != (H * SCALE, W * SCALE, 3) or got_depth != depth:
                continue
            if depth == 16:
                err = float(np.abs(got.astype(np.float64) - expected).max())
                check(err <= TOLERANCE_16, f"16-bit: max |out - numpy box blur| = {err:.2f}/65535 "
                      f"(<= {TOLERANCE_16}; one 8-bit step is 257)")
                out_levels = len(np.unique(got[..., 0]))
                check(out_levels > 256, f"16-bit: {out_levels} distinct output levels in R")
            else:
                exp8 = box_blur_x4(img.astype(np.float64))
                err = float(np.abs(got.astype(np.float64) - exp8).max())
                check(err <= TOLERANCE_8, f"8-bit: max |out - numpy box blur| = {err:.2f}/255 "
                      f"(<= {TOLERANCE_8})")
    print(f"{failures} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
