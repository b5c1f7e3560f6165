"""A training state read back from an exported model file (.srm).

The shipped model file is the only training state kept in git: it holds the exported weights
(the moving average), the step, the main schedule's length, the 1-thread hours and the model
it was initialised from (export.py writes them into metadata["training"]).  Resuming from it
starts a fresh Adam with a short re-warm-up (train.py), as any weights-only checkpoint does;
Adam's moments and the validation curve stay in the git-ignored runs/<id>/ckpt.pt.

IMDN's file holds its training tensors as they are.  ECBSR's file holds the folded form (one
3x3 conv per layer); it is unfolded into an equivalent ECB block: the 3x3 branch takes the
folded conv (less the identity, which the block adds itself) and the other branches start at
zero output (zero 3x3 after the expansion, zero edge scales and biases), so the network
computes what the file computes and every branch still receives a gradient.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from config import MODELS, meta_of  # noqa: E402
sys.path.insert(0, os.path.dirname(HERE))   # srtorch
from srtorch import archs, modelfile  # noqa: E402


def _ecb_from_folded(model, tensors):
    """Training-form ECBSR state dict equal in function to the folded tensors."""
    sd = {k: v.clone() for k, v in model.state_dict().items()}
    for i, layer in enumerate(model.layers):
        p = "layers.%d." % i
        w, b = tensors[p + "weight"].clone(), tensors[p + "bias"].clone()
        if layer.identity:
            n = w.shape[0]
            w[range(n), range(n), 1, 1] -= 1
        sd[p + "conv3x3.weight"], sd[p + "conv3x3.bias"] = w, b
        sd[p + "expand_3x3.weight"].zero_()
        sd[p + "expand_3x3.bias"].zero_()
        for name in layer.edges:
            sd[p + "edges.%s.scale" % name].zero_()
            sd[p + "edges.%s.bias" % name].zero_()
        if layer.alpha is not None:
            sd[p + "alpha"] = tensors[p + "alpha"].clone()
    return sd


def load(path, mid=None):
    """Checkpoint dict (as ckpt.load gives) for the model file at `path`.  `mid` defaults to
    the file's name without .srm; its config must match the file's architecture."""
    mid = mid or os.path.basename(path)[:-len(".srm")]
    if mid not in MODELS:
        raise ValueError("%s: no model %r in config.py" % (path, mid))
    meta, tensors = modelfile.read(path)
    want = meta_of(mid)
    got = {k: meta[k] for k in want}
    if got != want:
        raise ValueError("%s: file is %s, config.py's %s is %s" % (path, got, mid, want))
    training = meta.get("training") or {}
    if "steps" not in training or "schedule_steps" not in training:
        raise ValueError("%s: no training steps in its metadata (not exported by export.py)"
                         % path)
    model = archs.build(want, training=True)
    if want["architecture"] == "ecbsr":
        weights = _ecb_from_folded(model, tensors)
    else:
        weights = dict(tensors)
    model.load_state_dict(weights, strict=True)
    weights = model.state_dict()
    return dict(id=mid, step=training["steps"], steps=training["schedule_steps"],
                train_seconds=float(training.get("hours", 0.0)) * 3600.0,
                init_from=training.get("init_from"), config=MODELS[mid], history=[],
                model=weights, ema={k: v.clone() for k, v in weights.items()})
