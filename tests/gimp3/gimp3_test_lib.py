"""Helpers for the GIMP 3 end-to-end tests (run inside tools/gimp3/run.sh).

A throw-away GIMP 3 profile (GIMP3_DIRECTORY) with the freshly built
plug-in linked into plug-ins/super-resolution/, Python run through
gimp-console-3.0's python-fu-eval batch interpreter, results reported back
as "SRTEST key=value" lines.  Reporting and checking are the GIMP 2.10
suite's (tests/gimp/gimp_test_lib.py).
"""
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "gimp"))
from gimp_test_lib import Checker, parse_reports, finish_with_log  # noqa: E402,F401

GIMP_CONSOLE = "gimp-console-3.0"
IN_GIMP = os.path.join(os.path.dirname(os.path.abspath(__file__)), "in_gimp.py")


def need_gimp3():
    """Unlike the 2.10 suite this fails rather than skips: it runs only
    through tools/gimp3/run.sh, whose root always has GIMP 3."""
    if not shutil.which(GIMP_CONSOLE):
        print(f"FAIL: {GIMP_CONSOLE} not found (run this through tools/gimp3/run.sh)")
        sys.exit(1)


def make_profile(workdir, plugin):
    """A fresh GIMP 3 profile holding only our plug-in; returns its path."""
    profile = os.path.join(workdir, "gimp3-profile")
    shutil.rmtree(profile, ignore_errors=True)
    target = os.path.join(profile, "plug-ins", "super-resolution")
    os.makedirs(target)
    # A link: the profile always runs the plug-in just built.
    os.symlink(os.path.abspath(plugin), os.path.join(target, "super-resolution"))
    return profile


def gimp_env(profile):
    env = dict(os.environ)
    env["GIMP3_DIRECTORY"] = profile
    # Untranslated messages: the tests match English text.
    env["LANGUAGE"] = "C"
    env["LC_ALL"] = "C.UTF-8"
    env.pop("DISPLAY", None)
    return env


def run_python(profile, workdir, name, body, timeout=900):
    """Runs in_gimp.py's helpers + @body in gimp-console-3.0; returns
    ({key: [values]}, log path)."""
    script = os.path.join(workdir, name + ".py")
    with open(IN_GIMP) as f:
        helpers = f.read()
    with open(script, "w") as f:
        f.write(helpers + "\n" + body + "\n")
    log = os.path.join(workdir, name + ".log")
    proc = subprocess.run(
        [GIMP_CONSOLE, "-i", "--batch-interpreter=python-fu-eval",
         "-b", f"exec(open({script!r}).read())", "--quit"],
        env=gimp_env(profile), capture_output=True, text=True, timeout=timeout)
    with open(log, "w") as f:
        f.write(proc.stdout + proc.stderr)
    return parse_reports(proc.stdout + proc.stderr), log


def run_script_fu(profile, workdir, name, body, timeout=600):
    """The same with Script-Fu (script-fu-eval): it hands GIMP values that
    Python's GObject layer would refuse before GIMP sees them."""
    prelude = r'''
; Remembers the message of the last failed PDB call (catch alone drops it).
(define sr-last-error "")
(define (sr-error-hook . args) (set! sr-last-error (car args)) (apply throw args))
(set! *error-hook* sr-error-hook)
(define (as-int v) (cond ((number? v) v) (v 1) (else 0)))
(define (report key value)
  (gimp-message (string-append "SRTEST " key "=" (if (number? value) (number->string value) value))))
'''
    log = os.path.join(workdir, name + ".log")
    proc = subprocess.run(
        [GIMP_CONSOLE, "-i", "--batch-interpreter=plug-in-script-fu-eval",
         "-b", prelude + body, "--quit"],
        env=gimp_env(profile), capture_output=True, text=True, timeout=timeout)
    with open(log, "w") as f:
        f.write(proc.stdout + proc.stderr)
    return parse_reports(proc.stdout + proc.stderr), log
