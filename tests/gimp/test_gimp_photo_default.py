#!/usr/bin/python3
"""The photo model as the default for images loaded from a JPEG (issue #20),
in gimp-console-2.10 (no display), non-interactive runs with model "".

  (a) a 1280 x 768 photo collage (Set14 barbara + monarch) saved as JPEG
      quality 60, loaded with file-jpeg-load (which attaches the
      "jpeg-settings" parasite), x4 on 2 threads: the new layer's
      "gimp-sr-model" parasite is imdn-photo-x4 and its pixels equal
      `sr-upscale -m imdn-photo-x4` on the pixels GIMP decoded (saved as
      PNG by GIMP);
  (b) a 320 x 240 crop of those pixels as a PNG, loaded with file-png-load
      (no parasite, not a .jpg): the clean default imdn-x4, pixels equal to
      `sr-upscale -m imdn-x4` on it and different from -m imdn-photo-x4;
  (c) how the origin is found, on a small crop: a JPEG opened with
      gimp-file-load (as File > Open does) whose parasite a script removed
      still counts (its imported file is a .jpg); a PNG
      carrying the parasite counts; at x3 (no photo model ships) a JPEG gets
      the clean imdn-x3; x2 gets imdn-photo-x2; a named model always wins.

Exit status 77 (skipped) without gimp-console-2.10, numpy or Pillow.
"""
import argparse
import os
import shutil
import subprocess
import sys

import gimp_test_lib as lib

# tests/photo_collage.py, shared with the CLI and GIMP 3 tests.
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.realpath(__file__))))

HELPERS = r'''
(define (report-model prefix layer)
  (report (string-append prefix ".model")
          (let ((p (catch #f (gimp-item-get-parasite layer "gimp-sr-model"))))
            (if (pair? p) (caddr (car p)) "<none>"))))
; Runs the plug-in on @image's layer with @model at @scale (2 threads) and
; reports the new layer's model under @prefix; returns the layer or #f.
(define (sr prefix image model scale)
  (set! sr-last-error "")
  (let* ((layer (car (gimp-image-get-active-layer image)))
         (result (catch #f (plug-in-super-resolution RUN-NONINTERACTIVE image layer model scale
                                                     0 2 0 FALSE FALSE))))
    (report (string-append prefix ".message") sr-last-error)
    (if result (begin (report-model prefix (car result)) (car result)) #f)))
'''


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--plugin", required=True)
    p.add_argument("--cli", required=True, help="sr-upscale, the reference")
    p.add_argument("--models-dir", required=True, help="the shipped models (models/)")
    p.add_argument("--shared", required=True)
    p.add_argument("--workdir", required=True)
    p.add_argument("--models-py", default="", help="unused; accepted like the other GIMP tests")
    return p.parse_args()


def script(jpeg, small, out):
    s = lambda name: lib.scheme_string(os.path.join(out, name))  # noqa: E731
    return HELPERS + f'''
; (a) the JPEG: decoded pixels saved for the CLI, then the default model.
(define a-image (car (file-jpeg-load RUN-NONINTERACTIVE {lib.scheme_string(jpeg)} "photo.jpg")))
(define a-source (car (gimp-image-get-active-layer a-image)))
(report "a.parasite" (if (pair? (catch #f (gimp-image-get-parasite a-image "jpeg-settings"))) 1 0))
(save-layer a-image a-source {s("decoded.png")})
(define crop-image (car (gimp-image-duplicate a-image)))
(gimp-image-crop crop-image 320 240 100 100)
(save-layer crop-image (car (gimp-image-get-active-layer crop-image)) {s("crop.png")})
(let ((layer (sr "a" a-image "" 4.0)))
  (if layer (save-layer a-image layer {s("a.png")})))

; (b) the same pixels from a PNG.
(define b-image (car (file-png-load RUN-NONINTERACTIVE {s("crop.png")} "crop.png")))
(let ((layer (sr "b" b-image "" 4.0)))
  (if layer (save-layer b-image layer {s("b.png")})))

; (c) the origin, the scale without a photo model, a named model.
(define (small-jpeg) (car (file-jpeg-load RUN-NONINTERACTIVE {lib.scheme_string(small)} "small.jpg")))
(define c-image (car (gimp-file-load RUN-NONINTERACTIVE {lib.scheme_string(small)} "small.jpg")))
(gimp-image-detach-parasite c-image "jpeg-settings")
(report "c.parasite" (if (pair? (catch #f (gimp-image-get-parasite c-image "jpeg-settings"))) 1 0))
(sr "c-name" c-image "" 4.0)
(define p-image (car (file-png-load RUN-NONINTERACTIVE {s("crop.png")} "crop.png")))
(gimp-image-crop p-image 96 64 0 0)
(gimp-image-attach-parasite p-image '("jpeg-settings" 1 "q"))
(sr "c-parasite" p-image "" 4.0)
(sr "c-x3" (small-jpeg) "" 3.0)
(sr "c-x2" (small-jpeg) "" 2.0)
(sr "c-named" (small-jpeg) "imdn-x4" 4.0)
(report "done" 1)
'''


def main():
    args = parse_args()
    lib.need_gimp()
    lib.need_numpy()
    import numpy as np
    from PIL import Image
    from photo_collage import collage
    for m in ("imdn-photo-x4", "imdn-photo-x2", "imdn-x4", "imdn-x3"):
        if not os.path.exists(os.path.join(args.models_dir, m + ".srm")):
            lib.skip(f"{m}.srm is not in {args.models_dir}")

    shutil.rmtree(args.workdir, ignore_errors=True)
    out = os.path.join(args.workdir, "out")
    os.makedirs(out)
    profile = lib.make_profile(args.workdir, args.plugin)
    jpeg, small = os.path.join(out, "photo.jpg"), os.path.join(out, "small.jpg")
    collage(args.shared, jpeg, small)
    c = lib.Checker()

    def load(name):
        return np.asarray(Image.open(os.path.join(out, name)).convert("RGB")).astype(int)

    def cli(model, source, name):
        subprocess.run([args.cli, "-t", "2", "-m", model, os.path.join(out, source),
                        os.path.join(out, name)], check=True)
        return load(name)

    def same(what, ours, ref):
        ok = ours.shape == ref.shape and (ours == ref).all()
        diff = int(np.abs(ours - ref).max()) if ours.shape == ref.shape else f"{ours.shape} vs {ref.shape}"
        return c.check(ok, f"{what} (max diff {diff})")

    log = os.path.join(args.workdir, "gimp.log")
    r, _ = lib.run_batch(profile, script(jpeg, small, out), timeout=1500, log=log,
                         env_extra={"SR_MODEL_PATH": args.models_dir})
    c.equal(r, "done", 1)
    c.equal(r, "a.parasite", 1)
    c.equal(r, "a.model", "imdn-photo-x4")
    c.equal(r, "b.model", "imdn-x4")
    if os.path.exists(os.path.join(out, "decoded.png")) and os.path.exists(os.path.join(out, "a.png")):
        photo = cli("imdn-photo-x4", "decoded.png", "cli-photo.png")
        c.check(photo.shape == (768 * 4, 1280 * 4, 3), f"reference size {photo.shape}")
        same("(a) JPEG, model \"\": equals sr-upscale -m imdn-photo-x4", load("a.png"), photo)
    if os.path.exists(os.path.join(out, "crop.png")) and os.path.exists(os.path.join(out, "b.png")):
        clean = cli("imdn-x4", "crop.png", "cli-crop-clean.png")
        photo = cli("imdn-photo-x4", "crop.png", "cli-crop-photo.png")
        same("(b) PNG, model \"\": equals sr-upscale -m imdn-x4", load("b.png"), clean)
        c.check(np.abs(photo - clean).mean() > 0.5,
                f"(b) the photo and clean models differ on it (mean |diff| {np.abs(photo - clean).mean():.2f})")
    c.equal(r, "c.parasite", 0)
    c.equal(r, "c-name.model", "imdn-photo-x4")
    c.equal(r, "c-parasite.model", "imdn-photo-x4")
    c.equal(r, "c-x3.model", "imdn-x3")
    c.equal(r, "c-x2.model", "imdn-photo-x2")
    c.equal(r, "c-named.model", "imdn-x4")
    lib.finish_with_log(c, log)


if __name__ == "__main__":
    main()
