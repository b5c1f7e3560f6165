#!/usr/bin/python3
"""End-to-end test of plug-in-super-resolution in gimp-console (no display).

  (a) Set5 images x4 as a new layer: canvas, layer size, name, position, and
      pixels equal to the CLI's output for the same model;
  (b) an RGBA layer with offsets and transparency (no dark fringe, alpha kept,
      offsets scaled, other layers untouched), an opaque RGBA layer (stays
      opaque), a grey image (luma through the network, averaged back), a
      16-bit ramp with 768 levels (a 16-bit layer whose every pixel is the
      box-blur model's output to 2/65535, computed here in numpy) and a
      32-bit float ramp off the 16-bit grid (a float layer, sampled pixels to
      5e-7), output to a new image;
  (c) bad arguments (unknown model, scale 0 and 9, output 3, tile size 7,
      selection-only 2, indexed image): a PDB error with a clear message, and the image left
      unchanged;
  (e) any scale and TTA: Set5 images x2.5 (canvas and layer round(w 2.5) x
      round(h 2.5), pixels equal to `sr-upscale -s 2.5`), x6 (the model's
      output enlarged), a same-size model at x1 and x3.7, TTA at x4 and x2.5
      (equal to `sr-upscale --tta`), an RGBA layer with offsets at x2.5 (the
      new layer covers the scaled source exactly, alpha at the same size),
      and the default model for x2.5 (the x3 one).
Undo (d) and the dialog need a display: test_gimp_undo.py, test_gimp_dialog.py.

Exit status 77 (skipped) without gimp-console-2.10, numpy or Pillow.
"""
import argparse
import glob
import os
import subprocess
import sys

import gimp_test_lib as lib

SCALE = 4
DEEP_W, DEEP_H = 32, 24     # the 16-bit / float ramp: 768 levels

# tests/png16.py: Pillow reads 16-bit RGB PNGs as 8-bit.
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.realpath(__file__))))


# Scheme shared by the scripts below (run after the library's prelude).
HELPERS = r'''
; The RGBA test layer: 24x20 at (5, 7) on top of @image, fully transparent
; black except a 10x8 orange block at image (11, 13).
(define (add-shape-layer image)
  (let ((shape (car (gimp-layer-new image 24 20 RGBA-IMAGE "Shape" 100 LAYER-MODE-NORMAL))))
    (gimp-image-insert-layer image shape 0 0)
    (gimp-layer-set-offsets shape 5 7)
    (gimp-drawable-fill shape FILL-TRANSPARENT)
    (gimp-image-select-rectangle image CHANNEL-OP-REPLACE 11 13 10 8)
    (gimp-context-set-foreground '(200 60 30))
    (gimp-drawable-edit-fill shape FILL-FOREGROUND)
    (gimp-selection-none image)
    shape))
; The id of the model that made @layer: the plug-in's "gimp-sr-model"
; parasite (its data is the id and a NUL, which gimp-message drops).
(define (report-model prefix layer)
  (report (string-append prefix ".model")
          (let ((p (catch #f (gimp-item-get-parasite layer "gimp-sr-model"))))
            (if (pair? p) (caddr (car p)) "<none>"))))
 of the same size at every @step-th
; row and column: (pixels that differ, samples of @a at 0, at 255).
(define (mask-compare a b step)
  (let ((w (car (gimp-drawable-width a))) (h (car (gimp-drawable-height a)))
        (differ 0) (zeros 0) (full 0))
    (do ((y 0 (+ y step))) ((>= y h))
      (do ((x 0 (+ x step))) ((>= x w))
        (let ((va (vector-ref (cadr (gimp-drawable-get-pixel a x y)) 0))
              (vb (vector-ref (cadr (gimp-drawable-get-pixel b x y)) 0)))
          (if (not (= va vb)) (set! differ (+ differ 1)))
          (if (= va 0) (set! zeros (+ zeros 1)))
          (if (= va 255) (set! full (+ full 1))))))
    (list differ zeros full)))
'''


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--plugin", required=True, help="the built plug-in executable")
    p.add_argument("--cli", default="", help="sr-upscale, for the pixel comparison")
    p.add_argument("--model", default="", help="model for (a); generated when missing")
    p.add_argument("--models-py", required=True, help="models/srtorch (modelfile.py)")
    p.add_argument("--shared", required=True, help="the shared folder holding data/bench")
    p.add_argument("--workdir", required=True)
    return p.parse_args()


def make_models(args):
    out = os.path.join(args.workdir, "models")
    subprocess.run([sys.executable, os.path.join(os.path.dirname(__file__), "make_test_models.py"),
                    args.models_py, out], check=True)
    model = args.model if args.model and os.path.isfile(args.model) else os.path.join(out, "tiny-x4.srm")
    return model, os.path.join(out, "blur-x4.srm"), os.path.join(out, "tiny-as.srm")


def script_set5(images, model, out_dir):
    s = []
    for i, path in enumerate(images):
        out = os.path.join(out_dir, f"set5-{i}.png")
        s.append(f'''
(let* ((image (car (gimp-file-load RUN-NONINTERACTIVE {lib.scheme_string(path)} "in")))
       (source (car (gimp-image-get-active-layer image)))
       (layer (car (plug-in-super-resolution RUN-NONINTERACTIVE image source
                     {lib.scheme_string(model)} {SCALE} 0 0 0 FALSE FALSE))))
  (report-image "set5-{i}.image" image)
  (report-layer "set5-{i}.new" layer)
  (report-model "set5-{i}.new" layer)
  (report-layer "set5-{i}.source" source)
  (report "set5-{i}.new.position" (car (gimp-image-get-item-position image layer)))
  (report "set5-{i}.source.position" (car (gimp-image-get-item-position image source)))
  (save-layer image layer {lib.scheme_string(out)}))''')
    return "".join(s)


def script_rgba(blur, out_dir):
    holes = os.path.join(out_dir, "rgba-holes.png")
    opaque = os.path.join(out_dir, "rgba-opaque.png")
    return f'''
; A white background (hidden) under a 24x20 RGBA layer at (5, 7): fully
; transparent black except a 10x8 orange block.
(let* ((image (car (gimp-image-new 40 30 RGB)))
       (back (car (gimp-layer-new image 40 30 RGB-IMAGE "Back" 100 LAYER-MODE-NORMAL)))
       (shape 0))
  (gimp-image-insert-layer image back 0 0)
  (gimp-drawable-fill back FILL-WHITE)
  (set! shape (add-shape-layer image))
  (gimp-item-set-visible back FALSE)
  (let ((layer (car (plug-in-super-resolution RUN-NONINTERACTIVE image shape
                      {lib.scheme_string(blur)} {SCALE} 0 0 0 FALSE FALSE))))
    (report-image "rgba.image" image)
    (report-layer "rgba.new" layer)
    (report-layer "rgba.shape" shape)
    (report-layer "rgba.back" back)
    (report "rgba.new.position" (car (gimp-image-get-item-position image layer)))
    (save-layer image layer {lib.scheme_string(holes)})))

; The same layer fully opaque must come out fully opaque.
(let* ((image (car (gimp-image-new 20 16 RGB)))
       (shape (car (gimp-layer-new image 20 16 RGBA-IMAGE "Opaque" 100 LAYER-MODE-NORMAL))))
  (gimp-image-insert-layer image shape 0 0)
  (gimp-context-set-foreground '(30 140 220))
  (gimp-drawable-fill shape FILL-FOREGROUND)
  (let ((layer (car (plug-in-super-resolution RUN-NONINTERACTIVE image shape
                      {lib.scheme_string(blur)} {SCALE} 0 0 0 FALSE FALSE))))
    (report-layer "opaque.new" layer)
    (save-layer image layer {lib.scheme_string(opaque)})))

; A layer mask comes along: an opaque 20x16 layer whose mask is black except
; a white 8x6 block at (4, 4), not applied (that state is copied too).
(let* ((image (car (gimp-image-new 20 16 RGB)))
       (masked (car (gimp-layer-new image 20 16 RGB-IMAGE "Masked" 100 LAYER-MODE-NORMAL)))
       (mask (car (gimp-layer-create-mask masked ADD-MASK-BLACK))))
  (gimp-image-insert-layer image masked 0 0)
  (gimp-drawable-fill masked FILL-WHITE)
  (gimp-layer-add-mask masked mask)
  (gimp-image-select-rectangle image CHANNEL-OP-REPLACE 4 4 8 6)
  (gimp-context-set-foreground '(255 255 255))
  (gimp-drawable-edit-fill mask FILL-FOREGROUND)
  (gimp-selection-none image)
  (gimp-layer-set-apply-mask masked FALSE)
  (let* ((layer (car (plug-in-super-resolution RUN-NONINTERACTIVE image masked
                       {lib.scheme_string(blur)} {SCALE} 0 0 0 FALSE FALSE)))
         (new-mask (car (gimp-layer-get-mask layer))))
    (report-layer "masked.new" layer)
    (report "masked.new.has-mask" (if (= new-mask -1) 0 1))
    (if (not (= new-mask -1))
        (let ((cmp (mask-compare (car (gimp-layer-get-mask masked)) new-mask 2)))
          (report-layer "masked.new-mask" new-mask)
          (report "masked.new.apply" (car (gimp-layer-get-apply-mask layer)))
          (report "masked.differ" (car cmp))
          (report "masked.zeros" (cadr cmp))
          (report "masked.full" (caddr cmp))))))
'''


def write_ramp16(out_dir):
    """The 16-bit test input: DEEP_W x DEEP_H RGB, R rising in raster order over
    the full range (one level per pixel, 768 in all), G falling, B rising 7
    times as fast and wrapping.  Returns (path, array)."""
    import numpy as np
    import png16
    n = np.arange(DEEP_W * DEEP_H, dtype=np.float64).reshape(DEEP_H, DEEP_W)
    r = np.round(n * 65535 / (DEEP_W * DEEP_H - 1))
    b = np.round(n * 7 * 65535 / (DEEP_W * DEEP_H - 1)) % 65536
    ramp = np.stack([r, 65535 - r, b], axis=-1).astype(np.uint16)
    path = os.path.join(out_dir, "deep-in.png")
    png16.write(path, ramp)
    return path, ramp


def float_ramp():
    """The float test input, DEEP_W x DEEP_H float32 RGB with 768 levels per
    channel, every value 0.4/65535 above a 16-bit level ((k + 0.4) / 65535,
    k = 85 n in raster order for R, 65534 - 85 n for G, 595 n mod 65535 for B),
    so a 16-bit stage anywhere on the way would move every output by about
    6e-6."""
    import numpy as np
    n = np.arange(DEEP_W * DEEP_H, dtype=np.float64).reshape(DEEP_H, DEEP_W)
    k = np.stack([85 * n, 65534 - 85 * n, (595 * n) % 65535], axis=-1)
    return ((k + 0.4) / 65535).astype(np.float32)


def float_ramp_scheme():
    """float_ramp() as a Scheme list of (x y byte0 .. byte11), raw float32."""
    ramp = float_ramp()
    return " ".join(f"({x} {y} {' '.join(str(b) for b in ramp[y, x].astype('<f4').tobytes())})"
                    for y in range(DEEP_H) for x in range(DEEP_W))


def deep_samples():
    """Output pixels whose raw values the float case reads back: a grid
    over the whole x4 result, borders included."""
    xs = sorted({round(i * (DEEP_W * SCALE - 1) / 11) for i in range(12)} | {1, 2, 5})
    ys = sorted({round(i * (DEEP_H * SCALE - 1) / 8) for i in range(9)} | {1, 6})
    return [(x, y) for y in ys for x in xs]


def script_grey_and_deep(blur, out_dir, deep_in):
    grey_in = os.path.join(out_dir, "grey-in.png")
    grey_out = os.path.join(out_dir, "grey-out.png")
    samples = " ".join(f"({x} {y})" for x, y in deep_samples())
    float_pixels = float_ramp_scheme()
    return f'''
; Grey: a diagonal gradient, so every pixel differs from its neighbours.
(let* ((image (car (gimp-image-new 32 24 GRAY)))
       (layer (car (gimp-layer-new image 32 24 GRAY-IMAGE "Grey" 100 LAYER-MODE-NORMAL))))
  (gimp-image-insert-layer image layer 0 0)
  (gimp-context-set-gradient-fg-bg-rgb)
  (gimp-context-set-foreground '(0 0 0))
  (gimp-context-set-background '(255 255 255))
  (gimp-drawable-edit-gradient-fill layer GRADIENT-LINEAR 0 FALSE 1 0 TRUE 0 0 32 24)
  (save-layer image layer {lib.scheme_string(grey_in)})
  (let ((new (car (plug-in-super-resolution RUN-NONINTERACTIVE image layer
                    {lib.scheme_string(blur)} {SCALE} 0 0 0 FALSE FALSE))))
    (report-layer "grey.new" new)
    (report "grey.base" (car (gimp-image-base-type image)))
    (save-layer image new {lib.scheme_string(grey_out)})))

; 16-bit: a ramp of 768 levels, loaded from a 16-bit PNG (non-linear u16),
; through the box blur; the result saved as a (16-bit) PNG.
(let* ((image (car (gimp-file-load RUN-NONINTERACTIVE {lib.scheme_string(deep_in)} "in")))
       (layer (car (gimp-image-get-active-layer image))))
  (report "deep.u16" PRECISION-U16-GAMMA)
  (report "deep.precision.before" (car (gimp-image-get-precision image)))
  (let ((new (car (plug-in-super-resolution RUN-NONINTERACTIVE image layer
                    {lib.scheme_string(blur)} {SCALE} 0 0 0 FALSE FALSE))))
    (report "deep.precision" (car (gimp-image-get-precision image)))
    (report-layer "deep.source" layer)
    (report-layer "deep.new" new)
    (save-layer image new {lib.scheme_string(os.path.join(out_dir, "deep-out.png"))})))

; 32-bit float: a non-linear float image whose pixels are set one by one to
; raw float32 values off the 16-bit grid, through the box blur; the new
; layer's raw float32 bytes read back at the sample points.
(let* ((image (car (gimp-image-new-with-precision {DEEP_W} {DEEP_H} RGB PRECISION-FLOAT-GAMMA)))
       (layer (car (gimp-layer-new image {DEEP_W} {DEEP_H} RGB-IMAGE "Float" 100 LAYER-MODE-NORMAL))))
  (gimp-image-insert-layer image layer 0 0)
  (for-each (lambda (p) (gimp-drawable-set-pixel layer (car p) (cadr p) 12 (list->vector (cddr p))))
            '({float_pixels}))
  (report "float.f32" PRECISION-FLOAT-GAMMA)
  (let ((new (car (plug-in-super-resolution RUN-NONINTERACTIVE image layer
                    {lib.scheme_string(blur)} {SCALE} 0 0 0 FALSE FALSE))))
    (report "float.precision" (car (gimp-image-get-precision image)))
    (report-layer "float.source" layer)
    (report-layer "float.new" new)
    (for-each
      (lambda (xy)
        (let ((v (cadr (gimp-drawable-get-pixel new (car xy) (cadr xy))))
              (s (string-append (number->string (car xy)) "," (number->string (cadr xy)) ":")))
          (do ((i 0 (+ i 1))) ((= i (vector-length v)))
            (set! s (string-append s " " (number->string (vector-ref v i)))))
          (report "float.px" s)))
      '({samples}))))

; Output 1: a new image with just the result; the source stays as it was.
(let* ((image (car (gimp-image-new 20 10 RGB)))
       (layer (car (gimp-layer-new image 20 10 RGB-IMAGE "Src" 100 LAYER-MODE-NORMAL))))
  (gimp-image-insert-layer image layer 0 0)
  (gimp-drawable-fill layer FILL-WHITE)
  (gimp-image-clean-all image)
  (let* ((result (plug-in-super-resolution RUN-NONINTERACTIVE image layer
                   {lib.scheme_string(blur)} {SCALE} 0 0 1 FALSE FALSE))
         (new-image (cadr result)))
    (report "newimage.same" (if (= new-image image) "yes" "no"))
    (report-image "newimage.result" new-image)
    (report-layer "newimage.layer" (car result))
    (report-image "newimage.source" image)))
'''


def script_errors(image_path, model):
    calls = {
        "badmodel": f'"no-such-model" {SCALE} 0 0 0 FALSE FALSE',
        "scale0": f'{lib.scheme_string(model)} 0 0 0 0 FALSE FALSE',
        "scale9": f'{lib.scheme_string(model)} 9 0 0 0 FALSE FALSE',
        "output3": f'{lib.scheme_string(model)} {SCALE} 0 0 3 FALSE FALSE',
        "tile": f'{lib.scheme_string(model)} {SCALE} 7 0 0 FALSE FALSE',
        "selection2": f'{lib.scheme_string(model)} {SCALE} 0 0 0 FALSE 2',
    }
    s = [f'''
(define err-image (car (gimp-file-load RUN-NONINTERACTIVE {lib.scheme_string(image_path)} "in")))
(define err-layer (car (gimp-image-get-active-layer err-image)))
(gimp-image-clean-all err-image)''']
    for name, a in calls.items():
        s.append(f'''
(set! sr-last-error "")
(report "err.{name}.result"
        (if (catch #f (plug-in-super-resolution RUN-NONINTERACTIVE err-image err-layer {a})) "succeeded" "failed"))
(report "err.{name}.message" sr-last-error)
(report-image "err.{name}.image" err-image)''')
    s.append(f'''
; Indexed images are refused with a message, not a crash.
(define idx-image (car (gimp-file-load RUN-NONINTERACTIVE {lib.scheme_string(image_path)} "in")))
(gimp-image-convert-indexed idx-image CONVERT-DITHER-NONE CONVERT-PALETTE-GENERATE 16 FALSE FALSE "")
(gimp-image-clean-all idx-image)
(set! sr-last-error "")
(report "err.indexed.result"
        (if (catch #f (plug-in-super-resolution RUN-NONINTERACTIVE idx-image
                        (car (gimp-image-get-active-layer idx-image))
                        {lib.scheme_string(model)} {SCALE} 0 0 0 FALSE FALSE)) "succeeded" "failed"))
(report "err.indexed.message" sr-last-error)
(report-image "err.indexed.image" idx-image)''')
    return "".join(s)


# (e) any scale and TTA: (key, image index, model key, scale, tta)
ANY_SCALE_RUNS = (
    [(f"s25-{i}", i, "model", 2.5, False) for i in range(5)] + [
        ("s6", 4, "model", 6, False),
        ("tta4", 0, "model", 4, True),
        ("tta25", 1, "model", 2.5, True),
        ("as1", 2, "as", 1, False),
        ("as37", 3, "as", 3.7, False),
    ])


def scheme_number(x):
    return repr(float(x)) if x != int(x) else str(int(x))


def script_any_scale(images, models, blur, out_dir):
    s = []
    for key, i, m, scale, tta in ANY_SCALE_RUNS:
        out = os.path.join(out_dir, f"{key}.png")
        s.append(f'''
(let* ((image (car (gimp-file-load RUN-NONINTERACTIVE {lib.scheme_string(images[i])} "in")))
       (source (car (gimp-image-get-active-layer image)))
       (layer (car (plug-in-super-resolution RUN-NONINTERACTIVE image source
                     {lib.scheme_string(models[m])} {scheme_number(scale)} 0 0 0 {"TRUE" if tta else "FALSE"} FALSE))))
  (report-image "{key}.image" image)
  (report-layer "{key}.new" layer)
  (report-model "{key}.new" layer)
  (report-layer "{key}.source" source)
  (save-layer image layer {lib.scheme_string(out)}))''')
    holes = os.path.join(out_dir, "rgba25.png")
    s.append(f'''
; The RGBA layer of (b) at x2.5: 40 x 30 becomes 100 x 75; the 24 x 20 layer
; at (5, 7) covers x 12.5..72.5 and y 17.5..67.5, which GIMP rounds to
; (13, 18) 60 x 50.
(let* ((image (car (gimp-image-new 40 30 RGB)))
       (shape (add-shape-layer image)))
  (let ((layer (car (plug-in-super-resolution RUN-NONINTERACTIVE image shape
                      {lib.scheme_string(blur)} 2.5 0 0 0 FALSE FALSE))))
    (report-image "rgba25.image" image)
    (report-layer "rgba25.new" layer)
    (report-layer "rgba25.shape" shape)
    (save-layer image layer {lib.scheme_string(holes)})))

; No model named: the default for x2.5 is the x3 one (installed or not).
(define def-image (car (gimp-image-new 12 10 RGB)))
(define def-layer (car (gimp-layer-new def-image 12 10 RGB-IMAGE "Def" 100 LAYER-MODE-NORMAL)))
(gimp-image-insert-layer def-image def-layer 0 0)
(gimp-drawable-fill def-layer FILL-WHITE)
(set! sr-last-error "")
(let ((result (catch #f (plug-in-super-resolution RUN-NONINTERACTIVE def-image def-layer "" 2.5 0 0 0 FALSE FALSE))))
  (report "default25.result" (if result "succeeded" "failed"))
  (report "default25.message" sr-last-error)
  (if result (report-layer "default25.new" (car result)))
  (if result (report-model "default25.new" (car result))))''')
    return "".join(s)


def load(path):
    import numpy as np
    from PIL import Image
    return np.asarray(Image.open(path)).astype(np.int32)


def box_blur_x4(a):
    """What blur-x4.srm computes, in 0..255 floats: zero-padded 3x3 mean,
    nearest-neighbour x4."""
    import numpy as np
    p = np.pad(a.astype(np.float64), [(1, 1), (1, 1)] + [(0, 0)] * (a.ndim - 2))
    h, w = a.shape[:2]
    m = sum(p[i:i + h, j:j + w] for i in range(3) for j in range(3)) / 9.0
    return np.repeat(np.repeat(m, SCALE, 0), SCALE, 1)


def check_set5(c, r, images, model, args, out_dir):
    for i, path in enumerate(images):
        k = f"set5-{i}"
        w, h = load(path).shape[1], load(path).shape[0]
        c.equal(r, f"{k}.image.width", w * SCALE)
        c.equal(r, f"{k}.image.height", h * SCALE)
        c.equal(r, f"{k}.image.layers", 2)
        c.equal(r, f"{k}.new.width", w * SCALE)
        c.equal(r, f"{k}.new.height", h * SCALE)
        c.equal(r, f"{k}.source.width", w * SCALE)   # scaled with the canvas
        c.equal(r, f"{k}.new.position", 0)            # right above the source
        c.equal(r, f"{k}.source.position", 1)
        model_id = os.path.splitext(os.path.basename(model))[0]
        c.equal(r, f"{k}.new.name", f"SR ×{SCALE} · {r.get(k + '.source.name', ['?'])[-1]}")
        c.equal(r, f"{k}.new.model", model_id)
        if not args.cli:
            print("note: no CLI given, pixel comparison skipped")
            continue
        cli_out = os.path.join(out_dir, f"set5-{i}-cli.png")
        subprocess.run([args.cli, "-m", model, path, cli_out], check=True)
        ours, theirs = load(os.path.join(out_dir, f"set5-{i}.png")), load(cli_out)
        c.check(ours.shape == theirs.shape and (ours == theirs).all(),
                f"{k}: plug-in pixels equal the CLI's ({os.path.basename(path)})")


def check_rgba(c, r, out_dir):
    import numpy as np
    c.equal(r, "rgba.image.width", 40 * SCALE)
    c.equal(r, "rgba.image.height", 30 * SCALE)
    c.equal(r, "rgba.image.layers", 3)
    c.equal(r, "rgba.new.x", 5 * SCALE)
    c.equal(r, "rgba.new.y", 7 * SCALE)
    c.equal(r, "rgba.new.width", 24 * SCALE)
    c.equal(r, "rgba.new.height", 20 * SCALE)
    c.equal(r, "rgba.new.alpha", 1)
    c.equal(r, "rgba.new.position", 0)
    c.equal(r, "rgba.shape.x", 5 * SCALE)          # source offsets scaled too
    c.equal(r, "rgba.shape.name", "Shape")
    c.equal(r, "rgba.back.visible", 0)             # visibility preserved
    c.equal(r, "rgba.back.name", "Back")

    a = load(os.path.join(out_dir, "rgba-holes.png"))
    alpha = a[..., 3]
    # The block covers layer pixels x 6..15, y 6..13; far from it: transparent.
    c.check(alpha[:8, :].max() == 0 and alpha[:, :8].max() == 0,
            "transparent area stays transparent")
    inner = alpha[6 * SCALE + 8:14 * SCALE - 8, 6 * SCALE + 8:16 * SCALE - 8]
    c.check(inner.min() == 255, "inside of the block stays opaque")
    edge = alpha > 0
    colour = a[..., :3][edge]
    worst = np.abs(colour - np.array([200, 60, 30])).max()
    # Without the transparent-colour fill, the box mean would pull edge
    # pixels up to a third of the way to black (about 70 levels).
    c.check(worst <= 2, f"no dark fringe: visible pixels keep the block colour (worst {worst})")
    c.check(((alpha > 0) & (alpha < 255)).any(), "alpha edge is smooth (bicubic), not hard")

    o = load(os.path.join(out_dir, "rgba-opaque.png"))
    c.equal(r, "opaque.new.alpha", 1)
    c.check(o[..., 3].min() == 255, "an opaque RGBA layer stays fully opaque")

    # The mask: the source's as GIMP scaled it, same size and place as the
    # new layer, same (off) apply state.
    c.equal(r, "masked.new.has-mask", 1)
    c.equal(r, "masked.new-mask.width", 20 * SCALE)
    c.equal(r, "masked.new-mask.height", 16 * SCALE)
    c.equal(r, "masked.new.apply", 0)
    c.equal(r, "masked.differ", 0)
    c.check(int(r.get("masked.zeros", ["0"])[-1]) > 0 and int(r.get("masked.full", ["0"])[-1]) > 0,
            "the compared mask has both hidden and shown parts")


def check_grey_and_deep(c, r, out_dir, ramp):
    import numpy as np
    import png16
    c.equal(r, "grey.base", 1)
    c.equal(r, "grey.new.width", 32 * SCALE)
    c.equal(r, "grey.new.bpp", 1)
    src = load(os.path.join(out_dir, "grey-in.png"))
    out = load(os.path.join(out_dir, "grey-out.png"))
    if src.ndim == 3:
        src = src[..., 0]
    expected = box_blur_x4(src)
    c.check(out.ndim == 2, "grey result is saved as one channel")
    diff = np.abs(out - expected).max() if out.shape == expected.shape else 999
    c.check(diff <= 1, f"grey result = the network on replicated luma (max diff {diff:.2f})")

    # 16 bits: the image stays non-linear u16 (GIMP's own constant), both
    # layers 16-bit RGB, and every pixel is the box blur of the ramp to
    # 2/65535 (an 8-bit step is 257/65535).
    u16 = r.get("deep.u16", ["<missing>"])[-1]
    c.equal(r, "deep.precision.before", u16)
    c.equal(r, "deep.precision", u16)
    c.equal(r, "deep.source.bpp", 6)
    c.equal(r, "deep.new.bpp", 6)
    c.equal(r, "deep.new.width", DEEP_W * SCALE)
    c.equal(r, "deep.new.height", DEEP_H * SCALE)
    c.check(min(len(np.unique(ramp[..., ch])) for ch in range(3)) > 256,
            "16-bit input ramp has more than 256 levels per channel")
    expected = box_blur_x4(ramp.astype(np.float64) / 65535)
    try:
        got, depth = png16.read(os.path.join(out_dir, "deep-out.png"))
    except (OSError, ValueError) as e:
        got, depth = None, str(e)
    c.check(depth == 16, f"16-bit result saved as a 16-bit PNG (depth {depth})")
    if got is not None and got.shape == expected.shape:
        err = float(np.abs(got.astype(np.float64) - expected * 65535).max())
        c.check(err <= 2, f"16-bit result = numpy box blur of the ramp (max diff {err:.2f}/65535)")
    else:
        c.check(False, f"16-bit result is {DEEP_W * SCALE} x {DEEP_H * SCALE} RGB "
                       f"({None if got is None else got.shape})")

    # 32-bit float: the image stays non-linear float, the new layer is float
    # RGB (12 bytes a pixel), and its raw values at the sample points are the
    # box blur of the float ramp to 5e-7 (float32 rounding is ~1e-7) -- a
    # 16-bit stage anywhere would cost ~6e-6 here, an 8-bit one ~2e-3.
    f32 = r.get("float.f32", ["<missing>"])[-1]
    c.equal(r, "float.precision", f32)
    c.equal(r, "float.source.bpp", 12)
    c.equal(r, "float.new.bpp", 12)
    framp = float_ramp()
    c.check(min(len(np.unique(framp[..., ch])) for ch in range(3)) > 256,
            "float input ramp has more than 256 levels per channel")
    expected = box_blur_x4(framp.astype(np.float64))
    samples = {}
    for line in r.get("float.px", []):
        pos, _, values = line.partition(":")
        x, y = (int(v) for v in pos.split(","))
        raw = bytes(int(v) for v in values.split())
        if len(raw) == 12:
            samples[(x, y)] = np.frombuffer(raw, "<f4").astype(np.float64)
    want = deep_samples()
    c.check(sorted(samples) == sorted(want),
            f"float: read {len(samples)} of {len(want)} sample pixels as 3 float32 values")
    if samples:
        err = max(float(np.abs(v - expected[y, x]).max()) for (x, y), v in samples.items())
        c.check(err <= 5e-7, f"float result = numpy box blur of the ramp at {len(samples)} pixels "
                             f"(max diff {err:.2e}, {err * 65535:.3f}/65535)")

    c.equal(r, "newimage.same", "no")
    c.equal(r, "newimage.result.width", 20 * SCALE)
    c.equal(r, "newimage.result.layers", 1)
    c.equal(r, "newimage.layer.width", 20 * SCALE)
    c.equal(r, "newimage.source.width", 20)
    c.equal(r, "newimage.source.layers", 1)
    c.equal(r, "newimage.source.dirty", 0)


def check_errors(c, r, image_path):
    w = load(image_path).shape[1]
    expect = {
        "badmodel": "no-such-model",
        "scale0": "Scale 0 is out of range: it must be between 1 and 8",
        "scale9": "Scale 9 is out of range: it must be between 1 and 8",
        "output3": "Output 3 is invalid: use 0 (new layer), 1 (new image) or 2 (replace the layer)",
        "tile": "Tile size 7 is out of range",
        "selection2": "Selection-only 2 is invalid",
        "indexed": "Indexed images are not supported",
    }
    for name, text in expect.items():
        c.equal(r, f"err.{name}.result", "failed")
        c.contains(r, f"err.{name}.message", text)
        c.equal(r, f"err.{name}.image.width", w)
        c.equal(r, f"err.{name}.image.layers", 1)
        c.equal(r, f"err.{name}.image.dirty", 0)   # not even an undo step
    c.contains(r, "err.badmodel.message", "invalid input arguments")   # CALLING_ERROR


def check_any_scale(c, r, images, models, args, out_dir):
    import numpy as np
    for key, i, m, scale, tta in ANY_SCALE_RUNS:
        h, w = load(images[i]).shape[:2]
        tw, th = round_half_up(w * scale), round_half_up(h * scale)
        c.equal(r, f"{key}.image.width", tw)
        c.equal(r, f"{key}.image.height", th)
        c.equal(r, f"{key}.image.layers", 2)
        c.equal(r, f"{key}.new.width", tw)
        c.equal(r, f"{key}.new.height", th)
        c.equal(r, f"{key}.new.x", 0)
        c.equal(r, f"{key}.source.width", tw)     # the canvas and the source grew alike
        c.equal(r, f"{key}.source.height", th)
        model_id = os.path.splitext(os.path.basename(models[m]))[0]
        c.equal(r, f"{key}.new.name",
                f"SR ×{scale:g} · {r.get(key + '.source.name', ['?'])[-1]}")
        c.equal(r, f"{key}.new.model", model_id)
        if not args.cli:
            print("note: no CLI given, pixel comparison skipped")
            continue
        cli_out = os.path.join(out_dir, f"{key}-cli.png")
        cmd = [args.cli, "-m", models[m], "-s", str(scale)] + (["--tta"] if tta else [])
        subprocess.run(cmd + [images[i], cli_out], check=True)
        ours, theirs = load(os.path.join(out_dir, f"{key}.png")), load(cli_out)
        same = ours.shape == theirs.shape and (ours == theirs).all()
        diff = np.abs(ours - theirs).max() if ours.shape == theirs.shape else "shape"
        c.check(same, f"{key}: plug-in pixels equal `{' '.join(os.path.basename(a) for a in cmd[1:])}`"
                      f" ({os.path.basename(images[i])}, max diff {diff})")

    # The RGBA layer with offsets at x2.5: where the scaled source lies.
    c.equal(r, "rgba25.image.width", 100)
    c.equal(r, "rgba25.image.height", 75)
    for k, v in (("x", 13), ("y", 18), ("width", 60), ("height", 50)):
        c.equal(r, f"rgba25.shape.{k}", v)
        c.equal(r, f"rgba25.new.{k}", v)
    a = load(os.path.join(out_dir, "rgba25.png"))
    c.check(a.shape == (50, 60, 4), f"x2.5 RGBA result is 60 x 50 with alpha ({a.shape})")
    if a.shape == (50, 60, 4):
        alpha = a[..., 3]
        # The block covers layer pixels x 6..15, y 6..13 (x 15..40, y 15..35 at x2.5).
        c.check(alpha[:12, :].max() == 0 and alpha[:, :12].max() == 0,
                "x2.5: transparent area stays transparent")
        c.check(alpha[19:31, 19:36].min() == 255, "x2.5: inside of the block stays opaque")
        worst = np.abs(a[..., :3][alpha > 0] - np.array([200, 60, 30])).max()
        c.check(worst <= 2, f"x2.5: no dark fringe (worst {worst})")
        c.check(((alpha > 0) & (alpha < 255)).any(), "x2.5: alpha edge is smooth")

    # The default model for x2.5 is x3: it ran, or it says it is missing.
    if r.get("default25.result", ["?"])[-1] == "succeeded":
        c.equal(r, "default25.new.name", "SR ×2.5 · Def")
        c.contains(r, "default25.new.model", "-x3")
        c.equal(r, "default25.new.width", 30)
    else:
        c.contains(r, "default25.message", "×3 model")


def round_half_up(x):
    """C's round() for positive x (Python's round() rounds halves to even)."""
    import math
    return int(math.floor(x + 0.5))


def main():
    args = parse_args()
    lib.need_gimp()
    lib.need_numpy()
    images = sorted(glob.glob(os.path.join(args.shared, "data", "bench", "Set5", "LR_bicubic",
                                           "X4", "*.png")))
    if not images:
        lib.skip(f"no Set5 images under {args.shared}")
    os.makedirs(args.workdir, exist_ok=True)
    out_dir = os.path.join(args.workdir, "out")
    os.makedirs(out_dir, exist_ok=True)
    model, blur, as_model = make_models(args)
    deep_in, ramp = write_ramp16(out_dir)
    print(f"model for Set5: {model}")
    profile = lib.make_profile(args.workdir, args.plugin)

    script = (script_set5(images, model, out_dir) + script_rgba(blur, out_dir)
              + script_grey_and_deep(blur, out_dir, deep_in) + script_errors(images[0], model)
              + script_any_scale(images, {"model": model, "as": as_model}, blur, out_dir))
    with open(os.path.join(args.workdir, "batch.scm"), "w") as f:
        f.write(lib.PRELUDE + HELPERS + script)
    reports, output = lib.run_batch(profile, HELPERS + script, log=os.path.join(args.workdir, "gimp.log"))
    if not reports:
        print(output[-4000:])

    c = lib.Checker()
    check_set5(c, reports, images, model, args, out_dir)
    check_rgba(c, reports, out_dir)
    check_grey_and_deep(c, reports, out_dir, ramp)
    check_errors(c, reports, images[0])
    check_any_scale(c, reports, images, {"model": model, "as": as_model}, args, out_dir)
    c.finish()


if __name__ == "__main__":
    main()
