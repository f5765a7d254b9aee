#!/usr/bin/env bash
# The install tree's package files and NNSwift as a versioned Swift dependency, run by CTest
# (tests/packaging/CMakeLists.txt lists the checks):
#   - find_package(nnswift VERSION [EXACT] CONFIG): the installed version is found, newer ones
#     are refused; the package is relocatable; its targets link the C and Fortran examples
#   - pkg-config --modversion / --exact-version / --atleast-version / --libs
#   - tests/external-package: a Swift package that depends on NNSwift by version builds and
#     computes the energies of n2p2 and `nnswift eval`
#
#   tests/packaging/run.sh        (after scripts/build.sh; BUILD_PREFIX=... for another install tree)
# Last line: "packaging: N passed, M failed"; exit status 1 on any failure.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
prefix=${BUILD_PREFIX:-$root/build}
work=$(mktemp -d /tmp/nnswift-packaging.XXXXXX)
trap 'rm -rf "$work"' EXIT
if ! cmake -S "$root/tests/packaging" -B "$work" -DNNSWIFT_PREFIX="$prefix" >"$work/configure.log" 2>&1; then
  cat "$work/configure.log"; echo "packaging: 0 passed, 1 failed"; exit 1
fi
ctest --test-dir "$work" --output-on-failure 2>&1 | tee "$work/ctest.log"
status=${PIPESTATUS[0]}
# CTest's summary "N% tests passed, F tests failed out of T" as the line scripts/test.sh reads.
summary=$(grep -E "tests passed, [0-9]+ tests? failed out of [0-9]+" "$work/ctest.log" | tail -1)
if [[ "$summary" =~ ([0-9]+)\ tests?\ failed\ out\ of\ ([0-9]+) ]]; then
  failed=${BASH_REMATCH[1]} total=${BASH_REMATCH[2]}
  skipped=$(grep -cE "\*\*\*(Skipped|Not Run \(Disabled\))" "$work/ctest.log")
  echo "packaging: $((total - failed - skipped)) passed, $failed failed"
else
  echo "packaging: 0 passed, 1 failed"; status=1
fi
exit "$status"
