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
  - the print size at the image's 300 ppi (256 px: 0.85 in, 21.7 mm; 257
    px: 0.86 in, 21.8 mm), zoom Fit (the whole result in view), Help (our
    page beside the plug-in opens through GIO's default HTML handler, a
    script here), and at 200 % the navigator (a click in its bottom-right
    corner moves the view there, a new preview; top-left back to 0,0);
then Cancel (the run must end as cancelled, the image untouched), and on a
second run OK: the image is scaled x2 and the new layer added, with the
scale 2 set beforehand through the config (GimpProcedureConfig's last
values).  A third run on an image with a 40 x 30 rectangular selection:
the dialog offers "only the selection's bounding box", ticked, OK: the new
layer is 80 x 60.
With --language de (test gimp3-dialog-de): the translations beside the
plug-in, LANGUAGE=de: the first dialog's labels are German (de.po's texts,
written here by hand), screenshot dialog-de.png; then Cancel.
Run inside tools/gimp3/run.sh; anything missing is a failure, not a skip.
"""
import argparse
import os
import re
import shutil
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
    p.add_argument("--language", help="e.g. de: only check the dialog's translation")
    p.add_argument("--locale-dir", help="the build's po/ (compiled .mo files)")
    return p.parse_args()


def script(image, flag_dir, german=False):
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
image.set_resolution(300, 300)
image.clean_all()
interactive(image, layer, "cancel")
if not {german!r}:
    interactive(image, layer, "ok")
    selimg = load({image!r})
    sellayer = selimg.get_layers()[0]
    selimg.select_rectangle(Gimp.ChannelOps.REPLACE, 10, 20, 40, 30)
    interactive(selimg, sellayer, "sel")
    report_layer("sel.new", selimg.get_layers()[0])
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

    # 256 px at 300 ppi: 0.853 in, 21.67 mm.
    c.check(st["sr-print-size"]["text"] == "Print size: 0.85 × 0.85 in (21.7 × 21.7 mm) at 300 ppi",
            f"print size of 256 px at 300 ppi: {st['sr-print-size']['text']!r}")
    st = navigate(c, x, win, st, state_path, workdir)
    if st is None:
        return

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
        clipped = ds.clipped_labels(st, win[3])
        c.check(not clipped, f"no label is cut off with the route line: {clipped}")
        c.check(abs(float(st["sr-scale"]["value"]) - 257 / 128) < 1e-9,
                f"the factor field follows: {st['sr-scale']['value']}")
        c.check(st["sr-model-summary"]["text"].startswith("imdn-x3 · "),
                f"the x3 model for 2.008: {st['sr-model-summary']['text']!r}")
        shot100 = shoot(wid, os.path.join(workdir, "dialog-size-257.png"))
        # 257 px at 300 ppi: 0.857 in, 21.76 mm.
        c.check(st["sr-print-size"]["text"] ==
                "Print size: 0.86 × 0.86 in (21.8 × 21.8 mm) at 300 ppi",
                f"the print size follows: {st['sr-print-size']['text']!r}")

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
            # The navigator: 514 x 514 screen pixels do not fit the view.
            ds.check_navigator(c, x, wx, wy, st, state_path, 257,
                               lambda: shoot(wid, os.path.join(workdir, "dialog-navigator.png")))


def navigate(c, x, win, st, state_path, workdir):
    """Fit and Help; back at 100 %."""
    wid, wx, wy, ww, wh = win
    ds.scroll_up(x, wx, wy, st, "sr-preview-zoom")
    st = ds.wait(state_path, lambda s: s["sr-preview-zoom"]["active"] == "0"
                 and ds.flag(s, "preview-done"), timeout=180)
    if c.check(st is not None, "zoom Fit chosen, preview computed"):
        c.check(ds.view(st) == [0, 0, 256, 256],
                f"Fit shows the whole result: view {ds.view(st)}, "
                f"zoom {ds.number(st, 'preview-zoom'):.3f}")
        shoot(wid, os.path.join(workdir, "dialog-zoom-fit.png"))
    ds.scroll_down(x, wx, wy, st or ds.read(state_path), "sr-preview-zoom")
    st = ds.wait(state_path, lambda s: ds.number(s, "preview-zoom") == 1.0
                 and ds.flag(s, "preview-done"), timeout=180)
    if not c.check(st is not None, "back to 100 %"):
        return None

    if c.check("sr-help" in st, "the dialog has a Help button"):
        ds.click(x, wx, wy, st, "sr-help")
        uri = ds.opened_page(BROWSER_LOG)
        # GIO hands a local file's path for %u (or its URI).
        c.check(uri in (HELP_PAGE, "file://" + HELP_PAGE), f"Help opens the installed page: {uri!r}")
    st = ds.wait(state_path, lambda s: "sr-scale" in s, timeout=10)
    c.check(st is not None, "the dialog stays open after Help")
    return st


def selection_run(c, x, state_path, log_path):
    """The third run: only the selection's 40 x 30 box, x2."""
    win = dialog_window(c, "selection run")
    if not win:
        return
    wid, wx, wy, ww, wh = win
    st = ds.tick_selection_only(c, x, wx, wy, state_path)
    if st is None:
        return
    c.check("80 × 60" in st["sr-result-size"]["text"],
            f"the result is the box x2: {st['sr-result-size']['text']!r}")
    c.check((float(st["sr-target-width"]["value"]), float(st["sr-target-height"]["value"]))
            == (80, 60), "the target size fields show the box's result: "
            f"{st['sr-target-width']['value']} x {st['sr-target-height']['value']}")
    shoot(wid, os.path.join(os.path.dirname(state_path), "dialog-selection.png"))
    ds.click(x, wx, wy, st, "sr-ok")
    r = xsession.lib.wait_for_report(log_path, "sel.new.height", 180)
    if c.check(r is not None, "OK upscales the selection"):
        c.equal(r, "sel.status", "success")
        c.equal(r, "sel.new.width", 80)
        c.equal(r, "sel.new.height", 60)


def german(c, x, state_path, log_path, workdir):
    """The first dialog in German; then Cancel."""
    win = dialog_window(c, "German run")
    if not win:
        return
    wid, wx, wy, ww, wh = win
    st = ds.wait(state_path, lambda s: ds.flag(s, "preview-done"))
    if not c.check(st is not None, "the preview finishes"):
        return
    shoot(wid, os.path.join(workdir, "dialog-de.png"))
    expected = {
        "sr-output-replace": "Ebene _ersetzen",
    }
    for name, text in expected.items():
        got = st[name].get("text", st[name].get("label"))
        c.check(got == text, f"{name} in German: {got!r}")
    # The decimal mark is the locale's (a comma in German) or a point.
    got = st["sr-print-size"]["text"]
    c.check(re.fullmatch(r"Druckgröße: 0[.,]85 × 0[.,]85 in \(21[.,]7 × 21[.,]7 mm\) "
                         r"bei 300 ppi", got) is not None, f"the print size in German: {got!r}")
    clipped = ds.clipped_labels(st, ww)
    c.check(not clipped, f"no German label is cut off: {clipped}")
    c.check(st["sr-result-size"]["text"].startswith("Ergebnis"),
            f"the result line in German: {st['sr-result-size']['text']!r}")
    c.check(st["sr-model-purpose"]["text"].startswith("Das schärfste Ergebnis"),
            f"the model's purpose in German: {st['sr-model-purpose']['text']!r}")
    ds.click(x, wx, wy, st, "sr-cancel")
    r = xsession.lib.wait_for_report(log_path, "cancel.image.dirty", 60)
    if c.check(r is not None, "Cancel ends the run"):
        c.equal(r, "cancel.status", "cancel")


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
        out.write(f.read() + script(image, args.workdir, bool(args.language)))
    # The help page beside the plug-in, as tools/install-user.sh puts it.
    global BROWSER_LOG, HELP_PAGE
    source = os.path.dirname(os.path.abspath(args.models_dir))
    help_dir = os.path.join(profile, "plug-ins", "super-resolution", "help")
    shutil.copytree(os.path.join(source, "docs", "help"), help_dir)
    HELP_PAGE = os.path.join(help_dir, "index.html")

    c = lib.Checker()
    x = xsession.XTest()
    env = lib.gimp_env(profile)
    env["DISPLAY"] = os.environ["DISPLAY"]
    env["SR_MODEL_PATH"] = os.path.abspath(args.models_dir)
    state_path = os.path.join(args.workdir, "dialog-state.ini")
    env["SR_DIALOG_STATE"] = state_path
    BROWSER_LOG = ds.fake_browser(args.workdir, env)
    if args.language:
        # The catalogue beside the plug-in, as a profile install has it.
        mo_dir = os.path.join(profile, "plug-ins", "super-resolution", "locale",
                              args.language, "LC_MESSAGES")
        os.makedirs(mo_dir)
        built = os.path.join(args.locale_dir, args.language, "LC_MESSAGES", "gimp-sr.mo")
        if os.path.isfile(built):
            shutil.copy2(built, mo_dir)
        else:
            # The Debian 13 root has no msgfmt, so its build has no .mo.
            import po_compile
            po_compile.compile_po(os.path.join(source, "po", args.language + ".po"),
                                  os.path.join(mo_dir, "gimp-sr.mo"))
        env["LANGUAGE"] = args.language
        env["LC_ALL"] = "de_DE.UTF-8"
    if os.path.exists(state_path):
        os.remove(state_path)
    with open(log_path, "w") as log:
        proc = subprocess.Popen([undo.GIMP, "-s", "--batch-interpreter=python-fu-eval",
                                 "-b", f"exec(open({script_path!r}).read())"],
                                stdout=log, stderr=subprocess.STDOUT, env=env,
                                start_new_session=True)
        try:
            if args.language:
                german(c, x, state_path, log_path, args.workdir)
                proc.wait(timeout=60)
                raise StopIteration
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
            if os.path.exists(state_path):
                os.remove(state_path)
            selection_run(c, x, state_path, log_path)
            proc.wait(timeout=60)
        except StopIteration:
            pass
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
