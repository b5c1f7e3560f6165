#!/bin/bash
# tools/bench-anchors/setup.sh
#
# Makes sure the Debian 13 root of tools/gimp3/run.sh can run the bench's
# other anchors: ONNX Runtime 1.21, onnx (for the export) and PyTorch 2.6.
# They are not in run.sh's package list on purpose: changing that list makes
# every run (CI's GIMP 3 tests included) install them, and they are only
# needed when someone runs tools/bench.  So this checks first and installs
# only what is missing, with the same apt-get run.sh uses for its own list.
# Prints "anchors ready" or fails with apt's message.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd -P)
run=$here/../gimp3/run.sh
check='import onnxruntime, onnx, torch'

if "$run" python3 -c "$check" 2>/dev/null; then
  echo "anchors ready"
  exit 0
fi
echo "tools/bench-anchors/setup.sh: installing python3-onnxruntime python3-onnx python3-torch" \
     "into the Debian 13 root (apt-get, a few minutes, once)" >&2
"$run" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root DEBIAN_FRONTEND=noninteractive \
  LC_ALL=C.UTF-8 sh -c 'apt-get update -q &&
    apt-get install -y -q --no-install-recommends python3-onnxruntime python3-onnx python3-torch &&
    apt-get clean' >&2
"$run" python3 -c "$check"
echo "anchors ready"
