#!/usr/bin/python3
"""Undo after plug-in-super-resolution restores the image in one step.

The PDB has no "undo", so this runs the full GIMP (gimp-2.10) under Xvfb:
Script-Fu opens a Set5 image in a display and runs the plug-in (output 0:
canvas x4 plus a new layer); then Ctrl+Z is typed into the image window
through XTest, once; then Script-Fu checks the size, the layers and their
names are those of the original.  Then the same for output 2 (replace the
layer, x2.5): one Ctrl+Z gives back the size, the clean state and the
layer's exact pixels.
Exit status 77 (skipped) without gimp-2.10, Xvfb, xwininfo or libXtst.
"""
import argparse
import os
import shutil
import subprocess
import sys
import time

import gimp_test_lib as lib
import xsession

GIMP = "gimp-2.10"


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--plugin", required=True)
    p.add_argument("--models-py", required=True)
    p.add_argument("--shared", required=True)
    p.add_argument("--workdir", required=True)
    return p.parse_args()


def same_pixels(c, before_png, after_png):
    """One Ctrl+Z gave back the layer's pixels exactly."""
    try:
        import numpy as np
        from PIL import Image
    except ImportError:
        print("note: numpy/Pillow missing, pixel check after undo skipped")
        return
    ok = os.path.exists(before_png) and os.path.exists(after_png)
    if ok:
        a, b = np.asarray(Image.open(before_png)), np.asarray(Image.open(after_png))
        ok = a.shape == b.shape and (a == b).all()
    c.check(ok, "undoing the replace restores the layer's pixels exactly")


def main():
    args = parse_args()
    if not shutil.which(GIMP):
        lib.skip(f"{GIMP} not found")
    xsession.ensure_display()

    image = os.path.join(args.shared, "data", "bench", "Set5", "LR_bicubic", "X4", "babyx4.png")
    if not os.path.isfile(image):
        lib.skip(f"{image} not found")
    os.makedirs(args.workdir, exist_ok=True)
    models = os.path.join(args.workdir, "models")
    subprocess.run([sys.executable, os.path.join(os.path.dirname(__file__), "make_test_models.py"),
                    args.models_py, models], check=True)
    model = os.path.join(models, "tiny-x4.srm")
    profile = lib.make_profile(args.workdir, args.plugin)
    log_path = os.path.join(args.workdir, "gimp.log")

    step1 = lib.PRELUDE + f'''
(define image (car (gimp-file-load RUN-NONINTERACTIVE {lib.scheme_string(image)} "in")))
(define source (car (gimp-image-get-active-layer image)))
(define display (car (gimp-display-new image)))
(gimp-image-clean-all image)
(report-image "before" image)
(define new (car (plug-in-super-resolution RUN-NONINTERACTIVE image source {lib.scheme_string(model)} 4 0 0 0 FALSE FALSE)))
(gimp-displays-flush)
(report-image "after" image)
'''
    step2 = '''
(report-image "undone" image)
(report-layer "undone.source" source)
(report "undone.new-valid" (car (gimp-item-is-valid new)))
'''
    # Output 2 (replace the layer) on the restored image, at x2.5: the
    # layer's pixels are saved before and after one more Ctrl+Z.
    before_png = os.path.join(args.workdir, "replace-before.png")
    undone_png = os.path.join(args.workdir, "replace-undone.png")
    step3 = f'''
(save-layer image source {lib.scheme_string(before_png)})
(gimp-image-clean-all image)
(plug-in-super-resolution RUN-NONINTERACTIVE image source {lib.scheme_string(model)} 2.5 0 0 2 FALSE FALSE)
(gimp-displays-flush)
(report-image "replaced" image)
(report-layer "replaced.source" source)
'''
    step4 = f'''
(report-image "replace-undone" image)
(report-layer "replace-undone.source" source)
(report "replace-undone.parasite"
        (if (pair? (catch #f (gimp-item-get-parasite source "gimp-sr-model"))) 1 0))
(save-layer image source {lib.scheme_string(undone_png)})
(report "saved" 1)
(gimp-quit 1)
'''
    c = lib.Checker()
    x = xsession.XTest()
    with open(log_path, "w") as log:
        # -c: messages to the console (our reports), -s: no splash.
        proc = subprocess.Popen([GIMP, "-d", "-f", "-s", "-c", "-b", "-"],
                                stdin=subprocess.PIPE, stdout=log, stderr=subprocess.STDOUT,
                                env=lib.gimp_env(profile), text=True, start_new_session=True)
        try:
            proc.stdin.write(step1)
            proc.stdin.flush()
            r = lib.wait_for_report(log_path, "after.dirty", 180)
            if not c.check(r is not None, "the plug-in ran in a GIMP with a display"):
                raise RuntimeError("no result")
            c.equal(r, "after.width", 512)
            c.equal(r, "after.layers", 2)

            win = xsession.find_window(r"babyx4")
            if not c.check(win is not None, "the image window is there"):
                raise RuntimeError("no image window")
            wid, wx, wy, ww, wh = win
            # Keys go to the window under the pointer (no window manager).
            x.move(wx + ww // 2, wy + wh // 2)
            time.sleep(1)
            x.key("z", "Control_L")
            time.sleep(3)
            xsession.screenshot(os.path.join(args.workdir, "after-undo.png"))

            proc.stdin.write(step2)
            proc.stdin.flush()
            r = lib.wait_for_report(log_path, "undone.new-valid", 60)
            if c.check(r is not None, "GIMP answers after the undo"):
                c.equal(r, "undone.width", r.get("before.width", ["?"])[-1])
                c.equal(r, "undone.height", r.get("before.height", ["?"])[-1])
                c.equal(r, "undone.layers", 1)
                c.equal(r, "undone.source.width", 128)
                c.equal(r, "undone.source.name", "Background")
                c.equal(r, "undone.dirty", 0)       # back to the clean state
                c.equal(r, "undone.new-valid", 0)   # the new layer is gone

            proc.stdin.write(step3)
            proc.stdin.flush()
            r = lib.wait_for_report(log_path, "replaced.source.name", 180)
            if c.check(r is not None, "replace ran"):
                c.equal(r, "replaced.width", 320)
                c.equal(r, "replaced.layers", 1)
                c.equal(r, "replaced.source.width", 320)
                c.equal(r, "replaced.source.name", "Background")
                x.move(wx + ww // 2, wy + wh // 2)
                time.sleep(1)
                x.key("z", "Control_L")
                time.sleep(3)
                proc.stdin.write(step4)
                proc.stdin.flush()
                r = lib.wait_for_report(log_path, "saved", 60)
            if c.check(r is not None, "GIMP answers after undoing the replace"):
                for k in ("width", "height", "layers"):
                    c.equal(r, f"replace-undone.{k}", r.get(f"before.{k}", ["?"])[-1])
                c.equal(r, "replace-undone.source.width", 128)
                c.equal(r, "replace-undone.source.name", "Background")
                c.equal(r, "replace-undone.dirty", 0)
                c.equal(r, "replace-undone.parasite", 0)
                same_pixels(c, before_png, undone_png)
            proc.stdin.close()
            proc.wait(timeout=60)
        except Exception as e:
            c.check(False, f"unexpected: {e!r}")
        finally:
            lib.stop_gimp(proc)
    lib.finish_with_log(c, log_path)


if __name__ == "__main__":
    main()
