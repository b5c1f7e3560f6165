#!/usr/bin/python3
"""Output "replace the layer", "selection only" and the layer name, in
gimp-console-2.10 (no display).  The references are independent of the
plug-in: the CLI (sr-upscale) on the same crop, numbers worked out by hand
from GIMP's rounding of Image > Scale Image (edges at round(f * x)), and
GIMP's own Image > Scale Image for what the network does not touch.

  (a) replace (output 2) at x2.5 on a 100 x 80 layer at (30, 40) of a
      256 x 256 photo, with opacity 60, multiply mode, hidden: the same
      layer (ID, name, opacity, mode, visibility, layer count) now at
      (75, 100), 250 x 200, on a 640 x 640 canvas, pixels equal to the CLI
      on that crop; a layer with a mask keeps it, scaled with the layer;
  (b) selection only, new layer: an ellipse (non-rectangular) at
      (50, 60) 90 x 70 -> a new layer at (125, 150), 225 x 175 (by hand:
      round(2.5 * 140) - 125 = 225, round(2.5 * 130) - 150 = 175), pixels
      equal to the CLI on the 90 x 70 bounding box;
  (c) a selection partly outside the layer (image (0, 0) 60 x 70 over the
      layer at (30, 40)): only the 30 x 30 part inside the layer, as a new
      image of 75 x 75, equal to the CLI on that crop; a selection that
      misses the layer: an error that says so, the image unchanged;
  (d) replace + selection only: the box (20, 30) 50 x 40 of the layer is
      the network's (equal to the CLI), the rest equals GIMP's own scale of
      the same image;
  (e) selection only with no selection, and a selection with selection
      only off: the whole layer;
  (f) replace on a layer group or a layer with locked pixels: refused with
      a message before anything changes;
  the new layer's name is "SR ×2.5 · <source>" and its "gimp-sr-model"
  parasite names the model.

Exit status 77 (skipped) without gimp-console-2.10, numpy or Pillow.
"""
import argparse
import os
import shutil
import subprocess

import gimp_test_lib as lib

MODEL = "ecbsr-x2"
SCALE = 2.5

HELPERS = r'''
(define (report-model prefix layer)
  (report (string-append prefix ".model")
          (let ((p (catch #f (gimp-item-get-parasite layer "gimp-sr-model"))))
            (if (pair? p) (caddr (car p)) "<none>"))))
(define (report-look prefix layer)
  (report (string-append prefix ".opacity") (car (gimp-layer-get-opacity layer)))
  (report (string-append prefix ".mode") (car (gimp-layer-get-mode layer)))
  (report (string-append prefix ".id") layer))
; A layer "Top": the photo's 100 x 80 crop at (30, 40), at (30, 40).
(define (add-top image background)
  (let ((top (car (gimp-layer-new-from-drawable background image))))
    (gimp-image-insert-layer image top 0 0)
    (gimp-item-set-name top "Top")
    (gimp-layer-resize top 100 80 -30 -40)
    top))
(define (sr image layer output selection-only)
  (plug-in-super-resolution RUN-NONINTERACTIVE image layer MODEL-PATH 2.5 0 2 output FALSE
                            selection-only))
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


def script(photo, model, out):
    s = lambda name: lib.scheme_string(os.path.join(out, name))  # noqa: E731
    return HELPERS.replace("MODEL-PATH", lib.scheme_string(model)) + f'''
; (a) replace
(define a-image (car (gimp-file-load RUN-NONINTERACTIVE {lib.scheme_string(photo)} "in")))
(define a-top (add-top a-image (car (gimp-image-get-active-layer a-image))))
(gimp-layer-set-opacity a-top 60)
(gimp-layer-set-mode a-top LAYER-MODE-MULTIPLY)
(gimp-item-set-visible a-top FALSE)
(report-look "a.before" a-top)
(define a-result (sr a-image a-top 2 FALSE))
(report-image "a.image" a-image)
(report "a.returned" (car a-result))
(report "a.returned-image" (cadr a-result))
(report "a.image-id" a-image)
(report-layer "a.top" a-top)
(report-look "a.top" a-top)
(report-model "a.top" a-top)
(report "a.position" (car (gimp-image-get-item-position a-image a-top)))
(save-layer a-image a-top {s("a.png")})

; (a) with a mask: kept, scaled with the layer
(define m-image (car (gimp-file-load RUN-NONINTERACTIVE {lib.scheme_string(photo)} "in")))
(define m-top (add-top m-image (car (gimp-image-get-active-layer m-image))))
(gimp-layer-add-mask m-top (car (gimp-layer-create-mask m-top ADD-MASK-WHITE)))
(sr m-image m-top 2 FALSE)
(define m-mask (car (gimp-layer-get-mask m-top)))
(report "m.has-mask" (if (= m-mask -1) 0 1))
(if (not (= m-mask -1))
    (begin (report "m.mask.width" (car (gimp-drawable-width m-mask)))
           (report "m.mask.height" (car (gimp-drawable-height m-mask)))))
(report-layer "m.top" m-top)

; (b) selection only, an ellipse, new layer
(define b-image (car (gimp-file-load RUN-NONINTERACTIVE {lib.scheme_string(photo)} "in")))
(define b-source (car (gimp-image-get-active-layer b-image)))
(gimp-image-select-ellipse b-image CHANNEL-OP-REPLACE 50 60 90 70)
(define b-new (car (sr b-image b-source 0 TRUE)))
(report-image "b.image" b-image)
(report-layer "b.new" b-new)
(report-model "b.new" b-new)
(report-layer "b.source" b-source)
(save-layer b-image b-new {s("b.png")})

; (c) a selection partly outside the layer, new image
(define c-image (car (gimp-file-load RUN-NONINTERACTIVE {lib.scheme_string(photo)} "in")))
(define c-top (add-top c-image (car (gimp-image-get-active-layer c-image))))
(gimp-image-select-rectangle c-image CHANNEL-OP-REPLACE 0 0 60 70)
(define c-result (sr c-image c-top 1 TRUE))
(report-image "c.new-image" (cadr c-result))
(report-layer "c.new" (car c-result))
(save-layer (cadr c-result) (car c-result) {s("c.png")})
; ... and one that misses the layer: an error, nothing changed
(gimp-image-select-rectangle c-image CHANNEL-OP-REPLACE 200 200 30 30)
(gimp-image-clean-all c-image)
(set! sr-last-error "")
(report "miss.result" (if (catch #f (sr c-image c-top 0 TRUE)) "succeeded" "failed"))
(report "miss.message" sr-last-error)
(report-image "miss.image" c-image)

; (d) replace + selection only; the reference is GIMP's own scale of a copy
(define d-image (car (gimp-file-load RUN-NONINTERACTIVE {lib.scheme_string(photo)} "in")))
(define d-source (car (gimp-image-get-active-layer d-image)))
(define d-copy (car (gimp-image-duplicate d-image)))
(gimp-image-scale d-copy 640 640)
(save-layer d-copy (car (gimp-image-get-active-layer d-copy)) {s("d-gimp.png")})
(gimp-image-select-rectangle d-image CHANNEL-OP-REPLACE 20 30 50 40)
(sr d-image d-source 2 TRUE)
(report-image "d.image" d-image)
(report-layer "d.source" d-source)
(save-layer d-image d-source {s("d.png")})

; (e) the whole layer: selection only without a selection, and a selection
; with selection only off
(define e-image (car (gimp-file-load RUN-NONINTERACTIVE {lib.scheme_string(photo)} "in")))
(gimp-selection-none e-image)
(report-layer "e1.new" (car (sr e-image (car (gimp-image-get-active-layer e-image)) 1 TRUE)))
(gimp-image-select-rectangle e-image CHANNEL-OP-REPLACE 20 30 50 40)
(report-layer "e2.new" (car (sr e-image (car (gimp-image-get-active-layer e-image)) 1 FALSE)))

; (f) replace refused up front for a layer group and for locked pixels
(define f-image (car (gimp-file-load RUN-NONINTERACTIVE {lib.scheme_string(photo)} "in")))
(define f-layer (car (gimp-image-get-active-layer f-image)))
(define f-group (car (gimp-layer-group-new f-image)))
(gimp-image-insert-layer f-image f-group 0 0)
(gimp-item-set-lock-content f-layer TRUE)
(gimp-image-clean-all f-image)
(set! sr-last-error "")
(report "group.result" (if (catch #f (sr f-image f-group 2 FALSE)) "succeeded" "failed"))
(report "group.message" sr-last-error)
(set! sr-last-error "")
(report "locked.result" (if (catch #f (sr f-image f-layer 2 FALSE)) "succeeded" "failed"))
(report "locked.message" sr-last-error)
(report-image "refused.image" f-image)
(report "done" 1)
'''


def main():
    args = parse_args()
    lib.need_gimp()
    lib.need_numpy()
    import numpy as np
    from PIL import Image

    shutil.rmtree(args.workdir, ignore_errors=True)
    out = os.path.join(args.workdir, "out")
    os.makedirs(out)
    profile = lib.make_profile(args.workdir, args.plugin)
    photo = os.path.join(args.shared, "data", "bench", "Set5", "HR", "butterfly.png")
    model = os.path.join(args.models_dir, MODEL + ".srm")
    c = lib.Checker()

    def load(name):
        return np.asarray(Image.open(os.path.join(out, name)).convert("RGB")).astype(int)

    def cli(key, box):
        """The CLI on the photo's crop @box = (x, y, w, h): the reference."""
        x, y, w, h = box
        crop, result = os.path.join(out, f"{key}-crop.png"), os.path.join(out, f"{key}-cli.png")
        Image.open(photo).convert("RGB").crop((x, y, x + w, y + h)).save(crop)
        subprocess.run([args.cli, "-m", model, "-s", str(SCALE), crop, result], check=True)
        return load(result)

    def same(what, ours, ref):
        ok = ours.shape == ref.shape and (ours == ref).all()
        diff = int(np.abs(ours - ref).max()) if ours.shape == ref.shape else f"{ours.shape} vs {ref.shape}"
        return c.check(ok, f"{what} (max diff {diff})")

    log = os.path.join(args.workdir, "gimp.log")
    r, _ = lib.run_batch(profile, script(photo, model, out), timeout=1200, log=log)
    c.equal(r, "done", 1)

    # (a) the same layer, grown as Image > Scale Image grows it.
    for k, v in (("width", 640), ("height", 640), ("layers", 2)):
        c.equal(r, f"a.image.{k}", v)
    for k, v in (("x", 75), ("y", 100), ("width", 250), ("height", 200), ("name", "Top"),
                 ("visible", 0)):
        c.equal(r, f"a.top.{k}", v)
    for k in ("opacity", "mode", "id"):
        c.equal(r, f"a.top.{k}", r.get(f"a.before.{k}", ["?"])[-1])
    c.equal(r, "a.returned", r.get("a.before.id", ["?"])[-1])
    c.equal(r, "a.returned-image", r.get("a.image-id", ["?"])[-1])
    c.equal(r, "a.position", 0)
    c.equal(r, "a.top.model", MODEL)
    if os.path.exists(os.path.join(out, "a.png")):
        same("(a) replaced layer equals the CLI on its crop", load("a.png"), cli("a", (30, 40, 100, 80)))
    c.equal(r, "m.has-mask", 1)
    c.equal(r, "m.mask.width", 250)
    c.equal(r, "m.mask.height", 200)
    c.equal(r, "m.top.width", 250)

    # (b) the ellipse's bounding box, where it lies in the scaled image.
    for k, v in (("width", 640), ("height", 640), ("layers", 2)):
        c.equal(r, f"b.image.{k}", v)
    for k, v in (("x", 125), ("y", 150), ("width", 225), ("height", 175),
                 ("name", "SR ×2.5 · Background")):
        c.equal(r, f"b.new.{k}", v)
    c.equal(r, "b.new.model", MODEL)
    c.equal(r, "b.source.width", 640)
    if os.path.exists(os.path.join(out, "b.png")):
        same("(b) selection's box equals the CLI on that crop", load("b.png"), cli("b", (50, 60, 90, 70)))

    # (c) the part of the selection inside the layer only.
    for k, v in (("width", 75), ("height", 75), ("layers", 1)):
        c.equal(r, f"c.new-image.{k}", v)
    c.equal(r, "c.new.name", "SR ×2.5 · Top")
    if os.path.exists(os.path.join(out, "c.png")):
        same("(c) clipped box equals the CLI on that crop", load("c.png"), cli("c", (30, 40, 30, 30)))
    c.equal(r, "miss.result", "failed")
    c.contains(r, "miss.message", "selection does not touch this layer")
    for k, v in (("width", 256), ("height", 256), ("layers", 2), ("dirty", 0)):
        c.equal(r, f"miss.image.{k}", v)

    # (d) the network's box inside GIMP's scale of the rest.
    c.equal(r, "d.image.layers", 1)
    c.equal(r, "d.source.width", 640)
    if os.path.exists(os.path.join(out, "d.png")) and os.path.exists(os.path.join(out, "d-gimp.png")):
        got, gimp = load("d.png"), load("d-gimp.png")
        box = cli("d", (20, 30, 50, 40))   # lands at (50, 75), 125 x 100
        same("(d) the box is the CLI's", got[75:175, 50:175], box)
        outside = np.ones(got.shape[:2], bool)
        outside[75:175, 50:175] = False
        c.check(got.shape == gimp.shape and (got[outside] == gimp[outside]).all(),
                "(d) outside the box: GIMP's own Image > Scale Image")

    # (e) the whole layer.
    for k in ("e1", "e2"):
        c.equal(r, f"{k}.new.width", 640)
        c.equal(r, f"{k}.new.height", 640)

    # (f) refused before anything changes.
    c.equal(r, "group.result", "failed")
    c.contains(r, "group.message", "A layer group cannot be replaced")
    c.equal(r, "locked.result", "failed")
    c.contains(r, "locked.message", "pixels are locked")
    for k, v in (("width", 256), ("layers", 2), ("dirty", 0)):
        c.equal(r, f"refused.image.{k}", v)
    lib.finish_with_log(c, log)


if __name__ == "__main__":
    main()
