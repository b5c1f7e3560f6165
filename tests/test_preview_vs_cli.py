#!/usr/bin/python3
"""The dialog's preview shows what the real run will give (issue #24 item 5).

  test_preview_vs_cli.py --cli build/tools/sr-upscale --preview-run build/tests/preview-run

A 1024 x 1000 photo-like RGB image is upscaled x2 by the CLI with the shipped
ecbsr-x2 model; then, for views the dialog could show, the crop under each
view plus the dialog's margin of 16 input pixels (CROP_MARGIN in
ui/sr-preview.c, clipped at the image's edges) goes through the preview
worker (tests/preview-run.c: ui/sr-preview-worker.c on a GMainLoop, no GTK),
and the view's pixels must equal the same pixels of the CLI's PNG within one
8-bit step (the PNG is 8-bit; the preview is float).  Outside the view, in
the margin, the crop's own border effects are allowed -- that is what the
margin is for (the documented difference) -- except along the image's own
edges, where the crop and the whole image have the same border: a view in
the corner is checked up to the image's edge.  The TSan stage runs it too (--preload): the worker's
thread, the core's pool under it and the result's hand-over to the main loop.
"""
import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np
from PIL import Image

REPO = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
W, H = 1024, 1000
SCALE = 2
MARGIN = 16          # CROP_MARGIN, ui/sr-preview.c
MODEL = "ecbsr-x2"
# Views (x, y, width, height) in output pixels: the middle, and the
# bottom-right corner (the crop clipped at the image's edge).
VIEWS = [(700, 500, 384, 288), (2 * W - 384, 2 * H - 288, 384, 288)]


def photo_like():
    rng = np.random.default_rng(3)
    y, x = np.mgrid[0:H, 0:W]
    a = np.stack([x * 255 // (W - 1), y * 255 // (H - 1), (x * 3 + y) % 256], axis=-1)
    a = a + rng.integers(-30, 31, a.shape)
    return np.clip(a, 0, 255).astype(np.uint8)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", required=True)
    ap.add_argument("--preview-run", required=True)
    ap.add_argument("--preload", help="a library to LD_PRELOAD into both programs (the TSan "
                    "stage's tests/tsan-glib-shim.c), never into this Python")
    a = ap.parse_args()
    env = dict(os.environ)
    if a.preload:
        env["LD_PRELOAD"] = os.path.realpath(a.preload)
    failures = 0

    def check(ok, what):
        nonlocal failures
        failures += not ok
        print(("ok   " if ok else "FAIL ") + what)

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(REPO, "models", MODEL + ".srm")
        img = photo_like()
        src, out = os.path.join(tmp, "in.png"), os.path.join(tmp, "out.png")
        Image.fromarray(img).save(src)
        subprocess.run([a.cli, "-m", path, "-t", "2", src, out], check=True, env=env)
        full = np.asarray(Image.open(out)).astype(np.int32)
        check(full.shape == (SCALE * H, SCALE * W, 3), f"CLI result {full.shape[1]}x{full.shape[0]}")

        for vx, vy, vw, vh in VIEWS:
            # The crop under the view, MARGIN input pixels wider, clipped (at
            # an integer scale crop_axis() needs no alignment).
            x0, y0 = max(vx // SCALE - MARGIN, 0), max(vy // SCALE - MARGIN, 0)
            x1 = min(-(-(vx + vw) // SCALE) + MARGIN, W)
            y1 = min(-(-(vy + vh) // SCALE) + MARGIN, H)
            cw, ch = x1 - x0, y1 - y0
            rgba = np.ones((ch, cw, 4), np.float32)
            rgba[..., :3] = img[y0:y1, x0:x1] / np.float32(255)
            crop_file, res_file = os.path.join(tmp, "crop.f32"), os.path.join(tmp, "res.f32")
            rgba.tofile(crop_file)
            r = subprocess.run([a.preview_run, path, crop_file, str(cw), str(ch),
                                str(SCALE * cw), str(SCALE * ch), "2", res_file],
                               capture_output=True, text=True, env=env)
            if r.returncode != 0:
                check(False, f"view at {vx},{vy}: preview-run: {r.stderr.strip()}")
                continue
            res = np.fromfile(res_file, np.float32).reshape(SCALE * ch, SCALE * cw, 4)
            res8 = np.round(np.clip(res[..., :3], 0, 1) * 255).astype(np.int32)
            # The view inside the result, and up to the image's edge where
            # the crop reaches it.
            ox, oy = SCALE * x0, SCALE * y0
            vx1 = SCALE * W if x1 == W else vx + vw
            vy1 = SCALE * H if y1 == H else vy + vh
            mine = res8[vy - oy:vy1 - oy, vx - ox:vx1 - ox]
            theirs = full[vy:vy1, vx:vx1]
            diff = np.abs(mine - theirs)
            check(mine.shape == theirs.shape and diff.max() <= 1,
                  f"view {vx1 - vx}x{vy1 - vy} at {vx},{vy}: preview vs CLI max |diff| "
                  f"{diff.max()} /255, {np.count_nonzero(diff)} values differ by one")
            # The check can fail: the same view one input pixel off is not it.
            shifted = np.abs(res8[vy - oy + SCALE:vy1 - oy, vx - ox:vx1 - ox] -
                             full[vy:vy1 - SCALE, vx:vx1]).max()
            check(shifted > 1, f"a view one input pixel off differs (max {shifted} /255)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
