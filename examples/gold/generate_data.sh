#!/usr/bin/env bash
# Gold training data from a real reference code: LAMMPS with the EAM potential Au_u3.eam
# (Debian package lammps-data), units metal (Angstrom, eV, eV/Angstrom).
#
# Clusters: AuN in a periodic 20 Angstrom box, Nose-Hoover MD at 1000 K (time step 2 fs), one
# configuration every STRIDE steps: positions, forces and total potential energy -> extended XYZ.
#   Au2..Au5 start from fixed compact geometries (the original set, unchanged);
#   Au6..Au13 start from a random compact cluster (seeded), the first EQUIL frames are dropped
#   (relaxation from the random start) and so are frames in which an atom evaporated (cluster
#   not connected at 4 Angstrom).
# Bulk fcc (a = 4.08 Angstrom, the potential's lattice constant), small periodic cells of 32
#   (2x2x2) and 108 (3x3x3) atoms: perfect, one vacancy, +3 % and -3 % isotropic strain; NVT at
#   each temperature of BULK_TEMPS (default 300 900 1500 K; 1500 K melts the cell: liquid data).
#
#   examples/gold/generate_data.sh                    # Au2-Au5, 300 frames each (original set)
#   examples/gold/generate_data.sh --large            # the same, 3000 frames each
#   examples/gold/generate_data.sh --clusters 2-13    # Au2..Au13 (sizes: "6-13", "3,5,7", ...)
#   examples/gold/generate_data.sh --bulk             # + bulk fcc (BULK_FRAMES per run, 20)
#   examples/gold/generate_data.sh --bulk-only --bulk-cells 32
#   examples/gold/generate_data.sh --all              # Au2..Au13 + bulk (32 and 108 atoms)
#   FRAMES=500 SEED=7 BULK_FRAMES=50 BULK_TEMPS="300 1000" examples/gold/generate_data.sh --all
#
# Output (in OUT, default examples/gold/data/):
#   AuN.xyz per cluster size; Au2-5.xyz when sizes 2..5 were made; AuA-B.xyz (all cluster sizes
#   made, A = smallest, B = largest) when sizes beyond 5 were made;
#   with --short: AuN_short.xyz (SHORT_FRAMES frames of AuN.xyz, default 30, in which one nearest-
#   neighbour pair was pushed to 1.45-1.9 Angstrom, EAM single points: the repulsive wall that
#   1000 K MD never samples) and short.xyz (all sizes);
#   bulk_fcc32.xyz, bulk_fcc108.xyz (every variant and temperature; info line has
#   variant=perfect|vacancy|strain+3|strain-3 T=...), and bulk.xyz (all bulk cells).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${OUT:-$here/data}"
FRAMES="${FRAMES:-300}"
STRIDE="${STRIDE:-10}"
SEED="${SEED:-4928459}"
EQUIL="${EQUIL:-20}"
BULK_FRAMES="${BULK_FRAMES:-20}"
BULK_STRIDE="${BULK_STRIDE:-20}"
BULK_TEMPS="${BULK_TEMPS:-300 900 1500}"
sizes_arg="2-5"; bulk=0; clusters=1; cells="32,108"; short=0
SHORT_FRAMES="${SHORT_FRAMES:-30}"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --large) FRAMES="${FRAMES_LARGE:-3000}"; BULK_FRAMES="${BULK_FRAMES_LARGE:-200}" ;;
    --clusters|--sizes) sizes_arg="$2"; shift ;;
    --bulk) bulk=1 ;;
    --short) short=1 ;;
    --bulk-only) bulk=1; clusters=0 ;;
    --no-clusters) clusters=0 ;;
    --bulk-cells) cells="$2"; shift ;;
    --all) sizes_arg="2-13"; bulk=1; short=1 ;;
    -h|--help) sed -n '2,30p' "$0"; exit 0 ;;
    *) echo "generate_data.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
sizes=()
IFS=',' read -ra parts <<< "$sizes_arg"
for p in "${parts[@]}"; do
  if [[ "$p" =~ ^([0-9]+)-([0-9]+)$ ]]; then
    for ((k = BASH_REMATCH[1]; k <= BASH_REMATCH[2]; k++)); do sizes+=("$k"); done
  elif [[ "$p" =~ ^[0-9]+$ ]]; then sizes+=("$p")
  else echo "generate_data.sh: bad size list '$sizes_arg'" >&2; exit 2; fi
done
for n in "${sizes[@]}"; do
  (( n >= 2 && n <= 40 )) || { echo "generate_data.sh: cluster size $n out of range 2..40" >&2; exit 2; }
done

LMP="${LMP:-}"
if [[ -z "$LMP" ]]; then
  for b in lmp lmp_serial lmp_stable; do command -v "$b" >/dev/null && { LMP="$b"; break; }; done
fi
[[ -n "$LMP" ]] || { echo "LAMMPS not found: apt-get install -y lammps lammps-data" >&2; exit 1; }
EAM="${EAM:-/usr/share/lammps/potentials/Au_u3.eam}"
[[ -f "$EAM" ]] || { echo "missing $EAM: apt-get install -y lammps-data" >&2; exit 1; }
mkdir -p "$out"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT

run_lammps() { # input-name
  if ! (cd "$work" && "$LMP" -in "$1" -log "log.$1" -screen none); then
    tail -20 "$work/log.$1" >&2; echo "generate_data.sh: LAMMPS failed on $1" >&2; exit 1
  fi
}

# Starting geometries (Angstrom), near the box centre, nearest neighbours ~2.7 A.
declare -A START
START[2]="10.0 10.0 10.0; 12.6 10.0 10.0"
START[3]="10.0 10.0 10.0; 12.7 10.0 10.0; 11.35 12.3 10.0"
START[4]="10.0 10.0 10.0; 12.7 10.0 10.0; 11.35 12.3 10.0; 11.35 10.8 12.2"
START[5]="10.0 10.0 10.0; 12.7 10.0 10.0; 11.35 12.3 10.0; 11.35 10.8 12.2; 11.35 10.8 7.8"

nsteps=$(( FRAMES * STRIDE ))
made=()
if (( clusters )); then
for n in "${sizes[@]}"; do
  if [[ -n "${START[$n]:-}" ]]; then
    creates=""
    IFS=';' read -ra atoms <<< "${START[$n]}"
    for a in "${atoms[@]}"; do creates+="create_atoms 1 single $a units box"$'\n'; done
    skip=1; extra=(); steps=$nsteps
  else
    creates="$(python3 "$here/gold_tools.py" random-cluster "$n" --seed $(( SEED + n )) --bond 2.75 --center 10)"
    skip=$(( EQUIL + 1 )); extra=(--drop-fragmented 4.0); steps=$(( (FRAMES + EQUIL) * STRIDE ))
  fi
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
run $steps
IN
  run_lammps "in.au$n"
  python3 "$here/dump_to_extxyz.py" --element Au --box 20 --skip "$skip" "${extra[@]}" "$work/au$n.dump" > "$out/Au$n.xyz"
  echo "Au$n: $(grep -c Lattice "$out/Au$n.xyz") configurations -> $out/Au$n.xyz"
  made+=("$n")
done
fi

# Combined cluster files.
has() { local x; for x in "${made[@]}"; do [[ "$x" == "$1" ]] && return 0; done; return 1; }
if has 2 && has 3 && has 4 && has 5; then
  cat "$out"/Au{2,3,4,5}.xyz > "$out/Au2-5.xyz"
  echo "Au2-5: $(grep -c Lattice "$out/Au2-5.xyz") configurations -> $out/Au2-5.xyz"
fi
if (( ${#made[@]} > 0 )); then
  lo=$(printf '%s\n' "${made[@]}" | sort -n | sed -n 1p); hi=$(printf '%s\n' "${made[@]}" | sort -n | tail -1)
  if (( hi > 5 )); then
    : > "$out/Au$lo-$hi.xyz"
    for n in $(printf '%s\n' "${made[@]}" | sort -n); do cat "$out/Au$n.xyz" >> "$out/Au$lo-$hi.xyz"; done
    echo "Au$lo-$hi: $(grep -c Lattice "$out/Au$lo-$hi.xyz") configurations -> $out/Au$lo-$hi.xyz"
  fi
fi

# Short-range frames: one compressed nearest-neighbour pair per frame, EAM single points.
if (( short )) && (( ${#made[@]} > 0 )); then
  : > "$out/short.xyz"
  for n in $(printf '%s\n' "${made[@]}" | sort -n); do
    mkdir -p "$work/short$n"
    python3 "$here/gold_tools.py" short-range-input "$out/Au$n.xyz" --eam "$EAM" --dir "$work/short$n" \
      --count "$SHORT_FRAMES" --dmin 1.45 --dmax 1.9 --seed $(( SEED + 100 + n )) > "$work/in.short$n"
    run_lammps "in.short$n"
    for ((k = 0; k < SHORT_FRAMES; k++)); do cat "$work/short$n/short_$k.dump"; done > "$work/short$n.dump"
    python3 "$here/dump_to_extxyz.py" --element Au --tag short=1 "$work/short$n.dump" > "$out/Au${n}_short.xyz"
    cat "$out/Au${n}_short.xyz" >> "$out/short.xyz"
  done
  echo "short range: $(grep -c Lattice "$out/short.xyz") configurations -> $out/short.xyz (and AuN_short.xyz)"
fi

# Bulk fcc.
if (( bulk )); then
  IFS=',' read -ra cell_list <<< "$cells"
  k=0
  for natoms in "${cell_list[@]}"; do
    case "$natoms" in 32) rep=2 ;; 108) rep=3 ;; 256) rep=4 ;; *) echo "generate_data.sh: bulk cell $natoms not in 32,108,256" >&2; exit 2 ;; esac
    file="$out/bulk_fcc$natoms.xyz"; : > "$file"
    for variant in perfect vacancy strain+3 strain-3; do
      case "$variant" in
        strain+3) a=$(python3 -c "print(4.08*1.03)") ;;
        strain-3) a=$(python3 -c "print(4.08*0.97)") ;;
        *) a=4.08 ;;
      esac
      del=""; [[ "$variant" == vacancy ]] && del="group gone id 1
delete_atoms group gone compress yes"
      for T in $BULK_TEMPS; do
        k=$(( k + 1 ))
        name="bulk$natoms-$variant-$T"
        cat > "$work/in.$name" <<IN
units metal
atom_style atomic
boundary p p p
lattice fcc $a
region box block 0 $rep 0 $rep 0 $rep
create_box 1 box
create_atoms 1 box
$del
mass 1 196.96657
pair_style eam
pair_coeff 1 1 $EAM
neighbor 2.0 bin
velocity all create $(( 2 * T )) $(( SEED + 1000 + k )) mom yes rot no dist gaussian
fix 1 all nvt temp $T $T 0.1
timestep 0.002
compute pea all pe/atom
run 1000
dump 1 all custom $BULK_STRIDE $work/$name.dump id type x y z fx fy fz c_pea
dump_modify 1 sort id format float %.10f
run $(( BULK_FRAMES * BULK_STRIDE ))
IN
        run_lammps "in.$name"
        python3 "$here/dump_to_extxyz.py" --element Au --skip 1 --tag "variant=$variant" --tag "T=$T" \
          "$work/$name.dump" >> "$file"
      done
    done
    echo "bulk fcc $natoms: $(grep -c Lattice "$file") configurations -> $file"
  done
  : > "$out/bulk.xyz"
  for natoms in "${cell_list[@]}"; do cat "$out/bulk_fcc$natoms.xyz" >> "$out/bulk.xyz"; done
  echo "bulk: $(grep -c Lattice "$out/bulk.xyz") configurations -> $out/bulk.xyz"
fi
