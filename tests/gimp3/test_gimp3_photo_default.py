#!/usr/bin/python3
"""The photo model as the default for images loaded from a JPEG (issue #20),
in gimp-console-3.0 (through tools/gimp3/run.sh), non-interactive runs
with model "".  The GIMP 2.10 suite's test_gimp_photo_default.py, in GIMP 3:

  (a) a 1280 x 768 photo collage (Set14 barbara + monarch), JPEG quality
      60, opened with Gimp.file_load (GIMP's JPEG loader attaches the
      "jpeg-settings" parasite), x4 on 2 threads: the new layer's
      "gimp-sr-model" parasite is imdn-photo-x4 and its pixels equal
      `sr-upscale -m imdn-photo-x4` on the pixels GIMP decoded;
  (b) a 320 x 240 crop of those pixels as a PNG: the clean default imdn-x4,
      equal to `sr-upscale -m imdn-x4` on it, different from
      -m imdn-photo-x4;
  (c) a JPEG whose parasite a script removed: the clean imdn-x4 (GIMP 3
      records no file for an image a script loads, only File > Open does,
      so the parasite is all there is: what (a) relied on); a PNG carrying
      the parasite: photo; x3 (no photo model): the clean imdn-x3; x2:
      imdn-photo-x2; a named model wins.
"""
import argparse
import os
import shutil
import subprocess
import sys

import numpy as np
from PIL import Image

import gimp3_test_lib as lib

# tests/photo_collage.py, shared with the CLI and GIMP 2.10 tests.
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.realpath(__file__))))
from photo_collage import collage  # noqa: E402


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--plugin", required=True)
    p.add_argument("--cli", required=True, help="sr-upscale built in the same root")
    p.add_argument("--models-dir", required=True, help="the shipped models (models/)")
    p.add_argument("--shared", required=True)
    p.add_argument("--workdir", required=True)
    return p.parse_args()


# Both scripts: runs the plug-in on @image's layer, reports the new layer's
# model under @prefix, dumps its pixels to out/@raw.
SR = '''
def sr(prefix, image, model, scale, raw=None):
    layer = image.get_layers()[0]
    r, msg = super_resolution(image, [layer], model, scale, threads=2)
    report(prefix + ".message", msg)
    if r:
        p = r[0].get_parasite("gimp-sr-model")
        report(prefix + ".model", bytes(p.get_data()).rstrip(b"\\0").decode() if p else "<none>")
        if raw:
            dump(r[0], out + "/" + raw, "R'G'B' u8")
'''


def script(jpeg, small, out):
    return f'''
jpeg, small, out = {jpeg!r}, {small!r}, {out!r}

{SR}

# (a) the JPEG: decoded pixels dumped for the CLI, then the default model.
a = load(jpeg)
report("a.parasite", int(a.get_parasite("jpeg-settings") is not None))
dump(a.get_layers()[0], out + "/decoded.raw", "R'G'B' u8")
crop = a.duplicate()
crop.crop(320, 240, 100, 100)
dump(crop.get_layers()[0], out + "/crop.raw", "R'G'B' u8")
sr("a", a, "", 4.0, "a.raw")
'''


def script_b(crop_png, small):
    """(b) and (c): the crop as a PNG the test wrote from GIMP's dump."""
    return f'''
crop_png, small = {crop_png!r}, {small!r}
out = {os.path.dirname(crop_png)!r}

{SR}

sr("b", load(crop_png), "", 4.0, "b.raw")

c = load(small)
c.detach_parasite("jpeg-settings")
report("c.parasite", int(c.get_parasite("jpeg-settings") is not None))
sr("c-name", c, "", 4.0)
p = load(crop_png)
p.crop(96, 64, 0, 0)
p.attach_parasite(Gimp.Parasite.new("jpeg-settings", 1, [113]))
sr("c-parasite", p, "", 4.0)
sr("c-x3", load(small), "", 3.0)
sr("c-x2", load(small), "", 2.0)
sr("c-named", load(small), "imdn-x4", 4.0)
report("done", 1)
'''


def main():
    args = parse_args()
    lib.need_gimp3()
    for m in ("imdn-photo-x4", "imdn-photo-x2", "imdn-x4", "imdn-x3"):
        if not os.path.exists(os.path.join(args.models_dir, m + ".srm")):
            print(f"FAIL: {m}.srm is not in {args.models_dir}")
            return 1
    os.environ["SR_MODEL_PATH"] = args.models_dir
    shutil.rmtree(args.workdir, ignore_errors=True)
    out = os.path.join(args.workdir, "out")
    os.makedirs(out)
    profile = lib.make_profile(args.workdir, args.plugin)
    jpeg, small = os.path.join(out, "photo.jpg"), os.path.join(out, "small.jpg")
    collage(args.shared, jpeg, small)
    c = lib.Checker()

    def raw(name, w, h):
        path = os.path.join(out, name)
        if not os.path.isfile(path):
            return None
        a = np.fromfile(path, np.uint8)
        return a.reshape(h, w, 3) if a.size == w * h * 3 else None

    def cli(model, source, name):
        subprocess.run([args.cli, "-t", "2", "-m", model, source, os.path.join(out, name)], check=True)
        return np.asarray(Image.open(os.path.join(out, name)).convert("RGB")).astype(int)

    def same(what, ours, ref):
        ok = ours is not None and ours.shape == ref.shape and (ours.astype(int) == ref).all()
        diff = int(np.abs(ours.astype(int) - ref).max()) if ours is not None and ours.shape == ref.shape \
            else "shape"
        return c.check(ok, f"{what} (max diff {diff})")

    r, log = lib.run_python(profile, args.workdir, "photo-a", script(jpeg, small, out), timeout=1200)
    c.equal(r, "a.message", "")
    c.equal(r, "a.parasite", 1)
    c.equal(r, "a.model", "imdn-photo-x4")
    decoded, cropped = raw("decoded.raw", 1280, 768), raw("crop.raw", 320, 240)
    if decoded is not None:
        Image.fromarray(decoded).save(os.path.join(out, "decoded.png"))
        photo = cli("imdn-photo-x4", os.path.join(out, "decoded.png"), "cli-photo.png")
        same("(a) JPEG, model \"\": equals sr-upscale -m imdn-photo-x4", raw("a.raw", 5120, 3072), photo)
    else:
        c.check(False, "GIMP dumped the decoded pixels")
    if cropped is None:
        c.check(False, "GIMP dumped the crop")
        lib.finish_with_log(c, log)
    crop_png = os.path.join(out, "crop.png")
    Image.fromarray(cropped).save(crop_png)

    r, log = lib.run_python(profile, args.workdir, "photo-b", script_b(crop_png, small), timeout=600)
    c.equal(r, "done", 1)
    c.equal(r, "b.model", "imdn-x4")
    clean = cli("imdn-x4", crop_png, "cli-crop-clean.png")
    photo = cli("imdn-photo-x4", crop_png, "cli-crop-photo.png")
    same("(b) PNG, model \"\": equals sr-upscale -m imdn-x4", raw("b.raw", 1280, 960), clean)
    c.check(np.abs(photo - clean).mean() > 0.5,
            f"(b) the photo and clean models differ on it (mean |diff| {np.abs(photo - clean).mean():.2f})")
    c.equal(r, "c.parasite", 0)
    c.equal(r, "c-name.model", "imdn-x4")
    c.equal(r, "c-parasite.model", "imdn-photo-x4")
    c.equal(r, "c-x3.model", "imdn-x3")
    c.equal(r, "c-x2.model", "imdn-photo-x2")
    c.equal(r, "c-named.model", "imdn-x4")
    lib.finish_with_log(c, log)


if __name__ == "__main__":
    sys.exit(main())
