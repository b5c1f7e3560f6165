#!/usr/bin/python3
"""The published checkpoints, converted and run by the C command-line tool,
must score what they score in PyTorch (docs: ../shared/docs/eval-protocol.md).

  test_published_scores.py --cli build/tools/sr-upscale
  test_published_scores.py --torch          (the PyTorch reference, a self-check)

Converts IMDN x2/x3/x4, RFDN_AIM (input range 255) and IMDN_RTC with
tools/convert-checkpoint into a temporary folder, scores each on Set5 with
tools/eval-psnr, and asserts PSNR-Y within 0.005 dB of the reference.  The
tolerance allows a rare 8-bit rounding flip; a wrong layer costs tenths of dB.

Skips (exit 77) without PyTorch or without the shared checkpoints and data
(<repo>/../shared, or $SR_SHARED_DIR).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
SHARED = os.environ.get("SR_SHARED_DIR") or os.path.join(REPO, "..", "shared")
OFFICIAL = os.path.join(SHARED, "models", "official")
SET5 = os.path.join(SHARED, "data", "bench", "Set5")
TOLERANCE = 0.005

# (checkpoint, converter arguments, Set5 PSNR-Y measured with the protocol)
MODELS = [
    ("IMDN_x2.pth", ["--arch", "imdn", "--scale", "2"], 37.996),
    ("IMDN_x3.pth", ["--arch", "imdn", "--scale", "3"], 34.360),
    ("IMDN_x4.pth", ["--arch", "imdn", "--scale", "4"], 32.210),
    ("RFDN_AIM.pth", ["--arch", "rfdn", "--scale", "4", "--range", "255"], 32.159),
    ("model_RTC.pth", ["--arch", "imdn_rtc", "--scale", "2"], 37.311),
]


def tool(name, *args):
    """Runs one of tools/ with this Python (the one that has PyTorch)."""
    r = subprocess.run([sys.executable, os.path.join(REPO, "tools", name), *args],
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"{name} {' '.join(args)} failed: {r.stderr.strip()}")
    return r.stdout


def main():
    ap = argparse.ArgumentParser()
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--cli", help="path to sr-upscale")
    g.add_argument("--torch", action="store_true", help="score with PyTorch instead")
    a = ap.parse_args()
    try:
        import torch  # noqa: F401
    except ImportError:
        print("PyTorch is not available: skipping")
        return 77
    missing = [p for p in [SET5] + [os.path.join(OFFICIAL, m[0]) for m in MODELS]
               if not os.path.exists(p)]
    if missing:
        print("skipping: not found: " + ", ".join(missing))
        return 77
    backend = ["--torch"] if a.torch else ["--cli", os.path.abspath(a.cli)]
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        for ckpt, conv_args, want in MODELS:
            model = os.path.join(tmp, ckpt.replace(".pth", ".srm"))
            try:
                tool("convert-checkpoint", *conv_args, os.path.join(OFFICIAL, ckpt), model)
                got = json.loads(tool("eval-psnr", *backend, "--model", model,
                                      "--set", SET5, "--json"))["psnr"]
                ok = abs(got - want) <= TOLERANCE
                print(f"{'ok  ' if ok else 'FAIL'} {ckpt:14s} Set5 {got:.3f} dB "
                      f"(reference {want:.3f}, diff {got - want:+.4f})")
            except (RuntimeError, ValueError, KeyError) as e:
                ok = False
                print(f"FAIL {ckpt:14s} {e}")
            failures += not ok
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
