#!/usr/bin/python3
"""Adversarial tests of the sr-upscale CLI (issue #21, docs/reliability.md).

Each case is what a hostile or careless user does; each asserts the clean
outcome: a non-zero exit within a generous time bound, one line on stderr
that starts with "sr-upscale: ", nothing at the output path, no stray
temporary files, and any file that was there before untouched.

  test_adversarial.py --cli build/tools/sr-upscale [-k NAME]

Needs SR_MODEL_PATH pointing at the shipped models (meson's test env sets it).
Test images are written with zlib (PNG) and by the CLI itself (JPEG, TIFF,
WebP), so nothing beyond the standard library is needed.
"""
import argparse
import os
import random
import resource
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
import zlib

MODEL = "ecbsr-x2"   # the fastest shipped model: the cases are about I/O, not inference


# ---- image files ----------------------------------------------------------

def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bytes(width, height, depth=8, seed=0, idat=None):
    """An RGB PNG of noise (8 or 16 bits); idat overrides the compressed data."""
    rng = random.Random(seed)
    bpp = 3 * depth // 8
    if idat is None:
        rows = b"".join(b"\0" + rng.randbytes(width * bpp) for _ in range(height))
        idat = zlib.compress(rows, 1)
    ihdr = struct.pack(">IIBBBBB", width, height, depth, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", idat)
            + png_chunk(b"IEND", b""))


def png_chunks(data):
    off = 8
    while off < len(data):
        n = struct.unpack(">I", data[off:off + 4])[0]
        yield data[off + 4:off + 8], data[off + 8:off + 8 + n]
        off += 12 + n


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)
    return path


def read(path):
    with open(path, "rb") as f:
        return f.read()


# ---- running the CLI -------------------------------------------------------

class Case:
    def __init__(self, cli, root, name):
        self.cli, self.name = cli, name
        self.dir = os.path.join(root, name)
        os.makedirs(self.dir)
        self.problems = []

    def path(self, name):
        return os.path.join(self.dir, name)

    def run(self, *args, preexec_fn=None, timeout=120):
        t0 = time.monotonic()
        r = subprocess.run([self.cli, *args], capture_output=True, text=True, timeout=timeout,
                           preexec_fn=preexec_fn, cwd=self.dir)
        r.elapsed = time.monotonic() - t0
        return r

    def check(self, ok, what):
        if not ok:
            self.problems.append(what)
        return ok

    def refused(self, r, out=None, within=30.0, says=None):
        """A clean refusal: exit status 1, one stderr line of ours, in time, no output."""
        err = r.stderr.strip()
        label = f"{self.name}: {err!r}"
        self.check(r.returncode == 1, f"{label}: exit status {r.returncode}, expected 1")
        self.check(r.elapsed < within, f"{label}: took {r.elapsed:.2f} s (bound {within} s)")
        self.check(err.startswith("sr-upscale: ") and "\n" not in err,
                   f"{label}: expected one line starting 'sr-upscale: '")
        for word in ([says] if isinstance(says, str) else says or []):
            self.check(word.lower() in err.lower(), f"{label}: does not mention {word!r}")
        if out:
            self.check(not os.path.lexists(self.path(out)), f"{label}: {out} exists")
        self.no_strays()

    def no_strays(self):
        strays = [f for f in os.listdir(self.dir) if f.startswith(".")]
        self.check(not strays, f"{self.name}: stray files {strays}")

    def converted(self, src, name):
        """src converted by the CLI at scale 1 (a JPEG, TIFF or WebP test input)."""
        r = self.run("-m", MODEL, "-s", "1", src, name)
        assert r.returncode == 0, r.stderr
        return self.path(name)


def fsize_limit(limit):
    def apply():
        # Ignored, so that write() fails with EFBIG instead of the signal killing us.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


# ---- the cases -------------------------------------------------------------

def case_not_an_image(c):
    """Item 4: text, empty, random bytes, and lying extensions fail fast."""
    inputs = {
        "notes.txt": b"Shopping list\n- milk\n- bread\n" * 40,
        "empty.png": b"",
        "random.png": random.Random(4).randbytes(200_000),
        "text.jpg": b"<html><body>not a picture</body></html>\n",
        "svg.png": b'<svg xmlns="http://www.w3.org/2000/svg" width="9000" height="9000"/>',
        "magic-only.png": b"\x89PNG\r\n\x1a\n",
        "magic-only.jpg": b"\xff\xd8\xff",
    }
    for name, data in inputs.items():
        write(c.path(name), data)
        c.refused(c.run("-m", MODEL, name, "out.png"), "out.png", within=10,
                  says=None if data else "empty")
    # Not a regular file: a FIFO would block a reader forever, a folder is no image.
    os.mkfifo(c.path("fifo.png"))
    os.mkdir(c.path("folder.png"))
    for name in ["fifo.png", "folder.png"]:
        c.refused(c.run("-m", MODEL, name, "out.png"), "out.png", within=10, says="regular file")
    # Content, not name, picks the decoder: a PNG called .jpg loads.
    write(c.path("really-png.jpg"), png_bytes(24, 16))
    r = c.run("-m", MODEL, "really-png.jpg", "ok.png")
    c.check(r.returncode == 0 and os.path.exists(c.path("ok.png")), f"png named .jpg: {r.stderr!r}")


def case_truncated(c):
    """Item 5: truncated PNG and JPEG, cut anywhere, are errors."""
    png = png_bytes(96, 64, seed=5)
    write(c.path("src.png"), png)
    jpg = read(c.converted("src.png", "src.jpg"))
    tif = read(c.converted("src.png", "src.tif"))
    webp = read(c.converted("src.png", "src.webp"))
    cuts = {
        "half.png": png[:len(png) // 2], "no-iend.png": png[:-12], "ihdr-only.png": png[:33],
        "half.jpg": jpg[:len(jpg) // 2], "no-eoi.jpg": jpg[:-2], "header-only.jpg": jpg[:300],
        "half.tif": tif[:len(tif) // 2], "half.webp": webp[:len(webp) // 2],
    }
    for name, data in cuts.items():
        write(c.path(name), data)
        c.refused(c.run("-m", MODEL, name, "out.png"), "out.png", within=10, says="truncated")

    # Damage that keeps the container intact is caught by the decoder's own
    # complaints: scan data cut short but an end marker appended; half the
    # PNG data in well-formed chunks; a flipped byte (CRC error); a bogus
    # Huffman table (libjpeg calls exit() on that one).
    chunks = list(png_chunks(png))
    idat = b"".join(d for t, d in chunks if t == b"IDAT")
    short_idat = png_bytes(96, 64, idat=idat[:len(idat) // 2])
    flipped = bytearray(png)
    flipped[len(png) // 2] ^= 0x55
    dht = jpg.index(b"\xff\xc4")
    bogus = bytearray(jpg)
    bogus[dht + 5:dht + 21] = b"\xff" * 16
    damaged = {
        "eoi-early.jpg": jpg[:len(jpg) // 2] + b"\xff\xd9",
        "short-idat.png": short_idat,
        "crc.png": bytes(flipped),
        "bogus-huffman.jpg": bytes(bogus),
    }
    for name, data in damaged.items():
        write(c.path(name), data)
        c.refused(c.run("-m", MODEL, name, "out.png"), "out.png", within=10, says="cannot decode")


def case_pixel_budget(c):
    """Item 6: sizes from the header, refused before decoding, saying how to go on."""
    tiny = zlib.compress(b"\0" * 4096)
    write(c.path("huge.png"), png_bytes(100000, 100000, idat=tiny))
    write(c.path("big.png"), png_bytes(20000, 20000, idat=tiny))
    r = c.run("-m", MODEL, "huge.png", "out.png")
    c.refused(r, "out.png", within=2.0, says=["100000 x 100000", "crop"])
    print(f"  100000 x 100000 header refused in {r.elapsed * 1000:.0f} ms")
    r = c.run("-m", MODEL, "big.png", "out.png")
    c.refused(r, "out.png", within=2.0, says="--max-input-megapixels 400")
    # The output budget, with and without -s (then the model's scale decides).
    write(c.path("small.png"), png_bytes(400, 300))
    c.refused(c.run("-m", MODEL, "--max-megapixels", "0.4", "small.png", "out.png"), "out.png",
              says="--max-megapixels 1")   # x2: 800 x 600, 0.48 MP
    c.refused(c.run("-m", MODEL, "-s", "8", "--max-megapixels", "2", "small.png", "out.png"),
              "out.png", says="--max-megapixels 8")
    # What a format cannot hold is refused before the run.
    write(c.path("wide.png"), png_bytes(2100, 2, idat=zlib.compress(b"\0" * (2 * 6301))))
    c.refused(c.run("-m", MODEL, "-s", "8", "wide.png", "out.webp"), "out.webp", says="16383")


def case_pixel_budget_passes(c):
    """Raising the budget lets a run through (the refusal's advice works)."""
    write(c.path("small.png"), png_bytes(400, 300))
    r = c.run("-m", MODEL, "--max-input-megapixels", "0.1", "small.png", "out.png")
    c.refused(r, "out.png", says="--max-input-megapixels 1")
    r = c.run("-m", MODEL, "--max-input-megapixels", "1", "small.png", "out.png")
    c.check(r.returncode == 0 and os.path.exists(c.path("out.png")), f"raised budget: {r.stderr!r}")


def case_bad_options(c):
    """Item 6: every argument checked before the model loads or a pixel decodes."""
    write(c.path("in.png"), png_bytes(32, 24))
    # A model path that does not exist: if an option were checked after the
    # model load, the message would be about the model instead.
    nomodel = ["-m", "/nonexistent/model.srm"]
    bad = [
        (["-s", "nan"], "scale"), (["-s", "inf"], "scale"), (["-s", "-inf"], "scale"),
        (["-s", "-2"], "scale"), (["-s", "0.5"], "scale"), (["-s", "8.01"], "scale"),
        (["-s", "1e308"], "scale"), (["-s", "0"], "scale"), (["-s", "2x"], "scale"),
        (["-t", "257"], "threads"), (["-t", "-1"], "threads"), (["-t", "99999999999"], "-t"),
        (["--tile", "1"], "tile"), (["--tile", "100000"], "tile"), (["--tile", "-5"], "tile"),
        (["--bench", "-1"], "bench"),
        (["--max-megapixels", "nan"], "budget"), (["--max-megapixels", "0"], "budget"),
        (["--max-input-megapixels", "-1"], "budget"),
    ]
    for extra, word in bad:
        c.refused(c.run(*nomodel, *extra, "in.png", "out.png"), "out.png", within=10, says=word)
    for out in ["out.bmp", "out", "out.png.txt", "out.gif"]:
        c.refused(c.run(*nomodel, "in.png", out), out, within=10, says="unknown output type")
    c.refused(c.run(*nomodel, "in.png"), None, within=10, says="expected IN and OUT")
    c.refused(c.run(*nomodel, "missing.png", "out.png"), "out.png", within=10, says="missing.png")
    # An unknown model id lists the ones there are.
    c.refused(c.run("-m", "no-such-model", "in.png", "out.png"), "out.png", within=30,
              says=["unknown model", "available", MODEL])


def case_output_path(c):
    """Item 2: symlinks, folders and devices at the output path are refused."""
    write(c.path("in.png"), png_bytes(32, 24))
    write(c.path("victim.png"), b"precious")
    os.symlink("victim.png", c.path("link.png"))
    os.symlink("nowhere.png", c.path("dangling.png"))
    os.mkdir(c.path("folder.png"))
    for out in ["link.png", "dangling.png"]:
        c.refused(c.run("-m", MODEL, "in.png", out), None, within=10, says="symbolic link")
        c.check(os.path.islink(c.path(out)), f"{out} is no longer a link")
    c.check(read(c.path("victim.png")) == b"precious", "the link's target was changed")
    c.check(not os.path.lexists(c.path("nowhere.png")), "the dangling link's target was created")
    c.refused(c.run("-m", MODEL, "in.png", "folder.png"), None, within=10, says="folder")
    c.refused(c.run("-m", MODEL, "in.png", "no/such/dir/out.png"), None, within=10, says="no/such/dir")
    if os.geteuid() != 0:   # root may write anything, so access() cannot refuse it
        write(c.path("readonly.png"), b"keep me")
        os.chmod(c.path("readonly.png"), 0o444)
        c.refused(c.run("-m", MODEL, "in.png", "readonly.png"), None, within=10, says="write-protected")
        c.check(read(c.path("readonly.png")) == b"keep me", "a write-protected output was replaced")
    if os.path.exists("/dev/null"):
        os.symlink("/dev/null", c.path("devnull.png"))
        c.refused(c.run("-m", MODEL, "in.png", "devnull.png"), None, within=10)


def as_nobody():
    """preexec_fn: run as 'nobody' (a root test run may write anywhere)."""
    os.setgid(65534)
    os.setuid(65534)


def case_unusable_paths(c):
    """Issue #19: a model path that is a folder, an output folder we may not write."""
    write(c.path("in.png"), png_bytes(32, 24))
    os.mkdir(c.path("folder.srm"))
    for model in ["folder.srm", "./folder.srm", c.path("folder.srm")]:
        c.refused(c.run("-m", model, "in.png", "out.png"), "out.png", within=10,
                  says=["folder", "not a model file"])
    # A folder of ours without write permission; as root, run as nobody.  A
    # writable one beside it shows the refusal is about the permission.
    drop = as_nobody if os.geteuid() == 0 else None
    os.chmod(os.path.dirname(c.dir), 0o755)
    os.chmod(c.dir, 0o755)
    os.chmod(c.path("in.png"), 0o644)
    os.mkdir(c.path("ro"), 0o555)
    os.mkdir(c.path("rw"))
    os.chmod(c.path("ro"), 0o555)
    os.chmod(c.path("rw"), 0o777)
    r = c.run("-m", MODEL, "in.png", "ro/out.png", preexec_fn=drop)
    c.refused(r, "ro/out.png", within=10, says=["cannot write into the output folder", "ro"])
    r = c.run("-m", MODEL, "in.png", "rw/out.png", preexec_fn=drop)
    c.check(r.returncode == 0 and r.stderr == "" and os.path.exists(c.path("rw/out.png")),
            f"writable folder: exit {r.returncode}, {r.stderr!r}")
    os.remove(c.path("rw/out.png"))


def case_write_fails(c):
    """Item 2: a full disk (ulimit -f) is a non-zero exit, nothing written, original intact."""
    write(c.path("in.png"), png_bytes(200, 150, seed=2))   # x2 noise: ~180 KB as PNG
    for out in ["out.png", "out.jpg", "out.tif", "out.webp"]:
        r = c.run("-m", MODEL, "in.png", out, preexec_fn=fsize_limit(16384))
        c.refused(r, out, says="could not write")
    # The target exists already: it must survive the failed save unchanged.
    write(c.path("old.png"), b"the previous result")
    r = c.run("-m", MODEL, "in.png", "old.png", preexec_fn=fsize_limit(16384))
    c.refused(r, None, says="could not write")
    c.check(read(c.path("old.png")) == b"the previous result", "the existing output was changed")
    # Output == input: the input is what is at stake.
    original = read(c.path("in.png"))
    r = c.run("-m", MODEL, "in.png", "in.png", preexec_fn=fsize_limit(16384))
    c.refused(r, None, says="could not write")
    c.check(read(c.path("in.png")) == original, "the input (== output) was changed by a failed save")
    # Without the limit, output == input works, through the same path, and
    # a replaced file keeps its permissions.
    os.chmod(c.path("in.png"), 0o640)
    r = c.run("-m", MODEL, "in.png", "in.png")
    got = read(c.path("in.png"))
    c.check(r.returncode == 0 and got != original and struct.unpack(">II", got[16:24]) == (400, 300),
            f"in place: {r.stderr!r}")
    c.check(os.stat(c.path("in.png")).st_mode & 0o777 == 0o640, "in place: permissions not kept")
    c.no_strays()


def wait_for_temp(c, proc, timeout):
    t0 = time.monotonic()
    while proc.poll() is None and time.monotonic() - t0 < timeout:
        if any(f.startswith(".") for f in os.listdir(c.dir)):
            return True
        time.sleep(0.001)
    return False


def case_formats(c):
    """No false refusals: common variants of the four formats written by another library load."""
    try:
        from PIL import Image
    except ImportError:
        print("  PIL not installed: skipped")
        return
    im = Image.frombytes("RGB", (57, 43), random.Random(7).randbytes(57 * 43 * 3))
    exif = Image.Exif()
    exif[0x010E] = "a description"
    variants = {
        "progressive.jpg": lambda p: im.save(p, progressive=True, quality=80),
        "cmyk.jpg": lambda p: im.convert("CMYK").save(p),
        "grey.jpg": lambda p: im.convert("L").save(p),
        "exif.jpg": lambda p: im.save(p, exif=exif),
        "palette.png": lambda p: im.convert("P").save(p),
        "rgba.png": lambda p: im.convert("RGBA").save(p),
        "lzw.tif": lambda p: im.save(p, compression="tiff_lzw"),
        "jpeg.tif": lambda p: im.save(p, compression="jpeg"),
        "pages.tif": lambda p: im.save(p, save_all=True, append_images=[im]),
        "lossless.webp": lambda p: im.save(p, lossless=True),
        "alpha.webp": lambda p: im.convert("RGBA").save(p),
    }
    for name, save in variants.items():
        save(c.path(name))
        out = name.replace(".", "-") + ".png"
        r = c.run("-m", MODEL, name, out)
        c.check(r.returncode == 0 and os.path.exists(c.path(out)), f"{name}: {r.stderr.strip()!r}")
    c.no_strays()


def case_signals(c):
    """Item 2: SIGTERM/SIGINT mid-save or mid-run: nothing at the output, no stray temp."""
    previous = b"the previous result"
    caught = set()
    for size in (900, 1800, 3600):
        write(c.path("in.png"), png_bytes(size, size * 3 // 4, seed=3))
        for sig in (signal.SIGTERM, signal.SIGINT):
            if sig in caught:
                continue
            write(c.path("old.png"), previous)
            proc = subprocess.Popen([c.cli, "-m", MODEL, "in.png", "old.png"], cwd=c.dir,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            if wait_for_temp(c, proc, 300):
                proc.send_signal(sig)
            proc.wait(timeout=120)
            err = proc.stderr.read().decode()
            if proc.returncode == 0:
                continue   # the save won the race: try again with a bigger image
            caught.add(sig)
            c.check(proc.returncode == -sig, f"mid-save {sig.name}: exit {proc.returncode}, {err!r}")
            c.check(read(c.path("old.png")) == previous, f"mid-save {sig.name}: old.png was changed")
            c.no_strays()
        if len(caught) == 2:
            print(f"  caught mid-save with a {size} px wide input")
            break
    c.check(len(caught) == 2, "could not catch the CLI mid-save with inputs up to 3600 px wide")

    # Mid-run: before the save starts (decoding, or the model at work).  A
    # 1 MB GEGL cache makes the buffers spill into GEGL's swap file, which a
    # killed run must not leave behind either.
    swap = os.path.join(c.dir, "swap")
    os.mkdir(swap)
    env = dict(os.environ, GEGL_SWAP=swap, GEGL_CACHE_SIZE="1")
    for sig in (signal.SIGTERM, signal.SIGINT):
        for size in (1600, 3200, 6400):
            write(c.path("in.png"), png_bytes(size, size * 3 // 4, seed=3))
            proc = subprocess.Popen([c.cli, "-m", MODEL, "-t", "1", "in.png", "new.png"], cwd=c.dir,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
            time.sleep(0.5)
            mid_run = proc.poll() is None and not any(f.startswith(".") for f in os.listdir(c.dir))
            if mid_run:
                proc.send_signal(sig)
            proc.wait(timeout=300)
            if not mid_run:   # too fast a machine: the run was over or saving; go bigger
                if os.path.exists(c.path("new.png")):
                    os.remove(c.path("new.png"))
                continue
            c.check(proc.returncode == -sig, f"mid-run {sig.name}: exit {proc.returncode}")
            c.check(not os.path.lexists(c.path("new.png")), f"mid-run {sig.name}: new.png exists")
            c.check(not os.listdir(swap), f"mid-run {sig.name}: GEGL swap left {os.listdir(swap)}")
            c.no_strays()
            break
        else:
            c.check(False, f"mid-run {sig.name}: could not catch the CLI before its save")


def case_cancel_random(c):
    """Item 2: SIGTERM at random points: the old file or the complete new one, never a mix."""
    write(c.path("in.png"), png_bytes(700, 500, seed=6))
    t0 = time.monotonic()
    r = c.run("-m", MODEL, "in.png", "timing.png")
    full = time.monotonic() - t0
    c.check(r.returncode == 0, f"reference run: {r.stderr!r}")
    expected = read(c.path("timing.png")) if r.returncode == 0 else b""
    rng = random.Random(21)
    outcomes = {"old": 0, "new": 0, "saved, then killed": 0}
    for i in range(6):
        write(c.path("out.png"), b"the previous result")
        proc = subprocess.Popen([c.cli, "-m", MODEL, "in.png", "out.png"], cwd=c.dir,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        time.sleep(rng.uniform(0, full * 1.4))   # some land after the end: both outcomes
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=300)
        got = read(c.path("out.png"))
        if proc.returncode == 0:
            outcomes["new"] += 1
            c.check(got == expected, f"run {i}: exit 0 but the output differs from the reference")
        else:
            # A signal after the rename but before the process ends (freeing,
            # syncing the folder) kills a run whose result is already in place:
            # the complete new file is as good as the old one; a mix is not.
            c.check(proc.returncode == -signal.SIGTERM, f"run {i}: exit {proc.returncode}")
            if got == expected:
                outcomes["saved, then killed"] += 1
            else:
                outcomes["old"] += 1
                c.check(got == b"the previous result",
                        f"run {i}: killed, and out.png is neither the old file nor the complete new one")
        c.no_strays()
    print(f"  6 random SIGTERMs over a {full:.1f} s run: {outcomes['old']} left the old file, "
          f"{outcomes['new']} completed, {outcomes['saved, then killed']} saved and then killed")


def case_depths(c):
    """Still true after the hardening: 8 bits in, 8 out; 16 in, 16 out; all four formats read."""
    write(c.path("in8.png"), png_bytes(40, 30, depth=8))
    write(c.path("in16.png"), png_bytes(40, 30, depth=16))
    for src, depth in [("in8.png", 8), ("in16.png", 16)]:
        out = src.replace("in", "out")
        r = c.run("-m", MODEL, src, out)
        data = read(c.path(out)) if os.path.exists(c.path(out)) else b""
        c.check(r.returncode == 0 and data[12:16] == b"IHDR" and data[24] == depth
                and struct.unpack(">II", data[16:24]) == (80, 60),
                f"{src}: expected an 80 x 60 {depth}-bit PNG ({r.stderr!r})")
    for fmt in ["jpg", "tif", "webp"]:
        c.converted("in8.png", "in." + fmt)
        r = c.run("-m", MODEL, "in." + fmt, f"back-{fmt}.png")
        c.check(r.returncode == 0, f"{fmt} input: {r.stderr!r}")
    c.no_strays()


CASES = [case_not_an_image, case_truncated, case_pixel_budget, case_pixel_budget_passes,
         case_bad_options, case_output_path, case_unusable_paths, case_write_fails, case_depths, case_formats,
         case_signals, case_cancel_random]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cli", required=True)
    ap.add_argument("-k", help="run only cases whose name contains this")
    a = ap.parse_args()
    cli = os.path.abspath(a.cli)
    if not os.environ.get("SR_MODEL_PATH"):
        print("SR_MODEL_PATH is not set; skipping")
        return 77
    failed = 0
    with tempfile.TemporaryDirectory(prefix="sr-adversarial-") as root:
        for case in CASES:
            name = case.__name__[5:]
            if a.k and a.k not in name:
                continue
            c = Case(cli, root, name)
            t0 = time.monotonic()
            try:
                case(c)
            except Exception as e:   # a crash of the test is a failure too
                c.problems.append(f"{type(e).__name__}: {e}")
            status = "ok" if not c.problems else "FAIL"
            print(f"{status:4} {name} ({time.monotonic() - t0:.1f} s) -- {case.__doc__.strip()}")
            for p in c.problems:
                print("     " + p)
            failed += bool(c.problems)
    print(f"{failed} of {len(CASES)} cases failed" if failed else "all cases passed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
