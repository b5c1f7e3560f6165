#!/bin/bash
# tools/install-user.sh [--gimp 2.10|3.0] [--uninstall] [--builddir DIR]
#
# Installs the Super-Resolution plug-in into your own GIMP profile; no root
# needed.  Into <profile>/plug-ins/super-resolution/ go the plug-in binary,
# models/ (the shipped *.srm) and locale/ (the de and zh_CN translations):
# the plug-in looks for both next to itself, so nothing else is needed.
#   GIMP 2.10: $GIMP2_DIRECTORY, else ~/.config/GIMP/2.10
#   GIMP 3:    $GIMP3_DIRECTORY, else ~/.config/GIMP/3.0
# Without --gimp it installs for each GIMP it finds (on PATH or by its
# profile folder).  It builds first when needed: GIMP 2.10 in build-user/
# (a meson build of its own, so your build/ keeps its options), GIMP 3 in
# build-user-gimp3/ when libgimp-3.0 is installed here, else it takes
# build-gimp3/ as made by tools/gimp3/run.sh.
#
# Every file and folder it adds is listed in a manifest beside the binary;
# --uninstall removes exactly those (a folder only if it is empty then),
# and installing again first removes the old set, so a re-run upgrades in
# place and drops files the new version no longer ships.
set -euo pipefail

src=$(cd "$(dirname "$0")/.." && pwd)
manifest_name=.gimp-sr-manifest
gimps=()
uninstall=0
builddir=
po_tmp=

say() { echo "install-user: $*"; }
die() { echo "install-user: error: $*" >&2; exit 1; }

while [ $# -gt 0 ]; do
  case $1 in
    --gimp) [ $# -ge 2 ] || die "--gimp needs 2.10 or 3.0"
            case $2 in 2.10|2) gimps+=(2.10) ;; 3.0|3) gimps+=(3.0) ;;
                        *) die "--gimp $2: say 2.10 or 3.0" ;; esac
            shift 2 ;;
    --uninstall) uninstall=1; shift ;;
    --builddir) [ $# -ge 2 ] || die "--builddir needs a folder"; builddir=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument $1 (see --help)" ;;
  esac
done

# The profile folder the way GIMP itself finds it (a relative
# GIMP*_DIRECTORY is taken below the home folder).
profile_of() {
  local env dir
  if [ "$1" = 2.10 ]; then env=${GIMP2_DIRECTORY:-}; else env=${GIMP3_DIRECTORY:-}; fi
  if [ -n "$env" ]; then
    case $env in /*) dir=$env ;; *) dir=$HOME/$env ;; esac
  else
    dir=${XDG_CONFIG_HOME:-$HOME/.config}/GIMP/$1
  fi
  echo "$dir"
}

# Is this GIMP here?  Its program on PATH, or a profile it has made.
have_gimp() {
  local p
  for p in gimp-$1 gimp-console-$1; do
    command -v "$p" >/dev/null && return 0
  done
  [ "$1" = 3.0 ] && command -v gimp-3 >/dev/null && return 0
  [ -d "$(profile_of "$1")" ]
}

named=${#gimps[@]}   # GIMPs named with --gimp must be installed; found ones may be skipped
if [ "$named" -eq 0 ]; then
  for g in 2.10 3.0; do
    have_gimp "$g" && gimps+=("$g")
  done
  [ ${#gimps[@]} -gt 0 ] || die "found neither GIMP 2.10 nor GIMP 3; name one with --gimp 2.10 or --gimp 3.0"
fi

# Builds (or finds) the plug-in for GIMP $1; sets $plugin_bin and $mo_root
# (the folder holding <lang>/LC_MESSAGES/gimp-sr.mo).  Returns 1 when
# there is no way to a GIMP 3 plug-in here and GIMP 3 was not named.
build_for() {
  local api=${1%%.*} dir why
  if [ "$api" = 3 ] && ! pkg-config --exists gimp-3.0 2>/dev/null; then
    # No libgimp-3.0 on this system: only a build made in the GIMP 3 root.
    dir=$src/build-gimp3
    if [ ! -x "$dir/plugin/super-resolution" ]; then
      why="no GIMP 3 build: libgimp-3.0 is not installed here and $dir/plugin/super-resolution does not exist (make it with tools/gimp3/run.sh)"
      [ "$named" -eq 0 ] || die "$why"
      say "GIMP 3.0: skipped, $why"
      return 1
    fi
    say "GIMP $1: using the plug-in built by tools/gimp3/run.sh in $dir"
  else
    if [ "$api" = 2 ]; then dir=${builddir:-$src/build-user}
    else dir=${builddir:+$builddir-gimp3}; dir=${dir:-$src/build-user-gimp3}
    fi
    # A checkout you cannot write to (e.g. root's): build in your cache.
    if [ -z "$builddir" ] && [ ! -e "$dir" ] && [ ! -w "$src" ]; then
      dir=${XDG_CACHE_HOME:-$HOME/.cache}/gimp-sr/$(basename "$dir")
    fi
    if [ -e "$dir" ] && [ ! -w "$dir" ]; then
      # Someone else's build (a shared checkout): use it as it stands.
      say "GIMP $1: using $dir as built (not writable by you; its owner rebuilds it)"
    else
      if [ ! -f "$dir/build.ninja" ]; then
        say "GIMP $1: configuring $dir (meson, first time only)"
        mkdir -p "$(dirname "$dir")"
        meson setup "$dir" "$src" -Dgimp="$api" --buildtype=release 2>&1 | sed 's/^/  /' ||
          die "meson setup failed (see above)"
      fi
      say "GIMP $1: building the plug-in and translations in $dir (a few minutes the first time)"
      # Only what gets installed: no tests, no CLI.
      ninja -C "$dir" plugin/super-resolution gimp-sr-gmo 2>&1 | sed 's/^/  /' ||
        die "the build failed (see above)"
    fi
  fi
  plugin_bin=$dir/plugin/super-resolution
  mo_root=$dir/po
  [ -x "$plugin_bin" ] || die "$plugin_bin is missing after the build"
}

# Writes a file atomically (a running GIMP may be using the old one).
put() {
  local from=$1 to=$2 mode=$3
  cp "$from" "$to.new.$$"
  chmod "$mode" "$to.new.$$"
  mv -f "$to.new.$$" "$to"
}

install_into() {
  local gimp=$1 profile dest d p m lang n
  profile=$(profile_of "$gimp")
  dest=$profile/plug-ins/super-resolution
  build_for "$gimp" || return 0
  say "GIMP $gimp: profile $profile"
  if [ -f "$dest/$manifest_name" ]; then
    say "GIMP $gimp: removing the previous install (upgrade)"
    uninstall_from "$gimp" quiet
  fi

  local list=()
  # Folders we create, outermost first (only those not there yet; "." is
  # the profile itself, new if GIMP has never run).
  mkdir -p "$(dirname "$profile")"
  for d in . plug-ins plug-ins/super-resolution plug-ins/super-resolution/models \
           plug-ins/super-resolution/locale plug-ins/super-resolution/help; do
    if [ "$d" = . ]; then p=$profile; else p=$profile/$d; fi
    if [ ! -d "$p" ]; then
      mkdir "$p"
      list+=("d $d")
    fi
  done
  put "$plugin_bin" "$dest/super-resolution" 755
  list+=("f plug-ins/super-resolution/super-resolution")
  say "GIMP $gimp: plug-in -> $dest/super-resolution"

  n=0
  for m in "$src"/models/*.srm; do
    [ -f "$m" ] || continue
    put "$m" "$dest/models/$(basename "$m")" 644
    list+=("f plug-ins/super-resolution/models/$(basename "$m")")
    n=$((n + 1))
  done
  [ $n -gt 0 ] || say "GIMP $gimp: warning: no shipped models in $src/models"
  say "GIMP $gimp: $n models -> $dest/models"

  # The dialog's Help page (ui/sr-help.h finds it beside the binary).
  for m in "$src"/docs/help/*; do
    [ -f "$m" ] || continue
    put "$m" "$dest/help/$(basename "$m")" 644
    list+=("f plug-ins/super-resolution/help/$(basename "$m")")
  done
  say "GIMP $gimp: help page -> $dest/help/index.html"

  local langs=() mos=("$mo_root"/*/LC_MESSAGES/gimp-sr.mo)
  if [ ! -f "${mos[0]}" ] && command -v msgfmt >/dev/null; then
    # A build without its translations (build-gimp3 may be one): compile
    # them from po/ -- the catalogs are the same for either GIMP.
    if [ -z "$po_tmp" ]; then
      po_tmp=$(mktemp -d)
      trap 'rm -rf "$po_tmp"' EXIT
      for lang in $(grep -v '^#' "$src/po/LINGUAS"); do
        mkdir -p "$po_tmp/$lang/LC_MESSAGES"
        msgfmt -o "$po_tmp/$lang/LC_MESSAGES/gimp-sr.mo" "$src/po/$lang.po"
      done
    fi
    mo_root=$po_tmp
    mos=("$mo_root"/*/LC_MESSAGES/gimp-sr.mo)
  fi
  for m in "${mos[@]}"; do
    [ -f "$m" ] || continue
    lang=$(basename "$(dirname "$(dirname "$m")")")
    for d in "$lang" "$lang/LC_MESSAGES"; do
      if [ ! -d "$dest/locale/$d" ]; then
        mkdir "$dest/locale/$d"
        list+=("d plug-ins/super-resolution/locale/$d")
      fi
    done
    put "$m" "$dest/locale/$lang/LC_MESSAGES/gimp-sr.mo" 644
    list+=("f plug-ins/super-resolution/locale/$lang/LC_MESSAGES/gimp-sr.mo")
    langs+=("$lang")
  done
  say "GIMP $gimp: translations (${langs[*]:-none}) -> $dest/locale"

  printf '%s\n' "# gimp-sr install-user.sh: what it added below $profile" \
    "${list[@]}" >"$dest/$manifest_name"
  say "GIMP $gimp: done; (re)start GIMP: Filters > Enhance > Super-Resolution..."
}

uninstall_from() {
  local gimp=$1 quiet=${2:-} profile dest kind path n=0
  profile=$(profile_of "$gimp")
  dest=$profile/plug-ins/super-resolution
  if [ ! -f "$dest/$manifest_name" ]; then
    [ -n "$quiet" ] || say "GIMP $gimp: nothing installed by this script in $profile"
    return 0
  fi
  while read -r kind path; do
    [ "$kind" = f ] || continue
    rm -f "$profile/$path"
    n=$((n + 1))
  done <"$dest/$manifest_name"
  # Folders after their files, innermost first; one that now holds
  # something else (the user's, or GIMP's own files in the profile) stays.
  local dirs=()
  mapfile -t dirs < <(grep '^d ' "$dest/$manifest_name" | cut -c3- | tac)
  rm -f "$dest/$manifest_name"
  for path in "${dirs[@]}"; do
    [ "$path" = . ] && path= || path=/$path
    rmdir "$profile$path" 2>/dev/null || [ -n "$quiet" ] ||
      say "GIMP $gimp: kept $profile$path (not empty)"
  done
  [ -n "$quiet" ] || say "GIMP $gimp: removed $n files from $profile"
}

for g in "${gimps[@]}"; do
  if [ $uninstall = 1 ]; then uninstall_from "$g"; else install_into "$g"; fi
done
