#!/usr/bin/env bash
# NVE energy conservation of bulk fcc gold (108 atoms, 3x3x3 cells, started at 1200 K -> ~600 K)
# with a trained nnswift gold model, Debian LAMMPS driver lmp_nnswift on 2 MPI ranks, two time
# steps over the same simulated time (2 ps): 1 fs x 2000 steps and 2 fs x 1000 steps.
# Velocity Verlet's total-energy fluctuation (and any drift from integration error) scales with dt²,
# so the ratio (2 fs / 1 fs) should be close to 4.
#
#   examples/lammps/nve_drift_gold.sh [MODEL]     # default: examples/gold/out/table3/gold-model.json
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"; repo="$(cd "$here/../.." && pwd)"
model="$(realpath "${1:-$repo/examples/gold/out/table3/gold-model.json}")"
[ -f "$model" ] || { echo "nve_drift_gold.sh: no model $model (run examples/gold/table3.sh first, or give one)" >&2; exit 1; }
lmp="$repo/lammps-plugin/build/debian/lmp_nnswift"
[ -x "$lmp" ] || { bash "$repo/scripts/build.sh" >/dev/null; bash "$repo/lammps-plugin/build.sh" --debian-only >/dev/null; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cd "$work"
results=()
for spec in 0.001:2000:20 0.002:1000:10; do
  IFS=: read -r dt steps thermo <<< "$spec"
  mpirun --allow-run-as-root -np 2 "$lmp" -in "$here/in.gold" -var model "$model" -var ensemble nve \
      -var dt "$dt" -var steps "$steps" -var thermo "$thermo" -var T 600 -log "log.$dt" -screen none \
    || { tail -20 "log.$dt" >&2; echo "nve_drift_gold.sh: LAMMPS failed (dt $dt)" >&2; exit 1; }
  temp=$(sed -n 's/^GOLD_RESULT.* temp //p' "log.$dt")
  r=$(python3 "$repo/examples/gold/nve_energy.py" "log.$dt" --natoms 108 --dt "$dt")
  results+=("$dt $r $temp")
done
printf '%s\n' "${results[@]}" | python3 -c '
import sys
rows = [l.split() for l in sys.stdin if l.strip()]
print("| dt (fs) | steps | final T (K) | drift (eV/atom/ps) | RMS fluctuation of E_tot (eV/atom) | max abs(E-E0) (eV/atom) |")
print("| --- | --- | --- | --- | --- | --- |")
for dt, n, drift, rms, mx, T in rows:
    print(f"| {float(dt)*1000:g} | {round(0.002/float(dt)*1000)} | {T} | {float(drift):.2e} | {float(rms):.2e} | {float(mx):.2e} |")
r = float(rows[1][3]) / float(rows[0][3]); m = float(rows[1][4]) / float(rows[0][4])
print(f"\nratio 2 fs / 1 fs: RMS fluctuation {r:.2f}, max deviation {m:.2f} (dt² scaling: 4)")
'
