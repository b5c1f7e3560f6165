#!/usr/bin/python3
"""The CLI's default model for JPEG inputs (issue #20): without -m, a JPEG
gets the photo model of its scale, and one line on stderr says so.

  test_cli_photo_default.py --cli build/tools/sr-upscale

References are explicit -m runs of the same CLI on the same file (the
question is which model runs, not how well), and the clean and photo
models must give different pixels on it, so picking the wrong one fails:

  (a) a 1280 x 768 photo collage (Set14 barbara + monarch), JPEG quality
      60, x4 on 2 threads: the photo line on stderr, pixels equal to
      -m imdn-photo-x4, different from -m imdn-x4;
  (b) the same pixels as decoded, saved as PNG (a 320 x 240 crop): no
      photo line, pixels equal to -m imdn-x4 (the clean default); a PNG
      file named .jpg is a PNG (the type is read from the content): clean;
  (c) the JPEG at x3, where no photo model ships: no photo line, equal to
      -m imdn-x3; x2: the photo x2 model;
  (d) -m imdn-x4 on the JPEG: the named model, no photo line;
  (e) --list-models says what each model is for (its description).
"""
import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.realpath(__file__)))
from photo_collage import collage  # noqa: E402

SHARED = os.path.join(os.path.dirname(os.path.realpath(__file__)), "..", "..", "shared")
PHOTO_LINE = "using the photo model"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", required=True, help="sr-upscale")
    a = ap.parse_args()
    failures = 0

    def check(ok, what):
        nonlocal failures
        print(("ok   " if ok else "FAIL ") + what)
        failures += not ok
        return ok

    def run(*args):
        r = subprocess.run([a.cli, "-t", "2", *args], capture_output=True, text=True)
        if r.returncode:
            print(r.stderr)
        return r

    def load(path):
        return np.asarray(Image.open(path).convert("RGB")).astype(int)

    def same(what, x, y):
        ok = x.shape == y.shape and (x == y).all()
        diff = int(np.abs(x - y).max()) if x.shape == y.shape else f"{x.shape} vs {y.shape}"
        return check(ok, f"{what} (max diff {diff})")

    with tempfile.TemporaryDirectory() as tmp:
        p = lambda name: os.path.join(tmp, name)  # noqa: E731
        listing = subprocess.run([a.cli, "--list-models"], capture_output=True, text=True).stdout
        if "imdn-photo-x4 " not in listing or "imdn-photo-x2 " not in listing:
            print("SKIP: the photo models are not installed")
            return 77
        collage(SHARED, p("photo.jpg"))

        # (a) a JPEG at x4: the photo model.
        r = run(p("photo.jpg"), p("default.png"))
        check(r.returncode == 0 and PHOTO_LINE in r.stderr and "imdn-photo-x4" in r.stderr,
              f"(a) JPEG x4 without -m says it uses imdn-photo-x4: {r.stderr.strip()!r}")
        check(r.stderr.count("\n") == 1, "(a) in one line")
        run("-m", "imdn-photo-x4", p("photo.jpg"), p("photo.png"))
        run("-m", "imdn-x4", p("photo.jpg"), p("clean.png"))
        default, photo, clean = load(p("default.png")), load(p("photo.png")), load(p("clean.png"))
        check(default.shape == (768 * 4, 1280 * 4, 3), f"(a) size {default.shape}")
        same("(a) equals -m imdn-photo-x4", default, photo)
        check(np.abs(photo - clean).mean() > 0.5,
              f"(a) photo and clean models differ on it (mean |diff| {np.abs(photo - clean).mean():.2f})")

        # (b) the same pixels as PNG: the clean default.
        Image.open(p("photo.jpg")).convert("RGB").crop((100, 100, 420, 340)).save(p("crop.png"))
        r = run(p("crop.png"), p("crop-default.png"))
        check(r.returncode == 0 and PHOTO_LINE not in r.stderr, f"(b) PNG: no photo line: {r.stderr!r}")
        run("-m", "imdn-x4", p("crop.png"), p("crop-clean.png"))
        run("-m", "imdn-photo-x4", p("crop.png"), p("crop-photo.png"))
        same("(b) PNG without -m equals -m imdn-x4", load(p("crop-default.png")), load(p("crop-clean.png")))
        check(not (load(p("crop-photo.png")) == load(p("crop-clean.png"))).all(),
              "(b) the crop tells the two models apart")
        os.rename(p("crop.png"), p("png-named.jpg"))
        r = run(p("png-named.jpg"), p("named-default.png"))
        check(r.returncode == 0 and PHOTO_LINE not in r.stderr, "(b) a PNG named .jpg: no photo line")
        same("(b) a PNG named .jpg gets the clean default", load(p("named-default.png")),
             load(p("crop-clean.png")))

        # (c) x3 has no photo model; x2 has one.
        Image.open(p("photo.jpg")).crop((100, 100, 420, 340)).save(p("small.jpg"), quality=95)
        for scale, want in (("3", "imdn-x3"), ("2", "imdn-photo-x2")):
            r = run("-s", scale, p("small.jpg"), p(f"s{scale}-default.png"))
            check(r.returncode == 0 and ((PHOTO_LINE in r.stderr) == ("photo" in want)),
                  f"(c) x{scale}: photo line only with a photo model: {r.stderr.strip()!r}")
            run("-s", scale, "-m", want, p("small.jpg"), p(f"s{scale}-ref.png"))
            same(f"(c) JPEG x{scale} without -m equals -m {want}", load(p(f"s{scale}-default.png")),
                 load(p(f"s{scale}-ref.png")))

        # (d) a named model wins.
        r = run("-m", "imdn-x4", p("small.jpg"), p("named.png"))
        check(r.returncode == 0 and PHOTO_LINE not in r.stderr, "(d) -m imdn-x4 on a JPEG: no photo line")

        # (e) what each model is for.
        lines = listing.splitlines()
        for model, purpose in (("imdn-photo-x4", "Photo (JPEG"), ("imdn-x4", "quality"),
                               ("ecbsr-x4", "fast")):
            at = [i for i, line in enumerate(lines) if line.startswith(model + " ")]
            check(at and at[0] + 1 < len(lines) and purpose in lines[at[0] + 1],
                  f"(e) --list-models says {model} is for {purpose!r}")

    print(f"{failures} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
