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
# Full checkpoints (weights, Adam): git-ignored.  SR_TRAIN_RUNS moves them (smoke tests).
RUNS = os.environ.get("SR_TRAIN_RUNS") or os.path.join(HERE, "runs")
# Weights-only resume states of models that do not ship as they train (snapshot.py).
RESUME = os.path.join(HERE, "resume")
CHECKPOINTS = os.path.join(REPO, "models", "checkpoints")
MODELS_DIR = os.path.join(REPO, "models")

# bf16: forward pass under CPU bf16 autocast where the CPU has native bf16 (AVX512_BF16);
# weights, Adam state, loss and validation stay fp32.  Measured on an AVX512_BF16 CPU: an IMDN x4 step
# 1.6 s -> 0.8 s; the same trained weights evaluated in bf16 lose 0.012 dB on Set5, far below
# what the models still have to gain.  ECBSR (16 channels, near its end) stays fp32.
_IMDN = dict(architecture="imdn", channels=64, blocks=6, patch=32, batch=12, lr=6e-4,
             warmup=300, val_every=500, bf16=True)
_ECBSR = dict(architecture="ecbsr", channels=16, blocks=4, patch=32, batch=16, lr=1e-3,
              warmup=300, val_every=2000)

# Stages after the main schedule (stages.py): warm restarts (L1 cycles) and short L2
# fine-tunes, some on the training images plus copies shrunk by 0.9-0.6 (MULTISCALE, VDSR's
# scale augmentation), one distillation from imdn-x4.  Each one was sized for a session of
# training; why each was chosen and what it gave on Set5 is in LOG.md ("Clean models").
_L2_IMDN = dict(steps=500, lr=5e-5, patch=48, batch=16, loss="l2")
_L2_ECBSR = dict(steps=2500, lr=1e-4, patch=48, batch=16, loss="l2")
MULTISCALE = (1.0, 0.9, 0.8, 0.7, 0.6)
_L2_MULTISCALE_ECBSR = dict(steps=1500, lr=1e-4, patch=48, batch=16, loss="l2",
                            hr_scales=MULTISCALE)
_MULTISCALE_ECBSR = [dict(steps=5000, lr=3e-4, patch=48, batch=16, loss="l1", warmup=200,
                          hr_scales=MULTISCALE),
                     _L2_MULTISCALE_ECBSR]

_DISTILL_ECBSR_X4 = dict(steps=2400, lr=5e-5, patch=48, batch=16, loss="l2", hr_scales=MULTISCALE,
                         teacher="imdn-x4", distill=0.5)

_CYCLE2_IMDN = dict(steps=10000, lr=4e-4, patch=40, batch=16, loss="l1", warmup=300)

_STAGES_IMDN_X2_X3 = [_L2_IMDN, dict(_CYCLE2_IMDN, steps=3000), _L2_IMDN,
                      dict(_CYCLE2_IMDN, steps=5000), dict(_L2_IMDN, steps=300)]

_ONE_MORE_CYCLE_IMDN = [dict(_CYCLE2_IMDN, steps=6000), dict(_L2_IMDN, steps=300)]
_SESSION7_CYCLE_IMDN = [dict(_CYCLE2_IMDN, steps=4500, lr=2.5e-4), dict(_L2_IMDN, steps=300)]
_SESSION7_SHORT_CYCLE_IMDN = [dict(_CYCLE2_IMDN, steps=1200, lr=1.5e-4, warmup=100),
                              dict(_L2_IMDN, steps=200)]

_SESSION8_CYCLE_ECBSR = dict(steps=9000, lr=4e-4, patch=48, batch=16, loss="l1", warmup=300,
                             hr_scales=MULTISCALE)
_SESSION8_MORE_L2_ECBSR_X4 = dict(_L2_MULTISCALE_ECBSR, steps=1500, lr=5e-5)
_SESSION8_LAST_L2_ECBSR_X4 = dict(_L2_MULTISCALE_ECBSR, steps=800, lr=3e-5)
_SESSION8_SHORT_CYCLE_ECBSR_X2 = dict(_SESSION8_CYCLE_ECBSR, steps=2500, lr=1.5e-4, warmup=100)

_SESSION9_CYCLE_ECBSR_X2 = dict(_SESSION8_CYCLE_ECBSR, steps=22000, lr=3e-4)
_SESSION9_CYCLE_IMDN_X2 = [dict(_CYCLE2_IMDN, steps=8500, lr=3e-4), dict(_L2_IMDN, steps=300)]

_SESSION10_CYCLE_ECBSR_X2 = dict(_SESSION8_CYCLE_ECBSR, steps=14000, lr=3e-4)
_SESSION10_CYCLE_ECBSR_X4 = [dict(_SESSION8_CYCLE_ECBSR, steps=6000, lr=3e-4),
                             dict(_L2_MULTISCALE_ECBSR, steps=800)]
_SESSION10_CYCLE_IMDN_X2 = [dict(_CYCLE2_IMDN, steps=6000, lr=3e-4, hr_scales=MULTISCALE),
                            dict(_L2_IMDN, steps=300, hr_scales=MULTISCALE)]

_SESSION11_CYCLE_IMDN_X4 = [dict(_CYCLE2_IMDN, steps=5000, lr=3e-4, hr_scales=MULTISCALE),
                            dict(_L2_IMDN, steps=300, hr_scales=MULTISCALE)]
_SESSION11_CYCLE_IMDN_X2 = [dict(_CYCLE2_IMDN, steps=5000, lr=2e-4, hr_scales=MULTISCALE),
                            dict(_L2_IMDN, steps=300, lr=3e-5, hr_scales=MULTISCALE)]

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
# jpeg75 recipe (monitoring only).  Full optimizer state stays in runs/; the tracked state is
# the exported .srm (snapshot.py), a resume from it starts a fresh Adam with a short
# re-warm-up (train.py).  Training bookkeeping: LOG.md.
_PHOTO = dict(_IMDN, patch=40, batch=16, lr=2e-4, warmup=300, val_every=500, data="photo",
              init_full=True, clean_share=0.25,
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
