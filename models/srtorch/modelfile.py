"""Reads and writes gimp-sr model files (.srm), as docs/model-format.md.

    0   8  b"GIMPSRM\\0"
    8   4  format version (u32 LE)
    12  4  header length N (u32 LE)
    16  N  JSON {"metadata": {...}, "tensors": {name: {dtype, shape, offset}}}
    D      data section, D = 16 + N rounded up to 64; tensors f32 LE, each at
           a 64-aligned offset; the file ends at the last tensor's end
           rounded up to 64.

The writer pads the JSON with spaces so that the data section starts right
after it (no unspecified gap bytes).  The reader checks what the C loader
checks, so a file this module accepts should load in the core too.
"""
import json
import math
import struct

import numpy as np

MAGIC = b"GIMPSRM\0"
VERSION = 1
ALIGN = 64
MAX_HEADER = 16 << 20
PREAMBLE = struct.Struct("<8sII")  # magic, version, header length

STRING_KEYS = ("architecture", "colour_space", "name", "description", "provenance", "licence")
ARCHITECTURES = ("imdn", "imdn_as", "imdn_rtc", "rfdn", "ecbsr")


def _round_up(n, a=ALIGN):
    return (n + a - 1) // a * a


def _int_in(meta, key, lo, hi):
    v = meta.get(key)
    # bool is an int in Python; JSON true is not a valid number here.
    if not isinstance(v, int) or isinstance(v, bool) or not lo <= v <= hi:
        raise ValueError(f"metadata '{key}' must be an integer in {lo}..{hi} (got {v!r})")


def check_metadata(meta):
    """Raises ValueError unless `meta` has every field, of the right type."""
    if not isinstance(meta, dict):
        raise ValueError("metadata must be an object")
    for k in STRING_KEYS:
        if not isinstance(meta.get(k), str):
            raise ValueError(f"metadata '{k}' must be a string")
    if meta["architecture"] not in ARCHITECTURES:
        raise ValueError(f"unknown architecture {meta['architecture']!r}")
    if meta["colour_space"] != "srgb":
        raise ValueError(f"unknown colour_space {meta['colour_space']!r}")
    _int_in(meta, "scale", 1, 8)
    _int_in(meta, "channels", 1, 256)
    _int_in(meta, "blocks", 1, 64)
    r = meta.get("input_range")
    if isinstance(r, bool) or not isinstance(r, (int, float)) or not (math.isfinite(r) and r > 0):
        raise ValueError(f"metadata 'input_range' must be a positive number (got {r!r})")
    if "training" in meta and not isinstance(meta["training"], dict):
        raise ValueError("metadata 'training' must be an object")


def _as_f32(t):
    """A C-contiguous little-endian float32 numpy copy of a tensor/array."""
    if hasattr(t, "detach"):
        t = t.detach().cpu().numpy()
    return np.ascontiguousarray(np.asarray(t, dtype="<f4"))


def write(path, metadata, state_dict):
    """Writes `state_dict` (name -> torch tensor or numpy array) with
    `metadata` to `path`.  Tensors are stored in the dict's order."""
    check_metadata(metadata)
    arrays, table, offset = [], {}, 0
    for name, t in state_dict.items():
        a = _as_f32(t)
        if not 1 <= a.ndim <= 4:
            raise ValueError(f"tensor {name}: {a.ndim} dimensions (1..4 allowed)")
        if not np.isfinite(a).all():
            raise ValueError(f"tensor {name} has NaN or infinite values")
        table[name] = {"dtype": "f32", "shape": list(a.shape), "offset": offset}
        arrays.append((offset, a))
        offset = _round_up(offset + a.nbytes)
    # Metadata indented, one line per tensor: readable with `head`.
    rows = ",\n".join(f" {json.dumps(k)}: {json.dumps(v)}" for k, v in table.items())
    header = ('{"metadata": ' + json.dumps(metadata, ensure_ascii=False, indent=1)
              + ',\n"tensors": {\n' + rows + "\n}}\n").encode("utf-8")
    n = _round_up(PREAMBLE.size + len(header)) - PREAMBLE.size
    header += b" " * (n - len(header))
    data = bytearray(offset)  # zero-filled: the padding between tensors
    for off, a in arrays:
        data[off:off + a.nbytes] = a.tobytes()
    with open(path, "wb") as f:
        f.write(PREAMBLE.pack(MAGIC, VERSION, n))
        f.write(header)
        f.write(data)


def read(path, as_numpy=False):
    """Returns (metadata, {name: tensor}) from a model file, in file order.
    Tensors are torch float32 tensors, or numpy arrays with as_numpy=True.
    Raises ValueError naming the file and the problem."""
    with open(path, "rb") as f:
        blob = f.read()
    try:
        meta, tensors = _parse(blob)
    except ValueError as e:
        raise ValueError(f"{path}: {e}") from None
    if not as_numpy:
        import torch
        tensors = {k: torch.from_numpy(v) for k, v in tensors.items()}
    return meta, tensors


def _parse(blob):
    if len(blob) < PREAMBLE.size:
        raise ValueError("too short to be a model file")
    magic, version, n = PREAMBLE.unpack_from(blob)
    if magic != MAGIC:
        raise ValueError("not a gimp-sr model file (bad magic)")
    if version != VERSION:
        raise ValueError(f"format version {version} is not supported (this reads {VERSION})")
    if not 1 <= n <= MAX_HEADER or PREAMBLE.size + n > len(blob):
        raise ValueError(f"header length {n} does not fit the file")
    try:
        header = json.loads(blob[PREAMBLE.size:PREAMBLE.size + n].decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ValueError(f"header is not valid JSON: {e}") from None
    if not isinstance(header, dict) or not isinstance(header.get("tensors"), dict):
        raise ValueError("header lacks the 'metadata' and 'tensors' objects")
    check_metadata(header.get("metadata"))
    base = _round_up(PREAMBLE.size + n)
    tensors, spans, end = {}, [], 0
    for name, t in header["tensors"].items():
        if not isinstance(t, dict) or t.get("dtype") != "f32":
            raise ValueError(f"tensor {name}: dtype must be f32")
        shape, off = t.get("shape"), t.get("offset")
        if (not isinstance(shape, list) or not 1 <= len(shape) <= 4
                or not all(isinstance(d, int) and not isinstance(d, bool) and 1 <= d <= 1 << 20
                           for d in shape)):
            raise ValueError(f"tensor {name}: bad shape {shape!r}")
        count = math.prod(shape)
        if count > 1 << 28:
            raise ValueError(f"tensor {name}: too many elements ({count})")
        if not isinstance(off, int) or isinstance(off, bool) or off < 0 or off % ALIGN:
            raise ValueError(f"tensor {name}: offset {off!r} is not a multiple of {ALIGN}")
        if base + off + 4 * count > len(blob):
            raise ValueError(f"tensor {name} lies beyond the end of the file")
        a = np.frombuffer(blob, "<f4", count, base + off).reshape(shape).astype(np.float32)
        if not np.isfinite(a).all():
            raise ValueError(f"tensor {name} has NaN or infinite values")
        tensors[name] = a
        spans.append((off, off + 4 * count, name))
        end = max(end, off + 4 * count)
    spans.sort()
    for (_, e0, n0), (s1, _, n1) in zip(spans, spans[1:]):
        if s1 < e0:
            raise ValueError(f"tensors {n0} and {n1} overlap")
    if len(blob) != base + _round_up(end):
        raise ValueError(f"file size {len(blob)} != end of data section {base + _round_up(end)}")
    return header["metadata"], tensors
