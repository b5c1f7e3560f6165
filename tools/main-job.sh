#!/bin/bash
# The main job: installs what is missing, builds, and upscales the bundled
# sample image x4 with the shipped default model -- through GIMP itself
# (batch mode) once the plug-in is built, else through the CLI.
#   bash tools/main-job.sh [IN [OUT]]
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/install-deps.sh
bash tools/build.sh build >/dev/null

in=${1:-docs/sample/chelsea.png}
out=${2:-out/$(basename "${in%.*}")-x4.png}
mkdir -p "$(dirname "$out")"
export SR_MODEL_PATH=$PWD/models

if [ -x build/plugin/super-resolution ] && [ -x plugin/batch-upscale.sh ]; then
  plugin/batch-upscale.sh "$in" "$out"
else
  build/tools/sr-upscale -s 4 "$in" "$out"
fi
echo "upscaled $in -> $out"
