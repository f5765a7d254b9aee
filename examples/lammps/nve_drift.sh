#!/usr/bin/env bash
# Total-energy drift of NVE water with pair_style nnswift for two time steps (0.25 and 0.5 fs,
# 1000 steps each, Debian LAMMPS driver, 2 MPI ranks). Prints |E_end - E_start| per atom; the
# drift of velocity Verlet shrinks with dt², so the ratio should be close to 4.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"; repo="$(cd "$here/../.." && pwd)"
water="$repo/../shared/conformance/n2p2-H2O_RPBE-D3"
lmp="$repo/lammps-plugin/build/debian/lmp_nnswift"
[ -x "$lmp" ] || { bash "$repo/scripts/build.sh" >/dev/null; bash "$repo/lammps-plugin/build.sh" --debian-only >/dev/null; }
work=$(mktemp -d)
"$repo/.build/release/nnswift" convert "$water/liquid1080.input.data" "$work/water.xyz" --length-factor 0.529177210544 >/dev/null
"$repo/.build/release/nnswift" convert "$work/water.xyz" "$work/water1080.lmp-data" --to lammps-data --types H,O >/dev/null
cd "$work"
for dt in 0.00025 0.0005; do
  mpirun --allow-run-as-root -np 2 "$lmp" -in "$here/in.water-nve" -var nnp "$water" -var data water1080.lmp-data \
      -var dt $dt -var steps 1000 -log log.$dt -screen none
  awk -v dt=$dt '/^ *Step/{getline; e0=$5} /^NVE_RESULT/{print dt, e0, $5}' log.$dt > result.$dt
done
python3 - <<'PY'
rows = [open(f"result.{dt}").read().split() for dt in ("0.00025", "0.0005")]
d = [abs(float(r[2]) - float(r[1])) / 1080 for r in rows]
print(f"NVE water 1080 atoms, 1000 steps: |dE|/atom = {d[0]:.3e} eV (dt 0.25 fs), {d[1]:.3e} eV (dt 0.5 fs), ratio {d[1]/d[0]:.2f} (dt² scaling: 4)")
PY
rm -rf "$work"
