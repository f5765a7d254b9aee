#!/usr/bin/env bash
# Reference data of a binary zincblende compound from a real reference potential in Debian's
# LAMMPS (units metal: Angstrom, eV, eV/Angstrom). The system -- elements, masses, the LAMMPS pair
# style and parameter file, the crystal's lattice constant, temperatures, the liquid's state point
# and runs -- comes from a system file (SYSTEM or --system; default examples/sic/system.json:
# SiC with Tersoff's potential; examples/gan/system.json: GaN with Stillinger-Weber).
#
# Zincblende (element 1 on the fcc sites, element 2 a quarter diagonal away; a0 = the system's
# "a0", the potential's own lattice constant from a box relaxation), periodic cells of 63-216
# atoms, Nose-Hoover NVT (time step 0.5 fs; the thermostat acts on velocities only, so the dumped
# forces are the pure reference forces), EQUIL steps of equilibration (2000 = 1 ps; 1000 with
# --quick), then FRAMES configurations STRIDE steps (80 = 40 fs) apart. Runs:
#   perfect (64 and 216 atoms), isotropic strain +5 %, -5 %, +2 % and -2 %, shear (xy tilt 5 %),
#   antisite (one swap of the two elements), a vacancy of each element (63 atoms; variants
#   vacancy-<element>), a (001) slab of 96 atoms with ~10 Angstrom of vacuum (one face of each
#   element), each at the system's "crystalTemperatures"; uniaxial strain +-2 % along x
#   (C11/C12) at the first two temperatures; both vacancies in the 216-atom cell at the first;
#   the liquid runs of the system file ("variant T [divisor [multiplier]]": FRAMES x multiplier /
#   divisor training and HOLDOUT / divisor held-out frames; melted at 8000 K first): liquid and
#   liquid216 (64 and 216 atoms at the liquid's "volume" per atom), liquid-compressed (the
#   crystal's density), liquid-dense (0.92 a0, density x 1.28: short contacts, so that a model's
#   liquid has a repulsive wall where the liquid MD rarely goes) and liquid-pairs (the liquid
#   with one pair per frame pushed below its shortest contacts, close_pairs.py with the system's
#   "closePairDistances", recomputed by the reference).
# Held-out data: after the sampled segment each run draws new random velocities, runs 0.5 ps
# and writes HOLDOUT more configurations to a separate file (independent of the training frames
# by that decorrelation time; same physics, never used for training).
# Every configuration: energy (eV), forces (eV/Angstrom), stress (eV/Angstrom^3, ASE sign:
# stress = -virial/volume, from LAMMPS' virial pressure), Lattice, pbc; the info line carries
# variant=... T=... step=....
#
#   examples/sic/generate_data.sh            # SiC full: 60 + 10 frames per run, 45 runs: 2,490 + 413 cells
#   examples/sic/generate_data.sh --quick    # 8 + 2 frames per run: 332 + 85 cells (< 1 min on a quiet machine)
#   examples/gan/generate_data.sh            # GaN: the same with --system examples/gan/system.json
#   FRAMES=50 HOLDOUT=5 SEED=7 OUT=/tmp/sic examples/sic/generate_data.sh
#
# Output (OUT, default the system file's folder/data/): NAME.xyz and NAME-heldout.xyz (full), or
# NAME-quick.xyz and NAME-quick-heldout.xyz (--quick), NAME the system's "name", cells in run
# order. The committed data/sample.xyz of each system is the first frame of every --quick run.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
SYSTEM="${SYSTEM:-$here/system.json}"
SEED="${SEED:-20261201}"
STRIDE="${STRIDE:-80}"
FRAMES="${FRAMES:-60}"
HOLDOUT="${HOLDOUT:-10}"
EQUIL="${EQUIL:-2000}"
quick=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) FRAMES="${FRAMES_QUICK:-8}"; HOLDOUT="${HOLDOUT_QUICK:-2}"; EQUIL="${EQUIL_QUICK:-1000}"; quick=1 ;;
    --frames) FRAMES="$2"; shift ;;
    --system) SYSTEM="$2"; shift ;;
    -h|--help) sed -n '2,39p' "$0"; exit 0 ;;
    *) echo "generate_data.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
[[ "$FRAMES" =~ ^[1-9][0-9]*$ ]] || { echo "generate_data.sh: FRAMES must be a positive integer, got '$FRAMES'" >&2; exit 2; }
[[ "$HOLDOUT" =~ ^[1-9][0-9]*$ && "$EQUIL" =~ ^[0-9]+$ ]] || { echo "generate_data.sh: HOLDOUT must be >= 1 and EQUIL >= 0 (integers)" >&2; exit 2; }
[[ "$STRIDE" =~ ^[1-9][0-9]*$ ]] || { echo "generate_data.sh: STRIDE must be a positive integer, got '$STRIDE'" >&2; exit 2; }

LMP="${LMP:-}"
if [[ -z "$LMP" ]]; then
  for b in lmp lmp_serial lmp_stable; do command -v "$b" >/dev/null && { LMP="$b"; break; }; done
fi
[[ -n "$LMP" ]] || { echo "LAMMPS not found: apt-get install -y lammps lammps-data" >&2; exit 1; }
[[ -f "$SYSTEM" ]] || { echo "generate_data.sh: system file $SYSTEM not found" >&2; exit 2; }
# The system file's values as shell words (system_fields.py checks them).
fields="$(python3 "$here/system_fields.py" "$SYSTEM" shell)" || { echo "generate_data.sh: bad system file $SYSTEM" >&2; exit 2; }
eval "$fields"
POT="${POT:-$REF_POTENTIAL}"
[[ -f "$POT" ]] || { echo "missing $POT: apt-get install -y lammps-data" >&2; exit 1; }
(( quick )) && name="$NAME-quick" || name="$NAME"
out="${OUT:-$(dirname "$SYSTEM")/data}"
mkdir -p "$out"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT

# Geometry of one variant: LAMMPS commands after "units/atom_style/boundary".
geometry() { # variant
  local a=$A0 rep=2 z="0 2" extra=""
  case "$1" in
    perfect216) rep=3 ;;
    liquid|liquid216|liquid-pairs) a=$LIQUID_A; [[ "$1" == liquid216 ]] && rep=3 ;;
    "vacancy-${EL1}216"|"vacancy-${EL2}216") rep=3 ;;
    strain[+-][0-9]) a=$(python3 -c "print($A0 * (1 + ${1#strain} / 100))") ;;
    liquid-dense) a=$(python3 -c "print($A0 * 0.92)") ;;   # density x 1.28: short contacts
  esac
  if [[ "$1" == surface ]]; then z="0 3"; fi
  echo "lattice diamond $a"
  if [[ "$1" == shear ]]; then
    echo "region box prism 0 $rep 0 $rep 0 $rep $(python3 -c "print(0.05 * $rep)") 0 0"
  elif [[ "$1" == surface ]]; then
    # 3 conventional cells thick, 10 Angstrom of vacuum along z: (001) faces.
    echo "region box block 0 $rep 0 $rep 0 $(python3 -c "print(3 + 10 / $A0)")"
    extra="region slab"
  else
    echo "region box block 0 $rep 0 $rep 0 $rep"
  fi
  echo "create_box 2 box"
  if [[ -n "$extra" ]]; then
    echo "region slab block EDGE EDGE EDGE EDGE 0 2.99"
    echo "create_atoms 1 region slab basis 5 2 basis 6 2 basis 7 2 basis 8 2"
  else
    echo "create_atoms 1 box basis 5 2 basis 6 2 basis 7 2 basis 8 2"
  fi
  case "$1" in
    antisite) echo "set atom 1 type 2"; echo "set atom 5 type 1" ;;   # atom 1 is element 1, atom 5 element 2
    "vacancy-$EL1"|"vacancy-${EL1}216") echo "group gone id 1"; echo "delete_atoms group gone compress yes" ;;
    "vacancy-$EL2"|"vacancy-${EL2}216") echo "group gone id 5"; echo "delete_atoms group gone compress yes" ;;
    # Uniaxial strain along x (the strain of C11 and C12; the isotropic strains above fix only
    # C11 + 2 C12).
    uniaxial[+-][0-9]) echo "change_box all x scale $(python3 -c "print(1 + ${1#uniaxial} / 100)") remap units box" ;;
  esac
}

runs=()
read -r -a temps <<< "$CRYSTAL_TEMPERATURES"
for v in perfect perfect216 strain+5 strain-5 strain+2 strain-2 shear antisite "vacancy-$EL1" "vacancy-$EL2" surface; do
  for T in "${temps[@]}"; do runs+=("$v $T"); done
done
# Uniaxial +-2 % at the first two temperatures, and vacancies in the 216-atom cell (the
# validation's vacancy cell) at the first: the elastic constant C12 and the vacancy formation energies are small differences of
# large energies, so they get data close to their own configurations.
for v in uniaxial+2 uniaxial-2; do runs+=("$v ${temps[0]}" "$v ${temps[1]:-${temps[0]}}"); done
runs+=("vacancy-${EL1}216 ${temps[0]}" "vacancy-${EL2}216 ${temps[0]}")
# The system's liquid runs ("variant T [divisor [multiplier]]": FRAMES x multiplier / divisor
# training frames, so that their large forces do not swamp the crystal or, where the liquid is
# the hard part, more of them; HOLDOUT / divisor held-out frames either way).
while IFS= read -r r; do [[ -n "$r" ]] && runs+=("$r"); done <<< "$LIQUID_RUNS"

# LAMMPS commands that write N frames, STRIDE steps apart, to PREFIX.dump and PREFIX.values
# (step, energy, virial pressure).
reference_cell() { # variant: the LAMMPS lines of a run's cell with the reference potential (both inputs use it)
  printf 'units metal\natom_style atomic\nboundary p p p\n'
  geometry "$1"
  printf 'mass 1 %s\nmass 2 %s\npair_style %s\npair_coeff * * %s %s %s\n' "$MASS1" "$MASS2" "$REF_PAIR_STYLE" "$POT" "$EL1" "$EL2"
}

sample() { # prefix frames
  local values="c_thermo_pe c_vir[1] c_vir[2] c_vir[3] c_vir[4] c_vir[5] c_vir[6]"
  echo "fix out all ave/time $STRIDE 1 $STRIDE $values file $1.values format \" %.15g\""
  echo "dump 1 all custom $STRIDE $1.dump id type x y z fx fy fz"
  echo "dump_modify 1 sort id format float %.10f"
  echo "run $(( $2 * STRIDE ))"
  echo "undump 1"
  echo "unfix out"
}

file="$out/$name.xyz"; : > "$file"
held="$out/$name-heldout.xyz"; : > "$held"
k=0
for r in "${runs[@]}"; do
  read -r variant T div mult <<< "$r"
  div=${div:-1}; mult=${mult:-1}
  frames=$(( FRAMES * mult / div > 0 ? FRAMES * mult / div : 1 )); holdout=$(( HOLDOUT / div > 0 ? HOLDOUT / div : 1 ))
  k=$(( k + 1 ))
  run="run$k"
  if [[ "$variant" == liquid* ]]; then
    # Melt at 8000 K (2 ps), then equilibrate at T.
    prep="velocity all create 16000 $(( SEED + k )) mom yes rot no dist gaussian
fix 1 all nvt temp 8000 8000 0.05
run $(( 2 * EQUIL ))
unfix 1
fix 1 all nvt temp $T $T 0.05
run $EQUIL"
  else
    prep="velocity all create $(( 2 * T )) $(( SEED + k )) mom yes rot no dist gaussian
fix 1 all nvt temp $T $T 0.05
run $EQUIL"
  fi
  cat > "$work/in.$run" <<IN
$(reference_cell "$variant")
neighbor 1.0 bin
timestep 0.0005
$prep
reset_timestep 0
compute vir all pressure NULL virial
thermo 1000
$(sample "$work/$run" "$frames")
# Held-out segment: new random velocities, 0.5 ps to decorrelate, then HOLDOUT frames.
velocity all create $T $(( SEED + 5000 + k )) mom yes rot no dist gaussian
run 1000
reset_timestep 0
$(sample "$work/$run.held" "$holdout")
IN
  if ! (cd "$work" && "$LMP" -in "in.$run" -log "log.$run" -screen none); then
    tail -20 "$work/log.$run" >&2; echo "generate_data.sh: LAMMPS failed on $variant at $T K" >&2; exit 1
  fi
  if [[ "$variant" == liquid-pairs ]]; then
    # The liquid's frames with one pair pushed closer (close_pairs.py), recomputed by the reference.
    for seg in "$run" "$run.held"; do
      python3 "$here/close_pairs.py" "$work/$seg.dump" "$work/$seg.moved.dump" --seed $(( SEED + k )) --distances "$CLOSE_PAIR_DISTANCES"
      cat > "$work/in.$seg.rerun" <<IN
$(reference_cell "$variant")
compute vir all pressure NULL virial
fix out all ave/time $STRIDE 1 $STRIDE c_thermo_pe c_vir[1] c_vir[2] c_vir[3] c_vir[4] c_vir[5] c_vir[6] file $work/$seg.values format " %.15g"
dump 1 all custom $STRIDE $work/$seg.dump id type x y z fx fy fz
dump_modify 1 sort id format float %.10f
rerun $work/$seg.moved.dump dump x y z box no
IN
      (cd "$work" && "$LMP" -in "in.$seg.rerun" -log "log.$seg.rerun" -screen none) || {
        tail -20 "$work/log.$seg.rerun" >&2; echo "generate_data.sh: LAMMPS rerun failed on $variant" >&2; exit 1; }
    done
  fi
  # Frame 0 is the end of the equilibration (the fix writes from step STRIDE on).
  python3 "$here/lammps_to_extxyz.py" --skip 1 --tag "variant=$variant" --tag "T=$T" --types "$EL1,$EL2" \
    "$work/$run.dump" "$work/$run.values" >> "$file"
  python3 "$here/lammps_to_extxyz.py" --skip 1 --tag "variant=$variant" --tag "T=$T" --types "$EL1,$EL2" \
    "$work/$run.held.dump" "$work/$run.held.values" >> "$held"
done
echo "$NAME: $(grep -c Lattice "$file") configurations, ${#runs[@]} runs -> $file"
echo "$NAME held out: $(grep -c Lattice "$held") configurations -> $held"
