#!/usr/bin/python3
"""The plug-in, run again and again on a ~1-megapixel photo in one GIMP.

This is the regression test of the GIMP wire race: libgimp's wire (over
which a drawable's buffer fetches its tiles) broke when worker threads read
tiles while the main thread reported progress, and about one run in five
failed on 1-MP photos ("expected tile ack", "unexpected message") while
every small-image test passed.  Here, in one gimp-console session:

  * ECBSR x2 (a local network: the calling thread takes tiles as well as
    serving the workers) with 2 threads, --runs times with the automatic
    tile size and half as often with 64-pixel tiles (many tile requests);
  * the default x2 model (model "" with the shipped models on the model
    path: the quality network, whose workers only compute) a few times;

every run must succeed, and the first and last result of each setting must
be pixel-equal to `sr-upscale` with the same model, scale and tiles.

Exit status 77 (skipped) without gimp-console-2.10, numpy or Pillow.
"""
import argparse
import os
import shutil
import subprocess
import sys

import gimp_test_lib as lib

SIZE = (1024, 680)


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--plugin", required=True)
    p.add_argument("--cli", required=True, help="sr-upscale, for the pixel comparison")
    p.add_argument("--models-dir", required=True, help="the shipped models (models/)")
    p.add_argument("--shared", required=True, help="the shared folder holding data/bench")
    p.add_argument("--workdir", required=True)
    p.add_argument("--runs", type=int, default=50, help="runs per tile setting of the fast model")
    p.add_argument("--default-runs", type=int, default=4, help="runs of the default x2 model")
    p.add_argument("--models-py", default="", help="unused; accepted like the other GIMP tests")
    return p.parse_args()


def make_photo(shared, path):
    """A 1024x680 mosaic of B100 photographs (landscape ones, 3 x 3, cropped)."""
    from PIL import Image
    hr = os.path.join(shared, "data", "bench", "B100", "HR")
    tiles = []
    for name in sorted(os.listdir(hr)):
        im = Image.open(os.path.join(hr, name)).convert("RGB")
        if im.width > im.height:
            tiles.append(im)
        if len(tiles) == 9:
            break
    w, h = tiles[0].size
    mosaic = Image.new("RGB", (3 * w, 3 * h))
    for i, im in enumerate(tiles):
        mosaic.paste(im.resize((w, h)), ((i % 3) * w, (i // 3) * h))
    mosaic.crop((0, 0) + SIZE).save(path)


def script(photo, settings, out_dir):
    """One loop per (label, model, tile, runs); saves the first and last result."""
    s = [f'(define photo (car (gimp-file-load RUN-NONINTERACTIVE {lib.scheme_string(photo)} "in")))\n'
         '(define source (car (gimp-image-get-active-layer photo)))\n'
         '(gimp-image-clean-all photo)\n']
    for label, model, tile, runs in settings:
        first = os.path.join(out_dir, f"{label}-first.png")
        last = os.path.join(out_dir, f"{label}-last.png")
        s.append(f'''
(do ((i 0 (+ i 1))) ((= i {runs}))
  (set! sr-last-error "")
  (let ((result (catch #f (plug-in-super-resolution RUN-NONINTERACTIVE photo source
                             {lib.scheme_string(model)} 2.0 {tile} 2 1 FALSE FALSE))))
    (if (pair? result)
        (let ((image (cadr result)) (layer (car result)))
          (report "{label}.ok" i)
          (if (= i 0) (save-layer image layer {lib.scheme_string(first)}))
          (if (= i {runs - 1}) (save-layer image layer {lib.scheme_string(last)}))
          (gimp-image-delete image))
        (report "{label}.failed" (string-append (number->string i) ": " sr-last-error)))))
(report "{label}.dirty" (car (gimp-image-is-dirty photo)))
(report "{label}.layers" (car (gimp-image-get-layers photo)))
''')
    return "".join(s)


def main():
    args = parse_args()
    lib.need_gimp()
    lib.need_numpy()
    import numpy as np
    from PIL import Image

    shutil.rmtree(args.workdir, ignore_errors=True)
    os.makedirs(args.workdir)
    photo = os.path.join(args.workdir, "photo-1024x680.png")
    make_photo(args.shared, photo)
    profile = lib.make_profile(args.workdir, args.plugin)
    fast = os.path.join(args.models_dir, "ecbsr-x2.srm")
    settings = [("auto", fast, 0, args.runs), ("tile64", fast, 64, max(1, args.runs // 2)),
                ("default", "", 0, args.default_runs)]
    log = os.path.join(args.workdir, "gimp.log")
    reports, _ = lib.run_batch(profile, script(photo, settings, args.workdir), timeout=1500,
                               env_extra={"SR_MODEL_PATH": args.models_dir}, log=log)

    c = lib.Checker()
    for label, model, tile, runs in settings:
        failed = reports.get(f"{label}.failed", [])
        ok = reports.get(f"{label}.ok", [])
        c.check(not failed and len(ok) == runs,
                f"{label}: {len(ok)} of {runs} runs succeeded"
                + (f"; failures: {failed[:3]}" if failed else ""))
        c.equal(reports, f"{label}.layers", 1)
        c.equal(reports, f"{label}.dirty", 0)
        # The CLI with the same model, scale, tiles and threads.
        cli_out = os.path.join(args.workdir, f"{label}-cli.png")
        cmd = [args.cli, "-m", model or "imdn-x2", "-s", "2", "-t", "2", photo, cli_out]
        if tile:
            cmd[1:1] = ["--tile", str(tile)]
        subprocess.run(cmd, check=True, env=dict(os.environ, SR_MODEL_PATH=args.models_dir),
                       stdout=subprocess.DEVNULL)
        want = np.asarray(Image.open(cli_out).convert("RGB")).astype(int)
        for which in ("first", "last"):
            path = os.path.join(args.workdir, f"{label}-{which}.png")
            if not c.check(os.path.exists(path), f"{label}: the {which} result was saved"):
                continue
            got = np.asarray(Image.open(path).convert("RGB")).astype(int)
            c.check(got.shape == want.shape and int(np.abs(got - want).max()) == 0,
                    f"{label}: the {which} result {got.shape} equals the CLI's {want.shape}"
                    + (f" (max diff {int(np.abs(got - want).max())})" if got.shape == want.shape else ""))
    lib.finish_with_log(c, log)


if __name__ == "__main__":
    main()
