#!/bin/sh
# batch-upscale.sh IN OUT [MODEL [SCALE]]
#
# Upscales the image IN with plug-in-super-resolution, run by GIMP 2.10 in
# batch mode (gimp-console-2.10, no display), and writes the result to OUT
# (format from OUT's extension: .png, .jpg, .tif, ...).
#   MODEL  a model id (e.g. imdn-x4) or a .srm file; default: the best
#          installed model for SCALE (the next whole scale up, x2..x4)
#   SCALE  1 to 8, fractions too (e.g. 2.5); default 4
# GIMP runs with a throw-away profile, so your own GIMP settings are neither
# used nor touched.  The plug-in is taken from $SR_PLUGIN, else the build
# folder of this source tree (build/plugin), else your GIMP plug-ins folder,
# else GIMP's system plug-ins folder.  Multi-layer inputs are merged first.
set -eu

usage() {
  echo "usage: $0 IN OUT [MODEL [SCALE]]" >&2
  exit 2
}
[ $# -ge 2 ] && [ $# -le 4 ] || usage

in=$1
out=$2
model=${3:-}
scale=${4:-4}

die() {
  echo "batch-upscale: $*" >&2
  exit 1
}

command -v gimp-console-2.10 >/dev/null 2>&1 || die "gimp-console-2.10 not found (install GIMP 2.10)"
[ -f "$in" ] || die "$in: no such file"
case $scale in
  ''|*[!0-9.]*) die "SCALE must be a number (got '$scale')" ;;
esac

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
in_abs=$(cd "$(dirname "$in")" && pwd)/$(basename "$in")
out_dir=$(dirname "$out")
[ -d "$out_dir" ] || die "$out_dir: no such folder"
out_abs=$(cd "$out_dir" && pwd)/$(basename "$out")
case $out_abs in
  *.*) ext=${out_abs##*.} ;;
  *) die "$out: give OUT an extension (.png, .jpg, ...) so GIMP knows the format" ;;
esac
# A model given as a relative file path must survive the change of folder.
case $model in
  */*|*.srm) [ -f "$model" ] && model=$(cd "$(dirname "$model")" && pwd)/$(basename "$model") ;;
esac

# Which plug-in binary.
system_dir=$(gimptool-2.0 --gimpplugindir 2>/dev/null || echo /usr/lib/gimp/2.0)/plug-ins/super-resolution
plugin=
for candidate in "${SR_PLUGIN:-}" \
                 "$repo/build/plugin/super-resolution" \
                 "$HOME/.config/GIMP/2.10/plug-ins/super-resolution/super-resolution" \
                 "$system_dir/super-resolution"; do
  if [ -n "$candidate" ] && [ -x "$candidate" ]; then
    plugin=$candidate
    break
  fi
done
[ -n "$plugin" ] || die "plug-in not found: build it (meson setup build && ninja -C build) or set SR_PLUGIN"

# The throw-away profile: GIMP searches <profile>/plug-ins and its system
# folder, so only a plug-in from elsewhere needs copying.
work=$(mktemp -d "${TMPDIR:-/tmp}/gimp-sr-batch.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
profile=$work/profile
mkdir -p "$profile/plug-ins" "$profile/gradients" "$profile/brushes" "$profile/patterns" "$profile/palettes"
if [ "$plugin" != "$system_dir/super-resolution" ]; then
  mkdir -p "$profile/plug-ins/super-resolution"
  cp "$plugin" "$profile/plug-ins/super-resolution/super-resolution"
fi

# Shipped models of this source tree, when run from it.
if [ -d "$repo/models" ] && ls "$repo/models"/*.srm >/dev/null 2>&1; then
  SR_MODEL_PATH=$repo/models${SR_MODEL_PATH:+:$SR_MODEL_PATH}
  export SR_MODEL_PATH
fi

# Scheme string literals.
quote() {
  printf '"%s"' "$(printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g')"
}
result=$work/result.$ext

script="
(let* ((image (car (gimp-file-load RUN-NONINTERACTIVE $(quote "$in_abs") $(quote "$in_abs"))))
       (layer (if (> (car (gimp-image-get-layers image)) 1)
                  (car (gimp-image-merge-visible-layers image CLIP-TO-IMAGE))
                  (car (gimp-image-get-active-layer image))))
       (output (plug-in-super-resolution RUN-NONINTERACTIVE image layer $(quote "$model") $scale 0 0 1 FALSE FALSE))
       (new-image (cadr output))
       (new-layer (car output)))
  (gimp-file-save RUN-NONINTERACTIVE new-image new-layer $(quote "$result") $(quote "$result"))
  (gimp-message (string-append \"SR-BATCH size=\"
                               (number->string (car (gimp-image-width new-image))) \"x\"
                               (number->string (car (gimp-image-height new-image)))
                               \" layer=\" (car (gimp-item-get-name new-layer)))))
(gimp-quit 0)
"

log=$work/gimp.log
echo "batch-upscale: running GIMP (plug-in: $plugin)" >&2
if ! printf '%s\n' "$script" | GIMP2_DIRECTORY=$profile gimp-console-2.10 -i -d -f -b - >"$log" 2>&1 \
   || [ ! -s "$result" ]; then
  # Script-Fu reports a failed call as "Error: ... failed: <message>".
  grep -E "Error|error|failed" "$log" | grep -v "GEGL-WARNING\|tag cache\|GeglBuffers leaked" >&2 || cat "$log" >&2
  die "GIMP did not produce a result"
fi
mv "$result" "$out_abs"
info=$(sed -n 's/.*SR-BATCH //p' "$log" | head -n 1)
echo "batch-upscale: wrote $out_abs ($info)"
