#!/usr/bin/python3
"""Export the latest training state of every model into tracked model files, so the next
session (which starts from a fresh clone, without models/train/runs/) can resume from them.

    /usr/bin/python3 models/train/snapshot.py

For each model with a checkpoint in models/train/runs/<id>/ckpt.pt, writes its model file
unless that already holds the same step: models/<id>.srm for the shipped models,
models/train/resume/<id>.srm for the candidates that export to runs/ (the photo models and
imdn-x4-wp, which only ship through export.py --ship).  train.py resumes from those files
(srm_state.py) with a fresh Adam; Adam's moments stay in runs/, outside git.  Also merges the
runs' Set5 curves into models/checkpoints/curves.tsv.  Safe to run while training runs: a
running train.py is asked (SIGUSR1) to checkpoint first, and files are replaced atomically.
Then commit models/*.srm, models/train/resume/ and models/checkpoints/curves.tsv.
"""
import argparse
import os
import signal
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from config import MODELS, CHECKPOINTS, RUNS, is_photo  # noqa: E402
import ckpt  # noqa: E402


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


def curve_rows(state):
    mid = state["id"]
    rows = ["%s\t%d\t%.3f\t%.3f" % (mid, step, psnr, hours)
            for step, psnr, hours in state["history"]]
    hours_at = {step: hours for step, _, hours in state["history"]}
    for step, psnr in state.get("history_jpeg75", ()):   # photo models: Set5-jpeg75
        rows.append("%s@jpeg75\t%d\t%.3f\t%.3f" % (mid, step, psnr, hours_at.get(step, -1)))
    return rows


def merge_curves(path, fresh):
    """Rewrites the curves file: a model's rows from its run replace its old ones (a run's
    history is the whole curve); models without a run keep theirs."""
    old = []
    if os.path.exists(path):
        old = [line.rstrip("\n") for line in open(path)
               if line.strip() and not line.startswith(("#", "id\t"))]
    keep = [line for line in old if line.split("\t")[0].split("@")[0] not in fresh]
    with open(path, "w") as f:
        f.write("# Set5 PSNR-Y (eval-protocol.md) during training; hours = 1-thread CPU time\n")
        f.write("id\tstep\tpsnr_y\thours\n")
        f.write("\n".join(keep + [r for rows in fresh.values() for r in rows]) + "\n")


def main():
    ap = argparse.ArgumentParser(description="Export training state into tracked model files.")
    ap.parse_args()
    torch.set_num_threads(1)
    fresh = {}
    for mid in MODELS:
        src = ckpt.run_path(mid)
        refresh(mid)
        if not os.path.exists(src):
            print("%-13s no run in %s; the tracked file stays" % (mid, RUNS))
            continue
        state = ckpt.load(src)
        dst = ckpt.resume_path(mid) if is_photo(mid) else ckpt.shipped_path(mid)
        if ckpt.srm_step(dst) == state["step"]:
            print("%-13s step %6d: %s already holds it" % (mid, state["step"], dst))
        else:
            import export
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            export.export(state, dst)
        fresh[mid] = curve_rows(state)
    if fresh:
        merge_curves(os.path.join(CHECKPOINTS, "curves.tsv"), fresh)


if __name__ == "__main__":
    main()
