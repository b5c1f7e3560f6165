#!/usr/bin/python3
"""The bench's Debian 13 anchors: ONNX Runtime 1.21 and PyTorch 2.6.

Runs inside the root of tools/gimp3/run.sh (tools/bench-anchors/setup.sh
installs what it needs); tools/bench calls it, a user need not.

  anchors.py export MODEL.srm OUT.onnx
      The model file's weights, in the repo's own PyTorch definition
      (models/srtorch), exported to ONNX: opset 17, batch 1, height and width
      dynamic, input already scaled to the model's input range is NOT
      assumed -- the graph takes 0..1 RGB and gives 0..1, as the core does.
  anchors.py run MODEL.srm MODEL.onnx IN.f32 W H --threads T --runs R
             [--engines ort,torch] [--save-ort OUT.f32]
      Times each engine on the raw float32 interleaved RGB input (one
      warm-up, then R runs; prints the median per engine as
      "anchor: ort_ms=... torch_ms=...", nothing timed with R = 0), and with
      --save-ort writes ORT's
      unclamped output as raw float32 interleaved RGB for the bench's
      correctness check against the core.
"""
import argparse
import os
import statistics
import sys
import time

import numpy as np
import torch

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.realpath(__file__))))
sys.path.insert(0, os.path.join(REPO, "models"))
from srtorch import archs, modelfile  # noqa: E402

OPSET = 17


class ZeroToOne(torch.nn.Module):
    """The network between 0..1 in and 0..1 out, as archs.upscale runs it,
    so the ONNX graph and the core see the same numbers."""

    def __init__(self, net, input_range):
        super().__init__()
        self.net, self.input_range = net, float(input_range)

    def forward(self, x):
        return archs.upscale(self.net, x, self.input_range)


def load(model):
    meta, tensors = modelfile.read(model)
    net = archs.build(meta).eval()
    net.load_state_dict({k: torch.as_tensor(v) for k, v in tensors.items()})
    return ZeroToOne(net, meta["input_range"]).eval()


def export(model, out):
    net = load(model)
    x = torch.rand(1, 3, 48, 64)
    with torch.no_grad():
        torch.onnx.export(net, (x,), out, opset_version=OPSET, input_names=["x"],
                          output_names=["y"], dynamo=False,
                          dynamic_axes={"x": {2: "h", 3: "w"}, "y": {2: "oh", 3: "ow"}})
    import onnx
    onnx.checker.check_model(onnx.load(out))


def read_input(path, w, h):
    x = np.fromfile(path, np.float32)
    if x.size != w * h * 3:
        sys.exit(f"anchors.py: {path} holds {x.size} floats, not {w}x{h}x3")
    return np.ascontiguousarray(x.reshape(h, w, 3).transpose(2, 0, 1)[None])


def timed(fn, runs):
    fn()   # warm-up: first-call allocations and kernel choices
    if runs == 0:
        return float("nan")
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def run(a):
    x = read_input(a.input, a.width, a.height)
    figures = {}
    for engine in a.engines.split(","):
        if engine == "ort":
            import onnxruntime as ort
            opt = ort.SessionOptions()
            opt.intra_op_num_threads = a.threads
            opt.inter_op_num_threads = 1
            sess = ort.InferenceSession(a.onnx, opt, providers=["CPUExecutionProvider"])
            figures["ort_ms"] = timed(lambda: sess.run(None, {"x": x}), a.runs)
            if a.save_ort:
                y = sess.run(None, {"x": x})[0][0]
                np.ascontiguousarray(y.transpose(1, 2, 0), np.float32).tofile(a.save_ort)
        elif engine == "torch":
            torch.set_num_threads(a.threads)
            net, xt = load(a.model), torch.from_numpy(x)
            with torch.no_grad():
                figures["torch_ms"] = timed(lambda: net(xt), a.runs)
        else:
            sys.exit(f"anchors.py: unknown engine {engine}")
    print("anchor: " + " ".join(f"{k}={v:.3f}" for k, v in figures.items()) +
          f" ort_version={__import__('onnxruntime').__version__} torch_version={torch.__version__}")


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    e = sub.add_parser("export")
    e.add_argument("model")
    e.add_argument("out")
    r = sub.add_parser("run")
    r.add_argument("model")
    r.add_argument("onnx")
    r.add_argument("input")
    r.add_argument("width", type=int)
    r.add_argument("height", type=int)
    r.add_argument("--threads", type=int, required=True)
    r.add_argument("--runs", type=int, default=5)
    r.add_argument("--engines", default="ort,torch")
    r.add_argument("--save-ort")
    a = ap.parse_args()
    if a.cmd == "export":
        export(a.model, a.out)
    else:
        run(a)


if __name__ == "__main__":
    main()
