#!/usr/bin/python3
"""Prints the models/README.md table rows for the shipped models.

  /usr/bin/python3 models/report.py [--cli build/tools/sr-upscale] [ID ...]

For each models/<id>.srm: parameters, multiply-adds per output pixel (the
core's own count), PSNR-Y / SSIM-Y on Set5, Set14 and B100 at its scale
(eval protocol, through the CLI), next to bicubic on the same LR files, GIMP's
NoHalo (models/gimp-scale-scores.json, from tools/eval-gimp-scale) and the
paper's figure for the same architecture where there is one.
"""
import argparse
import json
import os
import re
import subprocess
import sys

import numpy as np
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, HERE)
from srtorch import metrics, modelfile  # noqa: E402

SHARED = os.environ.get("SR_SHARED_DIR", os.path.join(REPO, "..", "shared"))
SETS = ["Set5", "Set14", "B100"]
# IMDN paper, Table (PSNR-Y, trained on DIV2K): Set5 / Set14 / B100.
PAPER = {("imdn", 2): (38.00, 33.63, 32.19), ("imdn", 3): (34.36, 30.32, 29.09),
         ("imdn", 4): (32.21, 28.58, 27.56)}


def bicubic(set_name, scale):
    root = os.path.join(SHARED, "data", "bench", set_name)
    scores = []
    for f in sorted(os.listdir(os.path.join(root, "HR"))):
        base = os.path.splitext(f)[0]
        lr = np.asarray(Image.open(os.path.join(root, "LR_bicubic", f"X{scale}", f"{base}x{scale}.png")).convert("RGB"))
        hr = np.asarray(Image.open(os.path.join(root, "HR", f)).convert("RGB"))
        hr = hr[:lr.shape[0] * scale, :lr.shape[1] * scale]
        scores.append(metrics.psnr_y(metrics.imresize(lr, scale), hr, scale))
    return float(np.mean(scores))


def evaluate(cli, path, set_name):
    r = subprocess.run([os.path.join(REPO, "tools", "eval-psnr"), "--cli", cli, "--model", path,
                        "--set", os.path.join(SHARED, "data", "bench", set_name), "--ssim", "--json"],
                       check=True, capture_output=True, text=True)
    d = json.loads(r.stdout)
    return d["psnr"], d["ssim"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", default=os.path.join(REPO, "build", "tools", "sr-upscale"))
    ap.add_argument("ids", nargs="*", help="only these models (default: all six)")
    a = ap.parse_args()
    listing = subprocess.run([a.cli, "--list-models"], capture_output=True, text=True,
                             env=dict(os.environ, SR_MODEL_PATH=HERE)).stdout
    # GIMP's own NoHalo on the same LR files (tools/eval-gimp-scale --json).
    gimp_json = os.path.join(HERE, "gimp-scale-scores.json")
    nohalo = json.load(open(gimp_json))["nohalo"] if os.path.exists(gimp_json) else {}
    print("| model | params | MACs/out px | Set5 | Set14 | B100 | bicubic | GIMP NoHalo "
          "| paper (same arch.) | steps (CPU hours) |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for mid in a.ids or ["imdn-x2", "imdn-x3", "imdn-x4", "ecbsr-x2", "ecbsr-x3", "ecbsr-x4"]:
        path = os.path.join(HERE, mid + ".srm")
        if not os.path.exists(path):
            continue
        meta, _ = modelfile.read(path)
        s = meta["scale"]
        line = next(l for l in listing.splitlines() if l.split()[:1] == [mid])
        params = float(re.search(r"([\d.]+)k params", line).group(1))
        macs = float(re.search(r"([\d.]+) kMAC/px", line).group(1)) * 1000 / (s * s)
        scores = [evaluate(a.cli, path, n) for n in SETS]
        bic = [bicubic(n, s) for n in SETS]
        paper = PAPER.get((meta["architecture"], s))
        training = meta.get("training", {})
        steps = f"{training.get('steps', '?'):,} ({training.get('hours', 0):.1f} h)"
        gimp = [nohalo.get(n, {}).get(str(s)) for n in SETS]
        print(f"| `{mid}` | {params:.0f}k | {macs / 1000:.1f}k | "
              + " | ".join(f"{p:.2f} / {q:.4f}" for p, q in scores)
              + f" | {' / '.join(f'{b:.2f}' for b in bic)} | "
              + (" / ".join(f"{g[0]:.2f}" for g in gimp) if all(gimp) else "—") + " | "
              + (" / ".join(f"{p:.2f}" for p in paper) if paper else "—") + f" | {steps} |")


if __name__ == "__main__":
    main()
