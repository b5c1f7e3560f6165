#!/usr/bin/env python3
"""tools/install-user.sh as a user would run it (issue #19).

As a non-root user (root runs the steps as "sr-test", made with useradd if
missing) with a throw-away HOME whose GIMP 2.10 profile GIMP itself created:
  - install-user.sh succeeds and puts the plug-in, models/ and locale/ into
    ~/.config/GIMP/2.10/plug-ins/super-resolution/;
  - in gimp-console-2.10 from that profile, with a clean environment (no
    SR_MODEL_PATH), the procedure is registered, a call with the default
    model ("" at x2) works, and a failing call's message is German under
    LANGUAGE=de (the catalog next to the plug-in);
  - running it again upgrades in place;
  - --uninstall leaves the profile's file list as it was before.
A root-owned checkout stays root's: as root, this first builds build-user/
itself (by installing into a scratch profile), so the user only reads it.
"""
import argparse
import os
import pwd
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "gimp"))
import gimp_test_lib as lib  # noqa: E402

USER = "sr-test"
PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--source", required=True, help="the checkout (holds tools/install-user.sh)")
    p.add_argument("--workdir", required=True, help="logs go here")
    return p.parse_args()


def ensure_user():
    """The unprivileged account the steps run as (root only)."""
    try:
        pwd.getpwnam(USER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home",
                        "--shell", "/usr/sbin/nologin", USER], check=True)
    return pwd.getpwnam(USER)


def as_user(cmd, env):
    """@cmd as the test user (or ourselves when not root), with only @env:
    nothing of this test run's environment (SR_MODEL_PATH!) leaks in."""
    wrap = ["env", "-i"] + [f"{k}={v}" for k, v in env.items()] + cmd
    return (["runuser", "-u", USER, "--"] + wrap) if os.geteuid() == 0 else wrap


def run(cmd, env, log, input=None, timeout=900):
    # From the user's own HOME: the build folder may be closed to them.
    proc = subprocess.run(as_user(cmd, env), input=input, capture_output=True,
                          text=True, timeout=timeout, cwd=env["HOME"])
    out = proc.stdout + proc.stderr
    with open(log, "w") as f:
        f.write(out)
    return proc.returncode, out


def file_list(root):
    found = set()
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            found.add(os.path.relpath(os.path.join(dirpath, name), root))
    return found


def german_locale(base):
    """LOCPATH with a de_DE.UTF-8 locale made here (the system may have only
    C): gettext ignores LANGUAGE under the C locale.  None if it can't."""
    loc = os.path.join(base, "locale")
    os.makedirs(loc)
    proc = subprocess.run(["localedef", "-i", "de_DE", "-f", "UTF-8",
                           os.path.join(loc, "de_DE.UTF-8")], capture_output=True, text=True)
    return loc if proc.returncode == 0 else None


SCRIPT = r'''
(report "registered" (car (gimp-procedural-db-proc-exists "plug-in-super-resolution")))
(define image (car (gimp-image-new 12 10 RGB)))
(define layer (car (gimp-layer-new image 12 10 RGB-IMAGE "Src" 100 LAYER-MODE-NORMAL)))
(gimp-image-insert-layer image layer 0 0)
(gimp-drawable-fill layer FILL-WHITE)
(set! sr-last-error "")
(let ((result (catch #f (plug-in-super-resolution RUN-NONINTERACTIVE image layer "" 2 0 0 0 FALSE FALSE))))
  (report "default.result" (if result "succeeded" "failed"))
  (report "default.message" sr-last-error)
  (if result (report-layer "default.new" (car result))))
(set! sr-last-error "")
(report "unknown.result"
        (if (catch #f (plug-in-super-resolution RUN-NONINTERACTIVE image layer "no-such-model" 2 0 0 0 FALSE FALSE))
            "succeeded" "failed"))
(report "unknown.message" sr-last-error)
'''


def main():
    args = parse_args()
    lib.need_gimp()
    script = os.path.join(args.source, "tools", "install-user.sh")
    os.makedirs(args.workdir, exist_ok=True)
    c = lib.Checker()

    base = tempfile.mkdtemp(prefix="sr-install-user-")
    os.chmod(base, 0o755)
    try:
        home = os.path.join(base, "home")
        os.makedirs(home, mode=0o700)
        if os.geteuid() == 0:
            account = ensure_user()
            os.chown(home, account.pw_uid, account.pw_gid)
            # Build as root (the checkout's owner): the user only reads it.
            scratch = dict(PATH=PATH, HOME=base, GIMP2_DIRECTORY=os.path.join(base, "root-profile"))
            proc = subprocess.run(["bash", script, "--gimp", "2.10"], env=scratch,
                                  capture_output=True, text=True, timeout=900)
            with open(os.path.join(args.workdir, "root-build.log"), "w") as f:
                f.write(proc.stdout + proc.stderr)
            if not c.check(proc.returncode == 0, "root's build of build-user/ (root-build.log)"):
                print((proc.stdout + proc.stderr)[-3000:])
                c.finish()
            subprocess.run(["bash", script, "--uninstall", "--gimp", "2.10"], env=scratch,
                           capture_output=True, timeout=60)
        env = dict(PATH=PATH, HOME=home, LANGUAGE="C", LC_ALL="C.UTF-8")
        profile = os.path.join(home, ".config", "GIMP", "2.10")

        # GIMP's first run makes the profile, as on a user's machine.
        rc, _ = run(["gimp-console-2.10", "-i", "-d", "-f", "-b", "(gimp-quit 0)"], env,
                    os.path.join(args.workdir, "first-run.log"), timeout=300)
        c.check(os.path.isdir(profile), f"GIMP made its profile {profile}")
        before = file_list(profile)

        rc, out = run(["bash", script], env, os.path.join(args.workdir, "install.log"))
        print(out.strip())
        c.check(rc == 0, f"install-user.sh as {'sr-test' if os.geteuid() == 0 else 'this user'} (exit {rc})")
        dest = os.path.join(profile, "plug-ins", "super-resolution")
        for rel in ("super-resolution", "models/imdn-x2.srm", "locale/de/LC_MESSAGES/gimp-sr.mo",
                    "help/index.html",
                    ".gimp-sr-manifest"):
            c.check(os.path.isfile(os.path.join(dest, rel)), f"installed {rel}")

        gimp_env = dict(env, LANGUAGE="de", LC_ALL="de_DE.UTF-8")
        locpath = german_locale(base)
        if locpath:
            gimp_env["LOCPATH"] = locpath
        else:
            print("note: localedef could not make de_DE.UTF-8; the German check may fail")
        rc, out = run(["gimp-console-2.10", "-i", "-d", "-f", "-b", "-"], gimp_env,
                      os.path.join(args.workdir, "gimp.log"),
                      input=lib.PRELUDE + SCRIPT + "\n(gimp-quit 0)\n", timeout=600)
        reports = lib.parse_reports(out)
        c.equal(reports, "registered", 1)
        c.equal(reports, "default.result", "succeeded")
        c.equal(reports, "default.new.width", 24)
        c.equal(reports, "default.new.height", 20)
        c.equal(reports, "unknown.result", "failed")
        # German from <plug-in>/locale; the search reached <plug-in>/models.
        c.contains(reports, "unknown.message", "Modell nicht gefunden")
        c.contains(reports, "unknown.message", os.path.join(dest, "models"))

        rc, out = run(["bash", script, "--gimp", "2.10"], env,
                      os.path.join(args.workdir, "upgrade.log"))
        c.check(rc == 0 and "previous install" in out, f"a second run upgrades in place (exit {rc})")

        rc, out = run(["bash", script, "--uninstall"], env, os.path.join(args.workdir, "uninstall.log"))
        print(out.strip())
        c.check(rc == 0, f"install-user.sh --uninstall (exit {rc})")
        after = file_list(profile)
        c.check(after == before, "the profile's files are as before the install"
                + "".join(f"\n  added: {p}" for p in sorted(after - before))
                + "".join(f"\n  gone: {p}" for p in sorted(before - after)))
        if c.failures:
            with open(os.path.join(args.workdir, "gimp.log"), errors="replace") as f:
                print(f.read()[-3000:])
    finally:
        shutil.rmtree(base, ignore_errors=True)
    c.finish()


if __name__ == "__main__":
    main()
