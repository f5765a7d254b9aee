#!/usr/bin/env bash
# Training throughput: structures/s and atoms/s of the loss gradient over the training set, at
# each thread count, for
#   bulk      108-atom bulk gold (fcc 3x3x3, EAM reference from LAMMPS), energies and forces,
#             batch 16 (the per-structure forward-over-reverse path);
#   clusters  the Au5 clusters (examples/gold/data/Au5.xyz), energy only, full batch as in the
#             Table 2 recipe (examples/training/table2.json, 30t-30t): the batched per-element
#             network passes of PackedEnergySet.
# A benchmark, not a test: run it on a quiet machine (it also prints CPU seconds per epoch).
#
#   examples/training/throughput.sh [--threads 1,2] [--seconds 5] [--set bulk|clusters|all]
#
# The data (bulk_fcc108.xyz, 240 frames: perfect, vacancy, +-3 % strain at 300/900/1500 K) are
# made once by examples/gold/generate_data.sh --bulk-only --bulk-cells 108 into
# examples/gold/data/ (LAMMPS with Au_u3.eam, under a minute); the network and symmetry functions
# are those of examples/training/gold-bulk.json (20t-20t, radial-angular preset, cutoff 6 Å).
# Environment: NNSWIFT (default build/bin/nnswift of this checkout, from scripts/build.sh).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
threads=1,2; seconds=5; set=all
while [ $# -gt 0 ]; do
  case "$1" in
    --threads) threads="$2"; shift ;;
    --seconds) seconds="$2"; shift ;;
    --set) set="$2"; shift ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "throughput.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
nn="${NNSWIFT:-$repo/build/bin/nnswift}"
[ -x "$nn" ] || { echo "throughput.sh: $nn not found (run scripts/build.sh, or set NNSWIFT)" >&2; exit 1; }
case "$set" in bulk|clusters|all) ;; *) echo "throughput.sh: --set must be bulk, clusters or all" >&2; exit 2 ;; esac
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$nn" build-info 2>/dev/null | sed "s/^/# /" || echo "# $nn: no build-info (older than 0.2)"
if [ "$set" != bulk ]; then
  echo "## clusters: Au5, energy only, full batch (Table 2 recipe, 30t-30t)"
  python3 - "$here/table2.json" "$repo/examples/gold/data/Au5.xyz" "$work" <<'PY'
import json, sys
cfg = json.load(open(sys.argv[1]))
cfg.update(data=[sys.argv[2]], architecture="30t-30t", batchSize=100000, output=sys.argv[3] + "/au5.json", log=None)
json.dump(cfg, open(sys.argv[3] + "/au5-energy.json", "w"))
PY
  "$nn" train "$work/au5-energy.json" --benchmark --benchmark-threads "$threads" --benchmark-seconds "$seconds"
fi
[ "$set" != clusters ] || exit 0
echo "## bulk: 108-atom gold, energies and forces, batch 16"
data="$repo/examples/gold/data/bulk_fcc108.xyz"
[ -s "$data" ] || bash "$repo/examples/gold/generate_data.sh" --bulk-only --bulk-cells 108 >&2
cat >"$work/bulk108.json" <<JSON
{ "data": ["$data"], "validationFraction": 0.1, "architecture": "20t-20t",
  "symmetryFunctions": {"preset": "radial-angular", "cutoff": 6.0, "rmin": 2.0},
  "scaling": "scalesigma", "optimizer": {"name": "adam", "learningRate": 0.001}, "batchSize": 16,
  "forceWeight": 0.1, "seed": 1, "output": "$work/model.json" }
JSON
"$nn" train "$work/bulk108.json" --benchmark --benchmark-threads "$threads" --benchmark-seconds "$seconds"
