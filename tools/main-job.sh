#!/bin/bash
# The main job: installs what is missing, builds, and upscales the bundled
# sample image x4 with the shipped default model -- through GIMP itself
# (batch mode) once the plug-in is built, else through the CLI.
#   bash tools/main-job.sh [IN [OUT]]
# One line per step, so that the quiet parts (the build, GIMP starting) are
# not taken for a hang; the build's own output goes to a log, shown only if
# the build fails.
set -euo pipefail
cd "$(dirname "$0")/.."

in=${1:-docs/sample/chelsea.png}
out=${2:-out/$(basename "${in%.*}")-x4.png}
start=$SECONDS
step() {      # "main-job: [2/3] building in build/ ..."
  echo "main-job: [$1/3] $2"
}

step 1 "checking the Debian packages it needs (installs only what is missing)"
bash tools/install-deps.sh

step 2 "building in build/ (meson + ninja; 1-2 min the first time on 2 cores, seconds after)"
mkdir -p build
log=build/main-job-build.log
if ! bash tools/build.sh build >"$log" 2>&1; then
  tail -n 40 "$log"
  echo "main-job: the build failed; the whole log is $log" >&2
  exit 1
fi

mkdir -p "$(dirname "$out")"
export SR_MODEL_PATH=$PWD/models
if [ -x build/plugin/super-resolution ] && [ -x plugin/batch-upscale.sh ]; then
  step 3 "upscaling $in x4 with GIMP 2.10 in batch mode (plug-in-super-resolution; GIMP takes a few seconds to start)"
  plugin/batch-upscale.sh "$in" "$out"
else
  step 3 "upscaling $in x4 with build/tools/sr-upscale (no GIMP plug-in was built)"
  build/tools/sr-upscale -s 4 "$in" "$out"
fi
echo "main-job: done in $((SECONDS - start)) s: $in -> $out"
