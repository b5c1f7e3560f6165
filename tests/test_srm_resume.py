#!/usr/bin/python3
"""Training resumes from the shipped model files (issue #23: no .pt in git).

  test_srm_resume.py

models/train/srm_state.py turns a models/<id>.srm back into a training state.  Checked
against things it did not produce:

  * round trip: every shipped model read back and exported again by export.py (which
    re-measures Set5 on what it writes) gives the shipped file byte for byte.  A file
    exported before export.py wrote the `stages` list (ecbsr-x3) must match in every tensor
    byte and every other metadata field.  A wrong step, schedule, hours, init_from, a lost
    EMA, or an ECBSR unfolding off by one ulp would change the bytes.
  * ECBSR's unfolded training form computes what the file's folded network computes on a
    128x96 crop of a bench image, and its extra branches (zeroed) still get a gradient, so a
    resumed run can grow them.
  * ckpt.latest prefers the runs/ checkpoint when it is further along than the shipped file
    and the file otherwise (checkpoints in a temporary SR_TRAIN_RUNS).

Skips (exit 77) without PyTorch or without the shared bench data (Set5 is re-measured).
"""
import os
import sys
import tempfile

from checklist import check, exit_status

REPO = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
SHARED = os.environ.get("SR_SHARED_DIR") or os.path.join(REPO, "..", "shared")
RUNS_TMP = tempfile.mkdtemp(prefix="srm-resume-")
os.environ["SR_TRAIN_RUNS"] = RUNS_TMP    # before config.py is imported
sys.path.insert(0, os.path.join(REPO, "models", "train"))
sys.path.insert(0, os.path.join(REPO, "models"))

try:
    import numpy as np
    import torch
    from PIL import Image
except ImportError as e:
    print("SKIP: %s" % e)
    sys.exit(77)
if not os.path.isdir(os.path.join(SHARED, "data", "bench", "Set5")):
    print("SKIP: no bench data under %s" % SHARED)
    sys.exit(77)

import ckpt  # noqa: E402
import export  # noqa: E402
import srm_state  # noqa: E402
from config import MODELS, meta_of  # noqa: E402
from srtorch import archs, modelfile  # noqa: E402

def round_trip(mid):
    src = ckpt.shipped_path(mid)
    out = os.path.join(RUNS_TMP, mid + ".srm")
    export.export(srm_state.load(src), out, log=lambda m: None)
    a, b = open(src, "rb").read(), open(out, "rb").read()
    if a == b:
        check(True, "%s: exported again byte for byte (%d bytes)" % (mid, len(a)))
        return
    m0, t0 = modelfile.read(src, as_numpy=True)
    m1, t1 = modelfile.read(out, as_numpy=True)
    same_tensors = list(t0) == list(t1) and all(t0[k].tobytes() == t1[k].tobytes() for k in t0)
    check(same_tensors, "%s: every tensor byte equal" % mid)
    older = "stages" not in m0["training"]
    if older:
        m1["training"].pop("stages", None)
    check(older and m0 == m1, "%s: metadata equal%s" % (
        mid, " (a file from before `stages`)" if older else " -- and bytes differ"))


def bench_crop(h=96, w=128):
    path = os.path.join(SHARED, "data", "bench", "Set5", "HR", "baby.png")
    img = np.asarray(Image.open(path).convert("RGB"), dtype=np.float32) / 255.0
    return torch.from_numpy(img[100:100 + h, 200:200 + w].transpose(2, 0, 1).copy())[None]


def ecbsr_unfolded(mid):
    src = ckpt.shipped_path(mid)
    meta, tensors = modelfile.read(src)
    folded = archs.build(meta_of(mid))
    folded.load_state_dict(tensors, strict=True)
    train_form = archs.build(meta_of(mid), training=True)
    train_form.load_state_dict(srm_state.load(src)["model"], strict=True)
    x = bench_crop()
    with torch.no_grad():
        d = (folded.eval()(x) - train_form.eval()(x)).abs().max().item()
    check(d < 1e-5, "%s: training form = file's network on a 128x96 crop (max diff %.2g)"
          % (mid, d))
    train_form.train()
    train_form(x).square().mean().backward()
    layer = train_form.layers[1]
    grads = [layer.expand_3x3.weight.grad] + [e.scale.grad for e in layer.edges.values()]
    check(all(g is not None and g.abs().max().item() > 0 for g in grads),
          "%s: the zeroed branches receive a gradient" % mid)


def latest_prefers_further(mid):
    shipped = ckpt.shipped_path(mid)
    step = ckpt.srm_step(shipped)
    for run_step, want in ((step + 5, ckpt.run_path(mid)), (step - 5, shipped)):
        ckpt.save_atomic(dict(id=mid, step=run_step), ckpt.run_path(mid))
        got = ckpt.latest(mid)
        check(got == want, "%s: runs/ at step %d against the file's %d -> %s"
              % (mid, run_step, step, os.path.relpath(got, REPO) if got else None))
    os.remove(ckpt.run_path(mid))


def main():
    torch.set_num_threads(1)
    shipped = sorted(m for m in MODELS if os.path.exists(ckpt.shipped_path(m)))
    check(len(shipped) >= 8, "%d shipped models with a training config" % len(shipped))
    for mid in shipped:
        round_trip(mid)
    for mid in shipped:
        if MODELS[mid]["architecture"] == "ecbsr":
            ecbsr_unfolded(mid)
    latest_prefers_further("imdn-x4")
    return exit_status()


if __name__ == "__main__":
    sys.exit(main())
