#!/usr/bin/env bash
# Silicon carbide reference data from a real reference potential: Debian's LAMMPS with Tersoff's
# SiC potential (/usr/share/lammps/potentials/SiC.tersoff, package lammps-data; J. Tersoff,
# Phys. Rev. B 39, 5566 (1989)), units metal (Angstrom, eV, eV/Angstrom).
#
# 3C-SiC (zincblende, a0 = 4.3212 Angstrom, the potential's own lattice constant from a box
# relaxation), periodic cells of 63-216 atoms, Nose-Hoover NVT (time step 0.5 fs; the thermostat
# acts on velocities only, so the dumped forces are the pure Tersoff forces), EQUIL steps of
# equilibration (2000 = 1 ps; 1000 with --quick), then FRAMES configurations STRIDE steps (80 =
# 40 fs) apart. Runs:
#   perfect (64 and 216 atoms), isotropic strain +5 %, -5 %, +2 % and -2 %, shear (xy tilt 5 %),
#   antisite (one Si <-> C swap), Si vacancy, C vacancy (63 atoms), a (001) slab of 96 atoms
#   with ~10 Angstrom of vacuum (Si- and C-terminated faces), each at 300, 1500 and 2500 K;
#   uniaxial strain +-2 % along x (C11/C12) at 300 and 1500 K; Si and C vacancies in the 216-atom
#   cell at 300 K; liquid (64 and 216 atoms, melted at 8000 K and sampled at 4500 K, just above
#   the potential's melting point, at its zero-pressure density of 15.22 Angstrom^3/atom, 1.5x
#   the crystal's volume; examples/sic/README.md; the 216-atom one with FRAMES/2), and with
#   FRAMES/4 each the 64-atom liquid compressed to the crystal density at 4500 and 8000 K and to
#   0.92 a0 (density x 1.28) at 4500 K: short contacts, so that a model's liquid has a repulsive
#   wall where the 4500 K liquid rarely goes.
# Held-out data: after the sampled segment each run draws new random velocities, runs 0.5 ps
# and writes HOLDOUT more configurations to a separate file (independent of the training frames
# by that decorrelation time; same physics, never used for training).
# Every configuration: energy (eV), forces (eV/Angstrom), stress (eV/Angstrom^3, ASE sign:
# stress = -virial/volume, from LAMMPS' virial pressure), Lattice, pbc; the info line carries
# variant=... T=... step=....
#
#   examples/sic/generate_data.sh            # full: 60 + 10 frames per run, 45 runs: 2,490 + 413 cells
#   examples/sic/generate_data.sh --quick    # 8 + 2 frames per run: 332 + 85 cells (< 1 min on a quiet machine)
#   FRAMES=50 HOLDOUT=5 SEED=7 OUT=/tmp/sic examples/sic/generate_data.sh
#
# Output (OUT, default examples/sic/data/): sic.xyz and sic-heldout.xyz (full), or
# sic-quick.xyz and sic-quick-heldout.xyz (--quick), cells in run order. The committed
# examples/sic/data/sample.xyz is the first frame of every --quick run (examples/sic/README.md).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${OUT:-$here/data}"
SEED="${SEED:-20261201}"
STRIDE="${STRIDE:-80}"
FRAMES="${FRAMES:-60}"
HOLDOUT="${HOLDOUT:-10}"
EQUIL="${EQUIL:-2000}"
name="sic"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) FRAMES="${FRAMES_QUICK:-8}"; HOLDOUT="${HOLDOUT_QUICK:-2}"; EQUIL="${EQUIL_QUICK:-1000}"; name="sic-quick" ;;
    --frames) FRAMES="$2"; shift ;;
    -h|--help) sed -n '2,34p' "$0"; exit 0 ;;
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
POT="${POT:-/usr/share/lammps/potentials/SiC.tersoff}"
[[ -f "$POT" ]] || { echo "missing $POT: apt-get install -y lammps-data" >&2; exit 1; }
mkdir -p "$out"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT

A0=4.3212   # Angstrom; LAMMPS box/relax of 3C-SiC with SiC.tersoff gives 4.32117
# The liquid's box: 8 atoms per a^3 at 15.22 Angstrom^3/atom, Tersoff's zero-pressure liquid at
# 4500 K (NPT, 216 atoms; examples/sic/README.md; validate.py's LIQUID_VOLUME).
LIQUID_A=4.956

# Geometry of one variant: LAMMPS commands after "units/atom_style/boundary".
geometry() { # variant
  local a=$A0 rep=2 z="0 2" extra=""
  case "$1" in
    perfect216) rep=3 ;;
    liquid|liquid216|liquid-pairs) a=$LIQUID_A; [[ "$1" == liquid216 ]] && rep=3 ;;
    vacancy-Si216|vacancy-C216) rep=3 ;;
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
    antisite) echo "set atom 1 type 2"; echo "set atom 5 type 1" ;;   # atom 1 is Si, atom 5 is C
    vacancy-Si|vacancy-Si216) echo "group gone id 1"; echo "delete_atoms group gone compress yes" ;;
    vacancy-C|vacancy-C216) echo "group gone id 5"; echo "delete_atoms group gone compress yes" ;;
    # Uniaxial strain along x (the strain of C11 and C12; the isotropic strains above fix only
    # C11 + 2 C12).
    uniaxial[+-][0-9]) echo "change_box all x scale $(python3 -c "print(1 + ${1#uniaxial} / 100)") remap units box" ;;
  esac
}

runs=()
for v in perfect perfect216 strain+5 strain-5 strain+2 strain-2 shear antisite vacancy-Si vacancy-C surface; do
  for T in 300 1500 2500; do runs+=("$v $T"); done
done
# Uniaxial +-2 % at 300 and 1500 K, and vacancies in the 216-atom cell (the validation's vacancy
# cell) at 300 K: the elastic constant C12 and the vacancy formation energies are small differences of
# large energies, so they get data close to their own configurations.
for v in uniaxial+2 uniaxial-2; do runs+=("$v 300" "$v 1500"); done
runs+=("vacancy-Si216 300" "vacancy-C216 300")
# Liquids (third field: fewer frames, FRAMES / it, so that their large forces do not swamp the
# crystal): 4500 K at the liquid's own zero-pressure density (just above melting; README), and
# for the short contacts that keep a model's liquid from collapsing, the liquid compressed to the
# crystal density (~40 GPa) at 4500 and 8000 K and to 0.92 a0 (density x 1.28) at 4500 K.
runs+=("liquid 4500" "liquid216 4500 2" "liquid-compressed 4500 4" "liquid-compressed 8000 4" "liquid-dense 4500 4" "liquid-pairs 4500 4")

# LAMMPS commands that write N frames, STRIDE steps apart, to PREFIX.dump and PREFIX.values
# (step, energy, virial pressure).
tersoff_cell() { # variant: the LAMMPS lines of a run's cell with Tersoff's SiC (both inputs use it)
  printf 'units metal\natom_style atomic\nboundary p p p\n'
  geometry "$1"
  printf 'mass 1 28.0855\nmass 2 12.011\npair_style tersoff\npair_coeff * * %s Si C\n' "$POT"
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
  read -r variant T div <<< "$r"
  div=${div:-1}; frames=$(( FRAMES / div > 0 ? FRAMES / div : 1 )); holdout=$(( HOLDOUT / div > 0 ? HOLDOUT / div : 1 ))
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
$(tersoff_cell "$variant")
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
    # The liquid's frames with one pair pushed closer (close_pairs.py), recomputed by Tersoff.
    for seg in "$run" "$run.held"; do
      python3 "$here/close_pairs.py" "$work/$seg.dump" "$work/$seg.moved.dump" --seed $(( SEED + k ))
      cat > "$work/in.$seg.rerun" <<IN
$(tersoff_cell "$variant")
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
  python3 "$here/lammps_to_extxyz.py" --skip 1 --tag "variant=$variant" --tag "T=$T" \
    "$work/$run.dump" "$work/$run.values" >> "$file"
  python3 "$here/lammps_to_extxyz.py" --skip 1 --tag "variant=$variant" --tag "T=$T" \
    "$work/$run.held.dump" "$work/$run.held.values" >> "$held"
done
echo "SiC: $(grep -c Lattice "$file") configurations, ${#runs[@]} runs -> $file"
echo "SiC held out: $(grep -c Lattice "$held") configurations -> $held"
