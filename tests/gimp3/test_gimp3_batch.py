#!/usr/bin/python3
"""End-to-end test of plug-in-super-resolution in GIMP 3 (gimp-console-3.0).

Run inside the Debian 13 root: tools/gimp3/run.sh python3 THIS ... (the
meson test "gimp3-batch" of a GIMP 3 build does that).
  - the procedure is registered with its arguments, menu and image types;
  - Set5 images x4 and one x2.5 as a new layer: canvas, layer size, name,
    position, and pixels bit-identical to `sr-upscale` with the same model;
  - an RGBA layer with offsets and transparency at x4 and x2.5 (offsets
    follow GIMP's scaling, no dark fringe), a layer mask copied, a grey
    image, a 16-bit image (precision kept), output to a new image;
  - two selected layers: the canvas grows once, each gets its own copy
    above it;
  - bad arguments (unknown model, tile size 7, indexed image; scale 0 and 9
    and output 3 through Script-Fu): an error with a clear message and the
    image unchanged.
Undo needs a display: test_gimp3_undo.py.
"""
import argparse
import glob
import math
import os
import subprocess
import sys

import numpy as np
from PIL import Image

import gimp3_test_lib as lib

SCALE = 4


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--plugin", required=True, help="the built GIMP 3 plug-in")
    p.add_argument("--cli", required=True, help="sr-upscale built in the same root")
    p.add_argument("--models-py", required=True, help="models/srtorch (modelfile.py)")
    p.add_argument("--shared", required=True, help="the shared folder holding data/bench")
    p.add_argument("--workdir", required=True)
    return p.parse_args()


def round_half_up(x):
    return int(math.floor(x + 0.5))


def raw(path, h, w, c, dtype=np.uint8):
    if not os.path.isfile(path):
        return None
    a = np.fromfile(path, dtype)
    return a.reshape(h, w, c) if a.size == h * w * c else None


def script_registered():
    return '''
proc = Gimp.get_pdb().lookup_procedure(PROC)
report("registered", proc is not None)
if proc:
    report("args", ",".join(a.name for a in proc.get_arguments()))
    report("returns", ",".join(a.name for a in proc.get_return_values()))
    report("menu", ",".join(proc.get_menu_paths()))
    report("label", proc.get_menu_label())
    report("types", proc.get_image_types())
'''


def script_set5(images, model, out):
    s = [f"set5_images = {images!r}\n"]
    s.append(f'''
for i, path in enumerate(set5_images):
    scale = 2.5 if i == len(set5_images) - 1 else {SCALE}
    image = load(path)
    source = image.get_layers()[0]
    r, msg = super_resolution(image, [source], {model!r}, scale)
    report(f"set5-{{i}}.message", msg)
    if r:
        layer = r[0]
        report_image(f"set5-{{i}}.image", image)
        report_layer(f"set5-{{i}}.new", layer)
        parasite = layer.get_parasite("gimp-sr-model")
        report(f"set5-{{i}}.new.model",
               bytes(parasite.get_data()).rstrip(b"\\0").decode() if parasite else "<none>")
        report_layer(f"set5-{{i}}.source", source)
        report(f"set5-{{i}}.new.position", image.get_item_position(layer))
        report(f"set5-{{i}}.source.position", image.get_item_position(source))
        dump(layer, {out!r} + f"/set5-{{i}}.raw", "R'G'B' u8")
''')
    return "".join(s)


def script_layers(blur, out):
    return f'''
blur = {blur!r}
# A hidden white background under a 24x20 RGBA layer at (5, 7):
# transparent black except a 10x8 orange block at layer (6, 6).
for key, scale in (("rgba", 4), ("rgba25", 2.5)):
    image = new_image(40, 30)
    back = add_layer(image, "Back", 40, 30, Gimp.ImageType.RGB_IMAGE)
    back.fill(Gimp.FillType.WHITE)
    shape = add_layer(image, "Shape", 24, 20, Gimp.ImageType.RGBA_IMAGE, 5, 7)
    put(shape, "R'G'B'A u8", shape_rgba(24, 20, (6, 6, 10, 8), (200, 60, 30)))
    back.set_visible(False)
    r, msg = super_resolution(image, [shape], blur, scale)
    report(key + ".message", msg)
    if r:
        report_image(key + ".image", image)
        report_layer(key + ".new", r[0])
        report_layer(key + ".shape", shape)
        report_layer(key + ".back", back)
        report(key + ".new.position", image.get_item_position(r[0]))
        dump(r[0], {out!r} + "/" + key + ".raw", "R'G'B'A u8")

# A layer mask comes along (not applied: that state is copied too).
image = new_image(20, 16)
masked = add_layer(image, "Masked", 20, 16, Gimp.ImageType.RGB_IMAGE)
masked.fill(Gimp.FillType.WHITE)
mask = masked.create_mask(Gimp.AddMaskType.BLACK)
masked.add_mask(mask)
block = bytearray(20 * 16)
for y in range(4, 10):
    for x in range(4, 12):
        block[y * 20 + x] = 255
put(mask, "Y' u8", block)
masked.set_apply_mask(False)
r, msg = super_resolution(image, [masked], blur, 4)
report("masked.message", msg)
if r:
    new_mask = r[0].get_mask()
    report("masked.new.has-mask", new_mask is not None)
    if new_mask:
        report_layer("masked.new-mask", new_mask)
        report("masked.new.apply", r[0].get_apply_mask())
        dump(new_mask, {out!r} + "/mask-new.raw", "Y' u8")
        dump(masked.get_mask(), {out!r} + "/mask-source.raw", "Y' u8")

# Grey: a diagonal ramp, so every pixel differs from its neighbours.
image = new_image(32, 24, Gimp.ImageBaseType.GRAY)
grey = add_layer(image, "Grey", 32, 24, Gimp.ImageType.GRAY_IMAGE)
put(grey, "Y' u8", bytes((x * 5 + y * 3) % 256 for y in range(24) for x in range(32)))
dump(grey, {out!r} + "/grey-in.raw", "Y' u8")
r, msg = super_resolution(image, [grey], blur, 4)
report("grey.message", msg)
if r:
    report_layer("grey.new", r[0])
    report("grey.base", int(image.get_base_type()))
    dump(r[0], {out!r} + "/grey-out.raw", "Y' u8")

# 16-bit: the new layer keeps the image's precision.
image = new_image(16, 12)
deep = add_layer(image, "Deep", 16, 12, Gimp.ImageType.RGB_IMAGE)
deep.fill(Gimp.FillType.WHITE)
image.convert_precision(Gimp.Precision.U16_NON_LINEAR)
deep = image.get_layers()[0]
r, msg = super_resolution(image, [deep], blur, 4)
report("deep.message", msg)
if r:
    report("deep.precision", int(image.get_precision()))
    report_layer("deep.source", deep)
    report_layer("deep.new", r[0])

# Output 1: a new image with just the result; the source stays as it was.
image = new_image(20, 10)
src = add_layer(image, "Src", 20, 10, Gimp.ImageType.RGB_IMAGE)
src.fill(Gimp.FillType.WHITE)
image.clean_all()
r, msg = super_resolution(image, [src], blur, 4, output=1)
report("newimage.message", msg)
if r:
    report("newimage.same", "yes" if r[1].get_id() == image.get_id() else "no")
    report_image("newimage.result", r[1])
    report_layer("newimage.layer", r[0])
    report_image("newimage.source", image)

# Two selected layers at x2: one canvas scale, a copy above each.
image = new_image(30, 20)
low = add_layer(image, "Low", 30, 20, Gimp.ImageType.RGB_IMAGE)
low.fill(Gimp.FillType.WHITE)
high = add_layer(image, "High", 10, 8, Gimp.ImageType.RGBA_IMAGE, 3, 4)
high.fill(Gimp.FillType.WHITE)
r, msg = super_resolution(image, [low, high], blur, 2)
report("two.message", msg)
if r:
    report_image("two.image", image)
    layers = image.get_layers()
    report("two.order", ",".join(l.get_name() for l in layers))
    for l in layers:
        name = l.get_name()
        report_layer("two." + name.split(" · ")[-1] + ("-new" if name.startswith("SR ×") else ""), l)
    report("two.selected", ",".join(l.get_name() for l in image.get_selected_layers()))
'''


def script_errors(image_path, model):
    return f'''
def image_state(prefix, image):
    report_image(prefix, image)

image = load({image_path!r})
layer = image.get_layers()[0]
image.clean_all()
for key, args in (("badmodel", ("no-such-model", 4)), ("tile", ({model!r}, 4, 7))):
    r, msg = super_resolution(image, [layer], *args)
    report(f"err.{{key}}.result", "succeeded" if r else "failed")
    report(f"err.{{key}}.message", msg)
    report_image(f"err.{{key}}.image", image)

idx = load({image_path!r})
idx.convert_indexed(Gimp.ConvertDitherType.NONE, Gimp.ConvertPaletteType.GENERATE, 16, False, False, "")
idx.clean_all()
r, msg = super_resolution(idx, [idx.get_layers()[0]], {model!r}, 4)
report("err.indexed.result", "succeeded" if r else "failed")
report("err.indexed.message", msg)
report_image("err.indexed.image", idx)
'''


def script_fu_ranges(image_path, model):
    s = [f'''
(define image (car (gimp-file-load RUN-NONINTERACTIVE "{image_path}")))
(define layer (vector-ref (car (gimp-image-get-layers image)) 0))
(gimp-image-clean-all image)
''']
    for key, args in (("scale0", f'"{model}" 0.0 0 0 0 FALSE'),
                      ("scale9", f'"{model}" 9.0 0 0 0 FALSE'),
                      ("output3", f'"{model}" 4.0 0 0 3 FALSE FALSE')):
        s.append(f'''
(set! sr-last-error "")
(report "err.{key}.result"
  (if (catch #f (plug-in-super-resolution RUN-NONINTERACTIVE image (vector layer) {args}) #t)
      "succeeded" "failed"))
(report "err.{key}.width" (car (gimp-image-get-width image)))
(report "err.{key}.layers" (vector-length (car (gimp-image-get-layers image))))
(report "err.{key}.dirty" (as-int (car (gimp-image-is-dirty image))))
(report "err.{key}.message" sr-last-error)
''')
    # A script written before selection-only (9 arguments) still runs.
    s.append(f'''
(set! sr-last-error "")
(report "old9.result"
  (if (catch #f (plug-in-super-resolution RUN-NONINTERACTIVE image (vector layer) "{model}" 2.0 0 0 1 FALSE) #t)
      "succeeded" "failed"))
(report "old9.message" sr-last-error)
''')
    return "".join(s)


def check_registered(c, r):
    c.equal(r, "registered", 1)
    c.equal(r, "args", "run-mode,image,drawables,model,scale,tile-size,threads,output,tta,"
                           "selection-only")
    c.equal(r, "returns", "new-layer,new-image")
    c.equal(r, "menu", "<Image>/Filters/Enhance")
    c.equal(r, "label", "_Super-Resolution...")
    c.equal(r, "types", "RGB*, GRAY*")


def check_set5(c, r, images, model, args, out):
    model_id = os.path.splitext(os.path.basename(model))[0]
    for i, path in enumerate(images):
        k = f"set5-{i}"
        scale = 2.5 if i == len(images) - 1 else SCALE
        h, w = np.asarray(Image.open(path)).shape[:2]
        tw, th = round_half_up(w * scale), round_half_up(h * scale)
        c.equal(r, f"{k}.message", "")
        c.equal(r, f"{k}.image.width", tw)
        c.equal(r, f"{k}.image.height", th)
        c.equal(r, f"{k}.image.layers", 2)
        c.equal(r, f"{k}.new.width", tw)
        c.equal(r, f"{k}.new.height", th)
        c.equal(r, f"{k}.source.width", tw)   # scaled with the canvas
        c.equal(r, f"{k}.new.position", 0)    # right above the source
        c.equal(r, f"{k}.source.position", 1)
        c.equal(r, f"{k}.new.name", f"SR ×{scale:g} · {r.get(k + '.source.name', ['?'])[-1]}")
        c.equal(r, f"{k}.new.model", model_id)
        cli_out = os.path.join(out, f"{k}-cli.png")
        subprocess.run([args.cli, "-m", model, "-s", f"{scale:g}", path, cli_out], check=True)
        theirs = np.asarray(Image.open(cli_out).convert("RGB"))
        ours = raw(os.path.join(out, f"{k}.raw"), th, tw, 3)
        same = ours is not None and ours.shape == theirs.shape and bool((ours == theirs).all())
        diff = (int(np.abs(ours.astype(int) - theirs).max())
                if ours is not None and ours.shape == theirs.shape else "shape")
        c.check(same, f"{k}: pixels equal `sr-upscale -s {scale:g}` "
                      f"({os.path.basename(path)}, max diff {diff})")


def check_layers(c, r, out):
    # x4: 40 x 30 becomes 160 x 120, the layer (5, 7) 24 x 20 -> (20, 28) 96 x 80.
    # x2.5: 100 x 75; x 12.5..72.5 and y 17.5..67.5, rounded by GIMP to
    # (13, 18) 60 x 50.
    for key, scale, geom in (("rgba", 4, (20, 28, 96, 80)), ("rgba25", 2.5, (13, 18, 60, 50))):
        c.equal(r, f"{key}.message", "")
        c.equal(r, f"{key}.image.width", round_half_up(40 * scale))
        c.equal(r, f"{key}.image.height", round_half_up(30 * scale))
        c.equal(r, f"{key}.image.layers", 3)
        for name, v in zip(("x", "y", "width", "height"), geom):
            c.equal(r, f"{key}.shape.{name}", v)
            c.equal(r, f"{key}.new.{name}", v)
        c.equal(r, f"{key}.new.alpha", 1)
        c.equal(r, f"{key}.new.position", 0)
        c.equal(r, f"{key}.shape.name", "Shape")
        c.equal(r, f"{key}.back.visible", 0)
        a = raw(os.path.join(out, key + ".raw"), geom[3], geom[2], 4)
        if not c.check(a is not None, f"{key}: result read back"):
            continue
        alpha = a[..., 3]
        edge = int(3 * scale)   # the block starts at layer pixel 6
        c.check(alpha[:edge, :].max() == 0 and alpha[:, :edge].max() == 0,
                f"{key}: the transparent area stays transparent")
        inner = alpha[int(7.5 * scale):int(12.5 * scale), int(7.5 * scale):int(14.5 * scale)]
        c.check(inner.min() == 255, f"{key}: the inside of the block stays opaque")
        worst = int(np.abs(a[..., :3][alpha > 0].astype(int) - np.array([200, 60, 30])).max())
        c.check(worst <= 2, f"{key}: no dark fringe (worst {worst})")
        c.check(((alpha > 0) & (alpha < 255)).any(), f"{key}: the alpha edge is smooth")

    c.equal(r, "masked.new.has-mask", 1)
    c.equal(r, "masked.new-mask.width", 80)
    c.equal(r, "masked.new-mask.height", 64)
    c.equal(r, "masked.new.apply", 0)
    new_mask = raw(os.path.join(out, "mask-new.raw"), 64, 80, 1)
    source_mask = raw(os.path.join(out, "mask-source.raw"), 64, 80, 1)
    c.check(new_mask is not None and source_mask is not None and (new_mask == source_mask).all()
            and new_mask.min() == 0 and new_mask.max() == 255,
            "the new layer's mask is the source's as GIMP scaled it")

    c.equal(r, "grey.base", 1)
    c.equal(r, "grey.new.width", 128)
    c.equal(r, "grey.new.bpp", 1)
    src = raw(os.path.join(out, "grey-in.raw"), 24, 32, 1)
    got = raw(os.path.join(out, "grey-out.raw"), 96, 128, 1)
    if c.check(src is not None and got is not None, "grey: read back"):
        p = np.pad(src[..., 0].astype(np.float64), 1)
        mean = sum(p[i:i + 24, j:j + 32] for i in range(3) for j in range(3)) / 9.0
        expected = np.repeat(np.repeat(mean, 4, 0), 4, 1)
        diff = float(np.abs(got[..., 0] - expected).max())
        c.check(diff <= 1, f"grey: the network on replicated luma (max diff {diff:.2f})")

    c.check(r.get("deep.new.bpp") == r.get("deep.source.bpp") and
            r.get("deep.new.bpp", ["0"])[-1] == "6",
            f"16-bit: the new layer is 16-bit RGB too (bpp {r.get('deep.new.bpp')})")

    c.equal(r, "newimage.same", "no")
    c.equal(r, "newimage.result.width", 80)
    c.equal(r, "newimage.result.layers", 1)
    c.equal(r, "newimage.layer.width", 80)
    c.equal(r, "newimage.source.width", 20)
    c.equal(r, "newimage.source.layers", 1)
    c.equal(r, "newimage.source.dirty", 0)

    c.equal(r, "two.message", "")
    c.equal(r, "two.image.width", 60)       # scaled once, not twice
    c.equal(r, "two.image.layers", 4)
    c.equal(r, "two.order", "SR ×2 · High,High,SR ×2 · Low,Low")
    for k, v in (("x", 6), ("y", 8), ("width", 20), ("height", 16)):
        c.equal(r, f"two.High-new.{k}", v)
        c.equal(r, f"two.High.{k}", v)
    c.equal(r, "two.Low-new.width", 60)
    c.equal(r, "two.selected", "SR ×2 · High,SR ×2 · Low")


def check_errors(c, r, image_path):
    w = np.asarray(Image.open(image_path)).shape[1]
    expect = {
        "badmodel": "no-such-model",
        "tile": "Tile size 7 is out of range",
        "indexed": "Indexed images are not supported",
    }
    for name, text in expect.items():
        c.equal(r, f"err.{name}.result", "failed")
        c.contains(r, f"err.{name}.message", text)
        c.equal(r, f"err.{name}.image.width", w)
        c.equal(r, f"err.{name}.image.layers", 1)
        c.equal(r, f"err.{name}.image.dirty", 0)   # not even an undo step
    c.contains(r, "err.tile.message", "calling-error")


def check_ranges(c, r, image_path):
    """Script-Fu checks the declared ranges before GIMP runs anything."""
    w = np.asarray(Image.open(image_path)).shape[1]
    for key, text in (("scale0", "value 0.000000 out of range: 1.000000 to 8.000000"),
                      ("scale9", "value 9.000000 out of range: 1.000000 to 8.000000"),
                      ("output3", "value 3 out of range: 0 to 2")):
        c.equal(r, f"err.{key}.result", "failed")
        c.contains(r, f"err.{key}.message", text)
        c.equal(r, f"err.{key}.width", w)
        c.equal(r, f"err.{key}.layers", 1)
        c.equal(r, f"err.{key}.dirty", 0)
    c.equal(r, "old9.result", "succeeded")


def main():
    args = parse_args()
    args.workdir = os.path.abspath(args.workdir)
    lib.need_gimp3()
    images = sorted(glob.glob(os.path.join(args.shared, "data", "bench", "Set5", "LR_bicubic",
                                           "X4", "*.png")))
    if not images:
        print(f"FAIL: no Set5 images under {args.shared}")
        sys.exit(1)
    os.makedirs(args.workdir, exist_ok=True)
    out = os.path.join(args.workdir, "out")
    os.makedirs(out, exist_ok=True)
    models = os.path.join(args.workdir, "models")
    subprocess.run([sys.executable, os.path.join(os.path.dirname(__file__), "..", "gimp",
                                                 "make_test_models.py"), args.models_py, models],
                   check=True)
    model, blur = os.path.join(models, "tiny-x4.srm"), os.path.join(models, "blur-x4.srm")
    profile = lib.make_profile(args.workdir, args.plugin)

    r, log = lib.run_python(profile, args.workdir, "batch",
                            script_registered() + script_set5(images, model, out)
                            + script_layers(blur, out) + script_errors(images[0], model))
    r2, log2 = lib.run_script_fu(profile, args.workdir, "ranges",
                                 script_fu_ranges(images[0], model))

    c = lib.Checker()
    check_registered(c, r)
    check_set5(c, r, images, model, args, out)
    check_layers(c, r, out)
    check_errors(c, r, images[0])
    check_ranges(c, r2, images[0])
    if c.failures:
        for path in (log, log2):
            with open(path, errors="replace") as f:
                print(f"--- {path} (end)\n" + f.read()[-3000:])
    c.finish()


if __name__ == "__main__":
    main()
