# Runs inside gimp-console-3.0 (python-fu-eval): helpers the GIMP 3 tests'
# generated scripts call.  Reports go to stdout as "SRTEST key=value".
from gi.repository import Gegl, Gimp, Gio

PROC = "plug-in-super-resolution"


def report(key, value):
    if isinstance(value, bool):
        value = int(value)
    print(f"SRTEST {key}={value}", flush=True)


def super_resolution(image, drawables, model, scale, tile=0, threads=0, output=0, tta=False):
    """Runs the plug-in non-interactively: ((layer, image), "") or (None, message)."""
    proc = Gimp.get_pdb().lookup_procedure(PROC)
    cfg = proc.create_config()
    cfg.set_property("run-mode", Gimp.RunMode.NONINTERACTIVE)
    cfg.set_property("image", image)
    cfg.set_core_object_array("drawables", drawables)
    cfg.set_property("model", model)
    cfg.set_property("scale", float(scale))
    cfg.set_property("tile-size", tile)
    cfg.set_property("threads", threads)
    cfg.set_property("output", output)
    cfg.set_property("tta", tta)
    result = proc.run(cfg)
    if result.index(0) != Gimp.PDBStatusType.SUCCESS:
        message = result.index(1) if result.length() > 1 else ""
        return None, f"{result.index(0).value_nick}: {message}"
    return (result.index(1), result.index(2)), ""


def load(path):
    return Gimp.file_load(Gimp.RunMode.NONINTERACTIVE, Gio.File.new_for_path(path))


def report_layer(prefix, layer):
    _, x, y = layer.get_offsets()
    report(prefix + ".width", layer.get_width())
    report(prefix + ".height", layer.get_height())
    report(prefix + ".x", x)
    report(prefix + ".y", y)
    report(prefix + ".name", layer.get_name())
    report(prefix + ".visible", layer.get_visible())
    report(prefix + ".alpha", layer.has_alpha())
    report(prefix + ".bpp", layer.get_bpp())


def report_image(prefix, image):
    report(prefix + ".width", image.get_width())
    report(prefix + ".height", image.get_height())
    report(prefix + ".layers", len(image.get_layers()))
    report(prefix + ".dirty", image.is_dirty())


def dump(drawable, path, fmt):
    """Writes the drawable's pixels in babl format @fmt, raw, to @path."""
    buf = drawable.get_buffer()
    data = buf.get(buf.get_extent(), 1.0, fmt, Gegl.AbyssPolicy.CLAMP)
    with open(path, "wb") as f:
        f.write(bytes(data))


def put(drawable, fmt, data):
    """Replaces the drawable's pixels with raw @data in babl format @fmt."""
    buf = drawable.get_buffer()
    buf.set(buf.get_extent(), fmt, bytes(data))
    buf.flush()
    drawable.update(0, 0, drawable.get_width(), drawable.get_height())


def new_image(w, h, base=Gimp.ImageBaseType.RGB):
    return Gimp.Image.new(w, h, base)


def add_layer(image, name, w, h, kind, x=0, y=0, position=0):
    layer = Gimp.Layer.new(image, name, w, h, kind, 100, Gimp.LayerMode.NORMAL)
    image.insert_layer(layer, None, position)
    layer.set_offsets(x, y)
    return layer


def shape_rgba(w, h, block, colour):
    """R'G'B'A u8 bytes: transparent black except an opaque @colour block
    (x, y, w, h)."""
    bx, by, bw, bh = block
    data = bytearray(w * h * 4)
    for y in range(by, by + bh):
        for x in range(bx, bx + bw):
            i = (y * w + x) * 4
            data[i:i + 4] = bytes(colour) + b"\xff"
    return data
