#!/usr/bin/python3
"""models/srtorch/metrics.imresize against the LR files of the bench sets
(issue #24 item 3).

  test_imresize_matlab.py

Every tool that reports a bicubic baseline, and the training pipeline's LR
patches, use metrics.imresize as "MATLAB imresize(hr, 1/s, 'bicubic')".  Here
each HR image of Set5, Set14 and B100, cropped to a multiple of s, is shrunk
by it at x2, x3 and x4 and compared value by value with the set's
LR_bicubic/X<s>/<name>x<s>.png, made outside this project:

  * every set and scale: same size, max |difference| <= 1 grey level;
  * Set5 (the IMDN authors' MATLAB files): identical at every scale;
  * Set14 and B100: identical once exact .5 ties are rounded to even instead
    of MATLAB's away from zero (their files were made by a tool that rounds
    that way: at x2 and x4 the antialiased cubic's weights are dyadic, so
    ties are common; x3 has none and is identical as it is).  With the ties
    made to agree, any other difference -- a wrong kernel, support, border
    mirroring or order of the axes -- would show as a mismatch.

Skips (exit 77) without the shared bench data ($SR_SHARED_DIR or
<repo>/../shared).
"""
import glob
import os
import sys
import time

import numpy as np
from PIL import Image

REPO = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
SHARED = os.environ.get("SR_SHARED_DIR") or os.path.join(REPO, "..", "shared")
BENCH = os.path.join(SHARED, "data", "bench")
sys.path.insert(0, os.path.join(REPO, "models"))
from srtorch import metrics  # noqa: E402

SETS = {"Set5": 5, "Set14": 14, "B100": 100}   # name -> images it must hold
SCALES = (2, 3, 4)
IDENTICAL = {"Set5"}    # sets whose LR files MATLAB's own rounding reproduces exactly


def round_ties_even(x):
    """Round to nearest, exact-in-float64 ties (|frac - .5| < 1e-7) to even, clamp to 0..255."""
    f = np.floor(x)
    tie = np.abs(x - f - 0.5) < 1e-7
    return np.clip(np.where(tie, f + (f % 2 == 1), np.floor(x + 0.5)), 0, 255)


def imresize_ties_even(hr, out_h, out_w):
    """metrics.imresize's filter (rows first, as MATLAB on a tie of scales),
    rounded after each axis with ties to even."""
    rows = round_ties_even(metrics.imresize(hr.astype(np.float64), size=(out_h, hr.shape[1])))
    return round_ties_even(metrics.imresize(rows, size=(out_h, out_w))).astype(np.uint8)


def main():
    missing = [s for s in SETS if not os.path.isdir(os.path.join(BENCH, s, "HR"))]
    if missing:
        print(f"skipping: no {', '.join(missing)} under {BENCH}")
        return 77
    t0 = time.monotonic()
    failures = 0
    for set_name, count in SETS.items():
        hr_paths = sorted(glob.glob(os.path.join(BENCH, set_name, "HR", "*.png")))
        if len(hr_paths) != count:
            print(f"FAIL {set_name}: {len(hr_paths)} HR images, want {count}")
            failures += 1
            continue
        hrs = [(os.path.splitext(os.path.basename(p))[0],
                np.asarray(Image.open(p).convert("RGB"))) for p in hr_paths]
        for s in SCALES:
            worst, differing, total, after_ties, problems = 0, 0, 0, 0, []
            for name, hr in hrs:
                hr = metrics.modcrop(hr, s)
                ref = np.asarray(Image.open(os.path.join(
                    BENCH, set_name, "LR_bicubic", f"X{s}", f"{name}x{s}.png")).convert("RGB"))
                got = metrics.imresize(hr, 1 / s)
                if got.shape != ref.shape:
                    problems.append(f"{name}: {got.shape} != file's {ref.shape}")
                    continue
                d = np.abs(got.astype(np.int16) - ref.astype(np.int16))
                worst = max(worst, int(d.max()))
                differing += int(np.count_nonzero(d))
                total += d.size
                if set_name not in IDENTICAL and d.any():
                    even = imresize_ties_even(hr, ref.shape[0], ref.shape[1])
                    after_ties += int(np.count_nonzero(even != ref))
            if worst > 1:
                problems.append(f"max |difference| {worst} grey levels (> 1)")
            if set_name in IDENTICAL and differing:
                problems.append(f"{differing} values differ from MATLAB's own files")
            if after_ties:
                problems.append(f"{after_ties} values still differ with ties rounded to even")
            failures += bool(problems)
            how = "identical" if not differing else \
                f"max {worst}, {differing} of {total} values ({100 * differing / total:.3f}%) " \
                f"differ" + ("" if after_ties or set_name in IDENTICAL else ", all at .5 ties")
            print(f"{'FAIL' if problems else 'ok  '} {set_name:5s} x{s}: {how}" +
                  (": " + "; ".join(problems) if problems else ""), flush=True)
    print(f"{'FAIL' if failures else 'ok'} ({time.monotonic() - t0:.0f} s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
