#!/bin/bash
# Installs the Debian 12 packages gimp-sr needs to build, run and test.
# Skips apt entirely when everything is already there (CI runs this often).
set -euo pipefail

packages=(
  meson ninja-build pkg-config gcc clang gettext
  libglib2.0-dev libjson-glib-dev libbabl-dev libgegl-dev
  gimp libgimp2.0-dev
  python3-torch python3-numpy python3-pil
  xvfb xauth imagemagick x11-utils libxtst6
)

missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
