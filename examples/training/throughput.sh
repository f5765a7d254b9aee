#!/usr/bin/env bash
# Training throughput on 108-atom bulk gold (fcc 3x3x3, EAM reference from LAMMPS), with forces:
# structures/s and atoms/s of the loss gradient over the training set, at each thread count.
# A benchmark, not a test: run it on a quiet machine.
#
#   examples/training/throughput.sh [--threads 1,2] [--seconds 5]
#
# The data (bulk_fcc108.xyz, 240 frames: perfect, vacancy, +-3 % strain at 300/900/1500 K) are
# made once by examples/gold/generate_data.sh --bulk-only --bulk-cells 108 into
# examples/gold/data/ (LAMMPS with Au_u3.eam, under a minute); the network and symmetry functions
# are those of examples/training/gold-bulk.json (20t-20t, radial-angular preset, cutoff 6 Å).
# Environment: NNSWIFT (default build/bin/nnswift of this checkout, from scripts/build.sh).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
threads=1,2; seconds=5
while [ $# -gt 0 ]; do
  case "$1" in
    --threads) threads="$2"; shift ;;
    --seconds) seconds="$2"; shift ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "throughput.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
nn="${NNSWIFT:-$repo/build/bin/nnswift}"
[ -x "$nn" ] || { echo "throughput.sh: $nn not found (run scripts/build.sh, or set NNSWIFT)" >&2; exit 1; }
data="$repo/examples/gold/data/bulk_fcc108.xyz"
[ -s "$data" ] || bash "$repo/examples/gold/generate_data.sh" --bulk-only --bulk-cells 108 >&2
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cat >"$work/bulk108.json" <<JSON
{ "data": ["$data"], "validationFraction": 0.1, "architecture": "20t-20t",
  "symmetryFunctions": {"preset": "radial-angular", "cutoff": 6.0, "rmin": 2.0},
  "scaling": "scalesigma", "optimizer": {"name": "adam", "learningRate": 0.001}, "batchSize": 16,
  "forceWeight": 0.1, "seed": 1, "output": "$work/model.json" }
JSON
"$nn" build-info 2>/dev/null | sed "s/^/# /" || echo "# $nn: no build-info (older than 0.2)"
"$nn" train "$work/bulk108.json" --benchmark --benchmark-threads "$threads" --benchmark-seconds "$seconds"
