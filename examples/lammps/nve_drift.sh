#!/usr/bin/env bash
# Total-energy drift of NVE water with pair_style nnswift for two time steps (0.25 and 0.5 fs,
# 1000 steps each, Debian LAMMPS driver, 2 MPI ranks). Prints, per atom, the largest deviation of
# the total energy from its start, its RMS fluctuation and the end-to-end drift; velocity Verlet's
# energy error shrinks with dt², so the fluctuation ratio between the two runs should be near 4.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"; repo="$(cd "$here/../.." && pwd)"
water="$repo/../shared/conformance/n2p2-H2O_RPBE-D3"
lmp="$repo/lammps-plugin/build/debian/lmp_nnswift"
[ -x "$lmp" ] || { bash "$repo/scripts/build.sh" >/dev/null; bash "$repo/lammps-plugin/build.sh" --debian-only >/dev/null; }
work=$(mktemp -d)
"$repo/build/bin/nnswift" convert "$water/liquid1080.input.data" "$work/water.xyz" --length-factor 0.529177210544 >/dev/null
"$repo/build/bin/nnswift" convert "$work/water.xyz" "$work/water1080.lmp-data" --to lammps-data --types H,O >/dev/null
cd "$work"
for dt in 0.00025 0.0005; do
  mpirun --allow-run-as-root -np 2 "$lmp" -in "$here/in.water-nve" -var nnp "$water" -var data water1080.lmp-data \
      -var dt $dt -var steps 1000 -log log.$dt -screen none
  # total energy (5th thermo column) of every thermo line
  awk '/^ *Step/{on=1; next} /^Loop time/{on=0} on && NF==5 {print $5}' log.$dt > etotal.$dt
done
python3 - <<'PY'
import statistics
stats = {}
for dt in ("0.00025", "0.0005"):
    e = [float(x) for x in open(f"etotal.{dt}")]
    dev = [(x - e[0]) / 1080 for x in e]
    stats[dt] = (max(abs(d) for d in dev), statistics.pstdev(e) / 1080, dev[-1])
    print(f"dt {float(dt) * 1000:.2f} fs: max |E - E0| {stats[dt][0]:.2e} eV/atom, RMS fluctuation {stats[dt][1]:.2e} eV/atom, "
          f"drift over 1000 steps {stats[dt][2]:+.2e} eV/atom")
print(f"fluctuation ratio (0.5 fs / 0.25 fs): {stats['0.0005'][1] / stats['0.00025'][1]:.2f} (dt² scaling: 4)")
PY
rm -rf "$work"
