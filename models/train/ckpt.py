"""Checkpoints: written atomically, found wherever the newest one is.

A checkpoint is a dict: id, step, steps (schedule length), train_seconds, config, model
(state dict, fp32; ECBSR in its training form), ema (the moving average, what is exported),
optim (Adam state dict), history (validation curve).  No RNG state: train.py reseeds from the
step on resume, which is good enough here.

Two places hold a model's state:
  models/train/runs/<id>/ckpt.pt   the full state, written every few minutes while training
                                    (git-ignored, lost when a session ends)
  models/<id>.srm                  the exported model file, the only state in git: weights
  models/train/resume/<id>.srm     only (srm_state.py reads it back), so a resume from it
                                    starts a fresh Adam; resume/ holds the candidates that do
                                    not ship as they train (snapshot.py)
"""
import json
import os
import torch

from config import RUNS, RESUME, MODELS_DIR


def run_path(mid):
    return os.path.join(RUNS, mid, "ckpt.pt")


def shipped_path(mid):
    return os.path.join(MODELS_DIR, mid + ".srm")


def resume_path(mid):
    return os.path.join(RESUME, mid + ".srm")


def save_atomic(state, path):
    """torch.save to a temporary name then rename, so a kill never leaves a torn file."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = "%s.tmp%d" % (path, os.getpid())
    torch.save(state, tmp)
    os.replace(tmp, path)


def load(path):
    if path.endswith(".srm"):
        import srm_state
        return srm_state.load(path)
    state = torch.load(path, map_location="cpu")
    # Older tracked snapshots kept Adam's moments in bfloat16; the optimizer wants them in
    # the parameters' dtype.
    for s in state.get("optim", {}).get("state", {}).values():
        for k, v in s.items():
            if torch.is_tensor(v) and v.dtype == torch.bfloat16:
                s[k] = v.float()
    return state


def srm_step(path):
    """Training step recorded in a model file's metadata (the header only), or None."""
    try:
        with open(path, "rb") as f:
            head = f.read(16)
            n = int.from_bytes(head[12:16], "little")
            meta = json.loads(f.read(n))["metadata"]
        return meta.get("training", {}).get("steps")
    except (OSError, ValueError, KeyError):
        return None


def _step_of(path):
    if path.endswith(".srm"):
        step = srm_step(path)
        return -1 if step is None else step
    try:
        return torch.load(path, map_location="cpu")["step"]
    except Exception as e:  # unreadable: ignore it rather than stop the training
        print("warning: cannot read %s: %s" % (path, e))
        return -1


def latest(mid):
    """Path of the most advanced state of a model (runs/, resume/ or models/), or None."""
    best, best_step = None, -1
    for p in (run_path(mid), resume_path(mid), shipped_path(mid)):
        if os.path.exists(p):
            s = _step_of(p)
            if s > best_step:
                best, best_step = p, s
    return best
