#!/usr/bin/python3
"""Each architecture in the C core against the PyTorch reference (models/srtorch).

  test_arch_vs_torch.py --runner build/tests/sr-run-raw [--keep DIR]

For small random networks and random odd-sized, non-square inputs, writes a
model file, runs `sr-run-raw MODEL IN.f32 W H OUT.f32` (raw little-endian
float32 HxWx3, 0..1; SR_NO_CLAMP=1 so the output is not clamped) and compares
with PyTorch run in float64 on the same float32 weights.

Tolerance: max |C - torch| <= 1e-4 on outputs of order 1.  C computes in
float32; with these sizes its rounding error stays near 1e-6, so 1e-4 leaves
room for a different summation order but catches any wrong layer.
ECBSR is built from random *training-form* weights, converted by
tools/convert-checkpoint (re-parameterisation) and compared with the training
form itself, so this also proves the folding.

Exit 77 (skip) when PyTorch is missing.
"""
import argparse
import os
import subprocess
import sys
import tempfile

try:
    import torch
except ImportError:
    print("PyTorch is not available: skipping")
    sys.exit(77)
import numpy as np

REPO = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
sys.path.insert(0, os.path.join(REPO, "models"))
from srtorch import archs, modelfile  # noqa: E402

TOLERANCE = 1e-4

# (label, architecture, channels, blocks, scale, input_range, width, height)
CASES = [
    ("imdn C16 B2 x2", "imdn", 16, 2, 2, 1.0, 17, 13),
    ("imdn C64 B1 x3", "imdn", 64, 1, 3, 1.0, 11, 9),
    ("imdn_as C16 B1", "imdn_as", 16, 1, 1, 1.0, 24, 20),
    ("imdn_rtc C12 B2 x2", "imdn_rtc", 12, 2, 2, 1.0, 15, 11),
    ("rfdn C20 B2 x4", "rfdn", 20, 2, 4, 1.0, 29, 23),
    ("rfdn C20 B1 x2 range255", "rfdn", 20, 1, 2, 255.0, 21, 27),
    ("ecbsr C8 B2 x3 (re-param)", "ecbsr", 8, 2, 3, 1.0, 13, 10),
]


def randomize(net, gen):
    """Random weights that keep activations of order 1: convs ~ N(0, 1/fan_in),
    biases in +-0.1, PReLU slopes in 0.05..0.3, ECB edge scales ~ N(0, 0.1)."""
    with torch.no_grad():
        for name, p in net.named_parameters():
            leaf = name.rsplit(".", 1)[-1]
            if p.dim() == 4:
                fan_in = p.shape[1] * p.shape[2] * p.shape[3]
                p.copy_(torch.randn(p.shape, generator=gen) / fan_in ** 0.5)
            elif leaf == "alpha":
                p.copy_(0.05 + 0.25 * torch.rand(p.shape, generator=gen))
            elif leaf == "scale":
                p.copy_(0.1 * torch.randn(p.shape, generator=gen))
            else:
                p.copy_(0.2 * torch.rand(p.shape, generator=gen) - 0.1)


def run_c(runner, model_path, x, tmp):
    """x: HxWx3 float32 array.  Returns the runner's output as HxWx3 float32."""
    h, w, _ = x.shape
    src, dst = os.path.join(tmp, "in.f32"), os.path.join(tmp, "out.f32")
    x.astype("<f4").tofile(src)
    if os.path.exists(dst):
        os.remove(dst)
    env = dict(os.environ, SR_NO_CLAMP="1")
    r = subprocess.run([runner, model_path, src, str(w), str(h), dst],
                       env=env, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"{runner} failed (exit {r.returncode}): {r.stderr.strip()}")
    return np.fromfile(dst, "<f4")


def torch_ref(net, x, input_range):
    """float64 forward on HxWx3 x; returns HxWx3."""
    t = torch.from_numpy(x.astype(np.float64)).permute(2, 0, 1)[None]
    with torch.no_grad():
        y = archs.upscale(net.double(), t, input_range)
    return y[0].permute(1, 2, 0).numpy()


def make_model(case, gen, tmp):
    """Writes the case's model file; returns (path, float64 reference net)."""
    label, arch, c, b, s, rng, _, _ = case
    meta = {"architecture": arch, "scale": s, "channels": c, "blocks": b,
            "colour_space": "srgb", "input_range": rng, "name": label,
            "description": "random weights for test_arch_vs_torch", "provenance": "random",
            "licence": "test data"}
    path = os.path.join(tmp, arch + ".srm")
    if arch != "ecbsr":
        net = archs.build(meta)
        randomize(net, gen)
        modelfile.write(path, meta, net.state_dict())
        return path, net
    # ECBSR: training form -> .pth -> convert-checkpoint (folds the ECBs).
    net = archs.build(meta, training=True)
    randomize(net, gen)
    pth = os.path.join(tmp, "ecbsr-train.pth")
    torch.save(net.state_dict(), pth)
    r = subprocess.run([sys.executable, os.path.join(REPO, "tools", "convert-checkpoint"),
                        "--arch", "ecbsr", "--scale", str(s), pth, path],
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"convert-checkpoint failed: {r.stderr.strip()}")
    got, _ = modelfile.read(path)
    for k in ("architecture", "channels", "blocks", "scale"):
        if got[k] != meta[k]:
            raise RuntimeError(f"converter wrote {k} = {got[k]!r}, want {meta[k]!r}")
    return path, net


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runner", required=True, help="path to tests/sr-run-raw")
    ap.add_argument("--keep", help="keep the model and raw files in this folder")
    a = ap.parse_args()
    torch.set_num_threads(1)
    gen = torch.Generator().manual_seed(20240601)
    failures = 0
    tmp_ctx = tempfile.TemporaryDirectory()
    tmp = a.keep or tmp_ctx.name
    os.makedirs(tmp, exist_ok=True)
    for case in CASES:
        label, arch, _, _, s, rng, w, h = case
        try:
            path, net = make_model(case, gen, tmp)
            x = torch.rand((h, w, 3), generator=gen).numpy()
            ref = torch_ref(net, x, rng)
            if arch == "ecbsr":
                # The folded file in PyTorch must match the training form too.
                meta, tensors = modelfile.read(path)
                folded = archs.build(meta)
                folded.load_state_dict(tensors)
                d = np.abs(torch_ref(folded, x, rng) - ref).max()
                if d > TOLERANCE:
                    raise RuntimeError(f"re-parameterised torch net differs by {d:.3g}")
            out = run_c(a.runner, path, x.astype(np.float32), tmp)
            if out.size != ref.size:
                raise RuntimeError(f"output has {out.size} floats, want {ref.size} "
                                   f"({ref.shape[1]}x{ref.shape[0]}x3)")
            diff = np.abs(out.reshape(ref.shape).astype(np.float64) - ref)
            worst = np.unravel_index(diff.argmax(), diff.shape)
            ok = diff.max() <= TOLERANCE
            failures += not ok
            print(f"{'ok  ' if ok else 'FAIL'} {label:28s} in {w}x{h} max|C-torch| = "
                  f"{diff.max():.3g} at (y,x,c)={tuple(int(i) for i in worst)} "
                  f"(|ref| max {np.abs(ref).max():.3g})")
        except (RuntimeError, ValueError, OSError) as e:
            failures += 1
            print(f"FAIL {label:28s} {e}")
    tmp_ctx.cleanup()
    print(f"{len(CASES) - failures}/{len(CASES)} architectures match (tolerance {TOLERANCE})")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
