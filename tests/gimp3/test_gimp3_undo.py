#!/usr/bin/python3
"""Undo after plug-in-super-resolution restores the image in one step (GIMP 3).

GIMP 3's PDB has no "undo", so this runs the full GIMP (gimp-3.0) under
Xvfb, as the 2.10 suite's test_gimp_undo.py does: a python-fu-eval batch
script opens a Set5 image in a display and runs the plug-in on two selected
layers (output 0: canvas x4 plus two new layers), then waits; the test types
Ctrl+Z into the image window once (XTest) and lets the script go on, which
reports that size, layers and names are the original ones again.  Then the
same for output 2 (replace both layers, x2.5): one Ctrl+Z gives back the
size, the clean state and both layers' exact pixels.
Run inside tools/gimp3/run.sh; anything missing is a failure, not a skip.
"""
import argparse
import ctypes.util
import os
import shutil
import subprocess
import sys
import time

import gimp3_test_lib as lib

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "gimp"))
import xsession  # noqa: E402  (the 2.10 suite's X helpers)

GIMP = "gimp-3.0"


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--plugin", required=True)
    p.add_argument("--models-py", required=True)
    p.add_argument("--shared", required=True)
    p.add_argument("--workdir", required=True)
    return p.parse_args()


def need(ok, what):
    if not ok:
        print(f"FAIL: {what} (run this through tools/gimp3/run.sh)")
        sys.exit(1)


def under_xvfb():
    """Re-executes this script under xvfb-run unless it already is."""
    if os.environ.get("SR_UNDER_XVFB"):
        return
    for tool in ("xvfb-run", "xwininfo", GIMP):
        need(shutil.which(tool), f"{tool} not found")
    need(ctypes.util.find_library("Xtst"), "libXtst not found")
    env = dict(os.environ, SR_UNDER_XVFB="1")
    sys.exit(subprocess.run(["xvfb-run", "-a", "-s", f"-screen 0 {xsession.SCREEN}",
                             sys.executable] + sys.argv, env=env).returncode)


def main():
    args = parse_args()
    args.workdir = os.path.abspath(args.workdir)
    under_xvfb()
    image = os.path.join(args.shared, "data", "bench", "Set5", "LR_bicubic", "X4", "babyx4.png")
    need(os.path.isfile(image), f"{image} not found")
    os.makedirs(args.workdir, exist_ok=True)
    models = os.path.join(args.workdir, "models")
    subprocess.run([sys.executable, os.path.join(os.path.dirname(__file__), "..", "gimp",
                                                 "make_test_models.py"), args.models_py, models],
                   check=True)
    model = os.path.join(models, "tiny-x4.srm")
    profile = lib.make_profile(args.workdir, args.plugin)
    log_path = os.path.join(args.workdir, "gimp.log")
    flag = os.path.join(args.workdir, "undone.flag")
    flag2 = os.path.join(args.workdir, "replace-undone.flag")
    for f in (flag, flag2):
        if os.path.exists(f):
            os.remove(f)
    raw = {k: os.path.join(args.workdir, k + ".raw")
           for k in ("source-before", "top-before", "source-undone", "top-undone")}

    with open(lib.IN_GIMP) as f:
        script = f.read() + f'''
import os, time


def wait_for(flag):
    """Until the test has typed Ctrl+Z (it then creates @flag)."""
    deadline = time.time() + 180
    while not os.path.exists(flag) and time.time() < deadline:
        time.sleep(0.2)


def report_state(prefix):
    report_image(prefix, image)
    report(prefix + ".names", ",".join(l.get_name() for l in image.get_layers()))


image = load({image!r})
source = image.get_layers()[0]
top = add_layer(image, "Top", 40, 30, Gimp.ImageType.RGBA_IMAGE, 10, 20)
top.fill(Gimp.FillType.WHITE)
display = Gimp.Display.new(image)
image.clean_all()
report_image("before", image)
report("before.names", ",".join(l.get_name() for l in image.get_layers()))
r, msg = super_resolution(image, [source, top], {model!r}, 4)
report("run.message", msg)
Gimp.displays_flush()
report_image("after", image)
wait_for({flag!r})
report_state("undone")
report_layer("undone.source", source)
report_layer("undone.top", top)

# Output 2 (replace) on both layers at x2.5, then one more Ctrl+Z: sizes,
# clean state and the layers' exact pixels come back.
raw = {raw!r}
dump(source, raw["source-before"], "R'G'B'A u8")
dump(top, raw["top-before"], "R'G'B'A u8")
image.clean_all()
r, msg = super_resolution(image, [source, top], {model!r}, 2.5, output=2)
report("replace.message", msg)
Gimp.displays_flush()
report_image("replaced", image)
report_layer("replaced.top", top)
wait_for({flag2!r})
report_state("replace-undone")
report_layer("replace-undone.top", top)
dump(source, raw["source-undone"], "R'G'B'A u8")
dump(top, raw["top-undone"], "R'G'B'A u8")
report("replace-undone.saved", 1)
quit = Gimp.get_pdb().lookup_procedure("gimp-quit")
cfg = quit.create_config()
cfg.set_property("force", True)
quit.run(cfg)
'''
    script_path = os.path.join(args.workdir, "undo.py")
    with open(script_path, "w") as f:
        f.write(script)

    c = lib.Checker()
    x = xsession.XTest()
    env = lib.gimp_env(profile)
    env["DISPLAY"] = os.environ["DISPLAY"]
    with open(log_path, "w") as log:
        proc = subprocess.Popen([GIMP, "-s", "--batch-interpreter=python-fu-eval",
                                 "-b", f"exec(open({script_path!r}).read())"],
                                stdout=log, stderr=subprocess.STDOUT, env=env,
                                start_new_session=True)
        try:
            r = xsession.lib.wait_for_report(log_path, "after.dirty", 300)
            if not c.check(r is not None, "the plug-in ran in a GIMP 3 with a display"):
                raise RuntimeError("no result")
            c.equal(r, "run.message", "")
            c.equal(r, "after.width", 512)
            c.equal(r, "after.layers", 4)
            # GIMP 3 titles an image loaded by a script "[Untitled]".
            win = xsession.find_window(r"\[(Untitled|babyx4)\]", timeout=60)
            if not c.check(win is not None, "the image window is there"):
                print(subprocess.run(["xwininfo", "-root", "-tree"], capture_output=True,
                                     text=True).stdout[-3000:])
                raise RuntimeError("no image window")
            undo(x, win, flag)
            r = xsession.lib.wait_for_report(log_path, "undone.top.bpp", 120)
            if c.check(r is not None, "GIMP answers after the undo"):
                c.equal(r, "undone.width", r.get("before.width", ["?"])[-1])
                c.equal(r, "undone.height", r.get("before.height", ["?"])[-1])
                c.equal(r, "undone.layers", 2)
                c.equal(r, "undone.names", r.get("before.names", ["?"])[-1])
                c.equal(r, "undone.source.width", 128)
                c.equal(r, "undone.top.x", 10)
                c.equal(r, "undone.top.width", 40)
                c.equal(r, "undone.dirty", 0)   # back to the clean state: one step
            r = xsession.lib.wait_for_report(log_path, "replaced.top.bpp", 300)
            if c.check(r is not None, "replace ran"):
                c.equal(r, "replace.message", "")
                c.equal(r, "replaced.width", 320)
                c.equal(r, "replaced.layers", 2)
                c.equal(r, "replaced.top.x", 25)        # round(2.5 * 10)
                c.equal(r, "replaced.top.width", 100)
                c.equal(r, "replaced.top.name", "Top")
                undo(x, win, flag2)
            else:
                open(flag2, "w").close()
            r = xsession.lib.wait_for_report(log_path, "replace-undone.saved", 120)
            if c.check(r is not None, "GIMP answers after undoing the replace"):
                for k in ("width", "height", "layers", "names"):
                    c.equal(r, f"replace-undone.{k}", r.get(f"before.{k}", ["?"])[-1])
                c.equal(r, "replace-undone.top.x", 10)
                c.equal(r, "replace-undone.top.width", 40)
                c.equal(r, "replace-undone.dirty", 0)
                for k in ("source", "top"):
                    a, b = raw[k + "-before"], raw[k + "-undone"]
                    same = (os.path.isfile(a) and os.path.isfile(b) and
                            open(a, "rb").read() == open(b, "rb").read())
                    c.check(same, f"undoing the replace restores {k}'s pixels exactly")
            proc.wait(timeout=60)
        except Exception as e:
            c.check(False, f"unexpected: {e!r}")
        finally:
            lib_stop(proc)
    if c.failures:
        with open(log_path, errors="replace") as f:
            print(f.read()[-3000:])
    c.finish()


def undo(x, win, flag):
    """Types Ctrl+Z into the image window, then lets the script go on."""
    wid, wx, wy, ww, wh = win
    # Keys go to the window under the pointer (no window manager); its
    # left edge, clear of GIMP 3's welcome dialog.
    x.move(wx + 30, wy + wh // 2)
    time.sleep(1)
    x.key("z", "Control_L")
    time.sleep(3)
    open(flag, "w").close()


def lib_stop(proc):
    """Ends our own GIMP and its plug-ins (its process group), if still running."""
    if proc.poll() is None:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=30)


if __name__ == "__main__":
    main()
