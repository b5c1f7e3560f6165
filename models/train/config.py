"""The six shipped models and how each is trained.  One place, so train.py, export.py,
snapshot.py and run-all.sh agree.

Why these numbers (measured on this project's 1-thread CPU budget, see README.md):
  * IMDN costs ~15k LR pixels/s for forward+backward on one core, ECBSR M4C16 in its
    training (ECB) form ~75k.  With hours, not days, of compute the number of updates matters
    more than the batch size, so batches are small and patches modest (LR 32x32 for IMDN,
    LR 32x32 x 16 for ECBSR): ~0.7-0.8 s and ~0.2 s per step.
  * x4 is trained first; x2 and x3 then start from the x4 body (everything but the
    upsampling layer), as the IMDN paper does from x2 -- the body transfers across scales
    and x4 is the default use, so it gets the compute first.
  * Cosine decay over `steps`, after a short linear warm-up.  `steps` is sized for a few
    sessions of training; pass --steps to train.py to extend (see README.md).
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
RUNS = os.path.join(HERE, "runs")
CHECKPOINTS = os.path.join(REPO, "models", "checkpoints")
MODELS_DIR = os.path.join(REPO, "models")

# bf16: forward pass under CPU bf16 autocast where the CPU has native bf16 (AVX512_BF16);
# weights, Adam state, loss and validation stay fp32.  Measured on this VM: an IMDN x4 step
# 1.6 s -> 0.8 s; the same trained weights evaluated in bf16 lose 0.012 dB on Set5, far below
# what the models still have to gain.  ECBSR (16 channels, near its end) stays fp32.
_IMDN = dict(architecture="imdn", channels=64, blocks=6, patch=32, batch=12, lr=6e-4,
             warmup=300, val_every=500, bf16=True)
_ECBSR = dict(architecture="ecbsr", channels=16, blocks=4, patch=32, batch=16, lr=1e-3,
              warmup=300, val_every=2000)

# Stages after the main schedule (stages.py): a warm restart with larger patches and batches,
# then a short L2 fine-tune.  Sized for a machine with AMX bf16, where an IMDN step of
# 12 x 32x32 takes ~0.25 s and one of 16 x 40x40 ~0.5 s on one thread.
_L2_IMDN = dict(steps=500, lr=5e-5, patch=48, batch=16, loss="l2")
_L2_ECBSR = dict(steps=2500, lr=1e-4, patch=48, batch=16, loss="l2")
# A further L1 + L2 pair on the training images plus copies shrunk by 0.9-0.6 (VDSR's scale
# augmentation): more and cleaner HR detail for a network that has stopped gaining on the
# images as they are.  Tried on ecbsr-x4 only: +0.00 dB on Set5 after the 5k L1 steps
# (30.561 -> 30.563), +0.018 after the L2 ones (30.581).
MULTISCALE = (1.0, 0.9, 0.8, 0.7, 0.6)
_L2_MULTISCALE_ECBSR = dict(steps=1500, lr=1e-4, patch=48, batch=16, loss="l2",
                            hr_scales=MULTISCALE)
_MULTISCALE_ECBSR = [dict(steps=5000, lr=3e-4, patch=48, batch=16, loss="l1", warmup=200,
                          hr_scales=MULTISCALE),
                     _L2_MULTISCALE_ECBSR]

# Distillation from imdn-x4's outputs (half the L2 target): measured +0.002 dB on Set5.
_DISTILL_ECBSR_X4 = dict(steps=2400, lr=5e-5, patch=48, batch=16, loss="l2", hr_scales=MULTISCALE,
                         teacher="imdn-x4", distill=0.5)

# The second L1 cycle that took imdn-x4 from 31.19 to 31.49 dB (Set5).
_CYCLE2_IMDN = dict(steps=10000, lr=4e-4, patch=40, batch=16, loss="l1", warmup=300)

# x2/x3 got their L2 fine-tune first, then a shorter second cycle (what the end of session 4
# had time for) and L2 again.  Session 5 (an AMD CPU with AVX512_BF16, no AMX: 0.55-1.2 s per
# 16 x 40x40 step, varying with the host) gave each a third cycle of 5k steps and 300 L2 steps.
_STAGES_IMDN_X2_X3 = [_L2_IMDN, dict(_CYCLE2_IMDN, steps=3000), _L2_IMDN,
                      dict(_CYCLE2_IMDN, steps=5000), dict(_L2_IMDN, steps=300)]

# Session 6 (AMD EPYC, AVX512_BF16, no AMX; 0.5-0.7 s per 16 x 40x40 step at its start, sized
# for the 1.15 s seen for most of session 5): one more L1 cycle of 6k steps and 300 L2 steps for
# the two models still rising at the end of their last cycle or nearest their target.
_ONE_MORE_CYCLE_IMDN = [dict(_CYCLE2_IMDN, steps=6000), dict(_L2_IMDN, steps=300)]
# Session 7 (the same kind of CPU): one more cycle for the two models 0.03-0.04 dB short of
# their Set5 target, starting lower (2.5e-4): the last cycles restarted from an optimum they only
# refined, so less of a cycle need be spent climbing back from a high rate.  Planned at 7k steps
# (0.62 s per step at its start); cut to 4.5k after 1.2k steps, when the host slowed to 1.2-1.6 s.
_SESSION7_CYCLE_IMDN = [dict(_CYCLE2_IMDN, steps=4500, lr=2.5e-4), dict(_L2_IMDN, steps=300)]
# imdn-x4 ended that cycle at 31.595 (+0.001 per 500 steps at its end), 0.005 dB short, and the
# session had ~30 minutes of one core left: a short restart, lower again, with less L2.  Set5
# 31.597 (0.4k), 31.598 (0.9k), 31.600 after the L2 steps.  imdn-x3 ended at 33.809.
_SESSION7_SHORT_CYCLE_IMDN = [dict(_CYCLE2_IMDN, steps=1200, lr=1.5e-4, warmup=100),
                              dict(_L2_IMDN, steps=200)]
# Tried in session 6 on imdn-x2, flat (+0.005 dB per 500 steps) under 40x40 patches, where the
# zero padding at a patch's edge touches a large share of its pixels: a short cycle on 64x64 LR
# patches (8 per batch: 1.3x the pixels of 16 x 40x40; 1.6k steps, base rate 3e-4, warm-up
# 200).  Set5 fell 37.459 -> 37.441 (0.7k steps) -> 37.433 (1.3k), with the rate already down
# to 1/8, so it was stopped, and imdn-x2 kept its 16,300-step weights and plan.

# Session 8 (the same kind of CPU, 2 cores, no GPU): both cores go to ECBSR, whose runs were
# short next to the paper's (20k-49k steps of 16 patches), and at ~0.2 s per step one thread
# gives it ~18k steps an hour.  One long warm restart each on 48x48 LR patches, on the
# training images plus their shrunk copies (the widest data this project has), from 4e-4.
# ecbsr-x4 (0.02 dB short) ends with L2 steps, which helped it before; ecbsr-x2 (0.14 short)
# does not (L2 made x2 and x3 worse).  Planned at 20k + 1.5k and 22k steps for ~0.2 s per step;
# cut after 600 steps to 13k + 1.2k and 15k, when the steps took 0.29-0.32 s (25% system time),
# and after 1.5k and 2.6k to 9k + 1k and 13k, when they took 0.59 and 0.42 s.
_SESSION8_CYCLE_ECBSR = dict(steps=9000, lr=4e-4, patch=48, batch=16, loss="l1", warmup=300,
                             hr_scales=MULTISCALE)
# ecbsr-x4 ended it at 30.598 (the L1 steps flat at 30.584-30.586, the 1k L2 steps +0.014), so
# on the core ecbsr-x2 had freed it got more L2 steps at half the rate.
_SESSION8_MORE_L2_ECBSR_X4 = dict(_L2_MULTISCALE_ECBSR, steps=1500, lr=5e-5)
# It reached 30.600 (0.6k) and ended at 30.599 (30.5992 through the C core): 800 more, lower.
_SESSION8_LAST_L2_ECBSR_X4 = dict(_L2_MULTISCALE_ECBSR, steps=800, lr=3e-5)
# It ended at 30.597 (30.5975 through the C core), 0.003 short: ecbsr-x4 now moves by +-0.002
# between validations, so more steps of these kinds will not close that reliably.  ecbsr-x2
# ended its restart at 36.903 (+0.045), still rising by ~0.003 per 1k steps.
# With ~15 minutes of a core left, a short restart for ecbsr-x2 (as imdn-x4's in session 7).
_SESSION8_SHORT_CYCLE_ECBSR_X2 = dict(_SESSION8_CYCLE_ECBSR, steps=2500, lr=1.5e-4, warmup=100)
# Set5 36.903 (1k), 36.910 at its end.

# Session 9 (2 cores, no GPU; ~115 minutes of training): one core each for the two x2 models,
# the cheapest gap to close (ecbsr-x2, still rising ~0.003 dB per 1k steps at 0.09 short) and
# the longest one (imdn-x2, the x2 default, 0.14 short and untrained since session 5, whose
# last cycle was still gaining ~0.005 per 500 steps).  ecbsr-x4 (0.003 short) sits at its
# noise floor under these schedules and gets nothing.  Planned at 24k and 7k steps for 0.25 s
# (ECBSR) and 0.9 s (IMDN) per step; resized after 1.4k and 0.6k steps, which took 0.30 and
# 0.74 s.
_SESSION9_CYCLE_ECBSR_X2 = dict(_SESSION8_CYCLE_ECBSR, steps=22000, lr=3e-4)
_SESSION9_CYCLE_IMDN_X2 = [dict(_CYCLE2_IMDN, steps=8500, lr=3e-4), dict(_L2_IMDN, steps=300)]
# ecbsr-x2 36.910 -> 36.933 (40k), 36.963 (44k), 36.983 (48k), 36.989 (54k), 36.988 at its end
# (57.5k), flat over its last 8k steps.  imdn-x2 37.464 -> 37.515 (20.5k), 37.543 (22k), then
# 37.53-37.54 to the end of the L1 part and 37.540 after the L2 steps (25.1k).

# Session 10 (2 cores, no GPU; ~2 hours of training): again one core per x2 model, both of
# which ended their last cycle flat, so each gets another full warm restart.  ecbsr-x2 (0.012
# short): the session-9 cycle again (the 22k-step one gained +0.078, the shorter ones less).
# imdn-x2 (0.06 short): its cycle and L2 steps now on the training images plus their shrunk
# copies, the wider data that ecbsr-x2 has trained on since session 8 and IMDN never has.
# Planned for 0.30 s (ECBSR) and 0.70 s (IMDN) per step, session 9's speeds; the IMDN cycle
# cut from 8.5k to 6k steps after 0.5k, which took 0.93-1.17 s (20% steal time on the host).
# ecbsr-x2 passed its target early (36.998 at 2.5k steps, 37.019 at 7.4k), so its cycle was cut
# to 14k steps, and the core it frees goes to ecbsr-x4 (0.003 short): the kind of long L1
# restart that lifted ecbsr-x2 three times, then L2 steps as in session 8, which gave it +0.014.
_SESSION10_CYCLE_ECBSR_X2 = dict(_SESSION8_CYCLE_ECBSR, steps=14000, lr=3e-4)
# Cut to 6k + 800 after 1.3k steps, which took 0.45 s (x4's 192x192 HR patches), not 0.27.
_SESSION10_CYCLE_ECBSR_X4 = [dict(_SESSION8_CYCLE_ECBSR, steps=6000, lr=3e-4),
                             dict(_L2_MULTISCALE_ECBSR, steps=800)]
_SESSION10_CYCLE_IMDN_X2 = [dict(_CYCLE2_IMDN, steps=6000, lr=3e-4, hr_scales=MULTISCALE),
                            dict(_L2_IMDN, steps=300, hr_scales=MULTISCALE)]
# ecbsr-x2 36.998 (60k), 37.007 (62k), 37.018 (64k), 37.022-37.028 to its end: 37.027 (71.5k).
# imdn-x2 37.568 (26k), 37.580 (28k), 37.588-37.591 from 29k to the end of the L1 part, 37.604
# after the L2 steps (31.4k).  ecbsr-x4 30.600 (65k), 30.593 (66k, 68k), 30.599 (70k, in the L2
# steps), 30.604 at its end (70.5k).  All three now meet their Set5 targets.

# Session 11 (2 cores, no GPU; ~2 hours of training): every target is met, but imdn-x4 (31.600),
# imdn-x2 (37.604) and ecbsr-x4 (30.604) meet theirs by less than the validation noise.  One
# core each for the two quality defaults: imdn-x4 gets the multiscale-data cycle + L2 that
# lifted imdn-x2 by +0.06 in session 10 (IMDN x4 has never seen the shrunk copies), imdn-x2 a
# second, gentler one.  Planned for ~1 s per step (session 10's IMDN speed on a busy host).
_SESSION11_CYCLE_IMDN_X4 = [dict(_CYCLE2_IMDN, steps=5000, lr=3e-4, hr_scales=MULTISCALE),
                            dict(_L2_IMDN, steps=300, hr_scales=MULTISCALE)]
_SESSION11_CYCLE_IMDN_X2 = [dict(_CYCLE2_IMDN, steps=5000, lr=2e-4, hr_scales=MULTISCALE),
                            dict(_L2_IMDN, steps=300, lr=3e-5, hr_scales=MULTISCALE)]
# Steps took 0.97-1.15 s (1.4-1.7 in the L2 steps), as planned.  imdn-x4 31.605 (35.5k), 31.617
# (36.5k), 31.628 (37.5k), 31.640 (38.5k), 31.643 at the end of the L1 part, 31.647 after the L2
# steps (40.3k).  imdn-x2 37.614 (32k), 37.626 (33k), 37.637 (34k), 37.647 (35k), 37.654 at the
# end of the L1 part, 37.656 after the L2 steps (36.7k).  Both rose through the whole cycle.

MODELS = {
    "imdn-x4": dict(_IMDN, scale=4, steps=12000, init_from=None,
                    stages=[_CYCLE2_IMDN, _L2_IMDN] + _ONE_MORE_CYCLE_IMDN
                    + _SESSION7_CYCLE_IMDN + _SESSION7_SHORT_CYCLE_IMDN
                    + _SESSION11_CYCLE_IMDN_X4),
    "imdn-x2": dict(_IMDN, scale=2, steps=8000, init_from="imdn-x4",
                    stages=_STAGES_IMDN_X2_X3 + _SESSION9_CYCLE_IMDN_X2
                    + _SESSION10_CYCLE_IMDN_X2 + _SESSION11_CYCLE_IMDN_X2),
    "imdn-x3": dict(_IMDN, scale=3, steps=6000, init_from="imdn-x4",
                    stages=_STAGES_IMDN_X2_X3 + _ONE_MORE_CYCLE_IMDN
                    + _SESSION7_CYCLE_IMDN),
    "ecbsr-x4": dict(_ECBSR, scale=4, steps=30000, init_from=None,
                     stages=[_L2_ECBSR] + _MULTISCALE_ECBSR + [_DISTILL_ECBSR_X4]
                     + [_SESSION8_CYCLE_ECBSR, dict(_L2_MULTISCALE_ECBSR, steps=1000),
                        _SESSION8_MORE_L2_ECBSR_X4, _SESSION8_LAST_L2_ECBSR_X4]
                     + _SESSION10_CYCLE_ECBSR_X4),
    # No L2 stage for ECBSR x2/x3: measured worse on Set5 (36.857 -> 36.836, 32.748 -> 32.740).
    "ecbsr-x2": dict(_ECBSR, scale=2, steps=20000, init_from="ecbsr-x4",
                     stages=[dict(_SESSION8_CYCLE_ECBSR, steps=13000),
                             _SESSION8_SHORT_CYCLE_ECBSR_X2, _SESSION9_CYCLE_ECBSR_X2,
                             _SESSION10_CYCLE_ECBSR_X2]),
    "ecbsr-x3": dict(_ECBSR, scale=3, steps=15000, init_from="ecbsr-x4"),
}

# The photo family (issue #20): the same network and file format as imdn-xS, fine-tuned from
# the shipped clean weights (all of them: same scale) on degraded inputs made on the fly
# (degrade.py: blur, resampling kernel, noise, JPEG 30-95 in a random order; a quarter of the
# patches clean MATLAB bicubic) from the Debian wallpapers of photo_data.py (85 images, shrunk
# by 2: 180 MP) and the 571 training images.  L1.  Validated on Set5 clean and Set5 with the
# jpeg75 recipe (monitoring only).  Full optimizer state stays in runs/; the tracked
# models/checkpoints/<id>.pt is weights-only (snapshot.py), a resume from it starts a fresh
# Adam with a short re-warm-up (train.py).  Training bookkeeping: LOG.md.
_PHOTO = dict(_IMDN, patch=40, batch=16, lr=2e-4, warmup=300, val_every=500, data="photo",
              init_full=True, clean_share=0.25, weights_only_snapshot=True,
              purpose="Photo (JPEG, noise)")
MODELS.update({
    # Both plateaued on Set5-jpeg75 at the peak rate (LOG.md, session 13): from steps ~4900/4100
    # the cosine runs over 12k steps instead of 30k, so the rate comes down within reach.
    "imdn-photo-x4": dict(_PHOTO, scale=4, steps=12000, init_from="imdn-x4"),
    # x2 lost clean PSNR 3x faster than it gained on jpeg75 at a 25 % clean share (LOG.md,
    # session 13): from step ~2800 on, 45 % of its patches are clean.
    "imdn-photo-x2": dict(_PHOTO, scale=2, steps=12000, init_from="imdn-x2", clean_share=0.45),
})

# The clean family's next run on the larger data (issue #20: "use them for the clean family's
# next run too", imdn-x4 target >= 31.8 on Set5): imdn-x4's shipped weights, every patch clean
# MATLAB bicubic (clean_share 1.0) from the wallpapers + the training images.  A candidate: it
# exports to runs/ like the photo models (data="photo") and ships as imdn-x4 only if Set5 rises.
MODELS["imdn-x4-wp"] = dict(_PHOTO, scale=4, steps=12000, init_from="imdn-x4", clean_share=1.0,
                            lr=1e-4, purpose="Quality model (clean inputs)")

DATA_DESCRIPTION = ("T91 + BSDS500 train and test + SunHays80 (571 images, '291+BSDS'); "
                    "LR by MATLAB-style bicubic; random LR patches with flips/rotations")


PHOTO_DATA_DESCRIPTION = (
    "Debian wallpapers (photo_data.py: 85 images of plasma-workspace-wallpapers, "
    "mate-backgrounds, ukui-wallpapers, gnome-backgrounds, shrunk by 2 with Lanczos; "
    "models/train/photo-manifest.tsv) + T91 + BSDS500 train and test + SunHays80; "
    "LR on the fly (degrade.py): random blur, downscale kernel, Gaussian/Poisson noise, "
    "JPEG quality 30-95 4:2:0 in a random order, 25% clean MATLAB bicubic; random LR "
    "patches with flips/rotations")


def is_photo(mid):
    return MODELS[mid].get("data") == "photo"


def model_id(arch, scale):
    return "%s-x%d" % (arch, scale)


def meta_of(mid):
    """Architecture metadata (what archs.build needs) for a model id."""
    c = MODELS[mid]
    return dict(architecture=c["architecture"], scale=c["scale"], channels=c["channels"],
                blocks=c["blocks"])
