#!/usr/bin/python3
"""The GIMP 3 plug-in from the menu's point of view: interactive runs.

Full GIMP 3 under Xvfb.  A python-fu-eval batch script runs the procedure
with RUN-INTERACTIVE, as the menu does.  The dialog writes its state to
$SR_DIALOG_STATE (ui/sr-dialog-state.h): every "sr-*" widget, where it is
and what it shows.  The test finds widgets by name there, clicks them
(XTest; no keyboard, which a dialog without a window manager never gets),
and waits for states, never for a fixed time:
  - the preview finished: screenshot (build folder, dialog.png), not blank,
    the preview's own rectangle not blank; models by purpose: the scale 2
    set through the config picks "Best quality" with imdn-x2 on the line
    below; "Replace the layer" sets output 2 (the canvas still grows) and,
    with no selection, "selection only" is insensitive;
  - the target width's "+" on the 128 x 128 layer at x2: width 257,
    height 257, factor 257/128 = 2.0078125, "257 × 257" in the result
    line, and the x3 model (the next whole scale up) chosen;
  - zoom 200 %: every output pixel drawn as 2 x 2 screen pixels in the
    preview (checked on the screenshot: columns come in equal pairs, which
    they do not at 100 %);
then Cancel (the run must end as cancelled, the image untouched), and on a
second run OK: the image is scaled x2 and the new layer added, with the
scale 2 set beforehand through the config (GimpProcedureConfig's last
values).
Run inside tools/gimp3/run.sh; anything missing is a failure, not a skip.
"""
import argparse
import os
import subprocess

import numpy as np
from PIL import Image

import gimp3_test_lib as lib
import test_gimp3_undo as undo
import dialog_state as ds  # noqa: E402  (tests/gimp, on the path through undo)

xsession = undo.xsession


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--plugin", required=True)
    p.add_argument("--models-dir", required=True, help="the shipped models (SR_MODEL_PATH)")
    p.add_argument("--shared", required=True)
    p.add_argument("--workdir", required=True)
    return p.parse_args()


def script(image, flag_dir):
    return f'''
import os, time
def interactive(image, layer, key):
    proc = Gimp.get_pdb().lookup_procedure(PROC)
    cfg = proc.create_config()
    cfg.set_property("run-mode", Gimp.RunMode.INTERACTIVE)
    cfg.set_property("image", image)
    cfg.set_core_object_array("drawables", [layer])
    cfg.set_property("scale", 2.0)
    report(key + ".started", 1)
    result = proc.run(cfg)
    report(key + ".status", result.index(0).value_nick)
    report_image(key + ".image", image)

image = load({image!r})
layer = image.get_layers()[0]
display = Gimp.Display.new(image)
image.clean_all()
interactive(image, layer, "cancel")
interactive(image, layer, "ok")
quit = Gimp.get_pdb().lookup_procedure("gimp-quit")
cfg = quit.create_config()
cfg.set_property("force", True)
quit.run(cfg)
'''


def click_plus(x, wx, wy, state, name):
    """Clicks the "+" of a GTK 3 spin button (its right end).  No keyboard:
    with no window manager the dialog never gets the keyboard focus."""
    bx, by, bw, bh = ds.box(state, name)
    x.click(wx + bx + bw - 16, wy + by + bh // 2)


def shoot(wid, path):
    subprocess.run(["import", "-window", wid, path], check=True)
    return path


def explore(c, x, win, state_path, workdir):
    """The checks of the docstring on the open dialog of the first run."""
    wid, wx, wy, ww, wh = win
    st = ds.wait(state_path, lambda s: ds.flag(s, "preview-done"))
    if not c.check(st is not None, "the preview finishes (state preview-done)"):
        return
    shot = shoot(wid, os.path.join(workdir, "dialog.png"))
    a = np.asarray(Image.open(shot).convert("L")).astype(float)
    c.check(a.std() > 10 and ww > 200 and wh > 150,
            f"the dialog is drawn ({ww} x {wh}, grey-level spread {a.std():.1f}): {shot}")
    p = ds.preview_pixels(shot, st)
    c.check(p.size > 0 and p.std() > 10,
            f"the preview shows the image (spread {p.std() if p.size else 0:.1f})")
    c.check(st["sr-model-summary"]["text"].startswith("imdn-x2 · "),
            f"the model's id on the line below: {st['sr-model-summary']['text']!r}")
    c.check(st["sr-model-purpose"]["text"].startswith("The sharpest result"),
            f"the model told by its purpose: {st['sr-model-purpose']['text']!r}")

    # Output "replace the layer" (2): the canvas still grows.
    ds.click(x, wx, wy, st, "sr-output-replace")
    st = ds.wait(state_path, lambda s: s["dialog"]["output"] == "2")
    if c.check(st is not None, "the replace radio sets output 2"):
        c.check("the image becomes 256 × 256" in st["sr-result-size"]["text"],
                f"replace grows the canvas: {st['sr-result-size']['text']!r}")
        c.check(st["sr-selection-only"]["sensitive"] == "false",
                "no selection: the selection-only box is insensitive")

    # Target size: one pixel wider (257) on the 128 px layer.
    click_plus(x, wx, wy, st, "sr-target-width")
    st = ds.wait(state_path, lambda s: abs(float(s["dialog"]["scale"]) - 257 / 128) < 1e-9
                 and float(s["sr-target-height"]["value"]) == 257
                 and ds.flag(s, "preview-done"), timeout=180)
    if c.check(st is not None, "width 257 sets factor 257/128 = 2.0078125 and height 257"):
        c.check("257 × 257" in st["sr-result-size"]["text"],
                f"the result line follows: {st['sr-result-size']['text']!r}")
        c.check(abs(float(st["sr-scale"]["value"]) - 257 / 128) < 1e-9,
                f"the factor field follows: {st['sr-scale']['value']}")
        c.check(st["sr-model-summary"]["text"].startswith("imdn-x3 · "),
                f"the x3 model for 2.008: {st['sr-model-summary']['text']!r}")
        shot100 = shoot(wid, os.path.join(workdir, "dialog-size-257.png"))

        # Zoom 200 %: the row after 100 % in the zoom list.
        ds.scroll_down(x, wx, wy, st, "sr-preview-zoom")
        st = ds.wait(state_path, lambda s: float(s["dialog"]["preview-zoom"]) == 2.0
                     and ds.flag(s, "preview-done"), timeout=180)
        if c.check(st is not None, "zoom 200 % chosen and the preview recomputed"):
            shot200 = shoot(wid, os.path.join(workdir, "dialog-zoom-200.png"))
            # Left of the divider, below the "Bicubic" label, inside the
            # picture at both zooms (257 x 257 output pixels in ~384 x 288).
            before = ds.paired_columns(ds.preview_pixels(shot100, st)[40:-40, 70:150])
            after = ds.paired_columns(ds.preview_pixels(shot200, st)[40:-40, 70:150])
            c.check(after == 1.0 and before < 0.9,
                    f"200 %: columns in equal pairs ({after:.2f}; at 100 %: {before:.2f})")


def dialog_window(c, what):
    win = xsession.find_window(r"^Super-Resolution$", timeout=120)
    c.check(win is not None, f"{what}: the dialog opens")
    return win


def main():
    args = parse_args()
    args.workdir = os.path.abspath(args.workdir)
    undo.under_xvfb()
    image = os.path.join(args.shared, "data", "bench", "Set5", "LR_bicubic", "X4", "babyx4.png")
    undo.need(os.path.isfile(image), f"{image} not found")
    os.makedirs(args.workdir, exist_ok=True)
    profile = lib.make_profile(args.workdir, args.plugin)
    log_path = os.path.join(args.workdir, "gimp.log")
    script_path = os.path.join(args.workdir, "dialog.py")
    with open(lib.IN_GIMP) as f, open(script_path, "w") as out:
        out.write(f.read() + script(image, args.workdir))

    c = lib.Checker()
    x = xsession.XTest()
    env = lib.gimp_env(profile)
    env["DISPLAY"] = os.environ["DISPLAY"]
    env["SR_MODEL_PATH"] = os.path.abspath(args.models_dir)
    state_path = os.path.join(args.workdir, "dialog-state.ini")
    env["SR_DIALOG_STATE"] = state_path
    if os.path.exists(state_path):
        os.remove(state_path)
    with open(log_path, "w") as log:
        proc = subprocess.Popen([undo.GIMP, "-s", "--batch-interpreter=python-fu-eval",
                                 "-b", f"exec(open({script_path!r}).read())"],
                                stdout=log, stderr=subprocess.STDOUT, env=env,
                                start_new_session=True)
        try:
            win = dialog_window(c, "cancel run")
            if win:
                wid, wx, wy, ww, wh = win
                explore(c, x, win, state_path, args.workdir)
                ds.click(x, wx, wy, ds.read(state_path), "sr-cancel")
            r = xsession.lib.wait_for_report(log_path, "cancel.image.dirty", 60)
            if c.check(r is not None, "Cancel ends the first run"):
                c.equal(r, "cancel.status", "cancel")
                c.equal(r, "cancel.image.width", 128)
                c.equal(r, "cancel.image.layers", 1)
                c.equal(r, "cancel.image.dirty", 0)
            # The next dialog writes a file of its own.
            if os.path.exists(state_path):
                os.remove(state_path)

            win = dialog_window(c, "OK run")
            if win:
                wid, wx, wy, ww, wh = win
                # The second dialog's state (the first one's file is gone).
                st = ds.wait(state_path, lambda s: "sr-ok" in s, 60)
                if c.check(st is not None, "the second dialog is up"):
                    ds.click(x, wx, wy, st, "sr-ok")
            r = xsession.lib.wait_for_report(log_path, "ok.image.dirty", 180)
            if c.check(r is not None, "OK runs the plug-in"):
                c.equal(r, "ok.status", "success")
                c.equal(r, "ok.image.width", 256)
                c.equal(r, "ok.image.layers", 2)
            proc.wait(timeout=60)
        except Exception as e:
            c.check(False, f"unexpected: {e!r}")
        finally:
            undo.lib_stop(proc)
    if c.failures:
        with open(log_path, errors="replace") as f:
            print(f.read()[-3000:])
    c.finish()


if __name__ == "__main__":
    main()
