#!/usr/bin/python3
"""Copy the latest training state of every model into tracked files, so the next session
(which starts from a fresh clone, without models/train/runs/) can resume.

    /usr/bin/python3 models/train/snapshot.py [--no-export]

For each model with a newer checkpoint in models/train/runs/<id>/ckpt.pt than in
models/checkpoints/<id>.pt, writes the compact copy (fp32 weights, bf16 Adam moments; each
file < 10 MB), re-exports models/<id>.srm from it unless that file already holds the same
step, and rewrites models/checkpoints/curves.tsv (the Set5 curve of every model).
Safe to run while training runs: a running train.py is asked (SIGUSR1) to checkpoint
first, and checkpoints are replaced atomically.  Then commit
models/checkpoints/ and models/*.srm.
"""
import argparse
import json
import os
import signal
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from config import MODELS, CHECKPOINTS, MODELS_DIR, RUNS  # noqa: E402
import ckpt  # noqa: E402

LIMIT = 10 * 1024 * 1024


def srm_step(path):
    """Training step recorded in a model file's metadata, or None."""
    try:
        with open(path, "rb") as f:
            head = f.read(16)
            n = int.from_bytes(head[12:16], "little")
            meta = json.loads(f.read(n))["metadata"]
        return meta.get("training", {}).get("steps")
    except (OSError, ValueError, KeyError):
        return None


def refresh(mid, timeout=90):
    """Ask a running train.py (runs/<id>.pid) to checkpoint now and wait until it has.
    The pid is signalled only if it still is a train.py: a stale pid file after a kill
    may name an unrelated process by now."""
    pid_file = os.path.join(RUNS, mid + ".pid")
    try:
        pid = int(open(pid_file).read())
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            if b"train.py" not in f.read():
                return
    except (OSError, ValueError):
        return
    path = ckpt.run_path(mid)
    before = os.path.getmtime(path) if os.path.exists(path) else 0
    os.kill(pid, signal.SIGUSR1)
    deadline = time.time() + timeout
    while time.time() < deadline:
        if os.path.exists(path) and os.path.getmtime(path) > before:
            print("%-9s running: fresh checkpoint written" % mid)
            return
        time.sleep(1)
    print("%-9s running, but no fresh checkpoint within %d s; using the last one" % (mid, timeout))


def main():
    ap = argparse.ArgumentParser(description="Snapshot training state into tracked files.")
    ap.add_argument("--no-export", action="store_true", help="do not refresh models/<id>.srm")
    a = ap.parse_args()
    torch.set_num_threads(1)
    os.makedirs(CHECKPOINTS, exist_ok=True)
    rows = []
    for mid in MODELS:
        src = ckpt.run_path(mid)
        dst = ckpt.snapshot_path(mid)
        state = None
        refresh(mid)
        if os.path.exists(src):
            state = ckpt.load(src)
            old = ckpt.load(dst)["step"] if os.path.exists(dst) else -1
            if state["step"] > old:
                # Photo models: weights only (no optimizer state in git, issue #20).
                small = (ckpt.weights_only(state) if MODELS[mid].get("weights_only_snapshot")
                         else ckpt.compact(state))
                ckpt.save_atomic(small, dst)
                size = os.path.getsize(dst)
                print("%-9s step %6d -> %s (%.1f MB)%s" % (
                    mid, state["step"], dst, size / 2**20,
                    "  WARNING: over 10 MB" if size > LIMIT else ""))
            else:
                print("%-9s step %6d: snapshot already as new (step %d)" % (mid, state["step"], old))
        elif os.path.exists(dst):
            state = ckpt.load(dst)
            print("%-9s step %6d: only the tracked snapshot exists" % (mid, state["step"]))
        else:
            print("%-9s not started" % mid)
            continue
        # Photo models are exported to runs/<id>.srm; export.py --ship puts them in models/.
        srm = os.path.join(RUNS if MODELS[mid].get("data") == "photo" else MODELS_DIR,
                           mid + ".srm")
        if not a.no_export and srm_step(srm) != state["step"]:
            import export
            export.export(state)
        for step, psnr, hours in state["history"]:
            rows.append("%s\t%d\t%.3f\t%.3f" % (mid, step, psnr, hours))
        hours_at = {step: hours for step, _, hours in state["history"]}
        for step, psnr in state.get("history_jpeg75", ()):   # photo models: Set5-jpeg75
            rows.append("%s@jpeg75\t%d\t%.3f\t%.3f" % (mid, step, psnr, hours_at.get(step, -1)))
    with open(os.path.join(CHECKPOINTS, "curves.tsv"), "w") as f:
        f.write("# Set5 PSNR-Y (eval-protocol.md) during training; hours = 1-thread CPU time\n")
        f.write("id\tstep\tpsnr_y\thours\n")
        f.write("\n".join(rows) + "\n")


if __name__ == "__main__":
    main()
