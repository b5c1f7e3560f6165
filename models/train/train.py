#!/usr/bin/python3
"""Train one gimp-sr model; resumes wherever it left off.

    /usr/bin/python3 models/train/train.py --model imdn --scale 4 [--minutes 30]
    /usr/bin/python3 models/train/train.py --id imdn-photo-x4      (any id of config.py)

Runs until the schedule and its later stages (stages.py) are finished, or for --minutes of
wall time (a time slice of run-all.sh), then validates on Set5, saves the checkpoint and
exports models/<id>.srm.  Resumes from the most advanced of models/train/runs/<id>/ckpt.pt and
the tracked model file (models/train/resume/<id>.srm, models/<id>.srm; srm_state.py).  Exit status 0: did some work, 10: schedule
already finished, 11: another process is training this model.
See README.md.
"""
import argparse
import fcntl
import os
import signal
import sys
import time

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from config import MODELS, RUNS, MODELS_DIR, meta_of, model_id, is_photo  # noqa: E402
sys.path.insert(0, MODELS_DIR)   # srtorch: the architectures, imresize and PSNR
import ckpt  # noqa: E402
import data  # noqa: E402
import degrade  # noqa: E402
import stages as stagelib  # noqa: E402
import validate  # noqa: E402
from srtorch import archs  # noqa: E402

EXIT_DONE = 10
# Another process (the other lane of run-all.sh, or a hand-started run) trains this model.
EXIT_BUSY = 11
# A new x2/x3 model starts from the x4 body only if that has learnt something already.
MIN_INIT_STEPS = 1000
# A resume from a weights-only state (a tracked model file, srm_state.py) starts a fresh
# Adam; its rate ramps up again over this many steps.
REWARM_STEPS = 100


class Log:
    """Appends to runs/<id>.log and echoes to stdout (which run-all.sh sends to run-all.log)."""

    def __init__(self, mid):
        os.makedirs(RUNS, exist_ok=True)
        self.f = open(os.path.join(RUNS, mid + ".log"), "a")
        self.mid = mid

    def __call__(self, msg):
        line = "%s %s %s" % (time.strftime("%Y-%m-%d %H:%M:%S"), self.mid, msg)
        print(line, flush=True)
        self.f.write(line + "\n")
        self.f.flush()


EMA_DECAY = 0.999   # an average over the last ~1000 steps


def bf16_supported():
    """Native bf16 FMAs (AVX512_BF16): without them autocast emulates bf16 and is slower."""
    try:
        with open("/proc/cpuinfo") as f:
            return " avx512_bf16" in f.read()
    except OSError:
        return False


def hold_model_lock(mid):
    """An exclusive lock on runs/<id>.lock for the life of the process, or None if another
    process holds it: two processes resuming one checkpoint would overwrite each other."""
    os.makedirs(RUNS, exist_ok=True)
    f = open(os.path.join(RUNS, mid + ".lock"), "w")
    try:
        fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        f.close()
        return None
    return f


def head_and_body(sd, arch, blocks):
    """Parameters that do not depend on the scale (all but the upsampling layer)."""
    last = "upsample." if arch == "imdn" else "layers.%d." % (blocks + 1)
    return {k: v for k, v in sd.items() if not k.startswith(last)}


def new_state(mid, cfg, model, log):
    """Fresh checkpoint dict; x2/x3 take the x4 model's body when there is one."""
    init_from = None
    src_path = ckpt.latest(cfg["init_from"]) if cfg["init_from"] else None
    if src_path and cfg.get("init_full"):
        # Same architecture and scale (the photo models start from the clean ones): every
        # tensor, from the moving average that was exported.
        src = ckpt.load(src_path)
        model.load_state_dict(src.get("ema") or src["model"])
        init_from = "%s@%d" % (cfg["init_from"], src["step"])
        log("initialised from %s (%s), all tensors" % (init_from, src_path))
    elif src_path:
        src = ckpt.load(src_path)
        if src["step"] >= MIN_INIT_STEPS:
            body = head_and_body(src["model"], cfg["architecture"], cfg["blocks"])
            missing, _ = model.load_state_dict(body, strict=False)
            init_from = "%s@%d" % (cfg["init_from"], src["step"])
            log("initialised from %s (%s); %d new tensors (the upsampling layer)"
                % (init_from, src_path, len(missing)))
    if init_from is None:
        log("initialised from scratch")
    return dict(id=mid, step=0, steps=cfg["steps"], train_seconds=0.0, history=[],
                init_from=init_from, config=cfg)


def load_photo_images(log):
    """HR images of the photo models: the wallpapers (photo_data.py) + the training images."""
    import numpy as np
    from PIL import Image
    import photo_data
    files = photo_data.list_images() + data.list_train_images()
    t0 = time.time()
    images = [np.asarray(Image.open(f).convert("RGB")) for f in files]
    log("photo data: %d images (%d wallpapers), %.0f MP, loaded in %.0f s"
        % (len(images), len(files) - len(data.list_train_images()),
           sum(im.shape[0] * im.shape[1] for im in images) / 1e6, time.time() - t0))
    return images


class Teacher:
    """A trained model (the moving average of its latest checkpoint) whose outputs a
    distillation stage also fits: they are a less noisy target than the HR patch itself
    for what a small network can predict from the LR patch."""

    def __init__(self, mid, log):
        path = ckpt.latest(mid)
        if not path:
            raise SystemExit("teacher %s has no checkpoint" % mid)
        st = ckpt.load(path)
        self.net = archs.build(meta_of(mid), training=True)
        self.net.load_state_dict(st.get("ema") or st["model"])
        self.net.eval().requires_grad_(False)
        self.bf16 = MODELS[mid].get("bf16", False) and bf16_supported()
        log("teacher %s at step %d (%s)" % (mid, st["step"], path))

    @torch.no_grad()
    def __call__(self, lr):
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=self.bf16):
            return self.net(lr).float().clamp_(0, 1)


def main():
    ap = argparse.ArgumentParser(description="Train a gimp-sr model (resumable).")
    ap.add_argument("--model", choices=("imdn", "ecbsr"))
    ap.add_argument("--scale", type=int, choices=(2, 3, 4))
    ap.add_argument("--id", choices=sorted(MODELS), help="model id (instead of --model/--scale)")
    ap.add_argument("--minutes", type=float, default=0, help="wall-time slice; 0 = no limit")
    ap.add_argument("--max-steps", type=int, default=0, help="stop after this many steps (smoke tests)")
    ap.add_argument("--steps", type=int, default=0,
                    help="change the schedule length (extends a finished model; stored)")
    ap.add_argument("--val-every", type=int, default=0, help="override validation interval")
    ap.add_argument("--ckpt-minutes", type=float, default=5.0)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--no-export", action="store_true")
    a = ap.parse_args()

    torch.set_num_threads(a.threads)
    if not a.id and not (a.model and a.scale):
        ap.error("give --id or --model and --scale")
    mid = a.id or model_id(a.model, a.scale)
    cfg = MODELS[mid]
    log = Log(mid)
    t_start = time.time()
    lock = hold_model_lock(mid)  # noqa: F841 (held until exit)
    if lock is None:
        log("another process is training %s; skipped" % mid)
        return EXIT_BUSY

    model = archs.build(meta_of(mid), training=True)
    opt = torch.optim.Adam(model.parameters(), lr=cfg["lr"])
    path = ckpt.latest(mid)
    if path:
        state = ckpt.load(path)
        model.load_state_dict(state.get("model") or state["ema"])
        if state.get("optim"):
            opt.load_state_dict(state["optim"])
        else:
            state["rewarm_at"] = state["step"]
            log("weights-only checkpoint: fresh Adam, rate ramped up over %d steps"
                % REWARM_STEPS)
        log("resumed from %s at step %d (%.2f h trained)"
            % (path, state["step"], state["train_seconds"] / 3600))
    else:
        state = new_state(mid, cfg, model, log)
    # The exported and validated weights are an exponential moving average of the
    # trained ones: single Adam steps move Set5 by +-0.2 dB at these learning rates,
    # the average does not.  Started from the current weights on older checkpoints.
    ema = archs.build(meta_of(mid), training=True)
    ema.load_state_dict(state.get("ema") or model.state_dict())
    ema_pairs = [(e, p) for e, p in zip(ema.state_dict().values(), model.state_dict().values())
                 if e.is_floating_point()]
    if a.steps:
        state["steps"] = a.steps
    plan = stagelib.plan(state, cfg)
    steps = plan[-1].end
    if state["step"] >= steps:
        log("schedule finished (%d/%d steps); nothing to do" % (state["step"], steps))
        return EXIT_DONE
    val_every = a.val_every or cfg["val_every"]

    stop = {"flag": False, "save": False}
    signal.signal(signal.SIGTERM, lambda *_: stop.update(flag=True))
    signal.signal(signal.SIGINT, lambda *_: stop.update(flag=True))
    # snapshot.py sends SIGUSR1 to get a fresh checkpoint without waiting for the 5 minutes.
    signal.signal(signal.SIGUSR1, lambda *_: stop.update(save=True))
    pid_path = os.path.join(RUNS, mid + ".pid")
    with open(pid_path, "w") as f:
        f.write("%d\n" % os.getpid())

    pairs_of = {}   # hr_scales -> training pairs, loaded when a stage first needs them

    def enter(stage):
        """Sampler and loss of a stage; a fresh Adam unless the checkpoint's is this stage's."""
        nonlocal opt
        if state.get("stage", 0) != stage.index:
            opt = torch.optim.Adam(model.parameters(), lr=stage.lr)
            state["stage"] = stage.index
            log("stage %d from step %d: %s loss, lr %g, LR patch %d, batch %d, %d steps; "
                "fresh optimizer" % (stage.index, stage.start, stage.loss.upper(), stage.lr,
                                     stage.patch, stage.batch, stage.end - stage.start))
        if cfg.get("data") == "photo":
            if "photo" not in pairs_of:
                pairs_of["photo"] = load_photo_images(log)
            sampler = degrade.PhotoSampler(pairs_of["photo"], cfg["scale"], stage.patch,
                                           stage.batch, seed=state["step"] * 7919 + cfg["scale"],
                                           clean_share=cfg["clean_share"])
            fit = stagelib.loss_fn(stage)
            return sampler, lambda out, hr, lr: fit(out, hr)
        if stage.hr_scales not in pairs_of:
            pairs_of[stage.hr_scales] = data.load_multiscale_pairs(cfg["scale"],
                                                                   stage.hr_scales, log)
        # No saved RNG state: reseed from the step so a resumed run draws new patches.
        sampler = data.PatchSampler(pairs_of[stage.hr_scales], cfg["scale"], stage.patch,
                                    stage.batch, seed=state["step"] * 7919 + cfg["scale"])
        fit = stagelib.loss_fn(stage)
        if not stage.teacher:
            return sampler, lambda out, hr, lr: fit(out, hr)
        teacher, w = Teacher(stage.teacher, log), stage.distill
        return sampler, lambda out, hr, lr: (1 - w) * fit(out, hr) + w * fit(out, teacher(lr))

    stage = stagelib.at(plan, state["step"])
    sampler, loss_of = enter(stage)
    set5 = validate.load_set(cfg["scale"])
    set5_jpeg = degrade.jpeg75_set(set5) if is_photo(mid) else None

    def checkpoint():
        state["model"] = model.state_dict()
        state["ema"] = ema.state_dict()
        state["optim"] = opt.state_dict()
        ckpt.save_atomic(state, ckpt.run_path(mid))

    def run_validation():
        psnr, per = validate.evaluate(ema, cfg["scale"], set5)
        state["history"].append((state["step"], round(psnr, 3),
                                 round(state["train_seconds"] / 3600, 3)))
        log("VAL step %d Set5 PSNR-Y %.3f dB  (%s)  %.2f h"
            % (state["step"], psnr, " ".join("%s %.2f" % kv for kv in per.items()),
               state["train_seconds"] / 3600))
        if set5_jpeg is not None:
            pj, perj = validate.evaluate(ema, cfg["scale"], set5_jpeg)
            state.setdefault("history_jpeg75", []).append((state["step"], round(pj, 3)))
            log("VAL step %d Set5-jpeg75 PSNR-Y %.3f dB  (%s)"
                % (state["step"], pj, " ".join("%s %.2f" % kv for kv in perj.items())))

    use_bf16 = cfg.get("bf16", False) and bf16_supported()
    log("training %s: step %d/%d, stage %d (%s), LR patch %d, batch %d, lr %g, %d images, %s, %s"
        % (mid, state["step"], steps, stage.index, stage.loss.upper(), stage.patch, stage.batch,
           stage.lr, len(getattr(sampler, "pairs", None) or sampler.images),
           "slice %g min" % a.minutes if a.minutes else "no time limit",
           "bf16 autocast" if use_bf16 else "fp32"))
    deadline = t_start + 60 * a.minutes if a.minutes else float("inf")
    last_ckpt = time.time()
    run_steps, loss_sum, loss_n, t_window = 0, 0.0, 0, time.time()
    model.train()
    while state["step"] < steps and not stop["flag"] and time.time() < deadline:
        if a.max_steps and run_steps >= a.max_steps:
            break
        t0 = time.time()
        if state["step"] >= stage.end:
            stage = plan[stage.index + 1]
            sampler, loss_of = enter(stage)
        rate = stagelib.lr_at(stage, state["step"])
        if state.get("rewarm_at") is not None:
            rate *= min(1.0, (state["step"] - state["rewarm_at"] + 1) / REWARM_STEPS)
        for g in opt.param_groups:
            g["lr"] = rate
        lr, hr = sampler.batch_tensors()
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=use_bf16):
            out = model(lr)
        loss = loss_of(out.float(), hr, lr)
        opt.zero_grad(set_to_none=True)
        if not torch.isfinite(loss):
            log("non-finite loss at step %d; batch skipped" % state["step"])
            continue
        loss.backward()
        opt.step()
        with torch.no_grad():
            for e, p in ema_pairs:
                e.mul_(EMA_DECAY).add_(p, alpha=1.0 - EMA_DECAY)
        state["step"] += 1
        run_steps += 1
        state["train_seconds"] += time.time() - t0
        loss_sum += loss.item()
        loss_n += 1
        if state["step"] % 50 == 0:
            log("step %d/%d loss %.5f lr %.2e %.3f s/step"
                % (state["step"], steps, loss_sum / loss_n, opt.param_groups[0]["lr"],
                   (time.time() - t_window) / loss_n))
            loss_sum, loss_n, t_window = 0.0, 0, time.time()
        if state["step"] % val_every == 0:
            run_validation()
        if stop["save"] or time.time() - last_ckpt > 60 * a.ckpt_minutes:
            checkpoint()
            stop["save"], last_ckpt = False, time.time()

    if not state["history"] or state["history"][-1][0] != state["step"]:
        run_validation()
    checkpoint()
    log("checkpoint saved at step %d (%s)" % (state["step"], ckpt.run_path(mid)))
    os.remove(pid_path)
    if not a.no_export:
        import export
        export.export(state, log=log)   # photo models: to runs/<id>.srm (export.py --ship)
    return 0


if __name__ == "__main__":
    sys.exit(main())
