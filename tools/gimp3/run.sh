#!/bin/bash
# tools/gimp3/run.sh CMD ARGS...
#
# Runs CMD inside a Debian 13 (trixie) root that has GIMP 3 and what it takes
# to build and test the GIMP 3 plug-in, on a host that has only GIMP 2.10.
# The checkout and ../shared appear inside at their own absolute paths, CMD
# starts in the current directory, and its exit status is ours.
#
# The root is made on first use (debootstrap, then apt-get: ~5-10 minutes,
# ~3 GB) at $GIMP_SR_GIMP3_ROOT (default /var/cache/gimp-sr/gimp3-root) and
# reused after that; a root whose set-up did not finish is made again.
# Needs root (debootstrap, chroot, mounts) and network access to a Debian
# mirror ($GIMP_SR_DEBIAN_MIRROR) on first use.
#
# Mounts live in a private mount namespace (unshare -m), so they vanish when
# CMD ends, whatever happens, and two runs side by side do not see each
# other's mounts.  A lock file next to the root serialises set-up; runs hold
# it shared, so a rebuild waits for them and they never wait for each other.
set -euo pipefail

root=${GIMP_SR_GIMP3_ROOT:-/var/cache/gimp-sr/gimp3-root}
mirror=${GIMP_SR_DEBIAN_MIRROR:-http://deb.debian.org/debian}
self=$(readlink -f "$0")
checkout=$(cd "$(dirname "$self")/../.." && pwd -P)
shared=$(cd "$checkout/.." && pwd -P)/shared

# What the build and the tests need inside.  Changing this list installs the
# difference on the next run (the stamp records the list).
packages=(
  gimp libgimp-3.0-dev gir1.2-gimp-3.0 python3-gi
  meson ninja-build gcc pkg-config libc6-dev
  libglib2.0-dev libjson-glib-dev libgegl-dev libbabl-dev
  xvfb xauth x11-utils libxtst6 imagemagick python3 python3-numpy python3-pil
  git ca-certificates locales-all
)
base_stamp=$root/.gimp-sr-base-ok
ready_stamp=$root/.gimp-sr-ready

die() { echo "tools/gimp3/run.sh: $*" >&2; exit 1; }

[ $# -gt 0 ] || die "usage: tools/gimp3/run.sh CMD [ARGS...]"
[ "$(id -u)" = 0 ] || die "needs root (debootstrap, chroot and mounts)"
for tool in unshare chroot flock mount; do
  command -v "$tool" >/dev/null || die "$tool not found"
done

is_ready() {
  [ -f "$ready_stamp" ] && [ "$(cat "$ready_stamp")" = "${packages[*]}" ] &&
    [ -x "$root/usr/bin/gimp-console-3.0" ] && chroot "$root" /bin/true 2>/dev/null
}

# Mounts what CMD (or apt inside) needs, in the current namespace: run only
# inside `unshare -m`.  $1: the root.
mount_all() {
  local r=$1 d
  mount -t proc proc "$r/proc"
  mount --rbind /dev "$r/dev"
  mount --rbind /sys "$r/sys"
  mount --bind /tmp "$r/tmp"
  for d in "$checkout" "$shared"; do
    [ -d "$d" ] || continue
    mkdir -p "$r$d"
    mount --rbind "$d" "$r$d"
  done
}

# Installs the packages into a root whose base system is in place.
install_packages() {
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  # The host's proxy settings, if any, apply inside too.
  grep -lis proxy /etc/apt/apt.conf.d/* | xargs -r cp -t "$root/etc/apt/apt.conf.d/"
  printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"   # start no services
  chmod +x "$root/usr/sbin/policy-rc.d"
  unshare -m --propagation private -- "$self" --in-namespace "$root" / \
    env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root DEBIAN_FRONTEND=noninteractive \
    LC_ALL=C.UTF-8 sh -c "dpkg --configure -a && apt-get update -q &&
      apt-get install -y -q --no-install-recommends ${packages[*]} && apt-get clean"
}

# Second stage, in the private namespace: mount, chroot, run.
if [ "${1:-}" = --in-namespace ]; then
  root=$2 cwd=$3
  shift 3
  cleanup() {   # also undone by the namespace's end; explicit for clarity
    umount -R "$root$shared" "$root$checkout" "$root/tmp" "$root/sys" "$root/dev" \
      "$root/proc" 2>/dev/null || true
  }
  trap cleanup EXIT
  mount_all "$root"
  # The environment goes in as it is, minus what points at host libraries
  # or host Python; PATH is the root's own.
  status=0
  env -u LD_LIBRARY_PATH -u LD_PRELOAD -u PYTHONPATH -u PYTHONHOME -u PKG_CONFIG_PATH \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    chroot "$root" /bin/sh -c 'cd "$1" && shift && exec "$@"' sh "$cwd" "$@" || status=$?
  exit $status
fi

make_root() {
  # Mounts are only ever made in private namespaces (debootstrap's too), but
  # never delete through one that somehow is visible here.
  if grep -q " $root/" /proc/self/mounts; then
    die "something is mounted below $root; unmount it first"
  fi
  chroot "$root" /bin/true 2>/dev/null || rm -f "$base_stamp"
  if [ ! -f "$base_stamp" ]; then
    echo "run.sh: creating the Debian 13 root at $root (debootstrap, ~2 min)" >&2
    rm -rf "$root"
    if ! command -v debootstrap >/dev/null; then
      # Another apt may hold the lock: wait for it rather than fail.
      apt-get -o DPkg::Lock::Timeout=1800 install -y -q debootstrap >&2
    fi
    mkdir -p "$(dirname "$root")"
    # Its own namespace: the /proc and /sys it mounts in the new root go
    # away with it, even when it is interrupted.
    unshare -m --propagation private -- \
      debootstrap --variant=minbase trixie "$root" "$mirror" >&2
    touch "$base_stamp"
  fi
  echo "run.sh: installing GIMP 3 and build tools into $root (apt-get, ~5 min)" >&2
  rm -f "$ready_stamp"
  if ! install_packages >&2; then
    # A base that no longer runs anything is made again next time; else
    # apt (after dpkg --configure -a) simply gets another go.
    chroot "$root" /bin/true 2>/dev/null || rm -f "$base_stamp"
    die "installing packages into $root failed (see above); run again to retry"
  fi
  [ -x "$root/usr/bin/gimp-console-3.0" ] || die "gimp-console-3.0 missing in $root after installing"
  echo "${packages[*]}" >"$ready_stamp"
}

mkdir -p "$(dirname "$root")"
exec 9>"$root.lock"
flock -s 9
if ! is_ready; then
  flock -u 9
  flock -x 9
  is_ready || make_root
  flock -s 9   # converts to shared: other runs may start
fi

cwd=$(pwd -P)
case "$cwd/" in
  "$checkout"/*|"$shared"/*|/tmp/*) ;;
  *) die "run from inside $checkout (the current directory must exist in the root)" ;;
esac

exec unshare -m --propagation private -- "$self" --in-namespace "$root" "$cwd" "$@"
