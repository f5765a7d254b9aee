#!/usr/bin/env bash
# Gold-cluster training data from a real reference code: LAMMPS with the EAM potential
# Au_u3.eam (Debian package lammps-data), units metal (Angstrom, eV, eV/Angstrom).
# Au2..Au5 clusters in a periodic 20 Angstrom box, Nose-Hoover MD at 1000 K, one configuration
# every STRIDE steps: positions, forces and total potential energy -> extended XYZ.
#
#   examples/gold/generate_data.sh            # small set: 300 frames per cluster size
#   examples/gold/generate_data.sh --large    # large set: 3000 frames per cluster size
#   FRAMES=500 SEED=7 examples/gold/generate_data.sh
#
# Output: examples/gold/data/Au{2,3,4,5}.xyz and examples/gold/data/Au2-5.xyz (all sizes).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${OUT:-$here/data}"
FRAMES="${FRAMES:-300}"
STRIDE="${STRIDE:-10}"
SEED="${SEED:-4928459}"
if [[ "${1:-}" == "--large" ]]; then FRAMES="${FRAMES_LARGE:-3000}"; fi
LMP="${LMP:-}"
if [[ -z "$LMP" ]]; then
  for b in lmp lmp_serial lmp_stable; do command -v "$b" >/dev/null && { LMP="$b"; break; }; done
fi
[[ -n "$LMP" ]] || { echo "LAMMPS not found: apt-get install -y lammps lammps-data" >&2; exit 1; }
EAM="${EAM:-/usr/share/lammps/potentials/Au_u3.eam}"
[[ -f "$EAM" ]] || { echo "missing $EAM: apt-get install -y lammps-data" >&2; exit 1; }
mkdir -p "$out"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT

# Starting geometries (Angstrom), near the box centre, nearest neighbours ~2.7 A.
declare -A START
START[2]="10.0 10.0 10.0; 12.6 10.0 10.0"
START[3]="10.0 10.0 10.0; 12.7 10.0 10.0; 11.35 12.3 10.0"
START[4]="10.0 10.0 10.0; 12.7 10.0 10.0; 11.35 12.3 10.0; 11.35 10.8 12.2"
START[5]="10.0 10.0 10.0; 12.7 10.0 10.0; 11.35 12.3 10.0; 11.35 10.8 12.2; 11.35 10.8 7.8"

nsteps=$(( FRAMES * STRIDE ))
for n in 2 3 4 5; do
  creates=""
  IFS=';' read -ra atoms <<< "${START[$n]}"
  for a in "${atoms[@]}"; do creates+="create_atoms 1 single $a units box"$'\n'; done
  cat > "$work/in.au$n" <<IN
units metal
atom_style atomic
boundary p p p
region box block 0 20 0 20 0 20
create_box 1 box
$creates
mass 1 196.96657
pair_style eam
pair_coeff 1 1 $EAM
neighbor 2.0 bin
velocity all create 1000.0 $(( SEED + n )) mom yes rot yes dist gaussian
# Nose-Hoover NVT: the thermostat acts on velocities only, so the dumped forces are the
# pure EAM forces (fix langevin would add its random and drag forces to f).
fix 1 all nvt temp 1000.0 1000.0 0.1
timestep 0.002
compute pea all pe/atom
dump 1 all custom $STRIDE $work/au$n.dump id type x y z fx fy fz c_pea
dump_modify 1 sort id format float %.10f
thermo 1000
run $nsteps
IN
  (cd "$work" && "$LMP" -in "in.au$n" -log "log.au$n" -screen none)
  python3 "$here/dump_to_extxyz.py" --element Au --box 20 --skip 1 "$work/au$n.dump" > "$out/Au$n.xyz"
  echo "Au$n: $(grep -c Lattice "$out/Au$n.xyz") configurations -> $out/Au$n.xyz"
done
cat "$out"/Au{2,3,4,5}.xyz > "$out/Au2-5.xyz"
echo "all sizes: $(grep -c Lattice "$out/Au2-5.xyz") configurations -> $out/Au2-5.xyz"
