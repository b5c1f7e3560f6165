"""The JPEG photo the photo-default tests share (issue #20): ~1 MP of real
photographs (Set14 barbara and monarch) saved as JPEG quality 60, 4:2:0 --
what a user's camera or web JPEG looks like to the models, and where the
clean and photo models give clearly different pixels."""
import os

from PIL import Image

SIZE = (1280, 768)
SMALL_BOX = (200, 200, 296, 264)   # 96 x 64, for the cheap cases


def collage(shared, path, small=None):
    """Writes the collage to @path, and its SMALL_BOX crop (as a JPEG of
    its own, same quality) to @small if given."""
    hr = os.path.join(shared, "data", "bench", "Set14", "HR")
    a = Image.open(os.path.join(hr, "barbara.png")).convert("RGB")
    b = Image.open(os.path.join(hr, "monarch.png")).convert("RGB")
    im = Image.new("RGB", SIZE)
    im.paste(a.crop((0, 0, 720, 576)), (0, 0))
    im.paste(b.crop((0, 0, 560, 512)), (720, 0))
    im.paste(b.crop((0, 256, 768, 448)).resize((1280, 192), Image.BICUBIC), (0, 576))
    im.save(path, quality=60)
    if small:
        im.crop(SMALL_BOX).save(small, quality=60)
