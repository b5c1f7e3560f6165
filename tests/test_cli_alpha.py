#!/usr/bin/python3
"""The CLI keeps alpha, through the plug-ins' image layer (issue #18).

  test_cli_alpha.py --cli build/tools/sr-upscale [--plugin build/plugin/super-resolution]

A 1200 x 850 RGBA PNG (smooth colour with noise; alpha: a fully transparent
band and disc, a left-to-right gradient band, opaque elsewhere) goes through
`sr-upscale -m ecbsr-x2 --threads 2` at x2, and the same colours without
alpha (an RGB PNG) through the same command.  Checked:

  * the output is an 8-bit RGBA PNG of 2400 x 1700;
  * alpha equals an independent numpy reference of what sr-layer-upscale.c
    documents: Keys' cubic with a = -0.5 (Catmull-Rom), output pixel o
    sampling the input at (o + 0.5) * in / out - 0.5, edges replicated,
    separable, clamped to 0..1 -- computed here in float64, so at most one
    8-bit level apart where float32 rounding lands on the other side of .5;
  * fully transparent input areas give exactly 0, opaque ones exactly 255;
  * opaque colour equals the RGB-only run's bit for bit wherever the
    network's view (ECBSR: six 3x3 convolutions) holds no transparent pixel
    (only those get their colour from the transparent fill);
  * at x2.5 on a 160 x 120 crop: the reference at a fractional scale;
  * a grey+alpha PNG stays grey+alpha, a 16-bit RGBA PNG stays 16-bit RGBA.

With --plugin and gimp-console-2.10 at hand, the plug-in runs on the same
RGBA PNG (same model, scale, threads; new image), GIMP saves the result with
the colour of transparent pixels kept, and it must equal the CLI's output bit
for bit.  Without GIMP that part is skipped (said so); the rest still runs.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np
from PIL import Image

HERE = os.path.dirname(os.path.realpath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "gimp"))
import png16  # noqa: E402

W, H = 1200, 850
MODEL = "ecbsr-x2"
# Input pixels a network output depends on (6 3x3 convolutions), plus room.
NETWORK_REACH = 8


def make_rgba():
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float64)
    rng = np.random.default_rng(18)
    rgb = np.stack([0.5 + 0.4 * np.sin(xx / 37.0 + yy / 53.0),
                    0.5 + 0.4 * np.cos(xx / 23.0 - yy / 71.0),
                    0.5 + 0.4 * np.sin((xx + yy) / 41.0)], axis=-1)
    rgb = np.clip(rgb + rng.normal(0, 0.04, rgb.shape), 0, 1)
    alpha = np.ones((H, W))
    alpha[100:220, :] = 0                                    # a transparent band
    alpha[400:560, :] = np.linspace(0, 1, W)[None, :]        # a gradient band
    alpha[(xx - 800) ** 2 + (yy - 700) ** 2 < 90 ** 2] = 0    # a transparent disc
    alpha[650:700, 100:300] = 0.5                            # half-transparent
    rgba = np.concatenate([rgb, alpha[..., None]], axis=-1)
    return np.round(rgba * 255).astype(np.uint8)


def keys_weights(n_in, n_out):
    """(n_out, n_in) matrix of Keys' cubic (a = -0.5) at GIMP's pixel centres,
    taps past the edges folded onto the edge pixel."""
    m = np.zeros((n_out, n_in))
    for o in range(n_out):
        u = (o + 0.5) * n_in / n_out - 0.5
        i0 = int(np.floor(u))
        for k in range(-1, 3):
            d = abs(u - (i0 + k))
            w = (1.5 * d - 2.5) * d * d + 1 if d <= 1 else ((-0.5 * d + 2.5) * d - 4) * d + 2
            m[o, min(max(i0 + k, 0), n_in - 1)] += w
    return m


def reference_alpha(alpha8, out_w, out_h):
    a = alpha8.astype(np.float64) / 255
    r = keys_weights(a.shape[0], out_h) @ a @ keys_weights(a.shape[1], out_w).T
    return np.clip(r, 0, 1) * 255


def run(cli, *args, env=None):
    r = subprocess.run([cli, *args], capture_output=True, text=True, env=env)
    return r


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", required=True, help="sr-upscale")
    ap.add_argument("--plugin", help="the GIMP 2.10 plug-in, for the bit-identity check")
    a = ap.parse_args()
    failures = 0

    def check(ok, what):
        nonlocal failures
        print(("ok   " if ok else "FAIL ") + what)
        failures += not ok
        return ok

    env = dict(os.environ)
    env.setdefault("SR_MODEL_PATH", os.path.join(REPO, "models"))
    work = tempfile.mkdtemp(prefix="sr-cli-alpha-")
    try:
        rgba = make_rgba()
        src, src_rgb = os.path.join(work, "in.png"), os.path.join(work, "in-rgb.png")
        Image.fromarray(rgba, "RGBA").save(src)
        Image.fromarray(rgba[..., :3], "RGB").save(src_rgb)
        out, out_rgb = os.path.join(work, "out.png"), os.path.join(work, "out-rgb.png")
        for i, o in ((src, out), (src_rgb, out_rgb)):
            r = run(a.cli, "-m", MODEL, "-s", "2", "--threads", "2", i, o, env=env)
            check(r.returncode == 0, f"sr-upscale {os.path.basename(i)}: exit {r.returncode} {r.stderr.strip()!r}")
            check("alpha" not in r.stderr, f"no alpha warning for {os.path.basename(i)}: {r.stderr.strip()!r}")
        if failures:
            return 1

        got = Image.open(out)
        check(got.mode == "RGBA" and got.size == (2 * W, 2 * H),
              f"RGBA in, RGBA out: {got.mode} {got.size}")
        got = np.asarray(got.convert("RGBA")).astype(np.int64)
        plain = np.asarray(Image.open(out_rgb).convert("RGB")).astype(np.int64)

        ref = reference_alpha(rgba[..., 3], 2 * W, 2 * H)
        diff = np.abs(got[..., 3] - ref)
        check(diff.max() <= 0.5 + 1e-3 or (diff.max() < 1.5 and (diff > 0.5 + 1e-3).mean() < 1e-3),
              f"alpha = the numpy cubic reference (max |diff| {diff.max():.3f} levels, "
              f"{(diff > 0.5 + 1e-3).mean() * 100:.4f} % off by one rounding)")
        clear = np.repeat(np.repeat(rgba[..., 3] == 0, 2, 0), 2, 1)
        # Output pixels whose cubic taps all lie in @mask: at x2, output pixels
        # 2i and 2i + 1 read input pixels i - 2 .. i + 2 between them.
        def interior(mask):
            m = mask.copy()
            for dy in range(-2, 3):
                for dx in range(-2, 3):
                    m &= np.roll(mask, (dy, dx), (0, 1))
            return np.repeat(np.repeat(m, 2, 0), 2, 1)
        inside_clear = interior(rgba[..., 3] == 0)
        inside_opaque = interior(rgba[..., 3] == 255)
        check(inside_clear.sum() > 100000 and got[..., 3][inside_clear].max() == 0,
              f"fully transparent areas stay 0 ({inside_clear.sum()} px)")
        check(got[..., 3][inside_opaque].min() == 255, "opaque areas stay 255")
        check(got[..., 3][clear].max() < 255, "sanity: the transparent mask is where it should be")

        # Colour: equal to the RGB-only run away from transparent pixels.
        near = rgba[..., 3] == 0
        grown = near.copy()
        for _ in range(NETWORK_REACH):
            grown = grown | np.roll(grown, 1, 0) | np.roll(grown, -1, 0) | np.roll(grown, 1, 1) | np.roll(grown, -1, 1)
        far = np.repeat(np.repeat(~grown, 2, 0), 2, 1)
        # (Bit for bit but for a handful of values that babl's R'G'B'A and
        # R'G'B' conversions to u8 round to neighbouring levels: 2 of 3.3 M
        # pixels when this was written.)
        cdiff = np.abs(got[..., :3] - plain)[far]
        n_off = int((cdiff.max(axis=-1) > 0).sum())
        check(far.mean() > 0.5 and cdiff.max() <= 1 and n_off <= 1e-5 * far.sum(),
              f"colour = the RGB-only run on {far.mean() * 100:.0f} % of the pixels "
              f"(max diff {cdiff.max()}, {n_off} pixels off by one level)")
        # Near the edge of transparency the fill gives the colour: no dark fringe.
        edge = (~far) & (got[..., 3] > 0)
        check(edge.any() and np.abs(got[..., :3][edge].mean(axis=0) - plain[edge].mean(axis=0)).max() < 8,
              "colour next to transparent areas continues the visible colour (no dark fringe)")

        # A fractional scale, on a crop.
        crop = rgba[380:500, 0:160]
        Image.fromarray(crop, "RGBA").save(os.path.join(work, "crop.png"))
        r = run(a.cli, "-m", MODEL, "-s", "2.5", "-t", "2", os.path.join(work, "crop.png"),
                os.path.join(work, "crop-out.png"), env=env)
        if check(r.returncode == 0, f"x2.5: exit {r.returncode} {r.stderr.strip()!r}"):
            g = np.asarray(Image.open(os.path.join(work, "crop-out.png")))
            check(g.shape == (300, 400, 4), f"x2.5: 400 x 300 RGBA ({g.shape})")
            d = np.abs(g[..., 3].astype(np.float64) - reference_alpha(crop[..., 3], 400, 300))
            check(d.max() < 1.5 and (d > 0.5 + 1e-3).mean() < 1e-2,
                  f"x2.5: alpha = the reference (max |diff| {d.max():.3f})")

        # Grey + alpha stays grey + alpha; 16-bit RGBA stays 16-bit RGBA.
        la = np.stack([rgba[:120, :160, 0], rgba[:120, :160, 3]], axis=-1)
        Image.fromarray(la, "LA").save(os.path.join(work, "la.png"))
        r = run(a.cli, "-m", MODEL, "-t", "2", os.path.join(work, "la.png"),
                os.path.join(work, "la-out.png"), env=env)
        if check(r.returncode == 0, f"grey+alpha: exit {r.returncode} {r.stderr.strip()!r}"):
            g = Image.open(os.path.join(work, "la-out.png"))
            check(g.mode == "LA" and g.size == (320, 240), f"grey+alpha in, grey+alpha out: {g.mode}")
        rgba16 = rgba[:120, :160].astype(np.uint16) * 257
        png16.write(os.path.join(work, "in16.png"), rgba16)
        r = run(a.cli, "-m", MODEL, "-t", "2", os.path.join(work, "in16.png"),
                os.path.join(work, "out16.png"), env=env)
        if check(r.returncode == 0, f"16-bit RGBA: exit {r.returncode} {r.stderr.strip()!r}"):
            g, depth = png16.read(os.path.join(work, "out16.png"))
            check((depth, g.shape) == (16, (240, 320, 4)),
                  f"16-bit RGBA in, 16-bit RGBA out: {depth} bits, {g.shape}")
            d = np.abs(g[..., 3] / 257.0 - reference_alpha(rgba[:120, :160, 3], 320, 240))
            check(d.max() < 0.01, f"16-bit: alpha = the reference (max |diff| {d.max():.4f} 8-bit levels)")

        plugin_check(a, src, out, work, env, check)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{failures} failure(s)")
    return 1 if failures else 0


def plugin_check(a, src, cli_out, work, env, check):
    """The GIMP 2.10 plug-in's result on the same PNG equals the CLI's, bit for bit
    (failures counted by @check)."""
    import gimp_test_lib as lib
    if not a.plugin:
        print("SKIP (plug-in part): this build has no GIMP 2.10 plug-in")
        return 0
    if not shutil.which(lib.GIMP_CONSOLE):
        print(f"SKIP (plug-in part): {lib.GIMP_CONSOLE} not found")
        return
    profile = lib.make_profile(work, a.plugin)
    model = os.path.join(env["SR_MODEL_PATH"].split(":")[0], MODEL + ".srm")
    result = os.path.join(work, "plugin.png")
    script = f'''
(define image (car (gimp-file-load RUN-NONINTERACTIVE {lib.scheme_string(src)} "in")))
(define layer (car (gimp-image-get-active-layer image)))
(let ((result (catch #f (plug-in-super-resolution RUN-NONINTERACTIVE image layer
                           {lib.scheme_string(model)} 2.0 0 2 1 FALSE FALSE))))
  (if (pair? result)
      (begin
        (file-png-save2 RUN-NONINTERACTIVE (cadr result) (car result)
                        {lib.scheme_string(result)} {lib.scheme_string(result)} 0 9 0 0 0 0 0 0 1)
        (report "saved" 1))
      (report "failed" sr-last-error)))
'''
    reports, output = lib.run_batch(profile, script, timeout=600,
                                    env_extra={"SR_MODEL_PATH": env["SR_MODEL_PATH"]},
                                    log=os.path.join(work, "gimp.log"))
    if not check("saved" in reports, f"the plug-in ran and GIMP saved its result {reports.get('failed', '')}"):
        print(output[-2000:])
        return
    p = Image.open(result)
    c = Image.open(cli_out)
    pa, ca = np.asarray(p).astype(int), np.asarray(c).astype(int)
    check(p.mode == c.mode == "RGBA" and pa.shape == ca.shape and np.array_equal(pa, ca),
          f"the plug-in's RGBA result ({p.mode} {p.size}) equals the CLI's bit for bit"
          + (f" (max diff {np.abs(pa - ca).max()})" if pa.shape == ca.shape else ""))


if __name__ == "__main__":
    sys.exit(main())
