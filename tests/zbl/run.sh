#!/usr/bin/env bash
# The ZBL pair baseline against independent paths (the `zbl` stage of scripts/test.sh):
# 1. trains a tiny Si/C model with `"pairBaseline": {"type": "zbl", "inner": 1.0, "outer": 2.6}`
#    (3 epochs on examples/sic/data/sample.xyz, no validation split) and checks that the training
#    RMSEs it reports (log CSV) are those of `nnswift eval` of the saved model against the data;
# 2. a random triclinic Si/C cell with contacts from 0.7 Å (below inner, in the switching region
#    and beyond outer): nnswift with the baseline minus nnswift without it equals Debian LAMMPS's
#    own `pair_style zbl 1.0 2.6` (energy, forces, virial; ~1e-10 relative);
# 3. lammps-plugin/build/debian/lmp_nnswift (built when missing): `pair_style nnswift` with the model
#    WITH baseline equals `pair_style hybrid/overlay nnswift ... zbl 1.0 2.6` with the model
#    WITHOUT it (energy, per-atom energies, forces, virial), 1 and 2 MPI ranks;
# 4. the n2p2 export warns and writes README-pair-baseline.txt with the LAMMPS lines.
# Last line: "N passed, M failed".
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
work=$(mktemp -d /tmp/nnswift-zbl.XXXXXX)
trap 'rm -rf "$work"' EXIT
prefix=${BUILD_PREFIX:-$root/build}
source "$root/tests/stage-tally.sh"

bash scripts/build.sh "$prefix" >"$work/build.out" 2>&1 || { tail -20 "$work/build.out"; fail "scripts/build.sh"; finish; }
nn=$prefix/bin/nnswift

cat >"$work/train.json" <<JSON
{
  "data": ["$root/examples/sic/data/sample.xyz"],
  "validationFraction": 0,
  "outlierSigma": null,
  "architecture": "6t-6t",
  "symmetryFunctions": {"grid": {"cutoff": 3.0, "rmin": 1.0, "radial": 6, "centred": 2, "angular": 2, "zetas": [1, 4]}},
  "atomEnergies": {"Si": 0, "C": 0},
  "pairBaseline": {"type": "zbl", "inner": 1.0, "outer": 2.6},
  "optimizer": {"name": "adam", "learningRate": 0.003},
  "selection": "final",
  "batchSize": 8, "epochs": 3, "forceWeight": 0.1, "seed": 1,
  "output": "model.json", "log": "train.csv", "learningCurves": null, "parityPlots": null
}
JSON
if "$nn" train "$work/train.json" --quiet >"$work/train.out" 2>&1; then pass "nnswift train with a pair baseline"
else fail "nnswift train"; tail -20 "$work/train.out"; finish; fi
grep -q "^pair baseline: zbl, inner 1, outer 2.6" "$work/train.out" && pass "train reports the baseline" \
  || { fail "train does not report the baseline"; grep -i baseline "$work/train.out"; }
"$nn" info "$work/model.json" | grep -q "^pair baseline: zbl, inner 1.0 angstrom, outer 2.6 angstrom" \
  && pass "the saved model carries the baseline" || fail "no baseline in the saved model"
"$nn" eval "$work/model.json" examples/sic/data/sample.xyz -o "$work/pred.xyz" >"$work/eval.out" 2>&1 \
  && pass "nnswift eval of the saved model" || { fail "nnswift eval"; cat "$work/eval.out"; finish; }

# Model without the baseline (the same networks).
python3 - "$work/model.json" "$work/plain.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
del m["model"]["pairBaseline"]
json.dump(m, open(sys.argv[2], "w"), indent=1)
PY

python3 tests/zbl/check.py training "$work/train.csv" examples/sic/data/sample.xyz "$work/pred.xyz" \
  && pass "reported training RMSEs = RMSEs of nnswift eval of the saved model (networks + baseline)" \
  || fail "reported RMSEs differ from nnswift eval of the saved model"

# A random triclinic Si/C cell with short contacts, as extended XYZ and LAMMPS data.
python3 tests/zbl/check.py structure "$work/cell.xyz" "$work/cell.data"
"$nn" eval "$work/model.json" "$work/cell.xyz" -o "$work/with.xyz" >/dev/null 2>&1 \
  && "$nn" eval "$work/plain.json" "$work/cell.xyz" -o "$work/without.xyz" >/dev/null 2>&1 \
  && pass "nnswift eval with and without the baseline" || { fail "nnswift eval of the random cell"; finish; }

lammps_input() {  # pair lines...
  cat <<LMP
units metal
atom_style atomic
boundary p p p
atom_modify map array
read_data $work/cell.data
mass 1 28.0855
mass 2 12.011
$(printf '%s\n' "$@")
compute vir all pressure NULL virial
compute peatom all pe/atom
thermo_style custom step pe vol c_vir[1] c_vir[2] c_vir[3] c_vir[4] c_vir[5] c_vir[6]
thermo_modify format float %.17g
dump d all custom 1 $work/dump.out id type fx fy fz c_peatom
dump_modify d format float %.17g sort id
run 0
LMP
}
run_lammps() {  # name exe ranks pair-lines...
  local name=$1 exe=$2 ranks=$3; shift 3
  lammps_input "$@" >"$work/$name.in"
  local launch=()
  [ "$ranks" -gt 1 ] && launch=(mpirun --allow-run-as-root --oversubscribe -np "$ranks")
  (cd "$work" && "${launch[@]}" "$exe" -in "$name.in" -log "$name.log" -screen none) >"$work/$name.out" 2>&1 \
    && mv "$work/dump.out" "$work/$name.dump"
}
zbl=("pair_style zbl 1.0 2.6" "pair_coeff 1 1 14 14" "pair_coeff 1 2 14 6" "pair_coeff 2 2 6 6")
if run_lammps zbl lmp 1 "${zbl[@]}"; then
  python3 tests/zbl/check.py lammps "$work/with.xyz" "$work/without.xyz" "$work/zbl.log" "$work/zbl.dump" \
    && pass "nnswift with - without baseline = LAMMPS pair_style zbl (energy, forces, virial)" \
    || fail "nnswift baseline differs from LAMMPS pair_style zbl"
else fail "LAMMPS pair_style zbl run"; tail -5 "$work/zbl.log"; fi

plugin=$root/lammps-plugin/build/debian/lmp_nnswift
[ -x "$plugin" ] || bash lammps-plugin/build.sh --debian-only >"$work/plugin-build.out" 2>&1 || tail -5 "$work/plugin-build.out"
if [ -x "$plugin" ]; then
  for ranks in 1 2; do
    hyb=("pair_style hybrid/overlay nnswift zbl 1.0 2.6" "pair_coeff * * nnswift $work/plain.json Si C"
         "pair_coeff 1 1 zbl 14 14" "pair_coeff 1 2 zbl 14 6" "pair_coeff 2 2 zbl 6 6")
    if run_lammps "own$ranks" "$plugin" "$ranks" "pair_style nnswift" "pair_coeff * * $work/model.json Si C" \
       && run_lammps "hybrid$ranks" "$plugin" "$ranks" "${hyb[@]}"; then
      python3 tests/zbl/check.py same "$work/own$ranks.log" "$work/own$ranks.dump" "$work/hybrid$ranks.log" "$work/hybrid$ranks.dump" \
        && pass "pair_style nnswift (model with baseline) = hybrid/overlay nnswift (without) + zbl, $ranks rank(s)" \
        || fail "pair_style nnswift with baseline differs from hybrid/overlay + zbl, $ranks rank(s)"
    else fail "lmp_nnswift runs, $ranks rank(s)"; tail -5 "$work/own$ranks.log" "$work/hybrid$ranks.log"; fi
  done
else
  fail "lammps-plugin/build.sh --debian-only did not build $plugin"
fi

"$nn" convert "$work/model.json" "$work/n2p2" --to n2p2 >"$work/convert.out" 2>"$work/convert.err" \
  && grep -q "warning: the model's ZBL pair baseline is NOT in the n2p2 files" "$work/convert.err" \
  && grep -q "pair_style hybrid/overlay hdnnp 3.0 dir $work/n2p2 .* zbl 1.0 2.6" "$work/n2p2/README-pair-baseline.txt" \
  && grep -q "pair_coeff 1 2 zbl 6 14" "$work/n2p2/README-pair-baseline.txt" \
  && pass "n2p2 export: warning on stderr and README-pair-baseline.txt with the LAMMPS lines" \
  || { fail "n2p2 export of a model with a baseline"; cat "$work/convert.err"; }
"$nn" info "$work/n2p2" >"$work/info-n2p2.out" 2>&1 && ! grep -q "pair baseline" "$work/info-n2p2.out" \
  && pass "the n2p2 directory reads back without the baseline" || fail "n2p2 directory read back"
finish
