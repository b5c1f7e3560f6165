#!/usr/bin/python3
"""Cancel in GIMP 3 leaves the image untouched.

GIMP 3, like 2.10, cancels a plug-in's progress by ending the plug-in's
process (gimp_plug_in_progress_cancel_callback -> gimp_plug_in_close).  So
this ends it the same way -- SIGKILL while the network runs -- and checks
that the image is exactly as before: size, layers, pixels, not even dirty.
The run replaces the layer (output 2), the output that writes into the
source itself: even that leaves no trace when ended before it finishes.
Run inside tools/gimp3/run.sh (gimp-console-3.0, no display).
"""
import argparse
import os
import subprocess
import sys
import time

import gimp3_test_lib as lib


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--plugin", required=True)
    p.add_argument("--models-dir", required=True, help="the shipped models")
    p.add_argument("--workdir", required=True)
    return p.parse_args()


def plugin_pids(plugin):
    """Our plug-in's processes: started by the GIMP this test started."""
    out = subprocess.run(["pgrep", "-f", os.path.abspath(plugin) + " -gimp"],
                         capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def main():
    args = parse_args()
    args.workdir = os.path.abspath(args.workdir)
    lib.need_gimp3()
    os.makedirs(args.workdir, exist_ok=True)
    for k in ("before", "after"):   # none left from an earlier run
        if os.path.exists(os.path.join(args.workdir, k + ".raw")):
            os.remove(os.path.join(args.workdir, k + ".raw"))
    profile = lib.make_profile(args.workdir, args.plugin)
    linked = os.path.join(profile, "plug-ins", "super-resolution", "super-resolution")
    model = os.path.join(os.path.abspath(args.models_dir), "imdn-x4.srm")
    # A run long enough to be caught: 400 x 300 with TTA (8 passes).
    body = f'''
image = new_image(400, 300)
layer = add_layer(image, "Big", 400, 300, Gimp.ImageType.RGB_IMAGE)
put(layer, "R'G'B' u8", bytes((x * 7 + y * 3) % 256 for y in range(300) for x in range(400) for c in range(3)))
image.clean_all()
report_image("before", image)
dump(layer, {os.path.join(args.workdir, "before.raw")!r}, "R'G'B' u8")
report("running", 1)
r, msg = super_resolution(image, [layer], {model!r}, 4, output=2, tta=True)
report("run.result", "succeeded" if r else "failed")
report("run.message", msg)
report_image("after", image)
report("after.names", ",".join(l.get_name() for l in image.get_layers()))
dump(layer, {os.path.join(args.workdir, "after.raw")!r}, "R'G'B' u8")
'''
    c = lib.Checker()
    script = os.path.join(args.workdir, "cancel.py")
    with open(lib.IN_GIMP) as f, open(script, "w") as out:
        out.write(f.read() + body)
    log = os.path.join(args.workdir, "gimp.log")
    with open(log, "w") as logf:
        gimp = subprocess.Popen([lib.GIMP_CONSOLE, "-i", "--batch-interpreter=python-fu-eval",
                                 "-b", f"exec(open({script!r}).read())", "--quit"],
                                stdout=logf, stderr=subprocess.STDOUT,
                                env=lib.gimp_env(profile), start_new_session=True)
        killed = []
        deadline = time.time() + 300
        while not killed and time.time() < deadline and gimp.poll() is None:
            time.sleep(0.5)
            with open(log, errors="replace") as f:
                running = "SRTEST running=1" in f.read()
            if running:
                time.sleep(3)   # into the network run
                for pid in plugin_pids(linked):
                    os.kill(pid, 9)
                    killed.append(pid)
        c.check(bool(killed), f"the plug-in was ended while running ({killed})")
        try:
            gimp.wait(timeout=300)
        finally:
            if gimp.poll() is None:
                os.killpg(gimp.pid, 15)
    with open(log, errors="replace") as f:
        r = lib.parse_reports(f.read())
    c.equal(r, "run.result", "failed")
    for k in ("width", "height", "layers", "dirty"):
        c.equal(r, f"after.{k}", r.get(f"before.{k}", ["?"])[-1])
    c.equal(r, "after.names", "Big")
    paths = [os.path.join(args.workdir, k + ".raw") for k in ("before", "after")]
    c.check(all(os.path.isfile(p) for p in paths) and
            open(paths[0], "rb").read() == open(paths[1], "rb").read(),
            "the layer's pixels are unchanged")
    if c.failures:
        with open(log, errors="replace") as f:
            print(f.read()[-3000:])
    c.finish()


if __name__ == "__main__":
    main()
