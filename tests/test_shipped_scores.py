#!/usr/bin/python3
"""The shipped models' Set5 scores, re-measured through the command-line tool
(issue #24 item 3).

  test_shipped_scores.py --cli build/tools/sr-upscale
                         [--models DIR] [--gimp-scores JSON] [--jobs N]

For every DIR/*.srm (default: models/) it runs `sr-upscale -m FILE LR OUT.png`
on each Set5 LR_bicubic/X<s> file (the MATLAB-made inputs) and scores the PNG
it wrote by ../shared/docs/eval-protocol.md, with a PSNR-Y written here from
the protocol text (not models/srtorch/metrics.py, which is checked against it
on the way).  Each model must

  * meet its issue-#4 Set5 target (TARGETS; photo models -- ids containing
    "photo", trained for degraded input -- and ecbsr-x3 have none),
  * equal the `training.set5_psnr_y` in its own metadata within 0.005 dB (that
    figure was measured in PyTorch at export and picks the default model per
    scale, sr_catalog_default_id), and
  * beat GIMP 2.10's NoHalo on the same LR files (models/gimp-scale-scores.json,
    written by tools/eval-gimp-scale from images GIMP itself scaled); the clean
    models by the README's "at least +2 dB".  The stored x4 figure must agree
    with the one ../shared/docs/eval-protocol.md quotes ("GIMP 2.10 NoHalo
    28.47") to its two decimals.

A model id this test has never heard of fails until it is given a target (or
None) in TARGETS: a new model cannot ship unmeasured.  Skips (exit 77) without
the shared bench data or with no model files.  ~30 CLI runs, two at a time.
"""
import argparse
import concurrent.futures
import glob
import json
import os
import re
import subprocess
import sys
import tempfile
import time

import numpy as np
from PIL import Image

REPO = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
SHARED = os.environ.get("SR_SHARED_DIR") or os.path.join(REPO, "..", "shared")
SET5 = os.path.join(SHARED, "data", "bench", "Set5")
PROTOCOL = os.path.join(SHARED, "docs", "eval-protocol.md")
sys.path.insert(0, os.path.join(REPO, "models"))
from srtorch import metrics, modelfile  # noqa: E402

# Issue #4 targets, Set5 PSNR-Y (dB).  None: the model has no target.
TARGETS = {"imdn-x2": 37.6, "imdn-x3": 33.8, "imdn-x4": 31.6,
           "ecbsr-x2": 37.0, "ecbsr-x3": None, "ecbsr-x4": 30.6}
METADATA_TOLERANCE = 0.005   # dB; the metadata is rounded to 0.001
NOHALO_MARGIN_CLEAN = 2.0    # dB; README: "+2.1 to +3.8 dB over NoHalo on Set5"


def psnr_y_protocol(sr, hr, scale):
    """eval-protocol.md steps 4-6, written out here on its own."""
    def luma(img):
        r, g, b = (img[..., c].astype(np.float64) for c in range(3))
        return 16.0 + (65.481 * r + 128.553 * g + 24.966 * b) / 255.0
    d = luma(sr)[scale:-scale, scale:-scale] - luma(hr)[scale:-scale, scale:-scale]
    return 10.0 * np.log10(255.0 ** 2 / np.mean(d * d))


def set5_pairs(scale):
    out = []
    for hr_path in sorted(glob.glob(os.path.join(SET5, "HR", "*.png"))):
        name = os.path.splitext(os.path.basename(hr_path))[0]
        out.append((name, os.path.join(SET5, "LR_bicubic", f"X{scale}", f"{name}x{scale}.png"),
                    hr_path))
    return out


def upscale(cli, model, lr_path, out_path):
    r = subprocess.run([cli, "-m", model, "--threads", "1", lr_path, out_path],
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"sr-upscale failed on {lr_path} (exit {r.returncode}): "
                           f"{r.stderr.strip()}")
    return np.asarray(Image.open(out_path).convert("RGB"))


def score(cli, model, scale, tmp, pool):
    """Mean Set5 PSNR-Y of `model` through the CLI; raises on a mismatch between
    this file's PSNR and metrics.psnr_y (the one every tool uses)."""
    pairs = set5_pairs(scale)
    if len(pairs) != 5:
        raise RuntimeError(f"Set5 should hold 5 HR images, found {len(pairs)}")
    tag = os.path.basename(model)
    futs = [pool.submit(upscale, cli, model, lr, os.path.join(tmp, f"{tag}-{name}.png"))
            for name, lr, _ in pairs]
    scores = []
    for (name, lr_path, hr_path), fut in zip(pairs, futs):
        sr = fut.result()
        lr = np.asarray(Image.open(lr_path).convert("RGB"))
        h, w = lr.shape[0] * scale, lr.shape[1] * scale
        if sr.shape != (h, w, 3):
            raise RuntimeError(f"{name}: output {sr.shape}, want {(h, w, 3)}")
        hr = np.asarray(Image.open(hr_path).convert("RGB"))[:h, :w]
        p = psnr_y_protocol(sr, hr, scale)
        q = metrics.psnr_y(sr, hr, scale)
        if abs(p - q) > 1e-9:
            raise RuntimeError(f"{name}: metrics.psnr_y {q:.6f} != protocol PSNR-Y {p:.6f}")
        scores.append(p)
    return float(np.mean(scores))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", required=True, help="sr-upscale")
    ap.add_argument("--models", default=os.path.join(REPO, "models"), help="folder of .srm files")
    ap.add_argument("--gimp-scores", default=os.path.join(REPO, "models", "gimp-scale-scores.json"))
    ap.add_argument("--jobs", type=int, default=2, help="CLI runs at a time")
    a = ap.parse_args()
    if not os.path.isdir(os.path.join(SET5, "HR")):
        print(f"skipping: no Set5 at {SET5}")
        return 77
    paths = sorted(glob.glob(os.path.join(a.models, "*.srm")))
    if not paths:
        print(f"skipping: no model files in {a.models}")
        return 77
    nohalo = json.load(open(a.gimp_scores))["nohalo"]["Set5"]
    cli = os.path.abspath(a.cli)
    t0 = time.monotonic()
    failures = 0
    # The stored GIMP figure against the shared protocol's own baseline line.
    quoted = re.search(r"Set5 ×4:.*?NoHalo (\d+\.\d+)",
                       open(PROTOCOL).read()) if os.path.exists(PROTOCOL) else None
    if quoted and "4" in nohalo:
        ok = abs(nohalo["4"][0] - float(quoted.group(1))) <= 0.005
        failures += not ok
        print(f"{'ok  ' if ok else 'FAIL'} stored GIMP NoHalo Set5 x4 {nohalo['4'][0]:.4f} dB vs "
              f"{quoted.group(1)} in eval-protocol.md")
    else:
        print(f"note: no NoHalo Set5 x4 figure in {PROTOCOL} to check the stored one against")
    with tempfile.TemporaryDirectory() as tmp, \
            concurrent.futures.ThreadPoolExecutor(max(1, a.jobs)) as pool:
        for path in paths:
            mid = os.path.basename(path)[:-len(".srm")]
            problems = []
            try:
                meta, _ = modelfile.read(path, as_numpy=True)
                scale = int(meta["scale"])
                got = score(cli, path, scale, tmp, pool)
            except (RuntimeError, ValueError, KeyError, OSError) as e:
                print(f"FAIL {mid:14s} {e}")
                failures += 1
                continue
            photo = "photo" in mid
            line = f"{mid:14s} Set5 x{scale} {got:.4f} dB"
            # 1. the issue-#4 target
            if photo:
                line += ", target n/a (photo model)"
            elif mid not in TARGETS:
                problems.append(f"no Set5 target known for {mid}: add it to TARGETS")
            elif TARGETS[mid] is not None:
                line += f", target {TARGETS[mid]:.2f}"
                if got < TARGETS[mid]:
                    problems.append(f"below its target {TARGETS[mid]:.2f} dB")
            # 2. the score its metadata records
            recorded = meta.get("training", {}).get("set5_psnr_y")
            if not isinstance(recorded, (int, float)):
                problems.append("metadata has no training.set5_psnr_y")
            else:
                line += f", metadata {recorded:.3f} ({got - recorded:+.4f})"
                if abs(got - recorded) > METADATA_TOLERANCE:
                    problems.append(f"differs from its metadata {recorded:.3f} dB by "
                                    f"{got - recorded:+.4f} (> {METADATA_TOLERANCE})")
            # 3. GIMP's NoHalo on the same LR files
            ref = nohalo.get(str(scale))
            if not ref:
                problems.append(f"no GIMP NoHalo Set5 x{scale} figure in {a.gimp_scores}")
            else:
                margin = 0.0 if photo else NOHALO_MARGIN_CLEAN
                line += f", NoHalo {ref[0]:.3f} ({got - ref[0]:+.2f})"
                if got <= ref[0] + margin:
                    problems.append(f"not {margin:.1f} dB above GIMP NoHalo ({ref[0]:.3f} dB)")
            failures += bool(problems)
            print(f"{'FAIL' if problems else 'ok  '} {line}" +
                  (": " + "; ".join(problems) if problems else ""), flush=True)
    print(f"{failures} failure(s), {len(paths)} models "
          f"({time.monotonic() - t0:.0f} s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
