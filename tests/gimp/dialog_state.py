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


def click(x, wx, wy, state, name):
    """Clicks the middle of the widget @name."""
    bx, by, bw, bh = box(state, name)
    x.click(wx + bx + bw // 2, wy + by + bh // 2)


def scroll_down(x, wx, wy, state, name):
    """One wheel step down over a combo box: its next row."""
    bx, by, bw, bh = box(state, name)
    x.move(wx + bx + bw // 2, wy + by + bh // 2)
    x.t.XTestFakeButtonEvent(x.display, 5, 1, 0)
    x.t.XTestFakeButtonEvent(x.display, 5, 0, 0)
    x.x.XFlush(x.display)


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
