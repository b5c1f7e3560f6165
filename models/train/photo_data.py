#!/usr/bin/python3
"""Photo training data: large wallpapers from Debian packages, cached outside git.

    /usr/bin/python3 models/train/photo_data.py [--packages p1,p2,...]

Steps (each skipped when already done, so re-running is cheap):
  1. `apt-get download <pkg>` of each wallpaper package into <cache>/debs/ (nothing is
     installed);
  2. `dpkg-deb -x` into <cache>/extract/<pkg>/;
  3. every image of at least 1.5 megapixels (one per wallpaper: where a package ships one
     picture at several resolutions, only the largest) is cropped to even size, shrunk by 2
     with PIL's Lanczos (antialiased; it also removes the wallpapers' own JPEG artefacts and
     noise, which a clean target must not have) and saved as <cache>/hr/<pkg>__<name>.png;
  4. a manifest (TSV: file, package, version, path in the package, original size, sha256 of
     the original, licence from usr/share/doc/<pkg>/copyright) is written to
     <cache>/manifest.tsv and copied to models/train/photo-manifest.tsv (tracked, so the
     provenance of the data is in git).

<cache> is $SR_PHOTO_DATA, else ${XDG_CACHE_HOME:-~/.cache}/gimp-sr/photo-data.
"""
import argparse
import fnmatch
import glob
import hashlib
import os
import re
import shutil
import subprocess
import sys

from PIL import Image

Image.MAX_IMAGE_PIXELS = None   # the largest wallpapers are ~15 MP; trusted Debian files

HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGES = ("plasma-workspace-wallpapers", "mate-backgrounds", "ukui-wallpapers",
            "gnome-backgrounds")
MIN_PIXELS = 1_500_000
EXTS = (".jpg", ".jpeg", ".png", ".webp")
MANIFEST_COLUMNS = ("file", "package", "version", "source_path", "orig_width", "orig_height",
                    "width", "height", "sha256", "licence", "licence_from")


def cache_dir():
    if os.environ.get("SR_PHOTO_DATA"):
        return os.environ["SR_PHOTO_DATA"]
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "gimp-sr", "photo-data")


def download(pkg, debs):
    os.makedirs(debs, exist_ok=True)
    found = glob.glob(os.path.join(debs, pkg + "_*.deb"))
    if found:
        return found[0]
    print("apt-get download %s" % pkg, flush=True)
    subprocess.run(["apt-get", "download", "-q", pkg], cwd=debs, check=True)
    found = glob.glob(os.path.join(debs, pkg + "_*.deb"))
    if not found:
        raise SystemExit("apt-get download %s left no .deb in %s" % (pkg, debs))
    return found[0]


def extract(deb, dest):
    done = dest + ".done"
    if os.path.exists(done):
        return
    shutil.rmtree(dest, ignore_errors=True)
    os.makedirs(dest)
    print("dpkg-deb -x %s" % os.path.basename(deb), flush=True)
    subprocess.run(["dpkg-deb", "-x", deb, dest], check=True)
    open(done, "w").close()


def deb_version(deb):
    return subprocess.run(["dpkg-deb", "-f", deb, "Version"], check=True,
                          capture_output=True, text=True).stdout.strip()


def parse_copyright(path):
    """[(file patterns, licence short name)] from a DEP-5 copyright file, in file order; for
    a free-text one (gnome-backgrounds) the "- <file pattern>" lists each followed by a
    "Licensed under ..." line, and the package's GPL statement as `Files: *`."""
    try:
        text = open(path, encoding="utf-8", errors="replace").read()
    except OSError:
        return []
    stanzas = []
    for para in re.split(r"\n\s*\n", text):
        fields, key = {}, None
        for line in para.splitlines():
            if line[:1] in (" ", "\t") and key:
                fields[key] += " " + line.strip()
            elif ":" in line:
                key, _, val = line.partition(":")
                key = key.strip().lower()
                fields[key] = val.strip()
        if "files" in fields and "license" in fields:
            stanzas.append((fields["files"].split(), fields["license"].split("\n")[0].strip()))
    if stanzas:
        return stanzas
    if re.search(r"GNU General Public License\s+as published by\s+the Free Software "
                 r"Foundation; either version 2 of the License, or\s+\(at your option\)", text):
        stanzas.append((["*"], "GPL-2+"))
    pending = []
    for line in text.splitlines():
        m = re.match(r"\s*-\s+(\S+?):?\s*$", line)
        if m:
            pending.append(m.group(1))
            continue
        m = re.search(r"Licensed under (?:the )?(.+?)\.?\s*$", line)
        if m and pending:
            stanzas.append((pending, m.group(1)))
            pending = []
    return stanzas


def licence_of(rel_path, stanzas):
    """Licence of an installed file: the last DEP-5 stanza whose pattern matches the end of
    its path or names its wallpaper (copyright files describe source paths, not installed
    ones); else the `Files: *` stanza."""
    parts = rel_path.split("/")
    default, match = None, None
    for patterns, lic in stanzas:
        for pat in patterns:
            if pat == "*":
                default = lic
                continue
            pat_c = pat.rstrip("/*")
            for i in range(len(parts)):
                tail = "/".join(parts[i:])
                if fnmatch.fnmatch(tail, pat) or (pat_c and "/".join(parts[i:]).startswith(pat_c + "/")):
                    match = lic
            # a pattern naming the wallpaper's folder or file anywhere (e.g. wallpapers/Next/*)
            names = [p for p in pat_c.split("/") if p and "*" not in p]
            if names and names[-1] in parts[:-1] + [os.path.splitext(parts[-1])[0]]:
                match = lic
    if match:
        return match, "stanza"
    if default:
        return default, "Files: *"
    return "see copyright file", "none"


def wallpaper_key(rel):
    """Images that are one picture at several resolutions share a key: the KDE layout
    .../<Name>/contents/images[_dark]/<W>x<H>.ext."""
    d, f = os.path.split(rel)
    if re.fullmatch(r"\d+x\d+\.\w+", f):
        return d
    # the same picture at two sizes: Elephants.png and Elephants_3840x2160.png
    return os.path.join(d, re.sub(r"[_-]?\d+x\d+$", "", os.path.splitext(f)[0]))


def collect(pkg, root):
    """{key: (pixels, rel path, w, h)} of the largest image per wallpaper."""
    best = {}
    for dirpath, _, files in os.walk(os.path.join(root, "usr", "share")):
        for f in files:
            if not f.lower().endswith(EXTS):
                continue
            full = os.path.join(dirpath, f)
            if os.path.islink(full):
                continue
            rel = os.path.relpath(full, root)
            try:
                with Image.open(full) as im:
                    w, h = im.size
            except Exception as e:  # noqa: BLE001  (an unreadable file is just skipped)
                print("skipped %s: %s" % (rel, e))
                continue
            if w * h < MIN_PIXELS:
                continue
            k = wallpaper_key(rel)
            if k not in best or w * h > best[k][0]:
                best[k] = (w * h, rel, w, h)
    return best


def out_name(pkg, rel):
    stem = re.sub(r"^usr/share/(backgrounds|wallpapers)/", "", rel)
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", os.path.splitext(stem)[0])
    return "%s__%s.png" % (pkg, stem)


def main():
    ap = argparse.ArgumentParser(description="Fetch and prepare the photo training data.")
    ap.add_argument("--packages", default=",".join(PACKAGES))
    a = ap.parse_args()
    cache = cache_dir()
    hr_dir = os.path.join(cache, "hr")
    os.makedirs(hr_dir, exist_ok=True)
    rows, seen = [], set()
    for pkg in a.packages.split(","):
        deb = download(pkg, os.path.join(cache, "debs"))
        root = os.path.join(cache, "extract", pkg)
        extract(deb, root)
        version = deb_version(deb)
        stanzas = parse_copyright(os.path.join(root, "usr", "share", "doc", pkg, "copyright"))
        for _, (_, rel, w, h) in sorted(collect(pkg, root).items()):
            full = os.path.join(root, rel)
            sha = hashlib.sha256(open(full, "rb").read()).hexdigest()
            if sha in seen:          # the same file shipped twice
                continue
            seen.add(sha)
            name = out_name(pkg, rel)
            dst = os.path.join(hr_dir, name)
            if not os.path.exists(dst):
                with Image.open(full) as im:
                    im = im.convert("RGB")
                    im = im.crop((0, 0, w // 2 * 2, h // 2 * 2))
                    im = im.resize((w // 2, h // 2), Image.LANCZOS)
                tmp = dst + ".tmp.png"
                im.save(tmp, optimize=False, compress_level=1)
                os.replace(tmp, dst)
                print("%s  %dx%d -> %dx%d" % (name, w, h, w // 2, h // 2), flush=True)
            lic, how = licence_of(rel, stanzas)
            rows.append((name, pkg, version, rel, w, h, w // 2, h // 2, sha, lic, how))
    listed = {r[0] for r in rows}
    for f in os.listdir(hr_dir):            # left by an older version of this script
        if f not in listed:
            os.remove(os.path.join(hr_dir, f))
    manifest = os.path.join(cache, "manifest.tsv")
    with open(manifest, "w") as f:
        f.write("\t".join(MANIFEST_COLUMNS) + "\n")
        for r in rows:
            f.write("\t".join(str(x) for x in r) + "\n")
    shutil.copyfile(manifest, os.path.join(HERE, "photo-manifest.tsv"))
    mp = sum(r[4] * r[5] for r in rows) / 1e6
    print("%d images, %.0f MP originals (%.0f MP after /2) in %s; manifest %s"
          % (len(rows), mp, mp / 4, hr_dir, manifest))


def list_images():
    """Paths of the prepared HR images (photo_data.py must have run)."""
    hr_dir = os.path.join(cache_dir(), "hr")
    manifest = os.path.join(cache_dir(), "manifest.tsv")
    if not os.path.exists(manifest):
        raise SystemExit("no photo training data in %s: run models/train/photo_data.py"
                         % cache_dir())
    with open(manifest) as f:
        names = [line.split("\t")[0] for line in f.read().splitlines()[1:] if line]
    return [os.path.join(hr_dir, n) for n in names]


if __name__ == "__main__":
    sys.exit(main())
