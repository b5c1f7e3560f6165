"""A small PNG reader and writer for the tests, numpy + zlib only: Pillow reads
16-bit RGB PNGs as 8-bit, which would hide the very precision the 16-bit tests
are about.

  write(path, array)   uint16 HxW, HxWx1, HxWx3 or HxWx4 -> a 16-bit PNG;
                       uint8 -> an 8-bit PNG
  read(path)           -> (array, bit_depth): uint8 or uint16 HxWxC (C = 1..4),
                       any colour type but palette, any filter, not interlaced
"""
import struct
import zlib

import numpy as np

SIGNATURE = b"\x89PNG\r\n\x1a\n"
CHANNELS = {0: 1, 2: 3, 4: 2, 6: 4}          # colour type -> samples per pixel
COLOUR_TYPE = {1: 0, 2: 4, 3: 2, 4: 6}


def _chunk(kind, data):
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff))


def write(path, array):
    a = np.asarray(array)
    if a.ndim == 2:
        a = a[..., None]
    if a.dtype not in (np.uint8, np.uint16) or a.shape[2] not in COLOUR_TYPE:
        raise ValueError(f"cannot write {a.dtype} {a.shape} as PNG")
    h, w, c = a.shape
    depth = 16 if a.dtype == np.uint16 else 8
    rows = a.astype(">u2" if depth == 16 else "u1").reshape(h, -1).view(np.uint8)
    raw = np.concatenate([np.zeros((h, 1), np.uint8), rows], axis=1)   # filter 0 on every row
    ihdr = struct.pack(">IIBBBBB", w, h, depth, COLOUR_TYPE[c], 0, 0, 0)
    with open(path, "wb") as f:
        f.write(SIGNATURE + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", zlib.compress(raw.tobytes(), 6))
                + _chunk(b"IEND", b""))


def _paeth_row(line, prev, bpp):
    out = bytearray(line)
    for i in range(len(out)):
        a = out[i - bpp] if i >= bpp else 0
        b = prev[i]
        c = prev[i - bpp] if i >= bpp else 0
        p = a + b - c
        pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
        out[i] = (out[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xff
    return out


def _unfilter(data, h, stride, bpp):
    prev = bytearray(stride)
    rows = []
    pos = 0
    for _ in range(h):
        kind, line = data[pos], bytearray(data[pos + 1:pos + 1 + stride])
        pos += 1 + stride
        if kind == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 0xff
        elif kind == 2:
            line = bytearray((np.frombuffer(line, np.uint8) + np.frombuffer(prev, np.uint8)).tobytes())
        elif kind == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 0xff
        elif kind == 4:
            line = _paeth_row(line, prev, bpp)
        elif kind != 0:
            raise ValueError(f"bad PNG filter type {kind}")
        rows.append(bytes(line))
        prev = line
    return b"".join(rows)


def read(path):
    with open(path, "rb") as f:
        data = f.read()
    if not data.startswith(SIGNATURE):
        raise ValueError(f"{path} is not a PNG")
    pos, idat, ihdr = len(SIGNATURE), [], None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        pos += 12 + n
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
    w, h, depth, ctype, _, _, interlace = ihdr
    if ctype not in CHANNELS or depth not in (8, 16) or interlace:
        raise ValueError(f"{path}: colour type {ctype}, depth {depth}, interlace {interlace} "
                         "not supported here")
    c = CHANNELS[ctype]
    bpp = c * depth // 8
    raw = _unfilter(zlib.decompress(b"".join(idat)), h, w * bpp, bpp)
    a = np.frombuffer(raw, ">u2" if depth == 16 else np.uint8).reshape(h, w, c)
    return a.astype(np.uint16 if depth == 16 else np.uint8), depth
