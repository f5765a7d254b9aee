#!/usr/bin/env bash
# SiC end to end: reference data from LAMMPS (Tersoff SiC, generate_data.sh) -> nnswift train
# (energies + forces, the automatic symmetry-function grid, 2 x 25 tanh) -> held-out RMSE of the
# energy per atom, force components and stress (nnswift eval on the held-out file, which training
# never sees) -> a markdown report, WORK/report.md.
#
#   examples/sic/workflow.sh            # full: 4,350 training cells, EPOCHS=200
#   examples/sic/workflow.sh --quick    # 290 cells, EPOCHS=60 (about 2 minutes on 2 quiet cores)
#   WORK=/tmp/sic EPOCHS=100 examples/sic/workflow.sh --quick
#   REUSE_DATA=1 EPOCHS=40 examples/sic/workflow.sh   # keep WORK/data from an earlier run
#
# Needs Debian's LAMMPS (lmp, lammps-data) and the nnswift CLI (NNSWIFT, default build/bin/nnswift,
# else built by scripts/build.sh, the release build with the project's optimisation flags).
# Ends with the checks' tally "sic: N passed, M failed"; exit status 1 when a check failed.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
quick=0
for a in "$@"; do
  case "$a" in
    --quick) quick=1 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "workflow.sh: unknown argument $a (see --help)" >&2; exit 2 ;;
  esac
done
if (( quick )); then name=sic-quick; gen=(--quick); epochs="${EPOCHS:-60}"
else name=sic; gen=(); epochs="${EPOCHS:-200}"; fi
WORK="${WORK:-$repo/build/$name}"
mkdir -p "$WORK/data"
passed=0 failed=0
check() { # ok-flag message
  if [[ "$1" == 1 ]]; then echo "PASS $2"; passed=$((passed + 1)); else echo "FAIL $2"; failed=$((failed + 1)); fi
}
finish() { echo "sic: $passed passed, $failed failed"; (( failed == 0 )); exit $?; }
lt() { python3 -c "import sys; sys.exit(0 if float('$1') < float('$2') else 1)" && echo 1 || echo 0; }  # 1 if $1 < $2

NNSWIFT="${NNSWIFT:-}"
if [[ -z "$NNSWIFT" ]]; then
  [[ -x "$repo/build/bin/nnswift" ]] && NNSWIFT="$repo/build/bin/nnswift"
fi
if [[ -z "$NNSWIFT" ]]; then
  echo "building nnswift (scripts/build.sh) ..."
  bash "$repo/scripts/build.sh" >/dev/null || { check 0 "nnswift built"; finish; }
  NNSWIFT="$repo/build/bin/nnswift"
fi

# 1. Data.
t0=$SECONDS
train="$WORK/data/$name.xyz" held="$WORK/data/$name-heldout.xyz"
if [[ "${REUSE_DATA:-0}" == 1 && -s "$train" && -s "$held" ]]; then
  echo "reusing $train and $held (REUSE_DATA=1)"
elif ! OUT="$WORK/data" bash "$here/generate_data.sh" "${gen[@]}"; then
  check 0 "reference data generated"; finish
fi
t_data=$((SECONDS - t0))
python3 "$here/sic_tools.py" check-data "$train" "$held" > "$WORK/data-checks.txt"
data_ok=$?
cat "$WORK/data-checks.txt"
check $(( data_ok == 0 )) "data sanity ($(grep -c ^PASS "$WORK/data-checks.txt") checks passed)"

# 2. Training. Tersoff SiC interacts only within 3.0 A (Si-Si; Si-C 2.51, C-C 2.1 A), so a 3.4 A
# cutoff keeps the grid's resolution where the physics is; r_min 1.2 A is below the shortest
# distance in the liquid at 5000 K.
cat > "$WORK/train.json" <<JSON
{
  "data": "$train",
  "validationFraction": 0.1,
  "outlierSigma": null,
  "architecture": "25t-25t",
  "symmetryFunctions": {"grid": {"cutoff": 3.4, "rmin": 1.2, "radial": 8, "centred": 3, "angular": 3, "zetas": [1, 4]}},
  "optimizer": {"name": "adam", "learningRate": 0.01, "decay": 0.98},
  "batchSize": 8,
  "epochs": $epochs,
  "forceWeight": 0.1,
  "seed": 1,
  "output": "$WORK/model.json",
  "log": "$WORK/training.csv"
}
JSON
t0=$SECONDS
"$NNSWIFT" train "$WORK/train.json" --quiet > "$WORK/train.txt" 2>&1
train_rc=$?
t_train=$((SECONDS - t0))
tail -n 8 "$WORK/train.txt"
check $(( train_rc == 0 )) "nnswift train finished ($epochs epochs, ${t_train} s)"
[[ $train_rc == 0 && -f "$WORK/model.json" ]] || finish

# 3. Held-out errors (cells never used in training or validation).
"$NNSWIFT" eval "$WORK/model.json" "$held" -o "$WORK/heldout-predicted.xyz" --extrapolation ignore > "$WORK/eval.txt" 2>&1
eval_rc=$?
check $(( eval_rc == 0 )) "nnswift eval on the held-out file"
(( eval_rc == 0 )) || finish
e_rmse=$(sed -n 's/^energy per atom ([0-9]* structures): RMSE \([^ ]*\) eV.*/\1/p' "$WORK/eval.txt")
f_rmse=$(sed -n 's/^force components ([0-9]*): RMSE \([^ ]*\) eV.*/\1/p' "$WORK/eval.txt")
s_rmse=$(python3 "$here/sic_tools.py" stress-rmse "$WORK/heldout-predicted.xyz" "$held")
read -r e_base f_base <<< "$(python3 "$here/sic_tools.py" baseline "$train" "$held")"
e_mev=$(python3 -c "print(f'{1000 * $e_rmse:.2f}')"); f_mev=$(python3 -c "print(f'{1000 * $f_rmse:.1f}')")
s_gpa=$(python3 -c "print(f'{160.2176634 * $s_rmse:.2f}')")
echo "held out: E $e_mev meV/atom (mean-energy predictor $e_base), F $f_mev meV/A (zero-force predictor $f_base), stress $s_gpa GPa"
# Bounds for --quick (60 epochs on 290 cells; the issue's 5 meV/atom and 100 meV/A are for the
# full run): the model must beat the trivial predictors clearly -- energy per atom RMSE below a
# fifth of the mean-energy predictor's (~500 meV/atom: the strained, hot and liquid cells span
# 1.7 eV/atom) and below 100 meV/atom; force RMSE below 60 % of the zero-force predictor's
# (~3300 meV/A: 300-5000 K) and below 2000 meV/A. An untrained or broken pipeline fails both.
check "$(lt "$e_mev" "$(python3 -c "print(min(100, $e_base / 5))")")" "held-out energy RMSE $e_mev meV/atom < min(100, $e_base/5)"
check "$(lt "$f_mev" "$(python3 -c "print(min(2000, 0.6 * $f_base))")")" "held-out force RMSE $f_mev meV/A < min(2000, 0.6 x $f_base)"

# 4. Report.
ntrain=$(grep -c Lattice "$train"); nheld=$(grep -c Lattice "$held")
{
  echo "# SiC (Tersoff) with nnswift: $( ((quick)) && echo "quick run" || echo "full run")"
  echo
  echo "Reference: LAMMPS \`pair_style tersoff\`, \`$(basename "${POT:-SiC.tersoff}")\` (Debian lammps-data), data by"
  echo "\`examples/sic/generate_data.sh ${gen[*]}\` in ${t_data} s: $ntrain training cells, $nheld held-out cells"
  echo "(separate MD segments after new random velocities; never seen in training)."
  echo
  echo "Training: \`nnswift train $WORK/train.json\` ($epochs epochs, ${t_train} s): 25t-25t, automatic grid"
  echo "(cutoff 3.4 Å, r_min 1.2 Å, 8 shifted + 3 centred G2 per element, 3 widths × ζ {1, 4} × λ ±1 G5 per pair:"
  echo "$(python3 -c "print(2 * 11 + 3 * 12)") functions per element), Adam (lr 0.01, decay 0.98 per epoch, batch 8), energies + forces (force weight 0.1)."
  echo
  echo "| held-out RMSE | nnswift | trivial predictor |"
  echo "| --- | --- | --- |"
  echo "| energy per atom (meV/atom) | $e_mev | $e_base (training mean) |"
  echo "| force components (meV/Å) | $f_mev | $f_base (zero) |"
  echo "| stress components (GPa) | $s_gpa | — |"
  echo
  echo "Held-out RMSE per run type:"
  echo
  python3 "$here/sic_tools.py" per-variant "$WORK/heldout-predicted.xyz" "$held"
  echo
  echo "Training summary:"
  echo
  echo '```'
  grep -A2 "^set " "$WORK/train.txt"
  echo '```'
  echo
  echo "Training cells:"
  echo
  python3 "$here/sic_tools.py" summary "$train"
} > "$WORK/report.md"
echo "report: $WORK/report.md"
finish
