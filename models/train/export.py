#!/usr/bin/python3
"""Export a training checkpoint to the shipped model file models/<id>.srm.

    /usr/bin/python3 models/train/export.py ecbsr-x4 [--ckpt PATH] [--out PATH]
    /usr/bin/python3 models/train/export.py imdn-photo-x4 [--ship]

Photo models (config.is_photo) are written to models/train/runs/<id>.srm unless --ship is
given; --ship writes models/<id>.srm only if the model beats the shipped clean model of its
scale on Set5 with the jpeg75 recipe (the issue #20 condition; --force skips the check).

ECBSR is re-parameterised here (ECB blocks folded into single 3x3 convs) and the folded
network is checked against the training form before writing.  The Set5 PSNR-Y written into
the metadata is measured on the exported weights after reading the file back, so the number
describes exactly what ships.
"""
import argparse
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from config import (MODELS, MODELS_DIR, RUNS, DATA_DESCRIPTION,  # noqa: E402
                    PHOTO_DATA_DESCRIPTION, is_photo, meta_of)
sys.path.insert(0, MODELS_DIR)   # srtorch, which validate and data use too
import ckpt  # noqa: E402
import degrade  # noqa: E402
import stages  # noqa: E402
import validate  # noqa: E402
from srtorch import archs, modelfile  # noqa: E402

LICENCE = "CC0-1.0 model weights by the gimp-sr project"
NAMES = {
    "imdn": ("IMDN x%d", "IMDN, 64 channels, 6 blocks: quality model"),
    "ecbsr": ("ECBSR M4C16 x%d", "ECBSR, 16 channels, 4 blocks (re-parameterised): fast model"),
}


def inference_state(model, arch):
    """State dict with the canonical tensor names of docs/model-format.md."""
    if arch == "ecbsr":
        return {k: v.detach().clone() for k, v in model.reparameterize().items()}
    return {k: v.detach().clone() for k, v in model.state_dict().items()}


def check_fold(train_model, infer_model, scale):
    """The folded ECBSR must compute what the training form computes."""
    x = torch.rand(1, 3, 24, 20)
    with torch.no_grad():
        d = (train_model.eval()(x) - infer_model.eval()(x)).abs().max().item()
    if d > 1e-4:
        raise SystemExit("re-parameterised ECBSR x%d differs from its training form by %g"
                         % (scale, d))


def export(state, out_path=None, log=print):
    """Writes the model file for a checkpoint dict; returns (path, Set5 PSNR-Y)."""
    mid = state["id"]
    cfg = MODELS[mid]
    meta = meta_of(mid)
    arch, scale = meta["architecture"], meta["scale"]
    train_model = archs.build(meta, training=True)
    # The moving average of the weights where the checkpoint has one (train.py).
    train_model.load_state_dict(state.get("ema") or state["model"])
    sd = inference_state(train_model, arch)
    infer_model = archs.build(meta)
    infer_model.load_state_dict(sd, strict=True)
    if arch == "ecbsr":
        check_fold(train_model, infer_model, scale)

    photo = is_photo(mid)
    out_path = out_path or os.path.join(RUNS if photo else MODELS_DIR, mid + ".srm")
    hours = state["train_seconds"] / 3600.0
    name, desc = NAMES[arch]
    provenance = "trained by gimp-sr on 291+BSDS (571 images), %d steps" % state["step"]
    if photo:
        name = "IMDN Photo x%d"
        desc = "%s: IMDN, 64 channels, 6 blocks, trained on JPEG-compressed, noisy and " \
               "blurred inputs; removes artefacts while upscaling" % cfg["purpose"]
        provenance = ("fine-tuned by gimp-sr from %s on 85 Debian wallpapers + 291+BSDS "
                      "(571 images) with synthetic degradations, %d steps"
                      % (state.get("init_from") or cfg["init_from"], state["step"]))
    metadata = dict(
        meta, colour_space="srgb", input_range=1.0, name=name % scale,
        description=desc,
        provenance=provenance,
        licence=LICENCE,
        training=dict(
            data=PHOTO_DATA_DESCRIPTION if photo else DATA_DESCRIPTION,
            steps=state["step"], schedule_steps=state["steps"],
            hours=round(hours, 2), hardware="1 CPU thread (PyTorch %s)" % torch.__version__,
            loss="L1", optimizer="Adam, lr %g, warm-up then cosine decay%s"
            % (cfg["lr"], ", weights averaged (EMA 0.999)" if state.get("ema") else ""),
            lr_patch=cfg["patch"], batch=cfg["batch"],
            stages=stages.describe(stages.plan(state, cfg), state["step"]),
            init_from=state.get("init_from"),
            code="models/train/ (train.py)"))
    tmp = out_path + ".tmp%d" % os.getpid()
    modelfile.write(tmp, dict(metadata, training=dict(metadata["training"], set5_psnr_y=None)),
                    sd)
    # Score what was written: read it back into the inference network.
    _, tensors = modelfile.read(tmp)
    check = archs.build(meta)
    check.load_state_dict(tensors, strict=True)
    set5 = validate.load_set(scale)
    psnr, per_image = validate.evaluate(check, scale, set5)
    metadata["training"]["set5_psnr_y"] = round(psnr, 3)
    metadata["training"]["set5_protocol"] = "docs eval-protocol.md (PSNR-Y, shave s, uint8 output)"
    if photo:
        metadata["purpose"] = cfg["purpose"]
        pj, _ = validate.evaluate(check, scale, degrade.jpeg75_set(set5))
        metadata["training"]["set5_jpeg75_psnr_y"] = round(pj, 3)
        metadata["training"]["set5_jpeg75_protocol"] = (
            "Set5 LR_bicubic re-encoded as JPEG quality 75, 4:2:0 (tools/make-degraded-sets)")
        log("%s: Set5-jpeg75 PSNR-Y %.3f dB" % (mid, pj))
    modelfile.write(tmp, metadata, sd)
    os.replace(tmp, out_path)
    log("exported %s: step %d, %.2f h, Set5 PSNR-Y %.3f dB -> %s"
        % (mid, state["step"], hours, psnr, out_path))
    return out_path, psnr


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("id", choices=sorted(MODELS))
    ap.add_argument("--ckpt", help="checkpoint file (default: the most advanced one)")
    ap.add_argument("--out", help="output file (default: models/<id>.srm; photo models: "
                    "models/train/runs/<id>.srm)")
    ap.add_argument("--ship", action="store_true",
                    help="photo models: write models/<id>.srm if it beats the clean model "
                    "on Set5-jpeg75")
    ap.add_argument("--force", action="store_true", help="--ship without that check")
    a = ap.parse_args()
    torch.set_num_threads(1)
    path = a.ckpt or ckpt.latest(a.id)
    if not path:
        raise SystemExit("no checkpoint for %s" % a.id)
    if not a.ship:
        export(ckpt.load(path), a.out)
        return
    if not is_photo(a.id):
        raise SystemExit("--ship is for the photo models")
    tmp = os.path.join(RUNS, a.id + ".ship.srm")
    os.makedirs(RUNS, exist_ok=True)
    export(ckpt.load(path), tmp)
    cfg = MODELS[a.id]
    clean = os.path.join(MODELS_DIR, cfg["init_from"] + ".srm")
    set5 = degrade.jpeg75_set(validate.load_set(cfg["scale"]))
    scores = {}
    for label, f in (("photo", tmp), ("clean", clean)):
        meta, tensors = modelfile.read(f)
        net = archs.build(meta_of(a.id))
        net.load_state_dict(tensors, strict=True)
        scores[label] = validate.evaluate(net, cfg["scale"], set5)[0]
    print("Set5-jpeg75 PSNR-Y: %s %.3f dB, %s %.3f dB"
          % (a.id, scores["photo"], cfg["init_from"], scores["clean"]))
    if scores["photo"] <= scores["clean"] and not a.force:
        os.remove(tmp)
        raise SystemExit("not shipped: %s is not better than %s on Set5-jpeg75"
                         % (a.id, cfg["init_from"]))
    dst = a.out or os.path.join(MODELS_DIR, a.id + ".srm")
    os.replace(tmp, dst)
    print("shipped %s" % dst)


if __name__ == "__main__":
    main()
