"""Checkpoints: written atomically, found wherever the newest one is.

A checkpoint is a dict: id, step, steps (schedule length), train_seconds, config, model
(state dict, fp32; ECBSR in its training form), optim (Adam state dict), history (validation
curve).  No RNG state: train.py reseeds from the step on resume, which is good enough here.

Two places hold them:
  models/train/runs/<id>/ckpt.pt     written every few minutes while training (git-ignored,
                                      lost when a session ends)
  models/checkpoints/<id>.pt         tracked copy made by snapshot.py, with Adam's moments in
                                      bfloat16 to keep each file well under 10 MB (bf16 keeps
                                      fp32's exponent range, so tiny second moments do not
                                      underflow to zero as they would in fp16)
"""
import os
import torch

from config import RUNS, CHECKPOINTS


def run_path(mid):
    return os.path.join(RUNS, mid, "ckpt.pt")


def snapshot_path(mid):
    return os.path.join(CHECKPOINTS, mid + ".pt")


def save_atomic(state, path):
    """torch.save to a temporary name then rename, so a kill never leaves a torn file."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = "%s.tmp%d" % (path, os.getpid())
    torch.save(state, tmp)
    os.replace(tmp, path)


def load(path):
    state = torch.load(path, map_location="cpu")
    # Undo compact(): the optimizer wants its moments in the parameters' dtype.
    for s in state.get("optim", {}).get("state", {}).values():
        for k, v in s.items():
            if torch.is_tensor(v) and v.dtype == torch.bfloat16:
                s[k] = v.float()
    return state


def compact(state):
    """Copy of a checkpoint with Adam's moment tensors in bfloat16 (weights stay fp32)."""
    out = dict(state)
    optim = dict(state["optim"])
    optim["state"] = {
        i: {k: (v.to(torch.bfloat16) if torch.is_tensor(v) and v.is_floating_point()
                and v.dim() > 0 else v) for k, v in s.items()}
        for i, s in state["optim"]["state"].items()}
    out["optim"] = optim
    return out


def weights_only(state):
    """Copy of a checkpoint without the optimizer state and the raw weights: only the moving
    average (fp32, what is exported), step, schedule and curves.  The tracked snapshot of the
    photo models (~2.8 MB for IMDN); train.py resumes from it with a fresh Adam."""
    keep = ("id", "step", "steps", "train_seconds", "history", "history_jpeg75", "init_from",
            "config", "stage", "rewarm_at")
    out = {k: state[k] for k in keep if k in state}
    out["ema"] = state.get("ema") or state["model"]
    return out


def _step_of(path):
    try:
        return torch.load(path, map_location="cpu")["step"]
    except Exception as e:  # unreadable: ignore it rather than stop the training
        print("warning: cannot read %s: %s" % (path, e))
        return -1


def latest(mid):
    """Path of the most advanced checkpoint of a model (runs/ or the tracked snapshot), or None."""
    best, best_step = None, -1
    for p in (run_path(mid), snapshot_path(mid)):
        if os.path.exists(p):
            s = _step_of(p)
            if s > best_step:
                best, best_step = p, s
    return best
