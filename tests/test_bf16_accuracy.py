#!/usr/bin/python3
"""bf16 costs at most 0.01 dB PSNR-Y: every shipped model (models/*.srm) and
the converted official IMDN x2/x3/x4 and RFDN, run by the command-line tool
with --precision bf16 and --precision fp32, scored on Set5 and Set14 with
tools/eval-psnr (the protocol of eval-protocol.md, its PSNR helper).

  test_bf16_accuracy.py --cli build/tools/sr-upscale [--all] [--only NAME] [--json OUT]

The bound is on each set's mean, the figure every score in this project is.
Prints each model's fp32 and bf16 scores and the per-image worst loss.
Exit 77 (skip) on a CPU without AVX512_BF16 (nothing to measure), without
PyTorch (eval-psnr and the converter need it), or without the benchmark
sets; the official checkpoints are skipped one by one when absent.  The core
only lets `auto` choose bf16 for the architectures this test covers
(core/precision.c).

By default the bound is asserted for the ECBSR models (read from each file's
header), for every model `auto` runs in bf16 (asked of the CLI: `--precision
auto --bench 1` prints the precision it resolved), so the test fails as soon
as core/precision.c lets `auto` pick bf16 for a model that loses more, and
for the two official IMDN models that guard the convs kept in fp32 (GUARDS).
`--all` measures every model in explicit bf16 and asserts the bound on all of
them (the full table of issue #22, ~30 minutes on 2 cores; all 24 model/set
pairs within 0.004 dB on 2026-12-04).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.realpath(__file__)))
# The checkpoints and their conversion exactly as the published-scores test has them.
from test_published_scores import MODELS, OFFICIAL, REPO, SHARED, tool  # noqa: E402
sys.path.insert(0, os.path.join(REPO, "models"))
from srtorch import modelfile  # noqa: E402

SETS = [os.path.join(SHARED, "data", "bench", s) for s in ("Set5", "Set14")]
BOUND_DB = 0.01
# Official models whose bf16 loss went over the bound while a conv at the
# image's edge ran in bf16 (core/bf16-conv.c, core/blocks.c): the head
# (IMDN x2, 0.044 dB on Set5) and the upsampler (IMDN x3, 0.011 dB).
GUARDS = {"IMDN_x2.srm", "IMDN_x3.srm"}
# IMDN x2/x3/x4 and RFDN (issue #22); IMDN_RTC is not asked for.
OFFICIAL_MODELS = [(ckpt, args) for ckpt, args, _ in MODELS if not ckpt.startswith("model_RTC")]


def score(cli, model, set_dir, precision):
    out = json.loads(tool("eval-psnr", "--cli", cli, f"--cli-arg=--precision={precision}",
                          "--model", model, "--set", set_dir, "--json"))
    return out["psnr"], {i["name"]: i["psnr"] for i in out["images"]}


def cli_runs_bf16(cli, tmp):
    """Whether --precision bf16 is accepted here (the CPU has AVX512_BF16)."""
    from PIL import Image
    src, dst = os.path.join(tmp, "probe.png"), os.path.join(tmp, "probe-out.png")
    Image.new("RGB", (16, 16), (90, 120, 200)).save(src)
    r = subprocess.run([cli, "--precision", "bf16", "-m", "ecbsr-x2", src, dst],
                       capture_output=True, text=True)
    if r.returncode != 0:
        print(f"bf16 not available: {r.stderr.strip()}")
    return r.returncode == 0


def auto_precision(cli, model, tmp):
    """The precision `--precision auto` resolves to for @model on this CPU."""
    from PIL import Image
    src = os.path.join(tmp, "auto-probe.png")
    Image.new("RGB", (24, 24), (90, 120, 200)).save(src)
    r = subprocess.run([cli, "--precision", "auto", "--bench", "1", "-m", model, src, os.devnull],
                       capture_output=True, text=True, check=True)
    for field in r.stdout.split():
        if field.startswith("precision="):
            return field.split("=", 1)[1]
    raise RuntimeError(f"no precision= in: {r.stdout.strip()}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", required=True, help="path to sr-upscale")
    ap.add_argument("--json", help="also write the scores here")
    ap.add_argument("--all", action="store_true",
                    help="every model in explicit bf16, not only those auto runs in bf16")
    ap.add_argument("--only", help="only the models whose file name contains this (e.g. IMDN_x2)")
    a = ap.parse_args()
    cli = os.path.abspath(a.cli)
    try:
        import torch  # noqa: F401
    except ImportError:
        print("PyTorch is not available: skipping")
        return 77
    missing = [s for s in SETS if not os.path.isdir(s)]
    if missing:
        print("skipping: not found: " + ", ".join(missing))
        return 77
    failures, results = 0, []
    with tempfile.TemporaryDirectory() as tmp:
        if not cli_runs_bf16(cli, tmp):
            print("skipping: this CPU has no native bf16")
            return 77
        models = sorted(os.path.join(REPO, "models", f)
                        for f in os.listdir(os.path.join(REPO, "models")) if f.endswith(".srm"))
        for ckpt, conv_args in OFFICIAL_MODELS:
            src = os.path.join(OFFICIAL, ckpt)
            if not os.path.exists(src):
                print(f"skip {ckpt}: not found in {OFFICIAL}")
                continue
            dst = os.path.join(tmp, ckpt.replace(".pth", ".srm"))
            tool("convert-checkpoint", *conv_args, src, dst)
            models.append(dst)
        for model in models:
            if a.only and a.only not in os.path.basename(model):
                continue
            chosen = auto_precision(cli, model, tmp)
            # The model's kind from its header, as core/precision.c decides by it.
            ecbsr = modelfile.read(model, as_numpy=True)[0]["architecture"] == "ecbsr"
            if not a.all and chosen != "bf16" and not ecbsr and os.path.basename(model) not in GUARDS:
                print(f"skip {os.path.basename(model):20s} auto runs it in {chosen}", flush=True)
                continue
            for set_dir in SETS:
                name = f"{os.path.basename(model):20s} {os.path.basename(set_dir):5s}"
                try:
                    p32, img32 = score(cli, model, set_dir, "fp32")
                    p16, img16 = score(cli, model, set_dir, "bf16")
                except (RuntimeError, ValueError, KeyError) as e:
                    print(f"FAIL {name} {e}")
                    failures += 1
                    continue
                worst = max((img32[k] - img16[k] for k in img32 if k in img16), default=0.0)
                ok = p32 - p16 <= BOUND_DB
                failures += not ok
                results.append({"model": os.path.basename(model), "set": os.path.basename(set_dir),
                                "fp32": p32, "bf16": p16, "worst_image_loss": worst})
                print(f"{'ok  ' if ok else 'FAIL'} {name} fp32 {p32:.4f} bf16 {p16:.4f} "
                      f"loss {p32 - p16:+.4f} dB (bound {BOUND_DB}), worst image {worst:+.4f}",
                      flush=True)
    if a.json:
        with open(a.json, "w") as f:
            json.dump(results, f, indent=1)
    print(f"{len(results) - failures if failures else 'all'} of {len(results)} model/set pairs "
          f"within {BOUND_DB} dB")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
