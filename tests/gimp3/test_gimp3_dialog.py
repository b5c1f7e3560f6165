#!/usr/bin/python3
"""The GIMP 3 plug-in from the menu's point of view: interactive runs.

Full GIMP 3 under Xvfb.  A python-fu-eval batch script runs the procedure
with RUN-INTERACTIVE, as the menu does; the test waits for the dialog,
stores a screenshot of it (build folder, dialog.png) and checks it is not
blank, then clicks Cancel (the run must end as cancelled, the image
untouched), and on a second run OK: the image is scaled x2 and the
new layer added, with the scale 2 set beforehand through the config
(GimpProcedureConfig's last values).
Run inside tools/gimp3/run.sh; anything missing is a failure, not a skip.
"""
import argparse
import os
import subprocess
import sys
import time

import numpy as np
from PIL import Image

import gimp3_test_lib as lib
import test_gimp3_undo as undo

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
    with open(log_path, "w") as log:
        proc = subprocess.Popen([undo.GIMP, "-s", "--batch-interpreter=python-fu-eval",
                                 "-b", f"exec(open({script_path!r}).read())"],
                                stdout=log, stderr=subprocess.STDOUT, env=env,
                                start_new_session=True)
        try:
            win = dialog_window(c, "cancel run")
            if win:
                wid, wx, wy, ww, wh = win
                time.sleep(2)   # let it draw
                shot = os.path.join(args.workdir, "dialog.png")
                subprocess.run(["import", "-window", wid, shot], check=True)
                a = np.asarray(Image.open(shot).convert("L")).astype(float)
                c.check(a.std() > 10 and ww > 200 and wh > 150,
                        f"the dialog is drawn ({ww} x {wh}, grey-level spread {a.std():.1f}): {shot}")
                # Without a window manager GTK 3 dialogs get no keyboard
                # focus: click the buttons, bottom right (Cancel, OK).
                x.click(wx + ww - 152, wy + wh - 42)
            r = xsession.lib.wait_for_report(log_path, "cancel.image.dirty", 60)
            if c.check(r is not None, "Cancel ends the first run"):
                c.equal(r, "cancel.status", "cancel")
                c.equal(r, "cancel.image.width", 128)
                c.equal(r, "cancel.image.layers", 1)
                c.equal(r, "cancel.image.dirty", 0)

            win = dialog_window(c, "OK run")
            if win:
                wid, wx, wy, ww, wh = win
                time.sleep(2)
                x.click(wx + ww - 68, wy + wh - 42)
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
