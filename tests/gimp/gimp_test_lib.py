"""Helpers shared by the GIMP end-to-end tests.

A throw-away GIMP profile (GIMP2_DIRECTORY) with the freshly built plug-in
in its plug-ins folder, Script-Fu runs through gimp-console-2.10's batch
interpreter, and results reported back as "SRTEST key=value" messages.
"""
import os
import re
import shutil
import subprocess
import sys
import time

SKIP = 77
GIMP_CONSOLE = "gimp-console-2.10"

# Script-Fu prelude: remembers the message of the last failed PDB call
# (catch alone drops it) and reports results in a parseable form.
PRELUDE = r'''
(define sr-last-error "")
(define (sr-error-hook . args) (set! sr-last-error (car args)) (apply throw args))
(set! *error-hook* sr-error-hook)
(define (report key value)
  (gimp-message (string-append "SRTEST " key "=" (if (number? value) (number->string value) value))))
(define (report-layer prefix layer)
  (report (string-append prefix ".width") (car (gimp-drawable-width layer)))
  (report (string-append prefix ".height") (car (gimp-drawable-height layer)))
  (report (string-append prefix ".x") (car (gimp-drawable-offsets layer)))
  (report (string-append prefix ".y") (cadr (gimp-drawable-offsets layer)))
  (report (string-append prefix ".name") (car (gimp-item-get-name layer)))
  (report (string-append prefix ".visible") (car (gimp-item-get-visible layer)))
  (report (string-append prefix ".alpha") (car (gimp-drawable-has-alpha layer)))
  (report (string-append prefix ".bpp") (car (gimp-drawable-bpp layer))))
(define (report-image prefix image)
  (report (string-append prefix ".width") (car (gimp-image-width image)))
  (report (string-append prefix ".height") (car (gimp-image-height image)))
  (report (string-append prefix ".layers") (car (gimp-image-get-layers image)))
  (report (string-append prefix ".dirty") (car (gimp-image-is-dirty image))))
(define (save-layer image layer path)
  (file-png-save2 RUN-NONINTERACTIVE image layer path path 0 9 0 0 0 0 0 0 0))
'''


def skip(reason):
    print(f"SKIP: {reason}")
    sys.exit(SKIP)


def need_gimp():
    if not shutil.which(GIMP_CONSOLE):
        skip(f"{GIMP_CONSOLE} not found")


def need_numpy():
    try:
        import numpy  # noqa: F401
        import PIL  # noqa: F401
    except ImportError:
        skip("numpy and Pillow are needed to compare pixels")


def make_profile(workdir, plugin):
    """A fresh GIMP profile holding only our plug-in; returns its path."""
    profile = os.path.join(workdir, "gimp-profile")
    shutil.rmtree(profile, ignore_errors=True)
    target = os.path.join(profile, "plug-ins", "super-resolution")
    os.makedirs(target)
    shutil.copy2(plugin, os.path.join(target, "super-resolution"))
    # GIMP complains at exit about missing writable data folders.
    for d in ("brushes", "gradients", "palettes", "patterns", "tool-presets"):
        os.makedirs(os.path.join(profile, d), exist_ok=True)
    return profile


def gimp_env(profile, extra=None):
    env = dict(os.environ)
    env["GIMP2_DIRECTORY"] = profile
    # Untranslated messages: the tests match English text.
    env["LANGUAGE"] = "C"
    env["LC_ALL"] = "C.UTF-8"
    env.update(extra or {})
    return env


def run_batch(profile, script, timeout=600, env_extra=None, log=None):
    """Runs Script-Fu in gimp-console; returns {key: [values]} and the output."""
    proc = subprocess.run(
        [GIMP_CONSOLE, "-i", "-d", "-f", "-b", "-"],
        input=PRELUDE + script + "\n(gimp-quit 0)\n",
        env=gimp_env(profile, env_extra), capture_output=True, text=True, timeout=timeout)
    output = proc.stdout + proc.stderr
    if log:
        with open(log, "w") as f:
            f.write(output)
    return parse_reports(output), output


def parse_reports(output):
    reports = {}
    for m in re.finditer(r"SRTEST ([\w.\-]+)=(.*)", output):
        reports.setdefault(m.group(1), []).append(m.group(2).strip())
    return reports


class Checker:
    """Collects failures instead of stopping at the first."""

    def __init__(self):
        self.failures = 0

    def check(self, ok, what):
        print(("ok   " if ok else "FAIL ") + what)
        if not ok:
            self.failures += 1
        return ok

    def equal(self, reports, key, expected):
        got = reports.get(key, ["<missing>"])[-1]
        return self.check(got == str(expected), f"{key} = {got!r} (expected {expected!r})")

    def contains(self, reports, key, text):
        got = reports.get(key, ["<missing>"])[-1]
        return self.check(text in got, f"{key} mentions {text!r}: {got!r}")

    def finish(self):
        print(f"{self.failures} failure(s)")
        sys.exit(1 if self.failures else 0)


def wait_for_report(log_path, key, timeout):
    """Polls a GIMP log until parse_reports() finds @key; the reports, or None."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        with open(log_path, errors="replace") as f:
            reports = parse_reports(f.read())
        if key in reports:
            return reports
        time.sleep(0.5)
    return None


def scheme_string(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def stop_gimp(proc):
    """Ends our own gimp-console and its plug-ins (its process group), if still running."""
    if proc.poll() is None:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=30)


def finish_with_log(c, log_path):
    """Prints the end of GIMP's log when a check failed, then the summary."""
    if c.failures:
        with open(log_path, errors="replace") as f:
            print(f.read()[-3000:])
    c.finish()
