#!/usr/bin/python3
"""sr-upscale built with ThreadSanitizer on a ~1-megapixel photo-like image
with --threads 2 and --threads 4 (issue #24 item 2; the TSan stage of
tools/test-all.sh runs it, in a -Db_sanitize=thread build only).

  test_tsan_cli.py --cli build-tsan/tools/sr-upscale --shim build-tsan/tests/libtsan-glib-shim.so

Each run must exit 0 with no ThreadSanitizer report (TSan makes a run with a
report exit 66 and prints "WARNING: ThreadSanitizer"), and the two results
must be the same bytes: the tiles and their halos do not depend on the thread
count, so any difference is a race the sanitizer happened not to see.  The
shim (tests/tsan-glib-shim.c) is preloaded into the CLI only -- this Python,
uninstrumented, must not load it.
"""
import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np
from PIL import Image

HERE = os.path.dirname(os.path.realpath(__file__))
W, H = 1024, 1000
MODEL = "ecbsr-x2"


def photo_like():
    """Ramps and noise: every tile sees different, non-flat content."""
    rng = np.random.default_rng(1)
    y, x = np.mgrid[0:H, 0:W]
    a = np.stack([x * 255 // (W - 1), y * 255 // (H - 1), (x + y) % 256], axis=-1)
    a = a + rng.integers(-20, 21, a.shape)
    return np.clip(a, 0, 255).astype(np.uint8)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", required=True)
    ap.add_argument("--shim", required=True)
    a = ap.parse_args()
    env = dict(os.environ)
    env["LD_PRELOAD"] = os.path.realpath(a.shim)
    env.setdefault("TSAN_OPTIONS", "suppressions=" + os.path.join(HERE, "tsan.supp"))
    env.setdefault("G_SLICE", "always-malloc")
    failures = 0
    results = {}

    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "in.png")
        Image.fromarray(photo_like()).save(src)
        for threads in (2, 4):
            out = os.path.join(tmp, f"out{threads}.png")
            r = subprocess.run([a.cli, "-m", MODEL, "-t", str(threads), src, out],
                               capture_output=True, text=True, env=env)
            report = "ThreadSanitizer" in r.stderr
            ok = r.returncode == 0 and not report and os.path.exists(out)
            print(("ok   " if ok else "FAIL ") +
                  f"--threads {threads}: exit {r.returncode}, TSan report: {'yes' if report else 'no'}")
            if not ok:
                failures += 1
                sys.stderr.write(r.stderr[-20000:])
                continue
            results[threads] = np.asarray(Image.open(out))
        if len(results) == 2:
            a2, a4 = results[2], results[4]
            same = a2.shape == (2 * H, 2 * W, 3) and np.array_equal(a2, a4)
            print(("ok   " if same else "FAIL ") +
                  f"{a2.shape[1]}x{a2.shape[0]} results of 2 and 4 threads identical")
            failures += not same
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
