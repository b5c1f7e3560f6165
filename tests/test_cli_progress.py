#!/usr/bin/python3
"""The CLI's progress bar (issue #19, "CLI niceties").

  test_cli_progress.py --cli build/tools/sr-upscale

A 1-MP image (1152 x 864) is upscaled by ecbsr-x2 with --tta and 2 threads:
  * with stderr on a pseudo-terminal: the bar is redrawn with carriage
    returns, the percentages never go down, some frames guess a time left,
    the last frame is 100 % with the time taken and ends the line; the
    output equals the run without a terminal (the bar changes nothing else);
  * with stderr on a pipe: stderr is empty (no bar, no carriage returns);
  * --quiet on the terminal: nothing at all on it; --quiet also drops the
    informational note a JPEG without -m prints (kept without --quiet);
  * a run that fails after starting on a terminal (a damaged PNG) puts its
    error on a line of its own.

Needs SR_MODEL_PATH (meson's test env sets it) and PIL + numpy
(/usr/bin/python3); skips (77) without them.
"""
import argparse
import os
import pty
import re
import select
import subprocess
import sys
import tempfile

from checklist import check, exit_status

try:
    import numpy as np
    from PIL import Image
except ImportError as e:
    print("SKIP: %s" % e)
    sys.exit(77)

def on_terminal(cmd, cwd):
    """Runs cmd with stderr on a pseudo-terminal (stdout on a pipe); returns
    (exit status, what the terminal received)."""
    master, slave = pty.openpty()
    p = subprocess.Popen(cmd, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=slave)
    os.close(slave)
    got = b""
    while True:
        r, _, _ = select.select([master], [], [], 1.0)
        if r:
            try:
                chunk = os.read(master, 65536)
            except OSError:     # EIO: the child closed its end
                break
            if not chunk:
                break
            got += chunk
        elif p.poll() is not None:
            break
    p.wait()
    os.close(master)
    return p.returncode, got.decode("utf-8", "replace")


def test_image(path, width=1152, height=864):
    """Smooth gradients plus texture: something a model has work to do on."""
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    rng = np.random.default_rng(19)
    img = np.stack([x / width * 255, y / height * 255, (x + y) % 64 * 4], axis=2)
    img += rng.normal(0, 12, img.shape)
    Image.fromarray(np.clip(img, 0, 255).astype(np.uint8)).save(path)


FRAME = re.compile(r"\[([#-]{30})\] +(\d+) %  (?:(\d+(?::\d\d)+) left)? *(?:\((\d+(?::\d\d)+)\))?")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cli", required=True)
    a = ap.parse_args()
    cli = os.path.abspath(a.cli)
    if not os.environ.get("SR_MODEL_PATH"):
        print("SKIP: SR_MODEL_PATH is not set")
        return 77
    try:   # a container without /dev/pts has no terminal to test on
        for fd in os.openpty():
            os.close(fd)
    except OSError as e:
        print("SKIP: no pseudo-terminal: %s" % e)
        return 77
    with tempfile.TemporaryDirectory(prefix="sr-progress-") as d:
        test_image(os.path.join(d, "in.png"))
        run = [cli, "-m", "ecbsr-x2", "--tta", "-t", "2", "in.png"]

        # On a terminal.
        rc, tty = on_terminal(run + ["tty.png"], d)
        check(rc == 0, "terminal run: exit status %d" % rc)
        frames = [f for f in tty.replace("\r\n", "\n").split("\r") if f.strip()]
        parsed = [FRAME.search(f) for f in frames]
        check(len(frames) >= 3 and all(parsed),
              "terminal: %d frames, each a bar with a percentage" % len(frames))
        percents = [int(m.group(2)) for m in parsed if m]
        check(percents == sorted(percents), "terminal: percentages never go down: %s"
              % percents[:40])
        bars = [m.group(1).count("#") for m in parsed if m]
        # Both are rounded down from one fraction: p % gives p/100 <= f < (p+1)/100.
        check(all(p * 30 // 100 <= b <= (p + 1) * 30 // 100 for b, p in zip(bars, percents)),
              "terminal: the bar's cells follow the percentage (30 cells)")
        check(any(m and m.group(3) for m in parsed), "terminal: a time left is shown")
        last = parsed[-1] if parsed else None
        check(last is not None and last.group(2) == "100" and last.group(4) is not None
              and tty.endswith("\n"),
              "terminal: ends at 100 %% with the time taken and a newline: %r" % tty[-80:])

        # On a pipe: nothing on stderr, same pixels.
        r = subprocess.run(run + ["pipe.png"], cwd=d, capture_output=True, text=True)
        check(r.returncode == 0 and r.stderr == "",
              "pipe: exit 0, stderr empty (got %r)" % r.stderr[:200])
        same = (np.array_equal(np.asarray(Image.open(os.path.join(d, "tty.png"))),
                               np.asarray(Image.open(os.path.join(d, "pipe.png"))))
                if r.returncode == 0 and rc == 0 else False)
        check(same, "the terminal run's output equals the pipe run's")

        # --quiet on a terminal: nothing.
        rc, tty = on_terminal(run + ["--quiet", "quiet.png"], d)
        check(rc == 0 and tty == "", "--quiet on a terminal: exit %d, output %r" % (rc, tty[:200]))

        # The informational note of a JPEG without -m: there, and gone with --quiet.
        Image.open(os.path.join(d, "in.png")).crop((0, 0, 320, 240)).save(
            os.path.join(d, "small.jpg"), quality=90)
        r = subprocess.run([cli, "-s", "2", "small.jpg", "note.png"], cwd=d,
                           capture_output=True, text=True)
        check(r.returncode == 0 and "photo model" in r.stderr,
              "JPEG without -m: the note is printed (%r)" % r.stderr.strip())
        r = subprocess.run([cli, "-q", "-s", "2", "small.jpg", "note.png"], cwd=d,
                           capture_output=True, text=True)
        check(r.returncode == 0 and r.stderr == "", "-q: no note (%r)" % r.stderr.strip())

        # An error on a terminal stands on its own line.
        with open(os.path.join(d, "in.png"), "rb") as f:
            png = bytearray(f.read())
        png[len(png) // 2] ^= 0x55
        with open(os.path.join(d, "damaged.png"), "wb") as f:
            f.write(png)
        rc, tty = on_terminal([cli, "-m", "ecbsr-x2", "damaged.png", "bad.png"], d)
        lines = [l for l in re.split(r"[\r\n]", tty) if l.strip()]
        check(rc == 1 and lines and lines[-1].startswith("sr-upscale: ")
              and "cannot decode" in lines[-1],
              "damaged input on a terminal: exit %d, last line %r" % (rc, lines[-1:]))
    return exit_status()


if __name__ == "__main__":
    sys.exit(main())
