#!/usr/bin/python3
"""How much slower the GIMP plug-in is than the CLI on the same upscale.

Run by hand (not part of the test suites), from the source tree:

  tests/gimp/measure_overhead.py [--build build] [--model models/ecbsr-x4.srm]
                                 [--size 1000] [--scale 4] [--repeat 5] [--threads 0]

Both sides run the same model, scale, thread count and input (a SIZE x SIZE
RGB PNG made from a bench image, or noise when there is none):

  cli core     `sr-upscale --bench 1`: sr_upscale() alone, timed inside the
               CLI (input from a GEGL buffer, output discarded): the
               network's own time, the floor for both front ends.
  cli total    wall time of `sr-upscale IN OUT.png`: process start (with
               GEGL/babl initialisation), model load, PNG decode, network,
               writing the result into a GEGL buffer, PNG encode.
  cli png      one more CLI run under strace (only openat/close/execve are
               stopped at): its wall time (execve .. exit), and inside it
               the PNG decode (first open .. last close of IN), the upscale
               (last close of IN .. open of OUT: sr_upscale_to() with the
               result written into a GEGL buffer, the counterpart of the
               plug-in's "upscale" phase) and the PNG encode (open .. close
               of OUT); "cli without PNG I/O" = that run's
               wall time - decode - encode: process start with GEGL/babl
               initialisation, model load, network, result into a GEGL
               buffer, exit.
  gimp call    the PDB call as Script-Fu sees it, timed inside gimp-console
               with (gettimeofday) around plug-in-super-resolution on an
               image already loaded: plug-in process start (with GEGL/babl
               initialisation, as the CLI), model load, pixels from GIMP,
               network, pixels back into GIMP, GIMP's bookkeeping.  GIMP's
               own start-up and the file I/O are outside.
                 output 1 (new image): the like-for-like case;
                 output 0 (new layer): also scales the image (GIMP's own
                 interpolation of every layer to the new size), which the
                 CLI has no counterpart for.
  plug-in      with SR_PLUGIN_TIMING=1 the plug-in prints its phases:
               "gegl-init", "upscale" (drawable -> network -> the plug-in's
               buffer: the counterpart of cli core plus writing the result)
               and "insert" (into GIMP: new image or layer, image scale).

Overheads (medians): gimp call (new image) / cli without PNG I/O - 1, the
whole-call comparison; plug-in upscale phase / cli core - 1, the part
where the network's time dominates.  Runs alternate between the front ends
so that background load hits both alike.
"""
import argparse
import glob
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.realpath(__file__)))
import gimp_test_lib as lib  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.realpath(__file__))))


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--build", default=os.path.join(ROOT, "build"), help="meson build folder")
    p.add_argument("--plugin", help="plug-in executable (default BUILD/plugin/super-resolution)")
    p.add_argument("--cli", help="sr-upscale (default BUILD/tools/sr-upscale)")
    p.add_argument("--model", default=os.path.join(ROOT, "models", "ecbsr-x4.srm"))
    p.add_argument("--image", help="input PNG (default: a SIZE x SIZE one is made)")
    p.add_argument("--size", type=int, default=1000)
    p.add_argument("--scale", type=float, default=4)
    p.add_argument("--threads", type=int, default=0, help="0 = all cores (both sides)")
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--workdir", help="default: a temporary folder")
    return p.parse_args()


def make_input(path, size):
    import numpy as np
    from PIL import Image
    bench = sorted(glob.glob(os.path.join(ROOT, "..", "shared", "data", "bench", "*", "HR", "*.png")))
    if bench:
        im = Image.open(bench[0]).convert("RGB").resize((size, size), Image.BICUBIC)
    else:
        rng = np.random.default_rng(1)
        im = Image.fromarray(rng.integers(0, 256, (size, size, 3), dtype=np.uint8))
    im.save(path)


def cli_core(args, image):
    out = subprocess.run([args.cli, "-m", args.model, "-s", str(args.scale), "-t", str(args.threads),
                          "--bench", "1", image, os.devnull],
                         check=True, capture_output=True, text=True).stdout
    return float(re.search(r"median_ms=([\d.]+)", out).group(1)) / 1000


def cli_total(args, image, out):
    t0 = time.monotonic()
    subprocess.run([args.cli, "-m", args.model, "-s", str(args.scale), "-t", str(args.threads),
                    image, out], check=True, capture_output=True)
    return time.monotonic() - t0


def cli_png_times(args, image, out):
    """(wall, decode, upscale, encode) seconds of one CLI run, from strace, or None."""
    if not shutil.which("strace"):
        return None
    log = out + ".strace"
    # GIO writes an existing file through a temporary one: start afresh.
    if os.path.exists(out):
        os.remove(out)
    subprocess.run(["strace", "-f", "--seccomp-bpf", "-ttt", "-e", "trace=execve,openat,close", "-o", log,
                    args.cli, "-m", args.model, "-s", str(args.scale), "-t", str(args.threads),
                    image, out], check=True, capture_output=True)
    opened, spans, first, last = {}, {image: [], out: []}, None, None
    with open(log) as f:
        for line in f:
            t = re.match(r"\d+\s+([\d.]+) ", line)
            if t:
                first = first or float(t.group(1))
                last = float(t.group(1))
            m = re.match(r"(\d+)\s+([\d.]+) (openat|close)\((.*)\)\s+= (-?\d+)", line)
            if not m:
                continue
            pid, t, call, argstr, ret = m.group(1), float(m.group(2)), m.group(3), m.group(4), int(m.group(5))
            if call == "openat" and ret >= 0:
                for path in spans:
                    if f'"{path}"' in argstr:
                        opened[(pid, ret)] = (path, t)
            elif call == "close" and (pid, int(argstr)) in opened:
                path, t0 = opened.pop((pid, int(argstr)))
                spans[path].append((t0, t))
    if not spans[image] or not spans[out]:
        return None
    decode = spans[image][-1][1] - spans[image][0][0]
    encode = spans[out][-1][1] - spans[out][0][0]
    upscale = spans[out][0][0] - spans[image][-1][1]
    return last - first, decode, upscale, encode


SCRIPT = r'''
(define (now) (let ((t (gettimeofday))) (+ (car t) (/ (cadr t) 1000000.0))))
(define (timed-call image output)
  (let* ((layer (car (gimp-image-get-active-layer image)))
         (t0 (now))
         (result (plug-in-super-resolution RUN-NONINTERACTIVE image layer MODEL SCALE 0 THREADS output FALSE FALSE))
         (t1 (now)))
    (report (string-append "call" (number->string output)) (- t1 t0))
    result))
; output 1: a new image each time, deleted afterwards
(let ((image (car (gimp-file-load RUN-NONINTERACTIVE IMAGE "in"))))
  (let ((result (timed-call image 1)))
    (gimp-image-delete (cadr result)))
  (gimp-image-delete image))
; output 0: the image is scaled and gets the layer; a fresh image each time
(let ((image (car (gimp-file-load RUN-NONINTERACTIVE IMAGE "in"))))
  (timed-call image 0)
  (report "result.width" (car (gimp-image-width image)))
  (gimp-image-delete image))
'''


def gimp_round(args, profile, image):
    script = (SCRIPT.replace("MODEL", lib.scheme_string(args.model))
              .replace("SCALE", repr(float(args.scale)))
              .replace("THREADS", str(args.threads))
              .replace("IMAGE", lib.scheme_string(image)))
    reports, output = lib.run_batch(profile, script, env_extra={"SR_PLUGIN_TIMING": "1"})
    if "call1" not in reports or "call0" not in reports:
        sys.exit("the GIMP run failed:\n" + output[-3000:])
    phases = [(m.group(1), float(m.group(2)))
              for m in re.finditer(r"sr-plugin-timing ([\w-]+) ([\d.]+)", output)]
    # Two calls per round: output 1 first, then output 0.
    per_call = [{}, {}]
    call = 0
    for name, value in phases:
        per_call[call][name] = value
        if name == "total":
            call = min(call + 1, 1)
    return float(reports["call1"][-1]), float(reports["call0"][-1]), per_call, reports


def main():
    args = parse_args()
    lib.need_gimp()
    args.plugin = args.plugin or os.path.join(args.build, "plugin", "super-resolution")
    args.cli = args.cli or os.path.join(args.build, "tools", "sr-upscale")
    for path in (args.plugin, args.cli, args.model):
        if not os.path.isfile(path):
            sys.exit(f"{path} not found (build first, or see --help)")
    args.model = os.path.abspath(args.model)
    workdir = args.workdir or tempfile.mkdtemp(prefix="sr-overhead-")
    os.makedirs(workdir, exist_ok=True)
    image = os.path.abspath(args.image or os.path.join(workdir, f"in{args.size}.png"))
    if not args.image:
        make_input(image, args.size)
    profile = lib.make_profile(workdir, args.plugin)
    out = os.path.join(workdir, "cli-out.png")

    rows = {k: [] for k in ("core", "total", "noio", "decode", "upscale", "encode", "call1", "call0")}
    phases1, phases0 = {}, {}
    cli_core(args, image)   # warm the page cache
    for r in range(args.repeat):
        rows["core"].append(cli_core(args, image))
        c1, c0, phases, reports = gimp_round(args, profile, image)
        rows["call1"].append(c1)
        rows["call0"].append(c0)
        for store, ph in ((phases1, phases[0]), (phases0, phases[1])):
            for name, value in ph.items():
                store.setdefault(name, []).append(value)
        rows["total"].append(cli_total(args, image, out))
        png = cli_png_times(args, image, out)
        if png:
            rows["noio"].append(png[0] - png[1] - png[3])
            rows["decode"].append(png[1])
            rows["upscale"].append(png[2])
            rows["encode"].append(png[3])
        print(f"round {r + 1}: cli core {rows['core'][-1]:.3f} s, total {rows['total'][-1]:.3f} s"
              + (f", without PNG I/O {rows['noio'][-1]:.3f} s (decode {png[1]:.3f}, "
                 f"upscale {png[2]:.3f}, encode {png[3]:.3f})" if png else "")
              + f"; gimp call: new image {c1:.3f} s, new layer {c0:.3f} s", flush=True)

    med = {k: statistics.median(v) for k, v in rows.items() if v}
    m1 = {k: statistics.median(v) for k, v in phases1.items()}
    m0 = {k: statistics.median(v) for k, v in phases0.items()}
    from PIL import Image
    w, h = Image.open(image).size
    print()
    print(f"model {os.path.basename(args.model)}, {w} x {h} x{args.scale:g} -> "
          f"{reports.get('result.width', ['?'])[-1]} wide, threads {args.threads or os.cpu_count()}, "
          f"{args.repeat} rounds, medians in seconds:")
    table = [("cli core (sr_upscale, --bench)", med["core"]),
             ("cli total (process, PNG in and out)", med["total"])]
    if "noio" in med:
        noio = med["noio"]
        table += [("  PNG decode (strace run)", med["decode"]),
                  ("  upscale into a buffer (strace run)", med["upscale"]),
                  ("  PNG encode (strace run)", med["encode"]),
                  ("cli without PNG I/O (strace run)", noio)]
    for label, m, key in (("gimp call, output 1 (new image)", m1, "call1"),
                          ("gimp call, output 0 (new layer)", m0, "call0")):
        table.append((label, med[key]))
        for phase in ("gegl-init", "upscale", "insert"):
            if phase in m:
                table.append((f"  plug-in {phase}", m[phase]))
    for label, value in table:
        print(f"  {label:40s} {value:7.3f}")
    print()
    pct = lambda a, b: f"{100 * (a / b - 1):+.1f} %"  # noqa: E731
    if "noio" in med:
        print(f"gimp call (new image) vs cli without PNG I/O: {pct(med['call1'], noio)}")
        print(f"gimp call (new layer) vs cli without PNG I/O: {pct(med['call0'], noio)}")
    if "upscale" in med:
        print(f"plug-in upscale phase vs cli upscale:        {pct(m1['upscale'], med['upscale'])}")
    print(f"plug-in upscale phase vs cli core:           {pct(m1['upscale'], med['core'])}")
    print(f"gimp call (new image) vs cli core:           {pct(med['call1'], med['core'])}")
    print(f"gimp call (new image) vs cli total:          {pct(med['call1'], med['total'])}")


if __name__ == "__main__":
    main()
