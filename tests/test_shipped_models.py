#!/usr/bin/python3
"""Regression test for the shipped models (models/*.srm).

  test_shipped_models.py --runner build/tests/sr-run-raw [--update]

Every shipped model must load, carry complete metadata, and reproduce the
figures stored in models/expected.json on a fixed crop of the bundled sample
image: its PSNR-Y against the original crop (within 0.01 dB) -- and beat
plain bicubic on it -- so a silently broken or swapped model cannot ship.
`--update` rewrites models/expected.json from the current files (run it when
a model is retrained, and look at the diff).

The photo models (imdn-photo-xS, issue #20) must also describe themselves as
"Photo ..." and, on a larger crop whose LR is re-encoded as JPEG quality 75
(the jpeg75 recipe of docs/eval-degraded.md), reproduce their stored PSNR-Y and
beat the clean model of their scale by the stored margin's sign.
"""
import argparse
import hashlib
import io
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
from PIL import Image

REPO = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
sys.path.insert(0, os.path.join(REPO, "models"))
from srtorch import modelfile, metrics  # noqa: E402

SHIPPED = ["imdn-x2", "imdn-x3", "imdn-x4", "ecbsr-x2", "ecbsr-x3", "ecbsr-x4",
           "imdn-photo-x2", "imdn-photo-x4"]
# photo model -> the clean model it must beat on JPEG input
PHOTO = {"imdn-photo-x2": "imdn-x2", "imdn-photo-x4": "imdn-x4"}
JPEG_CROP = (64, 40, 256, 232)  # 192 x 192 (LR 96 x 96 at x2, 48 x 48 at x4)
EXPECTED = os.path.join(REPO, "models", "expected.json")
SAMPLE = os.path.join(REPO, "docs", "sample", "chelsea.png")
REQUIRED_META = ["architecture", "scale", "channels", "blocks", "colour_space", "input_range",
                 "name", "description", "provenance", "licence", "training"]
CROP = (120, 60, 216, 156)  # 96 x 96: divisible by 2, 3 and 4
TOLERANCE_DB = 0.01


def run_raw(runner, path, lr, scale, tmp):
    h, w, _ = lr.shape
    src, dst = os.path.join(tmp, "in.f32"), os.path.join(tmp, "out.f32")
    (lr.astype(np.float32) / 255).astype("<f4").tofile(src)
    subprocess.run([runner, path, src, str(w), str(h), dst], check=True)
    sr = np.fromfile(dst, "<f4").reshape(h * scale, w * scale, 3)
    return np.round(np.clip(sr, 0, 1) * 255)


def jpeg75_crop_score(runner, path, scale, tmp):
    """PSNR-Y on JPEG_CROP when its bicubic LR is re-encoded as JPEG quality 75, 4:2:0."""
    hr = np.asarray(Image.open(SAMPLE).convert("RGB").crop(JPEG_CROP))
    lr = metrics.imresize(hr, 1 / scale)
    buf = io.BytesIO()
    Image.fromarray(lr).save(buf, "JPEG", quality=75, subsampling=2)
    lr = np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("RGB"))
    return metrics.psnr_y(run_raw(runner, path, lr, scale, tmp), hr.astype(np.float64), scale)


def crop_scores(runner, path, scale, tmp):
    hr = np.asarray(Image.open(SAMPLE).convert("RGB").crop(CROP), np.float64)
    lr = metrics.imresize(hr.astype(np.uint8), 1 / scale)
    h, w, _ = lr.shape
    src, dst = os.path.join(tmp, "in.f32"), os.path.join(tmp, "out.f32")
    (lr.astype(np.float32) / 255).astype("<f4").tofile(src)
    subprocess.run([runner, path, src, str(w), str(h), dst], check=True)
    sr = np.fromfile(dst, "<f4").reshape(h * scale, w * scale, 3)
    sr = np.round(np.clip(sr, 0, 1) * 255)
    bic = metrics.imresize(lr, scale).astype(np.float64)
    return metrics.psnr_y(sr, hr, scale), metrics.psnr_y(bic, hr, scale)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runner", required=True)
    ap.add_argument("--update", action="store_true")
    a = ap.parse_args()
    expected = json.load(open(EXPECTED)) if os.path.exists(EXPECTED) else {}
    present = [m for m in SHIPPED if os.path.exists(os.path.join(REPO, "models", m + ".srm"))]
    if not present:
        print("no shipped models yet: skipping")
        return 77
    failures, new = 0, {}
    with tempfile.TemporaryDirectory() as tmp:
        for model_id in present:
            path = os.path.join(REPO, "models", model_id + ".srm")
            meta, _ = modelfile.read(path)
            missing = [k for k in REQUIRED_META if k not in meta]
            sha = hashlib.sha256(open(path, "rb").read()).hexdigest()
            psnr, bicubic = crop_scores(a.runner, path, meta["scale"], tmp)
            new[model_id] = {"sha256": sha, "crop_psnr_y": round(psnr, 4),
                             "bicubic_psnr_y": round(bicubic, 4)}
            want = expected.get(model_id)
            problems = []
            if missing:
                problems.append(f"metadata lacks {missing}")
            if meta.get("licence", "").startswith("no licence"):
                problems.append("a shipped model must carry our own licence")
            if not a.update:
                if not want:
                    problems.append("not in models/expected.json (run with --update)")
                elif want["sha256"] != sha:
                    problems.append("file changed since models/expected.json (run with --update)")
                elif abs(want["crop_psnr_y"] - psnr) > TOLERANCE_DB:
                    problems.append(f"crop PSNR {psnr:.4f} != expected {want['crop_psnr_y']:.4f}")
            if psnr <= bicubic:
                problems.append(f"no better than bicubic ({psnr:.2f} <= {bicubic:.2f} dB)")
            if model_id in PHOTO:
                clean_path = os.path.join(REPO, "models", PHOTO[model_id] + ".srm")
                if not meta.get("description", "").startswith("Photo"):
                    problems.append("a photo model's description must start with 'Photo'")
                pj = jpeg75_crop_score(a.runner, path, meta["scale"], tmp)
                cj = jpeg75_crop_score(a.runner, clean_path, meta["scale"], tmp)
                new[model_id].update(jpeg75_crop_psnr_y=round(pj, 4),
                                     clean_jpeg75_crop_psnr_y=round(cj, 4))
                if want and not a.update and "jpeg75_crop_psnr_y" in want:
                    if abs(want["jpeg75_crop_psnr_y"] - pj) > TOLERANCE_DB:
                        problems.append(f"JPEG crop PSNR {pj:.4f} != expected "
                                        f"{want['jpeg75_crop_psnr_y']:.4f}")
                if pj <= cj:
                    problems.append(f"no better than {PHOTO[model_id]} on the JPEG crop "
                                    f"({pj:.2f} <= {cj:.2f} dB)")
                print(f"     {model_id} JPEG-75 crop PSNR-Y {pj:.3f} dB ({PHOTO[model_id]} {cj:.3f})")
            failures += bool(problems)
            print(f"{'FAIL' if problems else 'ok  '} {model_id:9s} crop PSNR-Y {psnr:.3f} dB "
                  f"(bicubic {bicubic:.3f}) {'; '.join(problems)}")
    if a.update:
        with open(EXPECTED, "w") as f:
            json.dump(new, f, indent=1, sort_keys=True)
            f.write("\n")
        print(f"wrote {EXPECTED}")
        return 0
    print(f"{len(present) - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
