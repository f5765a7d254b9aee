#!/usr/bin/env bash
# Tests of the nnswift KIM model driver (one stage of scripts/test.sh): builds and installs the
# driver and portable models into a sandbox KIM collection (kim/build/collection, through
# KIM_API_CONFIGURATION_FILE, so ~/.kim-api is untouched), then runs kim/tests/run_tests.py
# with Debian's stock lmp, lmp_nnswift (pair_style nnswift, for the pressure comparison) and ASE
# + kimpy from the project venv. Water tests are skipped when ../shared is absent.
# Ends with "kim: N passed, N failed, N skipped". Needs build/ from scripts/build.sh.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
fail() { echo "$1" >&2; echo "kim: 0 passed, 1 failed"; exit 1; }

bash "$repo/scripts/install-deps.sh" || fail "install-deps.sh failed"
lib="$repo/build/lib/libnnswift.so"
[ -f "$lib" ] || fail "kim/run-tests.sh: $lib not found (run scripts/build.sh)"
python="$(bash "$repo/scripts/install-python-env.sh")" || fail "install-python-env.sh failed"

b="$here/build"
mkdir -p "$b/collection/model-drivers" "$b/collection/portable-models" "$b/collection/simulator-models"
export KIM_API_CONFIGURATION_FILE="$b/kim-api-config"
cat >"$KIM_API_CONFIGURATION_FILE" <<CFG
model-drivers-dir = $b/collection/model-drivers
portable-models-dir = $b/collection/portable-models
simulator-models-dir = $b/collection/simulator-models
CFG
# the environment collection would shadow the sandbox
unset KIM_API_MODEL_DRIVERS_DIR KIM_API_PORTABLE_MODELS_DIR KIM_API_SIMULATOR_MODELS_DIR
water="${NNSWIFT_WATER_DIR:-$repo/../shared/conformance/n2p2-H2O_RPBE-D3}"
NNSWIFT_WATER_DIR="$water" bash "$here/install.sh" || fail "kim/install.sh failed"

gcc -std=c99 -Wall -I/usr/include/kim-api "$here/tests/kim_unit_factor.c" -lkim-api -o "$b/kim_unit_factor" \
  || fail "cannot build kim_unit_factor"
lmp_nnswift="$repo/lammps-plugin/build/debian/lmp_nnswift"
if [ -f "$water/input.nn" ] && [ ! -x "$lmp_nnswift" ]; then
  NNSWIFT_LIBRARY="$lib" bash "$repo/lammps-plugin/build.sh" --debian-only >/dev/null || fail "lammps-plugin/build.sh failed"
fi

export NNSWIFT_KIM_LIB="$lib" NNSWIFT_KIM_LMP="$(command -v lmp)" NNSWIFT_KIM_LMP_NNSWIFT="$lmp_nnswift"
export NNSWIFT_KIM_UNIT_FACTOR="$b/kim_unit_factor" NNSWIFT_KIM_BUILD="$b"
if [ -f "$water/input.nn" ]; then export NNSWIFT_KIM_WATER="$(cd "$water" && pwd)"; else export NNSWIFT_KIM_WATER=""; fi
# one thread per MPI rank: the machine has 2 cores
export OMP_NUM_THREADS=1 NNSWIFT_NUM_THREADS=1
"$python" "$here/tests/run_tests.py"
