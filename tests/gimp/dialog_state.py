"""The dialog's state for the dialog tests of both GIMPs.

With $SR_DIALOG_STATE set, the dialog writes there (a key file, five times a
second) every widget named "sr-*": its place in the window and what it
shows, plus a [dialog] group (the parameters, preview-done, preview-results,
preview-zoom).  The tests find widgets by name here, act on them with XTest,
and wait for a state instead of sleeping (ui/sr-dialog-state.h).
"""
import configparser
import time

import numpy as np
from PIL import Image


def read(path):
    """The last state written, or None before the first."""
    state = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        with open(path, encoding="utf-8") as f:
            state.read_string(f.read())
    except (OSError, configparser.Error):
        return None
    return state


def wait(path, condition, timeout=120):
    """Polls until condition(state) holds; returns that state, or None."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        state = read(path)
        try:
            if state is not None and condition(state):
                return state
        except (KeyError, ValueError, configparser.Error):
            pass
        time.sleep(0.2)
    return None


def flag(state, key):
    return state["dialog"][key] == "true"


def number(state, key):
    return float(state["dialog"][key])


def box(state, name):
    """(x, y, width, height) of a widget, relative to the dialog window."""
    w = state[name]
    return int(w["x"]), int(w["y"]), int(w["width"]), int(w["height"])


def clipped_labels(state, window_width):
    """The visible labels whose text, as laid out, runs past their allocation
    or past the window's right edge: what the user sees cut off.  Each entry
    names the label and its numbers."""
    clipped = []
    for name in state.sections():
        w = state[name]
        if "text-width" not in w or w.get("visible") != "true" or not w.get("text"):
            continue
        x, width, height = int(w["x"]), int(w["width"]), int(w["height"])
        tw, th = int(w["text-width"]), int(w["text-height"])
        if tw > width or th > height or x + min(tw, width) > window_width:
            clipped.append(f"{name}: text {tw} x {th} in {width} x {height} at x {x} "
                           f"(window {window_width} wide): {w['text']!r}")
    return clipped


def click(x, wx, wy, state, name):
    """Clicks the middle of the widget @name."""
    bx, by, bw, bh = box(state, name)
    x.click(wx + bx + bw // 2, wy + by + bh // 2)


def wheel(x, wx, wy, state, name, button):
    """One wheel step over the widget @name (X button 4 up, 5 down)."""
    bx, by, bw, bh = box(state, name)
    x.move(wx + bx + bw // 2, wy + by + bh // 2)
    x.t.XTestFakeButtonEvent(x.display, button, 1, 0)
    x.t.XTestFakeButtonEvent(x.display, button, 0, 0)
    x.x.XFlush(x.display)


def scroll_down(x, wx, wy, state, name):
    """One wheel step down over a combo box: its next row."""
    wheel(x, wx, wy, state, name, 5)


def scroll_up(x, wx, wy, state, name):
    """One wheel step up over a combo box: its previous row."""
    wheel(x, wx, wy, state, name, 4)


def preview_pixels(shot, state):
    """The preview's rectangle of a window screenshot, as an array."""
    bx, by, bw, bh = box(state, "sr-preview")
    a = np.asarray(Image.open(shot).convert("RGB")).astype(int)
    return a[by:by + bh, bx:bx + bw]


def paired_columns(a):
    """Share of columns equal to their neighbour, for the better of the two
    pairings (a 2x zoom starts its pairs on either parity): 1.0 when every
    pixel is drawn two screen pixels wide."""
    best = 0.0
    for start in (0, 1):
        pairs = [(a[:, i] == a[:, i + 1]).all() for i in range(start, a.shape[1] - 1, 2)]
        best = max(best, sum(pairs) / max(len(pairs), 1))
    return best


def view(state):
    """The part of the result in the preview: [x, y, width, height]."""
    return [int(v) for v in state["dialog"]["preview-view"].strip(";").split(";")]


def fake_browser(workdir, env):
    """Makes GIO's default handler for HTML a script that writes the URI it
    is given to WORKDIR/browser-opened.txt (a desktop file and mimeapps.list
    in XDG folders of the test's own); returns that file's path."""
    import os
    data = os.path.join(workdir, "xdg-data")
    config = os.path.join(workdir, "xdg-config")
    apps = os.path.join(data, "applications")
    os.makedirs(apps, exist_ok=True)
    os.makedirs(config, exist_ok=True)
    opened = os.path.join(workdir, "browser-opened.txt")
    if os.path.exists(opened):
        os.remove(opened)
    script = os.path.join(workdir, "fake-browser.sh")
    with open(script, "w") as f:
        f.write(f'#!/bin/sh\nprintf "%s\\n" "$1" > "{opened}"\n')
    os.chmod(script, 0o755)
    with open(os.path.join(apps, "sr-test-browser.desktop"), "w") as f:
        f.write("[Desktop Entry]\nType=Application\nName=SR test browser\n"
                f"Exec={script} %u\nMimeType=text/html;x-scheme-handler/file;\n")
    with open(os.path.join(config, "mimeapps.list"), "w") as f:
        f.write("[Default Applications]\ntext/html=sr-test-browser.desktop\n"
                "x-scheme-handler/file=sr-test-browser.desktop\n")
    env["XDG_DATA_HOME"] = data
    env["XDG_CONFIG_HOME"] = config
    return opened


def opened_page(browser_log, timeout=20):
    """What the fake browser was asked to open, or None after @timeout s."""
    import os
    deadline = time.time() + timeout
    while time.time() < deadline:
        if os.path.exists(browser_log) and os.path.getsize(browser_log) > 0:
            with open(browser_log) as f:
                return f.read().strip()
        time.sleep(0.2)
    return None


def tick_selection_only(c, x, wx, wy, path):
    """On a dialog opened for an image with a selection: checks that
    "only the selection's bounding box" is offered, ticks it, and returns
    the state once its preview is computed (None, reported to the Checker
    @c, if either fails)."""
    st = wait(path, lambda s: "sr-selection-only" in s and flag(s, "preview-done"))
    if not c.check(st is not None and st["sr-selection-only"]["sensitive"] == "true",
                   "with a selection the dialog offers its bounding box"):
        return None
    if st["dialog"]["selection-only"] != "true":
        click(x, wx, wy, st, "sr-selection-only")
    st = wait(path, lambda s: flag(s, "selection-only") and flag(s, "preview-done"))
    c.check(st is not None, "selection only ticked, preview computed")
    return st


def check_navigator(c, x, wx, wy, st, path, side, screenshot):
    """With a square result of @side pixels larger than the view: a click in
    the navigator's bottom-right corner must move the view to the result's
    bottom-right corner and compute a new preview there (@screenshot() is
    then called), a click in its top-left corner back to 0,0.  Returns the
    last state (None after a failure, reported to the Checker @c)."""
    runs = number(st, "preview-results")
    bx, by, bw, bh = box(st, "sr-navigator")
    x.click(wx + bx + bw - 3, wy + by + bh - 3)
    st = wait(path, lambda s: flag(s, "preview-done")
              and number(s, "preview-results") > runs, timeout=180)
    if c.check(st is not None, "a navigator click computes a new preview"):
        v = view(st)
        c.check(v[0] + v[2] == side and v[1] + v[3] == side and v[2] < side,
                f"the view moved to the bottom-right corner: {v}")
        screenshot()
    x.click(wx + bx + 3, wy + by + 3)
    st = wait(path, lambda s: view(s)[:2] == [0, 0] and flag(s, "preview-done"), timeout=180)
    c.check(st is not None, "a navigator click top-left moves the view to 0,0")
    return st
