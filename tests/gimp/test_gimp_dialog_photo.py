#!/usr/bin/python3
"""The dialog's default model for an image from a JPEG (issue #20), in full
GIMP 2.10 under Xvfb, reading the dialog's state ($SR_DIALOG_STATE,
dialog_state.py):

  (a) a 128 x 96 photo crop saved as JPEG and opened with gimp-file-load:
      the dialog preselects imdn-photo-x4 at x4 and says why under the model
      ("loaded from a JPEG"); scale 3 (no photo model) switches to imdn-x3
      without that line; back at 4, imdn-photo-x4 again; Escape;
  (b) the same pixels as a PNG: imdn-x4, no such line; OK runs it (the
      dialog stores imdn-x4 as the last model);
  (c) the JPEG again: the stored clean default follows the image, so the
      photo model is preselected again; OK: the new layer's "gimp-sr-model"
      parasite is imdn-photo-x4 (the preselection is what runs).

Exit status 77 (skipped) without gimp-console-2.10, Xvfb, numpy or Pillow.
"""
import argparse
import os

import dialog_state as ds
import gimp_test_lib as lib
import xsession
from test_gimp_dialog import start_gimp, type_scale

WHY = "loaded from a JPEG"


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--plugin", required=True)
    p.add_argument("--models-dir", required=True, help="the source tree's models/ (shipped models)")
    p.add_argument("--shared", required=True)
    p.add_argument("--workdir", required=True)
    p.add_argument("--models-py", default="", help="unused; accepted like the other GIMP tests")
    return p.parse_args()


def main():
    args = parse_args()
    lib.need_gimp()
    lib.need_numpy()
    xsession.ensure_display()
    from PIL import Image
    for m in ("imdn-photo-x4", "imdn-x4", "imdn-x3"):
        if not os.path.exists(os.path.join(args.models_dir, m + ".srm")):
            lib.skip(f"{m}.srm is not in {args.models_dir}")
    os.makedirs(args.workdir, exist_ok=True)
    hr = Image.open(os.path.join(args.shared, "data", "bench", "Set14", "HR", "barbara.png"))
    jpeg, png = os.path.join(args.workdir, "photo.jpg"), os.path.join(args.workdir, "photo.png")
    hr.convert("RGB").crop((300, 100, 428, 196)).save(jpeg, quality=60)
    Image.open(jpeg).save(png)
    profile = lib.make_profile(args.workdir, args.plugin)
    log_path = os.path.join(args.workdir, "gimp.log")
    state_path = os.path.join(args.workdir, "dialog-state.ini")
    env = lib.gimp_env(profile, {"SR_MODEL_PATH": args.models_dir, "SR_DIALOG_STATE": state_path})

    script = lib.PRELUDE + f'''
(define (report-model prefix layer)
  (let ((p (catch #f (gimp-item-get-parasite layer "gimp-sr-model"))))
    (report (string-append prefix ".model") (if (pair? p) (caddr (car p)) "<none>"))))
(define (interactive prefix path)
  (let* ((image (car (gimp-file-load RUN-NONINTERACTIVE path "in")))
         (layer (car (gimp-image-get-active-layer image)))
         (result (catch #f (plug-in-super-resolution RUN-INTERACTIVE image layer "" 4 0 0 0 FALSE FALSE))))
    (report (string-append prefix ".layers") (car (gimp-image-get-layers image)))
    (if (and result (> (car result) 0)) (report-model prefix (car result)))))
(interactive "a" {lib.scheme_string(jpeg)})
(interactive "b" {lib.scheme_string(png)})
(interactive "c" {lib.scheme_string(jpeg)})
(gimp-quit 0)
'''

    def model_is(want, why):
        """Waits until the dialog shows @want, with or without the reason."""
        return ds.wait(state_path, lambda s: s["dialog"]["model"] == want and
                       (WHY in s["sr-model-purpose"]["text"]) == why, timeout=60)

    def dialog(what):
        if os.path.exists(state_path):
            os.remove(state_path)
        win = xsession.find_window(r"^Super-Resolution$")
        c.check(win is not None, f"{what}: the dialog opened")
        return win

    c = lib.Checker()
    x = xsession.XTest()
    with open(log_path, "w") as log:
        proc = start_gimp(script, env, log)
        try:
            win = dialog("(a)")
            if win:
                x.move(win[1] + win[3] // 2, win[2] + win[4] // 2)
                c.check(model_is("imdn-photo-x4", True) is not None,
                        f"(a) JPEG: imdn-photo-x4 preselected, the dialog says it is {WHY!r}")
                # For people: the reason line as drawn (this build folder).
                xsession.screenshot(os.path.join(args.workdir, "dialog-jpeg.png"), win[0])
                type_scale(x, "3")
                c.check(model_is("imdn-x3", False) is not None, "(a) x3: imdn-x3, no reason line")
                type_scale(x, "4")
                c.check(model_is("imdn-photo-x4", True) is not None, "(a) x4 again: imdn-photo-x4")
                x.key("Escape")
            c.check(lib.wait_for_report(log_path, "a.layers", 30) is not None, "(a) Escape closes it")

            win = dialog("(b)")
            if win:
                x.move(win[1] + win[3] // 2, win[2] + win[4] // 2)
                c.check(model_is("imdn-x4", False) is not None, "(b) PNG: imdn-x4, no reason line")
                x.key("o", "Alt_L")
            r = lib.wait_for_report(log_path, "b.model", 300)
            if c.check(r is not None, "(b) OK runs it"):
                c.equal(r, "b.model", "imdn-x4")

            win = dialog("(c)")
            if win:
                x.move(win[1] + win[3] // 2, win[2] + win[4] // 2)
                c.check(model_is("imdn-photo-x4", True) is not None,
                        "(c) JPEG after a PNG run: imdn-photo-x4 preselected again")
                x.key("o", "Alt_L")
            r = lib.wait_for_report(log_path, "c.model", 300)
            if c.check(r is not None, "(c) OK runs it"):
                c.equal(r, "c.model", "imdn-photo-x4")
            proc.wait(timeout=60)
        except Exception as e:  # report, then clean up below
            c.check(False, f"unexpected: {e!r}")
        finally:
            lib.stop_gimp(proc)
    lib.finish_with_log(c, log_path)


if __name__ == "__main__":
    main()
