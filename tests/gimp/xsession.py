"""A display for the GIMP tests that need one (Xvfb), and X input.

Tests re-run themselves under xvfb-run.  Key presses go through the XTest
extension, called with ctypes so that no X development package or Python
X binding is needed.
"""
import ctypes
import ctypes.util
import os
import re
import shutil
import subprocess
import sys
import time

import gimp_test_lib as lib

SCREEN = "1280x900x24"


def ensure_display():
    """Re-executes the calling script under xvfb-run unless it already is."""
    if os.environ.get("SR_UNDER_XVFB"):
        return
    for tool in ("xvfb-run", "Xvfb", "xwininfo", "import"):
        if not shutil.which(tool):
            lib.skip(f"{tool} not found")
    env = dict(os.environ, SR_UNDER_XVFB="1")
    proc = subprocess.run(["xvfb-run", "-a", "-s", f"-screen 0 {SCREEN}",
                           sys.executable] + sys.argv, env=env)
    sys.exit(proc.returncode)


def window_geometry(wid):
    """(x, y, width, height) of window @wid on the screen, or None while it is
    not viewable."""
    out = subprocess.run(["xwininfo", "-id", wid], capture_output=True, text=True).stdout
    fields = dict(re.findall(r"^\s*([A-Za-z -]+):\s*(.*?)\s*$", out, re.M))
    if fields.get("Map State") != "IsViewable":
        return None
    try:
        return tuple(int(fields[k]) for k in ("Absolute upper-left X", "Absolute upper-left Y",
                                              "Width", "Height"))
    except (KeyError, ValueError):
        return None


def find_window(title_regex, timeout=90):
    """(id, x, y, width, height) of the first window whose name matches, once
    it is shown and has kept its place for one poll.  The tree lists a window
    from its creation: a dialog is seen at +0+0 with its full size before GTK
    maps it at the centre (+189+202), and clicks computed from the first
    sighting land beside it (the CI failure of stop 31)."""
    deadline = time.time() + timeout
    # Id, name and size; the position comes from window_geometry.
    pattern = re.compile(r'^\s*(0x[0-9a-f]+) "([^"]*)".*?(\d+)x(\d+)\+-?\d+\+-?\d+')
    seen = {}
    while time.time() < deadline:
        tree = subprocess.run(["xwininfo", "-root", "-tree"], capture_output=True, text=True).stdout
        for line in tree.splitlines():
            m = pattern.match(line)
            if m and re.search(title_regex, m.group(2)):
                w, h = int(m.group(3)), int(m.group(4))
                if w > 50 and h > 50:
                    wid = m.group(1)
                    geometry = window_geometry(wid)
                    if geometry is not None and seen.get(wid) == geometry:
                        return (wid,) + geometry
                    seen[wid] = geometry
        time.sleep(0.5)
    return None


class XTest:
    """Just enough of Xlib + XTest to move the pointer and press keys."""

    def __init__(self):
        x11 = ctypes.util.find_library("X11")
        xtst = ctypes.util.find_library("Xtst")
        if not x11 or not xtst:
            lib.skip("libX11 or libXtst not found")
        self.x = ctypes.CDLL(x11)
        self.t = ctypes.CDLL(xtst)
        self.x.XOpenDisplay.restype = ctypes.c_void_p
        self.x.XOpenDisplay.argtypes = [ctypes.c_char_p]
        self.x.XStringToKeysym.restype = ctypes.c_ulong
        self.x.XStringToKeysym.argtypes = [ctypes.c_char_p]
        self.x.XKeysymToKeycode.restype = ctypes.c_ubyte
        self.x.XKeysymToKeycode.argtypes = [ctypes.c_void_p, ctypes.c_ulong]
        self.x.XFlush.argtypes = [ctypes.c_void_p]
        self.t.XTestFakeKeyEvent.argtypes = [ctypes.c_void_p, ctypes.c_uint, ctypes.c_int, ctypes.c_ulong]
        self.t.XTestFakeMotionEvent.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_int,
                                                ctypes.c_int, ctypes.c_ulong]
        self.t.XTestFakeButtonEvent.argtypes = [ctypes.c_void_p, ctypes.c_uint, ctypes.c_int,
                                                ctypes.c_ulong]
        self.display = self.x.XOpenDisplay(None)
        if not self.display:
            lib.skip("cannot open the X display")

    def move(self, x, y):
        self.t.XTestFakeMotionEvent(self.display, -1, x, y, 0)
        self.x.XFlush(self.display)

    def click(self, x, y):
        self.move(x, y)
        self.t.XTestFakeButtonEvent(self.display, 1, 1, 0)
        self.t.XTestFakeButtonEvent(self.display, 1, 0, 0)
        self.x.XFlush(self.display)

    def drag(self, x0, y0, x1, y1, steps=10):
        self.move(x0, y0)
        self.t.XTestFakeButtonEvent(self.display, 1, 1, 0)
        self.x.XFlush(self.display)
        for i in range(1, steps + 1):
            time.sleep(0.05)
            self.move(x0 + (x1 - x0) * i // steps, y0 + (y1 - y0) * i // steps)
        self.t.XTestFakeButtonEvent(self.display, 1, 0, 0)
        self.x.XFlush(self.display)

    def key(self, name, modifier=None):
        codes = [self.x.XKeysymToKeycode(self.display, self.x.XStringToKeysym(n.encode()))
                 for n in ([modifier] if modifier else []) + [name]]
        for c in codes:
            self.t.XTestFakeKeyEvent(self.display, c, 1, 0)
        for c in reversed(codes):
            self.t.XTestFakeKeyEvent(self.display, c, 0, 0)
        self.x.XFlush(self.display)


def screenshot(path, window="root"):
    subprocess.run(["import", "-window", window, path], check=True)
