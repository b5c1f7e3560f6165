#!/usr/bin/python3
"""The plug-in dialog under Xvfb: screenshot, cancel, OK, last values.

Opens the dialog on a Set5 image through gimp-console's batch mode.  The
dialog writes its state to $SR_DIALOG_STATE (dialog_state.py): the test
finds widgets by name there and waits for states, never a fixed time.  It
waits for the preview, saves a screenshot (WORKDIR/dialog.png,
WORKDIR/dialog-window.png), checks that it is not blank, pans (a new
preview result), then types a fractional scale (2.5: size label and preview
follow), ticks TTA (the time estimate says 8 runs), clicks the target
width's up arrow (321 px on the 128 px layer: factor 321/128, height 321),
picks zoom 200 % (every output pixel 2 screen pixels wide), with
screenshots of each.  Before that, at x4 on an image set to 300 ppi: the
print size (512 px = 1.71 in = 43.3 mm; 321 px later: 27.2 mm), zoom Fit
(the whole 512 x 512 result in view, below 100 %), the navigator (a click
in its bottom-right corner moves the view there and computes a new
preview; top-left back to 0,0) and Help (our page opens, through GIO's
default HTML handler, here a script that notes the URI); once the preview
has been idle 5 s the dialog trims the core (sr_cache_trim) and the pan
after it still computes a preview.  Then:
  - Escape: the call comes back cancelled and the image is unchanged (the
    preview thread must have shut down cleanly for the plug-in to return);
  - a second run at scale 2.5, OK (Alt+O): a new layer of round(w 2.5) x
    round(h 2.5) appears, the canvas grown alike;
  - RUN-WITH-LAST-VALS: runs again with the same model and scale, no dialog;
  - an image with a rectangular selection (40 x 30 at 10,20): the dialog
    offers "only the selection's bounding box", ticked, OK: the new layer is
    the box's size times the factor (the factor the dialog shows).
With --language de (test gimp-dialog-de): the translations installed beside
the plug-in, LANGUAGE=de; the dialog's texts are German (dialog-de.png).
Exit status 77 (skipped) without gimp-console-2.10, Xvfb, xwininfo,
ImageMagick's import, numpy or Pillow.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys

import dialog_state as ds
import gimp_test_lib as lib
import xsession


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--plugin", required=True)
    p.add_argument("--models-py", required=True)
    p.add_argument("--models-dir", required=True, help="the source tree's models/ (shipped models)")
    p.add_argument("--shared", required=True)
    p.add_argument("--workdir", required=True)
    p.add_argument("--language", help="e.g. de: only check the dialog's translation")
    p.add_argument("--locale-dir", help="the build's po/ (compiled .mo files)")
    return p.parse_args()


def not_blank(path, c):
    import numpy as np
    from PIL import Image
    if not c.check(os.path.isfile(path) and os.path.getsize(path) > 0, f"screenshot saved: {path}"):
        return
    a = np.asarray(Image.open(path).convert("RGB")).astype(np.float64)
    colours = len(np.unique(a.reshape(-1, 3), axis=0))
    c.check(a.std() > 10 and colours > 200,
            f"screenshot is not blank (std {a.std():.1f}, {colours} colours)")


def differs(a, b):
    import numpy as np
    from PIL import Image
    x, y = (np.asarray(Image.open(p).convert("RGB")).astype(int) for p in (a, b))
    return x.shape != y.shape or np.abs(x - y).sum() > 0


def type_scale(x, text):
    """Alt+S focuses the scale; the text replaces its value; Tab commits."""
    keys = {".": "period"}
    x.key("s", "Alt_L")
    x.key("a", "Control_L")
    for ch in text:
        x.key(keys.get(ch, ch))
    x.key("Tab")


def start_gimp(script, env, log):
    """gimp-console running @script (Script-Fu) in the background."""
    proc = subprocess.Popen([lib.GIMP_CONSOLE, "-i", "-d", "-f", "-b", "-"],
                            stdin=subprocess.PIPE, stdout=log, stderr=subprocess.STDOUT,
                            env=env, text=True, start_new_session=True)
    proc.stdin.write(script)
    proc.stdin.close()
    return proc


def german(args, profile, env, state_path, image):
    """The dialog in German: the .mo beside the plug-in (as a profile install
    puts it), LANGUAGE=de.  The expected texts are de.po's, written by hand."""
    mo_dir = os.path.join(profile, "plug-ins", "super-resolution", "locale",
                          args.language, "LC_MESSAGES")
    os.makedirs(mo_dir)
    mo = os.path.join(args.locale_dir, args.language, "LC_MESSAGES", "gimp-sr.mo")
    c = lib.Checker()
    if not c.check(os.path.isfile(mo), f"translations built: {mo}"):
        c.finish()
    shutil.copy2(mo, mo_dir)
    env["LANGUAGE"] = args.language
    log_path = os.path.join(args.workdir, "gimp.log")
    script = lib.PRELUDE + f'''
(define image (car (gimp-file-load RUN-NONINTERACTIVE {lib.scheme_string(image)} "in")))
(define layer (car (gimp-image-get-active-layer image)))
(gimp-image-set-resolution image 300 300)
(report "de.result" (if (catch #f (plug-in-super-resolution RUN-INTERACTIVE image layer "" 4 0 0 0 FALSE FALSE)) "ok" "failed"))
(gimp-quit 0)
'''
    x = xsession.XTest()
    with open(log_path, "w") as log:
        proc = start_gimp(script, env, log)
        try:
            win = xsession.find_window(r"^Superauflösung$|^Super-Resolution$")
            if c.check(win is not None, "the dialog opened"):
                wid = win[0]
                st = ds.wait(state_path, lambda s: ds.flag(s, "preview-done"))
                if c.check(st is not None, "the preview finishes"):
                    shot = os.path.join(args.workdir, "dialog-de.png")
                    xsession.screenshot(shot, wid)
                    not_blank(shot, c)
                    expected = {
                        "sr-model-purpose": "Das schärfste Ergebnis für saubere Bilder; "
                                            "dauert länger.",
                        "sr-output-replace": "Ebene _ersetzen",
                    }
                    for name, text in expected.items():
                        got = st[name].get("text", st[name].get("label"))
                        c.check(got == text, f"{name} in German: {got!r}")
                    c.check(st["sr-result-size"]["text"].startswith("Ergebnis"),
                            f"the result line in German: {st['sr-result-size']['text']!r}")
                    clipped = ds.clipped_labels(st, win[3])
                    c.check(not clipped, f"no German label is cut off: {clipped}")
                    # The decimal mark is the locale's or a point.
                    got = st["sr-print-size"]["text"]
                    c.check(re.fullmatch(r"Druckgröße: 1[.,]71 × 1[.,]71 in \(43[.,]3 × 43[.,]3 mm\)"
                                         r" bei 300 ppi", got) is not None,
                            f"the print size in German: {got!r}")
                x.key("Escape")
            c.check(lib.wait_for_report(log_path, "de.result", 60) is not None,
                    "Escape closes it")
            proc.wait(timeout=60)
        except Exception as e:  # report, then clean up below
            c.check(False, f"unexpected: {e!r}")
        finally:
            lib.stop_gimp(proc)
    lib.finish_with_log(c, log_path)


def selection(args, c, x, state_path, log_path):
    """The fourth call: a 40 x 30 selection at 10,20 of the 128 x 128 image."""
    if os.path.exists(state_path):
        os.remove(state_path)
    win = xsession.find_window(r"^Super-Resolution$")
    if not c.check(win is not None, "the dialog opened on the image with a selection"):
        return
    wid, wx, wy, ww, wh = win
    st = ds.tick_selection_only(c, x, wx, wy, state_path)
    if st is None:
        return
    scale = ds.number(st, "scale")
    w, h = round(40 * scale), round(30 * scale)
    c.check(f"{w} × {h}" in st["sr-result-size"]["text"],
            f"the result size is the box's x{scale}: {st['sr-result-size']['text']!r}")
    c.check((float(st["sr-target-width"]["value"]), float(st["sr-target-height"]["value"]))
            == (w, h), "the target size fields show the box's result: "
            f"{st['sr-target-width']['value']} x {st['sr-target-height']['value']}")
    shot = os.path.join(args.workdir, "dialog-selection.png")
    xsession.screenshot(shot, wid)
    not_blank(shot, c)
    x.key("o", "Alt_L")
    r = lib.wait_for_report(log_path, "fourth.image.layers", 120)
    if c.check(r is not None, "OK upscales the selection"):
        c.equal(r, "fourth.result", "ok")
        c.equal(r, "fourth.new.width", w)
        c.equal(r, "fourth.new.height", h)


def main():
    args = parse_args()
    lib.need_gimp()
    lib.need_numpy()
    xsession.ensure_display()

    image = os.path.join(args.shared, "data", "bench", "Set5", "LR_bicubic", "X4", "babyx4.png")
    if not os.path.isfile(image):
        lib.skip(f"{image} not found")
    os.makedirs(args.workdir, exist_ok=True)
    models = os.path.join(args.workdir, "models")
    subprocess.run([sys.executable, os.path.join(os.path.dirname(__file__), "make_test_models.py"),
                    args.models_py, models], check=True)
    profile = lib.make_profile(args.workdir, args.plugin)
    log_path = os.path.join(args.workdir, "gimp.log")
    # The list shows the shipped models and the test ones; the default for
    # x4 (the first in the list when the shipped ones are absent) is used.
    state_path = os.path.join(args.workdir, "dialog-state.ini")
    if os.path.exists(state_path):
        os.remove(state_path)
    env = lib.gimp_env(profile, {"SR_MODEL_PATH": f"{args.models_dir}:{models}",
                                 "SR_DIALOG_STATE": state_path})
    # The help page beside the plug-in, as tools/install-user.sh puts it.
    source = os.path.dirname(os.path.abspath(args.models_dir))
    help_dir = os.path.join(profile, "plug-ins", "super-resolution", "help")
    shutil.copytree(os.path.join(source, "docs", "help"), help_dir)
    browser_log = ds.fake_browser(args.workdir, env)
    if args.language:
        german(args, profile, env, state_path, image)
        return

    script = lib.PRELUDE + f'''
(define image (car (gimp-file-load RUN-NONINTERACTIVE {lib.scheme_string(image)} "in")))
(define layer (car (gimp-image-get-active-layer image)))
(gimp-image-set-resolution image 300 300)
(gimp-image-clean-all image)
(report "first.result" (if (catch #f (plug-in-super-resolution RUN-INTERACTIVE image layer "" 4 0 0 0 FALSE FALSE)) "ok" "failed"))
(report "first.error" sr-last-error)
(report-image "first.image" image)
(define second (catch #f (plug-in-super-resolution RUN-INTERACTIVE image layer "" 4 0 0 0 FALSE FALSE)))
(report "second.result" (if second "ok" "failed"))
(report "second.error" sr-last-error)
(report-image "second.image" image)
(if second (report-layer "second.new" (car second)))
; The plug-in's "gimp-sr-model" parasite: the model that made the layer.
(define (report-model prefix layer)
  (let ((p (catch #f (gimp-item-get-parasite layer "gimp-sr-model"))))
    (report (string-append prefix ".model") (if (pair? p) (caddr (car p)) "<none>"))))
(if second (report-model "second.new" (car second)))
; Last values on a small image of its own: quick even with the big model.
(define small (car (gimp-image-new 24 20 RGB)))
(define small-layer (car (gimp-layer-new small 24 20 RGB-IMAGE "Small" 100 LAYER-MODE-NORMAL)))
(gimp-image-insert-layer small small-layer 0 0)
(gimp-drawable-fill small-layer FILL-WHITE)
(define third (catch #f (plug-in-super-resolution RUN-WITH-LAST-VALS small small-layer "" 4 0 0 0 FALSE FALSE)))
(report "third.result" (if third "ok" "failed"))
(if third (report-layer "third.new" (car third)))
(if third (report-model "third.new" (car third)))
(report-image "third.image" small)
; A rectangular selection: only its bounding box is upscaled.
(define selimg (car (gimp-file-load RUN-NONINTERACTIVE {lib.scheme_string(image)} "in")))
(define sellayer (car (gimp-image-get-active-layer selimg)))
(gimp-image-select-rectangle selimg CHANNEL-OP-REPLACE 10 20 40 30)
(define fourth (catch #f (plug-in-super-resolution RUN-INTERACTIVE selimg sellayer "" 4 0 0 0 FALSE FALSE)))
(report "fourth.result" (if fourth "ok" "failed"))
(if fourth (report-layer "fourth.new" (car fourth)))
(report-image "fourth.image" selimg)
(gimp-quit 0)
'''
    c = lib.Checker()
    x = xsession.XTest()
    with open(log_path, "w") as log:
        proc = start_gimp(script, env, log)
        try:

            win = xsession.find_window(r"^Super-Resolution$")
            if not c.check(win is not None, "the dialog opened"):
                raise RuntimeError("no dialog")
            wid, wx, wy, ww, wh = win
            print(f"dialog window {wid} at {wx},{wy} size {ww}x{wh}")
            st = ds.wait(state_path, lambda s: ds.flag(s, "preview-done"))
            if not c.check(st is not None, "the preview finishes"):
                raise RuntimeError("no preview")
            shot = os.path.join(args.workdir, "dialog.png")
            xsession.screenshot(shot)
            xsession.screenshot(os.path.join(args.workdir, "dialog-window.png"), wid)
            not_blank(shot, c)
            not_blank(os.path.join(args.workdir, "dialog-window.png"), c)

            # Print size at 300 ppi: 512 px = 1.71 in = 43.3 mm.
            c.check(st["sr-print-size"]["text"] ==
                    "Print size: 1.71 × 1.71 in (43.3 × 43.3 mm) at 300 ppi",
                    f"print size of 512 px at 300 ppi: {st['sr-print-size']['text']!r}")

            # Fit (the row before 100 %): the whole 512 x 512 result in view,
            # reduced, and a new preview of it.
            runs = ds.number(st, "preview-results")
            ds.scroll_up(x, wx, wy, st, "sr-preview-zoom")
            st = ds.wait(state_path, lambda s: ds.number(s, "preview-zoom") < 1.0
                         and ds.flag(s, "preview-done")
                         and ds.number(s, "preview-results") > runs, timeout=180)
            if c.check(st is not None, "zoom Fit, below 100 %, preview computed"):
                c.check(ds.view(st) == [0, 0, 512, 512],
                        f"Fit shows the whole result: view {ds.view(st)}, "
                        f"zoom {ds.number(st, 'preview-zoom'):.3f}")
                fit = os.path.join(args.workdir, "dialog-zoom-fit.png")
                xsession.screenshot(fit, wid)
                not_blank(fit, c)
            ds.scroll_down(x, wx, wy, st or ds.read(state_path), "sr-preview-zoom")
            st = ds.wait(state_path, lambda s: ds.number(s, "preview-zoom") == 1.0
                         and ds.flag(s, "preview-done"), timeout=180)
            if not c.check(st is not None, "back to 100 %"):
                raise RuntimeError("no 100 % view")

            # The navigator: its bottom-right corner moves the view to the
            # result's bottom-right corner, with a new preview there.
            def navigator_shot():
                nav = os.path.join(args.workdir, "dialog-navigator.png")
                xsession.screenshot(nav, wid)
                not_blank(nav, c)
            st = ds.check_navigator(c, x, wx, wy, st, state_path, 512, navigator_shot)
            if st is None:
                raise RuntimeError("navigator")

            # Help: our page, through the desktop's HTML handler.
            if c.check("sr-help" in st, "the dialog has a Help button"):
                ds.click(x, wx, wy, st, "sr-help")
                uri = ds.opened_page(browser_log)
                # GIO hands a local file's path for %u (or its URI).
                page = os.path.join(help_dir, "index.html")
                c.check(uri in (page, "file://" + page), f"Help opens the installed page: {uri!r}")
            c.check(ds.wait(state_path, lambda s: "sr-scale" in s, timeout=10) is not None,
                    "the dialog stays open after Help")

            # Idle for 5 s after its last result, the preview hands the
            # core's threads back (sr_cache_trim); the pan below must then
            # compute on threads made anew.
            c.check(ds.wait(state_path, lambda s: ds.number(s, "preview-trims") > 0, 60)
                    is not None, "the idle preview trims the core's caches")

            # Pan the preview and move the divider; the preview recomputes
            # in the background (the first run is cancelled if still busy).
            # The preview sits at the dialog's top left, 384 x 288 pixels,
            # inside a 12-pixel border; its divider starts in the middle.
            px, py = wx + 14, wy + 14
            x.drag(px + 60, py + 200, px + 140, py + 120)
            x.drag(px + 192, py + 150, px + 300, py + 150)
            runs = ds.number(st, "preview-results")
            st = ds.wait(state_path, lambda s: ds.flag(s, "preview-done")
                         and ds.number(s, "preview-results") > runs)
            c.check(st is not None, "panning computes a new preview")
            panned = os.path.join(args.workdir, "dialog-panned.png")
            xsession.screenshot(panned, wid)
            not_blank(panned, c)
            c.check(differs(os.path.join(args.workdir, "dialog-window.png"), panned),
                    "panning and moving the divider change the preview")

            # A fractional scale: the result size and the preview follow
            # (screenshot to look at).
            x.move(wx + ww // 2, wy + wh // 2)
            type_scale(x, "2.5")
            st = ds.wait(state_path, lambda s: ds.number(s, "scale") == 2.5
                         and ds.flag(s, "preview-done"))
            if c.check(st is not None, "scale 2.5 typed, its preview computed"):
                c.check("320 × 320" in st["sr-result-size"]["text"],
                        f"the result size follows: {st['sr-result-size']['text']!r}")
                # The result line now has a second, long line (the route):
                # it must wrap inside the dialog, not run past its edge.
                c.check("scaled down" in st["sr-result-size"]["text"],
                        f"the route is described: {st['sr-result-size']['text']!r}")
                clipped = ds.clipped_labels(st, ww)
                c.check(not clipped, f"no label is cut off at scale 2.5: {clipped}")
            fractional = os.path.join(args.workdir, "dialog-scale-2.5.png")
            xsession.screenshot(fractional, wid)
            not_blank(fractional, c)
            c.check(differs(panned, fractional), "a fractional scale changes the dialog")

            # TTA: the time estimate says 8 runs (screenshot to look at).
            x.key("t", "Alt_L")
            st = ds.wait(state_path, lambda s: ds.flag(s, "tta"))
            if c.check(st is not None, "Alt+T ticks TTA"):
                c.check("8 runs" in st["sr-time-estimate"]["text"],
                        f"the estimate counts 8 runs: {st['sr-time-estimate']['text']!r}")
            tta = os.path.join(args.workdir, "dialog-tta.png")
            xsession.screenshot(tta, wid)
            c.check(differs(fractional, tta), "ticking TTA changes the dialog")
            x.key("t", "Alt_L")
            st = ds.wait(state_path, lambda s: not ds.flag(s, "tta")
                         and ds.flag(s, "preview-done"))
            c.check(st is not None, "TTA off again, preview computed")

            # Target size: the width's up arrow (GTK 2: top right of the
            # field), 320 -> 321 px on the 128 px layer.
            bx, by, bw, bh = ds.box(st, "sr-target-width")
            x.click(wx + bx + bw - 6, wy + by + bh // 4)
            st = ds.wait(state_path, lambda s: abs(ds.number(s, "scale") - 321 / 128) < 1e-9
                         and float(s["sr-target-height"]["value"]) == 321
                         and ds.flag(s, "preview-done"), timeout=180)
            if c.check(st is not None, "width 321: factor 321/128 = 2.5078125, height 321"):
                c.check("321 × 321" in st["sr-result-size"]["text"],
                        f"the result size follows: {st['sr-result-size']['text']!r}")
                c.check(abs(float(st["sr-scale"]["value"]) - 321 / 128) < 1e-9,
                        f"the factor field follows: {st['sr-scale']['value']}")
                # 321 px at 300 ppi: 1.07 in, 27.178 mm.
                c.check(st["sr-print-size"]["text"] ==
                        "Print size: 1.07 × 1.07 in (27.2 × 27.2 mm) at 300 ppi",
                        f"the print size follows: {st['sr-print-size']['text']!r}")
                shot100 = os.path.join(args.workdir, "dialog-size-321.png")
                xsession.screenshot(shot100, wid)

                # Zoom 200 %: the row after 100 % (mouse wheel on the list).
                ds.scroll_down(x, wx, wy, st, "sr-preview-zoom")
                st = ds.wait(state_path, lambda s: ds.number(s, "preview-zoom") == 2.0
                             and ds.flag(s, "preview-done"), timeout=180)
                if c.check(st is not None, "zoom 200 %, preview computed"):
                    shot200 = os.path.join(args.workdir, "dialog-zoom-200.png")
                    xsession.screenshot(shot200, wid)
                    # Left of the divider, below the label, inside the picture.
                    before = ds.paired_columns(ds.preview_pixels(shot100, st)[40:-40, 40:120])
                    after = ds.paired_columns(ds.preview_pixels(shot200, st)[40:-40, 40:120])
                    c.check(after == 1.0 and before < 0.9,
                            f"200 %: columns in equal pairs ({after:.2f}; 100 %: {before:.2f})")

            x.key("Escape")
            r = lib.wait_for_report(log_path, "first.image.dirty", 30)
            if c.check(r is not None, "Escape closes the dialog and the call returns"):
                # Script-Fu does not treat a cancelled call as an error.
                c.equal(r, "first.image.layers", 1)
                c.equal(r, "first.image.dirty", 0)

            if os.path.exists(state_path):
                os.remove(state_path)
            win = xsession.find_window(r"^Super-Resolution$")
            if c.check(win is not None, "the dialog opened again"):
                wid, wx, wy, ww, wh = win
                c.check(ds.wait(state_path, lambda s: "sr-scale" in s) is not None,
                        "the second dialog is up")
                x.move(wx + ww // 2, wy + wh // 2)
                type_scale(x, "2.5")
                c.check(ds.wait(state_path, lambda s: ds.number(s, "scale") == 2.5) is not None,
                        "scale 2.5 typed")
                x.key("o", "Alt_L")
                r = lib.wait_for_report(log_path, "third.image.layers", 120)
                if c.check(r is not None, "OK runs the plug-in and the script goes on"):
                    # 128 x 128 at x2.5; the last values on 24 x 20 too.
                    c.equal(r, "second.result", "ok")
                    c.equal(r, "second.image.width", 320)
                    c.equal(r, "second.image.layers", 2)
                    c.equal(r, "second.new.width", 320)
                    c.equal(r, "second.new.height", 320)
                    c.check("×2.5 " in r.get("second.new.name", [""])[-1],
                            f"the layer name says ×2.5: {r.get('second.new.name')}")
                    c.equal(r, "third.result", "ok")
                    c.equal(r, "third.image.layers", 2)
                    c.equal(r, "third.image.width", 60)
                    c.equal(r, "third.image.height", 50)
                    ids = [r.get(k, ["<none>"])[-1]
                           for k in ("second.new.model", "third.new.model")]
                    c.check("<none>" not in ids and ids[0] == ids[1],
                            f"last values reuse the dialog's model: {ids[0]} / {ids[1]}")
            selection(args, c, x, state_path, log_path)
            proc.wait(timeout=60)
        except Exception as e:  # report, then clean up below
            c.check(False, f"unexpected: {e!r}")
        finally:
            lib.stop_gimp(proc)
    lib.finish_with_log(c, log_path)


if __name__ == "__main__":
    main()
