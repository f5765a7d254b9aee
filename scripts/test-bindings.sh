#!/usr/bin/env bash
# Tests of the C API, the Fortran binding, the examples and nnswift-forcecheck.
# Builds with scripts/build.sh (install tree build/, or $BUILD_PREFIX if set), compiles the
# examples and tests/c/api_errors.c against the install tree and runs them.
# Tests that need the water model (../shared relative to the repository root) print SKIP lines
# when it is absent. Last line: "N passed, M failed"; exit status 1 if anything failed.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
work=$(mktemp -d /tmp/nnswift-bindings.XXXXXX)
trap 'rm -rf "$work"' EXIT
prefix=${BUILD_PREFIX:-$root/build}
passed=0 failed=0 skipped=0

pass() { passed=$((passed + 1)); echo "PASS: $*"; }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }
skip() { skipped=$((skipped + 1)); echo "SKIP: $*"; }
finish() {
  [ "$skipped" -gt 0 ] && echo "($skipped skipped)"
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit $?
}
# run NAME EXPECTED_STATUS CMD...: runs CMD, output in $work/NAME.out, checks the exit status.
run() {
  local name=$1 want=$2; shift 2
  "$@" >"$work/$name.out" 2>&1
  local got=$?
  if [ "$got" -eq "$want" ]; then pass "$name (exit $got)"; return 0; fi
  fail "$name: exit $got, expected $want"; sed 's/^/    /' "$work/$name.out" | tail -20
  return 1
}

# ---- build and install tree ----
if ! scripts/build.sh "$prefix" >"$work/build.out" 2>&1; then
  cat "$work/build.out"; fail "scripts/build.sh"; finish
fi
pass "scripts/build.sh -> $prefix"
soname=$(readelf -d "$prefix/lib/libnnswift.so" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
[ "$soname" = libnnswift.so ] && pass "SONAME of libnnswift.so is $soname" || fail "SONAME is '$soname'"
missing=0
for f in bin/nnswift bin/nnswift-forcecheck lib/libnnswift.so include/nnswift.h include/nnswift.f90 include/nnswift.mod \
         lib/libnnswift_fortran.a lib/pkgconfig/nnswift.pc lib/cmake/nnswift/nnswiftConfig.cmake; do
  [ -e "$prefix/$f" ] || { fail "install tree lacks $f"; missing=1; }
done
[ "$missing" -eq 0 ] && pass "install tree complete"

# ---- compile against the install tree (no LD_LIBRARY_PATH: rpath to the lib dir only) ----
unset LD_LIBRARY_PATH
link=(-L "$prefix/lib" -Wl,-rpath,"$prefix/lib")
run compile-c-example 0 cc -O2 -Wall -Wextra -Werror -I "$prefix/include" examples/c/water_energy.c -o "$work/water_c" "${link[@]}" -lnnswift
run compile-fortran-example 0 gfortran -O2 -Wall -I "$prefix/include" examples/fortran/water_energy.f90 -o "$work/water_f" \
  "${link[@]}" -lnnswift_fortran -lnnswift
run compile-fortran-module-source 0 gfortran -O2 -Wall -J "$work" "$prefix/include/nnswift.f90" examples/fortran/water_energy.f90 \
  -o "$work/water_f2" "${link[@]}" -lnnswift
run compile-api-errors 0 cc -O2 -Wall -Wextra -Werror -I "$prefix/include" tests/c/api_errors.c -o "$work/api_errors" "${link[@]}" \
  -lnnswift -lpthread -lm
run compile-cxx-header 0 sh -c "printf '#include <nnswift.h>\nint main(){return nnswift_abi_version()==NNSWIFT_ABI_VERSION?0:1;}\n' \
  | c++ -x c++ -Wall -Werror -I '$prefix/include' - -o '$work/abi_cxx' ${link[*]} -lnnswift && '$work/abi_cxx'"
run compile-pkg-config 0 sh -c "cc examples/c/water_energy.c -o '$work/water_pc' \$(PKG_CONFIG_PATH='$prefix/lib/pkgconfig' pkg-config --cflags --libs nnswift)"
mkdir -p "$work/cmake"
cat >"$work/cmake/CMakeLists.txt" <<CM
cmake_minimum_required(VERSION 3.16)
project(nnswift_consumer C)
find_package(nnswift 0.1 REQUIRED)
add_executable(water_energy "$root/examples/c/water_energy.c")
target_link_libraries(water_energy nnswift::nnswift)
CM
run compile-cmake 0 sh -c "cmake -S '$work/cmake' -B '$work/cmake/b' -Dnnswift_DIR='$prefix/lib/cmake/nnswift' >/dev/null && cmake --build '$work/cmake/b' >/dev/null"
# grep reads all of ldd's output (no -q): an early exit would SIGPIPE ldd and, under pipefail, fail the check at random.
if ldd "$work/water_c" | grep -F "libnnswift.so => $prefix/lib/libnnswift.so" >/dev/null; then
  pass "examples resolve libnnswift.so from $prefix/lib by rpath"
else
  fail "examples do not resolve libnnswift.so from $prefix/lib"; ldd "$work/water_c" | sed 's/^/    /'
fi

# ---- forcecheck input errors (no model needed) ----
run forcecheck-missing-model 2 "$prefix/bin/nnswift-forcecheck" "$work/no-such-model" "$work/no-such.xyz"
grep -q "cannot load model" "$work/forcecheck-missing-model.out" \
  && pass "forcecheck names the unreadable model" || fail "forcecheck: no clear message for a missing model"
run forcecheck-bad-option 64 "$prefix/bin/nnswift-forcecheck" x y --step -1

# ---- tests with the water model ----
shared=${NNSWIFT_SHARED:-$root/../shared}  # override to test the SKIP path
model=$shared/conformance/n2p2-H2O_RPBE-D3
if [ ! -d "$model" ]; then
  for t in "examples vs nnswift eval" "forcecheck on the water model" "api_errors (bad input, threads, compute_local)"; do
    skip "$t: $model not found"
  done
  finish
fi
model=$(cd "$model" && pwd)
python3 tests/bindings/structures.py "$model/train20.input.data" "$work" || { fail "make test structures"; finish; }

run water-molecule-c 0 "$work/water_c" "$model"
run water-molecule-fortran 0 "$work/water_f" "$model"
e_c=$(sed -n 's/^energy: *//p' "$work/water-molecule-c.out"); e_f=$(sed -n 's/^energy: *//p' "$work/water-molecule-fortran.out")
python3 -c "import sys; sys.exit(0 if float('$e_c') == float('${e_f/E/e}') else 1)" \
  && pass "water molecule built in code: C and Fortran energies bit-identical ($e_c)" \
  || fail "water molecule: C $e_c vs Fortran $e_f"

# Same structure through nnswift eval, C, Fortran and forcecheck: bit-identical (the same Swift
# code path, same neighbor list and summation order; decimal I/O round-trips exactly).
for s in periodic cluster; do
  if ! run "eval-$s" 0 "$prefix/bin/nnswift" eval "$model" "$work/$s.xyz" -o "$work/$s.pred.xyz"; then continue; fi
  run "c-$s" 0 "$work/water_c" "$model" "$work/$s.xyz" \
    && { python3 tests/bindings/compare.py "$work/$s.pred.xyz" example "$work/c-$s.out" \
         && pass "C example = nnswift eval ($s, bit-identical)" || fail "C example differs from nnswift eval ($s)"; }
  run "fortran-$s" 0 "$work/water_f" "$model" "$work/$s.xyz" \
    && { python3 tests/bindings/compare.py "$work/$s.pred.xyz" example "$work/fortran-$s.out" \
         && pass "Fortran example = nnswift eval ($s, bit-identical)" || fail "Fortran example differs from nnswift eval ($s)"; }
done
run forcecheck-cluster 0 "$prefix/bin/nnswift-forcecheck" "$model" "$work/cluster.xyz"
sed -n '/^worst/p' "$work/forcecheck-cluster.out" | sed 's/^/    /'
python3 tests/bindings/compare.py "$work/cluster.pred.xyz" forcecheck "$work/forcecheck-cluster.out" \
  && pass "forcecheck analytic energy/forces = nnswift eval (cluster, bit-identical)" || fail "forcecheck differs from nnswift eval (cluster)"
run forcecheck-periodic 0 "$prefix/bin/nnswift-forcecheck" "$model" "$model/train20.input.data" --index 2 --quiet
sed -n '/^worst/p' "$work/forcecheck-periodic.out" | sed 's/^/    /'
run forcecheck-impossible-tolerance 1 "$prefix/bin/nnswift-forcecheck" "$model" "$work/cluster.xyz" --tolerance 1e-30 --quiet
run forcecheck-step-too-large 1 "$prefix/bin/nnswift-forcecheck" "$model" "$work/cluster.xyz" --step 0.5 --quiet
sed -n '/^worst/p' "$work/forcecheck-step-too-large.out" | sed 's/^/    /'
run forcecheck-missing-structure 2 "$prefix/bin/nnswift-forcecheck" "$model" "$work/no-such.xyz"
run forcecheck-index-out-of-range 2 "$prefix/bin/nnswift-forcecheck" "$model" "$work/cluster.xyz" --index 5
printf '3\nwrong element\nO 0 0 0\nXx 1 0 0\nH 0 1 0\n' >"$work/alien.xyz"
run forcecheck-unknown-element 2 "$prefix/bin/nnswift-forcecheck" "$model" "$work/alien.xyz"
# A broken (truncated) model cannot be loaded: exit 2.
mkdir -p "$work/broken"; cp "$model"/{input.nn,scaling.data,weights.001.data} "$work/broken/"
head -c 2000 "$model/weights.008.data" >"$work/broken/weights.008.data"
run forcecheck-truncated-model 2 "$prefix/bin/nnswift-forcecheck" "$work/broken" "$work/cluster.xyz"

# api_errors: one PASS/FAIL per check it reports.
"$work/api_errors" "$model" "$work/periodic.xyz" "$work/scratch" >"$work/api_errors.out" 2>&1
status=$?
grep '^not ok' "$work/api_errors.out" | sed 's/^/    /'
grep '^#' "$work/api_errors.out" | sed 's/^/    /'
p=$(grep -c '^ok' "$work/api_errors.out"); f=$(grep -c '^not ok' "$work/api_errors.out")
passed=$((passed + p)); failed=$((failed + f))
echo "api_errors: $p passed, $f failed (exit $status)"
if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then fail "api_errors exited $status"; tail -5 "$work/api_errors.out"; fi

finish
