#!/usr/bin/env python3
"""The display tests' window finder: it must report where a window is shown,
not where it was created.

A dialog exists (and is listed by xwininfo) before it is mapped; GTK creates
it at +0+0 and maps it at the centre.  Clicks computed from the first
sighting missed the dialog, and the dialog tests failed at random (stop 31).
Here a helper process creates a window at 0,0, leaves it unmapped for 1.5 s,
then moves it to 150,120 and maps it: find_window must answer 150,120.
"""
import ctypes
import ctypes.util
import subprocess
import sys
import time

import gimp_test_lib as lib
import xsession

TITLE = "sr-xsession-probe"
SHOWN_AT = (150, 120)
SIZE = (300, 200)


def make_window():
    """Helper process: the window, unmapped at 0,0, then shown at SHOWN_AT."""
    x11 = ctypes.CDLL(ctypes.util.find_library("X11"))
    x11.XOpenDisplay.restype = ctypes.c_void_p
    x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
    x11.XDefaultRootWindow.restype = ctypes.c_ulong
    x11.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
    x11.XCreateSimpleWindow.restype = ctypes.c_ulong
    x11.XCreateSimpleWindow.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_int,
                                        ctypes.c_uint, ctypes.c_uint, ctypes.c_uint,
                                        ctypes.c_ulong, ctypes.c_ulong]
    x11.XStoreName.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_char_p]
    x11.XMapWindow.argtypes = [ctypes.c_void_p, ctypes.c_ulong]
    x11.XMoveWindow.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_int]
    x11.XFlush.argtypes = [ctypes.c_void_p]

    display = x11.XOpenDisplay(None)
    if not display:
        sys.exit(2)
    window = x11.XCreateSimpleWindow(display, x11.XDefaultRootWindow(display), 0, 0,
                                     SIZE[0], SIZE[1], 0, 0, 0xffffff)
    x11.XStoreName(display, window, TITLE.encode())
    x11.XFlush(display)
    print("created", flush=True)
    time.sleep(1.5)
    x11.XMoveWindow(display, window, *SHOWN_AT)
    x11.XMapWindow(display, window)
    x11.XFlush(display)
    time.sleep(60)


def main():
    if sys.argv[1:] == ["--make-window"]:
        make_window()
        return
    xsession.ensure_display()
    if not ctypes.util.find_library("X11"):
        lib.skip("libX11 not found")
    c = lib.Checker()
    helper = subprocess.Popen([sys.executable, __file__, "--make-window"],
                              stdout=subprocess.PIPE, text=True)
    try:
        c.check(helper.stdout.readline().strip() == "created", "the helper created its window")
        start = time.time()
        found = xsession.find_window("^" + TITLE + "$", timeout=20)
        c.check(found is not None, "find_window finds the window")
        if found:
            c.check(found[1:] == SHOWN_AT + SIZE,
                    f"it reports where the window is shown, {SHOWN_AT + SIZE}: {found[1:]} "
                    f"(after {time.time() - start:.1f} s)")
    finally:
        helper.kill()
        helper.wait()
    c.finish()


if __name__ == "__main__":
    main()
