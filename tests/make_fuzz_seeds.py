#!/usr/bin/python3
"""Writes the seed corpora of the fuzz targets (tests/fuzz-corpus/).

  model/  one small model of every architecture the core reads, random
          weights (so every architecture's validation is reached), a header
          nested past the loader's depth limit, and a header of ~1 MiB;
  image/  tiny PNG, JPEG, TIFF and WebP files, and each cut short.

Run from anywhere with Debian's PyTorch and Pillow; the seeds are committed,
so the fuzz run needs neither:
    /usr/bin/python3 tests/make_fuzz_seeds.py
"""
import io
import json
import os
import struct
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "models"))
from srtorch import archs, modelfile  # noqa: E402

OUT = os.path.join(HERE, "fuzz-corpus")

# The smallest network each architecture allows (archs.check_config).
TINY = [("imdn", 16, 1, 2), ("imdn_as", 16, 1, 1), ("imdn_rtc", 8, 1, 2),
        ("rfdn", 8, 1, 2), ("ecbsr", 4, 1, 3)]


def metadata(arch, channels, blocks, scale):
    return {"architecture": arch, "scale": scale, "channels": channels, "blocks": blocks,
            "colour_space": "srgb", "input_range": 1.0, "name": f"tiny {arch}",
            "description": "fuzz seed", "provenance": "tests/make_fuzz_seeds.py",
            "licence": "CC0-1.0"}


def model_seeds():
    rng = np.random.default_rng(1)
    out = os.path.join(OUT, "model")
    os.makedirs(out, exist_ok=True)
    for arch, c, b, s in TINY:
        meta = metadata(arch, c, b, s)
        sd = {k: rng.normal(0, 0.1, shape).astype(np.float32)
              for k, shape in archs.expected_shapes(meta).items()}
        modelfile.write(os.path.join(out, f"tiny-{arch}.srm"), meta, sd)
    # Hand-made headers around a valid data section: nested too deep, and huge.
    with open(os.path.join(out, "tiny-ecbsr.srm"), "rb") as f:
        blob = f.read()
    hlen = struct.unpack("<I", blob[12:16])[0]
    header = json.loads(blob[16:16 + hlen])
    data = blob[(16 + hlen + 63) // 64 * 64:]

    def write(name, text):
        raw = text.encode()
        pad = (16 + len(raw) + 63) // 64 * 64 - 16 - len(raw)
        with open(os.path.join(out, name), "wb") as f:
            f.write(b"GIMPSRM\0" + struct.pack("<II", 1, len(raw)) + raw + b" " * pad + data)

    deep = dict(header)
    deep["metadata"] = dict(header["metadata"], junk=json.loads("[" * 80 + "]" * 80))
    write("deep-nesting.srm", json.dumps(deep))
    big = dict(header)
    big["metadata"] = dict(header["metadata"], notes="x" * (1 << 20))
    write("big-header.srm", json.dumps(big))


def image_seeds():
    from PIL import Image
    out = os.path.join(OUT, "image")
    os.makedirs(out, exist_ok=True)
    im = Image.fromarray(np.random.default_rng(2).integers(0, 256, (12, 16, 3), np.uint8))
    for fmt, ext in (("PNG", "png"), ("JPEG", "jpg"), ("TIFF", "tif"), ("WEBP", "webp")):
        buf = io.BytesIO()
        im.save(buf, fmt)
        raw = buf.getvalue()
        for name, body in ((f"tiny.{ext}", raw), (f"cut.{ext}", raw[:len(raw) * 2 // 3])):
            with open(os.path.join(out, name), "wb") as f:
                f.write(body)


if __name__ == "__main__":
    model_seeds()
    image_seeds()
