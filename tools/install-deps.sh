#!/bin/bash
# Installs the Debian 12 packages gimp-sr needs to build, run and test.
# Checks first, with one dpkg query for all of them, and installs only what
# is missing: when everything is there (every CI and test-all.sh run after
# the first) it does not touch apt and returns in a fraction of a second.
set -euo pipefail

packages=(
  meson ninja-build pkg-config gcc clang gettext
  libglib2.0-dev libjson-glib-dev libbabl-dev libgegl-dev
  gimp libgimp2.0-dev
  python3-torch python3-numpy python3-pil
  xvfb xauth imagemagick x11-utils libxtst6
)

# "ii" = installed and configured; packages dpkg never heard of print nothing.
declare -A installed=()
while read -r status name; do
  [ "$status" = "ii" ] && installed[$name]=1
done < <(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' "${packages[@]}" 2>/dev/null || true)

missing=()
for p in "${packages[@]}"; do
  [ -n "${installed[$p]:-}" ] || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "installing: ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -q
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
