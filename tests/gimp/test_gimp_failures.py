#!/usr/bin/python3
"""Failures past the argument checks leave the image as it was.

  (a) hostile model files named by path (a header nested 100k deep, which
      crashed the plug-in before the loader capped nesting; a truncated
      model; a file that is not a model): the call fails with a message
      that names the problem, and the image's size, layers, dirty flag and
      pixels are unchanged;
  (b) the plug-in killed with SIGKILL in the middle of a long run (what
      GIMP 2.10's Cancel does: gimp_plug_in_close kills it): the call fails,
      the image is unchanged, and GIMP goes on (a further run succeeds);
  (c) the same with SIGTERM.  libgimp's own handler called exit() while our
      worker threads ran, and under load that exit once hung for minutes,
      leaving GIMP waiting (an exit handler waited on a worker that was
      itself waiting on GIMP); the plug-in's own handler now _exit()s at once.

Exit status 77 (skipped) without gimp-console-2.10, numpy or Pillow.
"""
import argparse
import os
import shutil
import signal
import struct
import subprocess
import time

import gimp_test_lib as lib


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--plugin", required=True)
    p.add_argument("--models-dir", required=True, help="the shipped models (models/)")
    p.add_argument("--shared", required=True)
    p.add_argument("--workdir", required=True)
    p.add_argument("--models-py", default="", help="unused; accepted like the other GIMP tests")
    return p.parse_args()


# Reports the image's state and saves its (single) layer for a pixel check.
STATE = r'''
(define (report-state prefix image path)
  (report-image prefix image)
  (save-layer image (car (gimp-image-get-active-layer image)) path))
'''


def deep_model(blob, path, levels=100000):
    """@blob (a model file) with 100k nested arrays in its metadata: a crash
    in json-glib's parser before the nesting cap."""
    hlen = struct.unpack("<I", blob[12:16])[0]
    text = blob[16:16 + hlen].decode().rstrip()
    key = '{"metadata": {'
    assert text.startswith(key)
    text = key + '"junk": ' + "[" * levels + "]" * levels + ", " + text[len(key):]
    raw = text.encode()
    pad = (16 + len(raw) + 63) // 64 * 64 - 16 - len(raw)
    with open(path, "wb") as f:
        f.write(blob[:12] + struct.pack("<I", len(raw)) + raw + b" " * pad
                + blob[(16 + hlen + 63) // 64 * 64:])


def hostile_models(args):
    """name -> (path, words the message must contain)."""
    with open(os.path.join(args.models_dir, "ecbsr-x2.srm"), "rb") as f:
        blob = f.read()
    deep = os.path.join(args.workdir, "deep.srm")
    deep_model(blob, deep)
    out = {"deep": (deep, "more than 64 deep")}
    cut = os.path.join(args.workdir, "cut.srm")
    with open(cut, "wb") as f:
        f.write(blob[: len(blob) // 2])
    out["cut"] = (cut, "cut.srm")
    text = os.path.join(args.workdir, "notes.srm")
    with open(text, "w") as f:
        f.write("just some notes, not a model\n")
    out["text"] = (text, "bad magic")
    return out


def check_unchanged(c, reports, before, after_key, after_png, np, Image):
    for field in ("width", "height", "layers", "dirty"):
        c.equal(reports, f"{after_key}.{field}", reports.get(f"before.{field}", ["?"])[-1])
    if c.check(os.path.exists(after_png), f"{after_key}: the layer was saved after the call"):
        got = np.asarray(Image.open(after_png))
        c.check(got.shape == before.shape and (got == before).all(),
                f"{after_key}: pixels unchanged")


def kill_mid_run(args, c, profile, photo, sig, np, Image):
    """Sends @sig to the plug-in 3 s into IMDN x4 on a 1000 x 1000 layer
    (tens of seconds): the call fails, the image is unchanged, and GIMP
    goes on -- a further run of the plug-in succeeds.  Returns the log."""
    name = sig.name.lower()
    killed_png = os.path.join(args.workdir, f"after-{name}.png")
    big_before = os.path.join(args.workdir, f"big-before-{name}.png")
    script = STATE + f'''
(define image (car (gimp-file-load RUN-NONINTERACTIVE {lib.scheme_string(photo)} "in")))
(gimp-image-scale image 1000 1000)
(define layer (car (gimp-image-get-active-layer image)))
(gimp-image-clean-all image)
(report-state "before" image {lib.scheme_string(big_before)})
(report "started" 1)
(set! sr-last-error "")
(report "kill.result" (if (catch #f (plug-in-super-resolution RUN-NONINTERACTIVE image layer
                                       {lib.scheme_string(os.path.join(args.models_dir, "imdn-x4.srm"))}
                                       4.0 0 2 0 FALSE FALSE))
                          "succeeded" "failed"))
(report "kill.message" sr-last-error)
(report-state "kill" image {lib.scheme_string(killed_png)})
; GIMP is still usable: a small run of the plug-in goes through.
(define small (car (gimp-image-new 24 20 RGB)))
(define small-layer (car (gimp-layer-new small 24 20 RGB-IMAGE "Small" 100 LAYER-MODE-NORMAL)))
(gimp-image-insert-layer small small-layer 0 0)
(report "again.result" (if (catch #f (plug-in-super-resolution RUN-NONINTERACTIVE small small-layer
                                        {lib.scheme_string(os.path.join(args.models_dir, "ecbsr-x2.srm"))}
                                        2.0 0 2 0 FALSE FALSE))
                           "succeeded" "failed"))
(report-image "again" small)
(report "done" 1)
'''
    log = os.path.join(args.workdir, f"{name}.log")
    reports = {}
    with open(log, "w") as out:
        proc = subprocess.Popen([lib.GIMP_CONSOLE, "-i", "-d", "-f", "-b", "-"],
                                stdin=subprocess.PIPE, stdout=out, stderr=subprocess.STDOUT,
                                env=lib.gimp_env(profile), text=True, start_new_session=True)
        proc.stdin.write(lib.PRELUDE + script + "\n(gimp-quit 0)\n")
        proc.stdin.close()
        killed = False
        try:
            if lib.wait_for_report(log, "started", 300):
                # The plug-in process of this GIMP: its executable in our profile.
                exe = os.path.join(profile, "plug-ins", "super-resolution", "super-resolution")
                deadline = time.time() + 120
                while time.time() < deadline and not killed:
                    pids = subprocess.run(["pgrep", "-f", exe], capture_output=True,
                                          text=True).stdout.split()
                    if pids:
                        time.sleep(3)   # well into the network's run
                        for pid in pids:
                            os.kill(int(pid), sig)
                        killed = True
                    else:
                        time.sleep(0.2)
            c.check(killed, f"the plug-in was found running and sent {sig.name}")
            # A generous bound that only a hang exceeds: GIMP waits for a
            # plug-in that does not end.
            reports = lib.wait_for_report(log, "done", 600) or {}
        finally:
            lib.stop_gimp(proc)
    c.equal(reports, "kill.result", "failed")
    if os.path.exists(big_before):
        check_unchanged(c, reports, np.asarray(Image.open(big_before)), "kill", killed_png,
                        np, Image)
    c.equal(reports, "again.result", "succeeded")
    c.equal(reports, "again.width", 48)
    c.equal(reports, "again.layers", 2)
    return log


def main():
    args = parse_args()
    lib.need_gimp()
    lib.need_numpy()
    import numpy as np
    from PIL import Image

    shutil.rmtree(args.workdir, ignore_errors=True)
    os.makedirs(args.workdir)
    profile = lib.make_profile(args.workdir, args.plugin)
    photo = os.path.join(args.shared, "data", "bench", "Set14", "HR", "baboon.png")
    before_png = os.path.join(args.workdir, "before.png")
    c = lib.Checker()

    # (a) hostile model files, one GIMP session.
    models = hostile_models(args)
    s = [STATE, f'''
(define image (car (gimp-file-load RUN-NONINTERACTIVE {lib.scheme_string(photo)} "in")))
(define layer (car (gimp-image-get-active-layer image)))
(gimp-image-clean-all image)
(report-state "before" image {lib.scheme_string(before_png)})''']
    for name, (path, _) in models.items():
        after = os.path.join(args.workdir, f"after-{name}.png")
        s.append(f'''
(set! sr-last-error "")
(report "{name}.result" (if (catch #f (plug-in-super-resolution RUN-NONINTERACTIVE image layer
                                         {lib.scheme_string(path)} 2.0 0 2 0 FALSE FALSE))
                            "succeeded" "failed"))
(report "{name}.message" sr-last-error)
(report-state "{name}" image {lib.scheme_string(after)})''')
    log = os.path.join(args.workdir, "hostile.log")
    reports, _ = lib.run_batch(profile, "".join(s), env_extra={"SR_MODEL_PATH": args.models_dir},
                               log=log)
    before = np.asarray(Image.open(before_png)) if os.path.exists(before_png) else None
    c.check(before is not None, "the image was saved before the calls")
    for name, (_, words) in models.items():
        c.equal(reports, f"{name}.result", "failed")
        c.contains(reports, f"{name}.message", words)
        if before is not None:
            check_unchanged(c, reports, before, name,
                            os.path.join(args.workdir, f"after-{name}.png"), np, Image)

    # (b) SIGKILL mid-run, (c) SIGTERM mid-run.
    kill_mid_run(args, c, profile, photo, signal.SIGKILL, np, Image)
    log = kill_mid_run(args, c, profile, photo, signal.SIGTERM, np, Image)
    lib.finish_with_log(c, log)


if __name__ == "__main__":
    main()
