"""Training stages: the main schedule, then the extra stages a model's config lists.

A model first trains its main schedule (config: lr, patch, batch, L1 loss, cosine over
state["steps"] steps).  After it, config["stages"] may add stages, each a dict with
steps, lr, patch, batch, loss ("l1" or "l2") and optionally warmup and hr_scales (the
training images also shrunk by these factors, data.load_multiscale_pairs) and teacher +
distill (the loss also pulls the output, with weight `distill`, towards that of a stronger
trained model of the same scale: train.py's Teacher):
  * a second L1 cycle with larger patches and batches: a warm restart of the learning rate
    once the first cosine has run down, with less gradient noise per step;
  * a short L2 (MSE) fine-tune at a low rate: PSNR is a function of the mean squared error,
    and an L1-trained network moves a little further towards it under an L2 loss.
Stage k begins where stage k-1 ends, so the stage of a checkpoint follows from its step alone;
only the optimizer's state has to be known to belong to the stage (state["stage"]), because
every stage starts with a fresh Adam (the L1 moments are the wrong scale for L2 gradients).
"""
import math
from collections import namedtuple

Stage = namedtuple("Stage", "index start end lr patch batch loss warmup hr_scales teacher "
                             "distill")


def plan(state, cfg):
    """[Stage] of a checkpoint: the main schedule (ends at state["steps"]) and its extras."""
    out = [Stage(0, 0, state["steps"], cfg["lr"], cfg["patch"], cfg["batch"], "l1",
                 cfg["warmup"], (1.0,), None, 0.0)]
    for extra in cfg.get("stages", ()):
        start = out[-1].end
        out.append(Stage(len(out), start, start + extra["steps"], extra["lr"], extra["patch"],
                         extra["batch"], extra["loss"], extra.get("warmup", 100),
                         tuple(extra.get("hr_scales", (1.0,))), extra.get("teacher"),
                         extra.get("distill", 0.0)))
    return out


def at(stages, step):
    """The stage that trains step `step` (the last one once the plan is finished)."""
    for s in stages:
        if step < s.end:
            return s
    return stages[-1]


def lr_at(stage, step):
    """Linear warm-up, then cosine decay to 1% of the stage's base rate at its end."""
    local = step - stage.start
    warm = min(1.0, (local + 1) / stage.warmup)
    t = min(local, stage.end - stage.start) / (stage.end - stage.start)
    return stage.lr * warm * (0.01 + 0.99 * 0.5 * (1.0 + math.cos(math.pi * t)))


def loss_fn(stage):
    if stage.loss == "l2":
        return lambda out, target: (out - target).square().mean()
    return lambda out, target: (out - target).abs().mean()


def describe(stages, step):
    """What the stages that have begun by `step` did, for the model file's metadata."""
    return [dict(steps=min(step, s.end) - s.start, lr=s.lr, lr_patch=s.patch, batch=s.batch,
                 loss=s.loss.upper(), hr_scales=list(s.hr_scales),
                 **(dict(teacher=s.teacher, distill=s.distill) if s.teacher else {}))
            for s in stages if step > s.start]
