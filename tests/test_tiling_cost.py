#!/usr/bin/python3
"""What tiling costs the non-local networks, bounded (issue #24 item 6).

  test_tiling_cost.py --runner build/tests/sr-run-raw

IMDN's channel attention (whole-map mean + std) and RFDN's ESA (pooled far
beyond any halo) see only their tile, so tiled output is not the whole-image
output; docs/tiling.md measured the cost with tools/tiling-cost and promises
it stays within 0.02 dB.  Here, on the three largest Set14 images at x4
(barbara, monarch, ppt3: LR 180x144, 192x128, 132x164), PSNR-Y by
../shared/docs/eval-protocol.md (output clamped, rounded to 8 bits, s pixels
shaved) of

  * the shipped imdn-x4 (models/), and RFDN_AIM (the official checkpoint,
    converted; left out when ../shared lacks it),

at the default tile size, and at the default tile size for a 55 MiB memory
budget (SR_TILE_BUDGET_MB=55: the automatic tile is then 139 LR pixels for
IMDN, 64 for RFDN, so these images are cut into 2 to 9 tiles, as a
photo of a few megapixels is at the shipped budget) must each lose at most
0.02 dB against the same model run as one whole-image tile (a gain, which
local statistics sometimes give, is printed, not bounded).  The budget-limited
run must really be tiled (its output differs from the whole-image one),
else the bound would be checked on nothing.

Runs the core through sr-run-raw (raw float32, no image files).  Skips
(exit 77) without Set14 or without imdn-x4.srm; RFDN also needs PyTorch
(the converter).
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
from PIL import Image

REPO = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
SHARED = os.environ.get("SR_SHARED_DIR") or os.path.join(REPO, "..", "shared")
SET14 = os.path.join(SHARED, "data", "bench", "Set14")
RFDN = os.path.join(SHARED, "models", "official", "RFDN_AIM.pth")
sys.path.insert(0, os.path.join(REPO, "models"))
from srtorch import metrics  # noqa: E402

SCALE = 4
IMAGES = ["barbara", "monarch", "ppt3"]
BOUND_DB = 0.02
WHOLE = "65536"          # a tile larger than any image: one tile
SMALL_BUDGET_MB = "55"
CONFIGS = [("default tile", {}),
           (f"default tile, {SMALL_BUDGET_MB} MiB budget", {"SR_TILE_BUDGET_MB": SMALL_BUDGET_MB})]


def run(runner, model, lr, tmp, env_extra):
    h, w, _ = lr.shape
    src, dst = os.path.join(tmp, "in.f32"), os.path.join(tmp, "out.f32")
    (lr.astype(np.float32) / 255).astype("<f4").tofile(src)
    env = {k: v for k, v in os.environ.items() if k not in ("SR_TILE", "SR_TILE_BUDGET_MB")}
    env.update(env_extra)
    r = subprocess.run([runner, model, src, str(w), str(h), dst], env=env,
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"sr-run-raw failed (exit {r.returncode}): {r.stderr.strip()}")
    out = np.fromfile(dst, "<f4").reshape(h * SCALE, w * SCALE, 3)
    return np.floor(np.clip(out, 0, 1) * 255 + 0.5)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runner", required=True, help="tests/sr-run-raw")
    ap.add_argument("--models", default=os.path.join(REPO, "models"))
    a = ap.parse_args()
    imdn = os.path.join(a.models, "imdn-x4.srm")
    if not os.path.isdir(os.path.join(SET14, "HR")) or not os.path.exists(imdn):
        print(f"skipping: needs {SET14} and {imdn}")
        return 77
    pairs = []
    for name in IMAGES:
        lr = np.asarray(Image.open(os.path.join(SET14, "LR_bicubic", f"X{SCALE}",
                                                f"{name}x{SCALE}.png")).convert("RGB"))
        hr = np.asarray(Image.open(os.path.join(SET14, "HR", name + ".png")).convert("RGB"))
        pairs.append((name, lr, hr[:lr.shape[0] * SCALE, :lr.shape[1] * SCALE]))
    t0 = time.monotonic()
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        models = [("imdn-x4 (shipped)", imdn)]
        if os.path.exists(RFDN):
            rfdn = os.path.join(tmp, "rfdn.srm")
            r = subprocess.run([sys.executable, os.path.join(REPO, "tools", "convert-checkpoint"),
                                "--arch", "rfdn", "--scale", "4", "--range", "255", RFDN, rfdn],
                               capture_output=True, text=True)
            if r.returncode == 0:
                models.append(("RFDN_AIM (official)", rfdn))
            else:
                print(f"note: RFDN left out, the converter failed: {r.stderr.strip()[-300:]}")
        else:
            print(f"note: RFDN left out: no {RFDN}")
        for label, path in models:
            whole = [run(a.runner, path, lr, tmp, {"SR_TILE": WHOLE}) for _, lr, _ in pairs]
            ref = np.mean([metrics.psnr_y(sr, hr, SCALE) for sr, (_, _, hr) in zip(whole, pairs)])
            print(f"     {label}: whole image {ref:.4f} dB", flush=True)
            for cname, env in CONFIGS:
                outs = [run(a.runner, path, lr, tmp, env) for _, lr, _ in pairs]
                got = np.mean([metrics.psnr_y(sr, hr, SCALE) for sr, (_, _, hr) in zip(outs, pairs)])
                changed = sum(int(np.count_nonzero(o != w)) for o, w in zip(outs, whole))
                problems = []
                if ref - got > BOUND_DB:
                    problems.append(f"costs {ref - got:.4f} dB (bound {BOUND_DB})")
                if env and not changed:
                    problems.append("output equals the whole-image one: not tiled, nothing checked")
                failures += bool(problems)
                print(f"{'FAIL' if problems else 'ok  '} {label}, {cname}: {got:.4f} dB "
                      f"({got - ref:+.4f}; {changed} output values differ from the whole image)"
                      + (": " + "; ".join(problems) if problems else ""), flush=True)
    print(f"{'FAIL' if failures else 'ok'} ({time.monotonic() - t0:.0f} s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
