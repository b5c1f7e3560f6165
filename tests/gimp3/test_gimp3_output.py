#!/usr/bin/python3
"""Output "replace the layer", "selection only" and the layer name in GIMP 3
(gimp-console-3.0), the same cases as the 2.10 suite's test_gimp_output.py,
against the same independent references: sr-upscale on the same crop,
GIMP's rounding of Image > Scale Image worked out by hand, and GIMP's own
Image > Scale Image for what the network does not touch.

  (a) replace (output 2) at x2.5 on a 100 x 80 layer at (30, 40) of a
      256 x 256 photo (opacity 60, multiply, hidden): the same layer (ID,
      name, look, layer count) at (75, 100), 250 x 200 on a 640 x 640
      canvas, equal to the CLI on that crop; a mask stays, scaled;
  (b) selection only with an ellipse (50, 60) 90 x 70, new layer: at
      (125, 150), 225 x 175, equal to the CLI on the bounding box;
  (c) a selection partly outside the layer, new image: the 30 x 30 part
      inside, 75 x 75, equal to the CLI on it; a selection that misses the
      layer: an error, the image unchanged;
  (d) replace + selection only: the box is the CLI's, the rest GIMP's own
      scale;
  (e) two selected layers replaced: one canvas scale, both layers still
      the selected ones, both the network's;
  (f) replace on a layer group or on locked pixels: refused up front;
  names "SR ×2.5 · <source>", the "gimp-sr-model" parasite names the model.
Run inside tools/gimp3/run.sh (the meson test "gimp3-output").
"""
import argparse
import os
import shutil
import subprocess

import numpy as np
from PIL import Image

import gimp3_test_lib as lib

MODEL = "ecbsr-x2"
SCALE = 2.5


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--plugin", required=True)
    p.add_argument("--cli", required=True, help="sr-upscale built in the same root")
    p.add_argument("--models-dir", required=True, help="the shipped models (models/)")
    p.add_argument("--shared", required=True)
    p.add_argument("--workdir", required=True)
    return p.parse_args()


def script(photo, model, out):
    return f'''
photo, model, out = {photo!r}, {model!r}, {out!r}


def sr(image, layers, output, selection_only):
    proc = Gimp.get_pdb().lookup_procedure(PROC)
    cfg = proc.create_config()
    cfg.set_property("run-mode", Gimp.RunMode.NONINTERACTIVE)
    cfg.set_property("image", image)
    cfg.set_core_object_array("drawables", layers)
    cfg.set_property("model", model)
    cfg.set_property("scale", {SCALE})
    cfg.set_property("threads", 2)
    cfg.set_property("output", output)
    cfg.set_property("selection-only", selection_only)
    result = proc.run(cfg)
    if result.index(0) != Gimp.PDBStatusType.SUCCESS:
        return None, str(result.index(1)) if result.length() > 1 else "?"
    return (result.index(1), result.index(2)), ""


def report_model(prefix, layer):
    p = layer.get_parasite("gimp-sr-model")
    report(prefix + ".model", bytes(p.get_data()).rstrip(b"\\0").decode() if p else "<none>")


def report_look(prefix, layer):
    report(prefix + ".opacity", layer.get_opacity())
    report(prefix + ".mode", int(layer.get_mode()))
    report(prefix + ".id", layer.get_id())


def add_top(image):
    """A layer "Top": the photo's 100 x 80 crop at (30, 40), at (30, 40)."""
    top = image.get_layers()[0].copy()
    image.insert_layer(top, None, 0)
    top.set_name("Top")
    top.resize(100, 80, -30, -40)
    return top


# (a) replace
image = load(photo)
top = add_top(image)
top.set_opacity(60)
top.set_mode(Gimp.LayerMode.MULTIPLY)
top.set_visible(False)
report_look("a.before", top)
r, msg = sr(image, [top], 2, False)
report("a.message", msg)
if r:
    report_image("a.image", image)
    report("a.returned", r[0].get_id())
    report("a.same-image", int(r[1].get_id() == image.get_id()))
    report_layer("a.top", top)
    report_look("a.top", top)
    report_model("a.top", top)
    report("a.position", image.get_item_position(top))
    dump(top, out + "/a.raw", "R'G'B' u8")

# (a) with a mask
image = load(photo)
top = add_top(image)
top.add_mask(top.create_mask(Gimp.AddMaskType.WHITE))
r, msg = sr(image, [top], 2, False)
mask = top.get_mask()
report("m.has-mask", mask is not None)
if mask:
    report_layer("m.mask", mask)

# (b) an ellipse, new layer
image = load(photo)
source = image.get_layers()[0]
image.select_ellipse(Gimp.ChannelOps.REPLACE, 50, 60, 90, 70)
r, msg = sr(image, [source], 0, True)
report("b.message", msg)
if r:
    report_image("b.image", image)
    report_layer("b.new", r[0])
    report_model("b.new", r[0])
    report_layer("b.source", source)
    dump(r[0], out + "/b.raw", "R'G'B' u8")

# (c) partly outside the layer, new image; then a selection that misses it
image = load(photo)
top = add_top(image)
image.select_rectangle(Gimp.ChannelOps.REPLACE, 0, 0, 60, 70)
r, msg = sr(image, [top], 1, True)
report("c.message", msg)
if r:
    report_image("c.new-image", r[1])
    report_layer("c.new", r[0])
    dump(r[0], out + "/c.raw", "R'G'B' u8")
image.select_rectangle(Gimp.ChannelOps.REPLACE, 200, 200, 30, 30)
image.clean_all()
r, msg = sr(image, [top], 0, True)
report("miss.result", "succeeded" if r else "failed")
report("miss.message", msg)
report_image("miss.image", image)

# (d) replace + selection only; the reference is GIMP's own scale of a copy
image = load(photo)
source = image.get_layers()[0]
copy = image.duplicate()
copy.scale(640, 640)
dump(copy.get_layers()[0], out + "/d-gimp.raw", "R'G'B' u8")
image.select_rectangle(Gimp.ChannelOps.REPLACE, 20, 30, 50, 40)
r, msg = sr(image, [source], 2, True)
report("d.message", msg)
report_image("d.image", image)
report_layer("d.source", source)
dump(source, out + "/d.raw", "R'G'B' u8")

# (e) two layers replaced at once
image = load(photo)
source = image.get_layers()[0]
top = add_top(image)
r, msg = sr(image, [source, top], 2, False)
report("e.message", msg)
report_image("e.image", image)
report_layer("e.top", top)
report_layer("e.source", source)
report("e.selected", ",".join(l.get_name() for l in image.get_selected_layers()))
dump(top, out + "/e-top.raw", "R'G'B' u8")
dump(source, out + "/e-source.raw", "R'G'B' u8")

# (f) replace refused up front for a layer group and for locked pixels
image = load(photo)
layer = image.get_layers()[0]
group = Gimp.GroupLayer.new(image, "Group")
image.insert_layer(group, None, 0)
layer.set_lock_content(True)
image.clean_all()
for key, target in (("group", group), ("locked", layer)):
    r, msg = sr(image, [target], 2, False)
    report(key + ".result", "succeeded" if r else "failed")
    report(key + ".message", msg)
report_image("refused.image", image)
report("done", 1)
'''


def main():
    args = parse_args()
    args.workdir = os.path.abspath(args.workdir)
    lib.need_gimp3()
    shutil.rmtree(args.workdir, ignore_errors=True)
    out = os.path.join(args.workdir, "out")
    os.makedirs(out)
    photo = os.path.join(args.shared, "data", "bench", "Set5", "HR", "butterfly.png")
    model = os.path.join(args.models_dir, MODEL + ".srm")
    profile = lib.make_profile(args.workdir, args.plugin)
    r, log = lib.run_python(profile, args.workdir, "output", script(photo, model, out))
    c = lib.Checker()

    def raw(name, w, h):
        path = os.path.join(out, name)
        if not os.path.isfile(path):
            return None
        a = np.fromfile(path, np.uint8)
        return a.reshape(h, w, 3).astype(int) if a.size == w * h * 3 else None

    def cli(key, box):
        x, y, w, h = box
        crop, result = os.path.join(out, f"{key}-crop.png"), os.path.join(out, f"{key}-cli.png")
        Image.open(photo).convert("RGB").crop((x, y, x + w, y + h)).save(crop)
        subprocess.run([args.cli, "-m", model, "-s", str(SCALE), crop, result], check=True)
        return np.asarray(Image.open(result).convert("RGB")).astype(int)

    def same(what, ours, ref):
        ok = ours is not None and ours.shape == ref.shape and (ours == ref).all()
        diff = int(np.abs(ours - ref).max()) if ok or (ours is not None and ours.shape == ref.shape) \
            else "shape"
        return c.check(ok, f"{what} (max diff {diff})")

    c.equal(r, "done", 1)
    # (a)
    c.equal(r, "a.message", "")
    for k, v in (("width", 640), ("height", 640), ("layers", 2)):
        c.equal(r, f"a.image.{k}", v)
    for k, v in (("x", 75), ("y", 100), ("width", 250), ("height", 200), ("name", "Top"),
                 ("visible", 0)):
        c.equal(r, f"a.top.{k}", v)
    for k in ("opacity", "mode", "id"):
        c.equal(r, f"a.top.{k}", r.get(f"a.before.{k}", ["?"])[-1])
    c.equal(r, "a.returned", r.get("a.before.id", ["?"])[-1])
    c.equal(r, "a.same-image", 1)
    c.equal(r, "a.position", 0)
    c.equal(r, "a.top.model", MODEL)
    same("(a) replaced layer equals the CLI on its crop", raw("a.raw", 250, 200),
         cli("a", (30, 40, 100, 80)))
    c.equal(r, "m.has-mask", 1)
    c.equal(r, "m.mask.width", 250)
    c.equal(r, "m.mask.height", 200)
    # (b)
    c.equal(r, "b.message", "")
    for k, v in (("width", 640), ("layers", 2)):
        c.equal(r, f"b.image.{k}", v)
    for k, v in (("x", 125), ("y", 150), ("width", 225), ("height", 175),
                 ("name", "SR ×2.5 · Background")):
        c.equal(r, f"b.new.{k}", v)
    c.equal(r, "b.new.model", MODEL)
    c.equal(r, "b.source.width", 640)
    same("(b) the ellipse's box equals the CLI on that crop", raw("b.raw", 225, 175),
         cli("b", (50, 60, 90, 70)))
    # (c)
    c.equal(r, "c.message", "")
    for k, v in (("width", 75), ("height", 75), ("layers", 1)):
        c.equal(r, f"c.new-image.{k}", v)
    c.equal(r, "c.new.name", "SR ×2.5 · Top")
    same("(c) the clipped box equals the CLI on that crop", raw("c.raw", 75, 75),
         cli("c", (30, 40, 30, 30)))
    c.equal(r, "miss.result", "failed")
    c.contains(r, "miss.message", "selection does not touch this layer")
    for k, v in (("width", 256), ("layers", 2), ("dirty", 0)):
        c.equal(r, f"miss.image.{k}", v)
    # (d)
    c.equal(r, "d.message", "")
    c.equal(r, "d.image.layers", 1)
    c.equal(r, "d.source.width", 640)
    got, gimp = raw("d.raw", 640, 640), raw("d-gimp.raw", 640, 640)
    if c.check(got is not None and gimp is not None, "(d) read back"):
        same("(d) the box is the CLI's", got[75:175, 50:175], cli("d", (20, 30, 50, 40)))
        outside = np.ones(got.shape[:2], bool)
        outside[75:175, 50:175] = False
        c.check((got[outside] == gimp[outside]).all(), "(d) outside the box: GIMP's own scale")
    # (e)
    c.equal(r, "e.message", "")
    c.equal(r, "e.image.width", 640)
    c.equal(r, "e.image.layers", 2)
    selected = sorted(r.get("e.selected", [""])[-1].split(","))
    c.check(selected == ["Background", "Top"], f"(e) both layers stay selected: {selected}")
    c.equal(r, "e.top.x", 75)
    c.equal(r, "e.top.width", 250)
    same("(e) the photo layer equals the CLI", raw("e-source.raw", 640, 640),
         cli("e", (0, 0, 256, 256)))
    same("(e) the top layer equals the CLI on its crop", raw("e-top.raw", 250, 200),
         cli("a", (30, 40, 100, 80)))
    # (f)
    c.equal(r, "group.result", "failed")
    c.contains(r, "group.message", "A layer group cannot be replaced")
    c.equal(r, "locked.result", "failed")
    c.contains(r, "locked.message", "pixels are locked")
    for k, v in (("width", 256), ("layers", 2), ("dirty", 0)):
        c.equal(r, f"refused.image.{k}", v)
    if c.failures:
        with open(log, errors="replace") as f:
            print(f"--- {log} (end)\n" + f.read()[-3000:])
    c.finish()


if __name__ == "__main__":
    main()
