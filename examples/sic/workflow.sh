#!/usr/bin/env bash
# A binary zincblende compound end to end, the system from a system file (--system; default
# examples/sic/system.json, SiC with Tersoff's potential; examples/gan/workflow.sh passes
# examples/gan/system.json, GaN with Stillinger-Weber): reference data from LAMMPS
# (generate_data.sh) -> nnswift train (energies + forces, the automatic symmetry-function grid;
# settings in the system folder's training-full.json or training-quick.json) -> held-out RMSE of
# the energy per atom, force components and stress (nnswift eval on the held-out file, which
# training never sees) -> n2p2 export, loaded back with identical predictions -> physical
# properties in LAMMPS, nnswift vs the reference in the same LAMMPS (validate.py; SiC's Tersoff
# values also checked against ASE's independent Tersoff, check_reference.py) -> parity plots and
# g(r) (PNG) -> a markdown report, WORK/report.md.
#
#   examples/sic/workflow.sh            # full: 2,490 training cells, training-full.json
#   examples/sic/workflow.sh --quick    # 332 cells, training-quick.json (a few minutes on 2 quiet cores)
#   WORK=/tmp/sic EPOCHS=100 examples/sic/workflow.sh --quick
#   REUSE_DATA=1 EPOCHS=40 examples/sic/workflow.sh   # keep WORK/data from an earlier run
#   TRAINING=my-settings.json examples/sic/workflow.sh # other training settings (data, output
#                                                      # and log paths are filled in)
#   REUSE_MODEL=1 examples/sic/workflow.sh             # keep WORK/model.json, redo the rest
#   examples/sic/workflow.sh --system examples/gan/system.json   # = examples/gan/workflow.sh
#
# Needs Debian's LAMMPS (lmp, lammps-data), the nnswift CLI (NNSWIFT, default build/bin/nnswift,
# else built by scripts/build.sh, the release build with the project's optimisation flags), the
# LAMMPS driver with pair_style nnswift (LMP_NNSWIFT, default
# lammps-plugin/build/debian/lmp_nnswift, built by lammps-plugin/build.sh --debian-only from
# build/lib/libnnswift.so of scripts/build.sh when missing) and the venv's numpy, ase, matplotlib
# (PYTHON, default .venv/bin/python from scripts/install-python-env.sh).
# Ends with the checks' tally "NAME: N passed, M failed" (NAME the system's name, e.g. sic);
# exit status 1 when a check failed.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
quick=0
SYSTEM="$here/system.json"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) quick=1 ;;
    --system) SYSTEM="$2"; shift ;;
    -h|--help) sed -n '2,29p' "$0"; exit 0 ;;
    *) echo "workflow.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
[[ -f "$SYSTEM" ]] || { echo "workflow.sh: system file $SYSTEM not found" >&2; exit 2; }
SYSTEM="$(cd "$(dirname "$SYSTEM")" && pwd)/$(basename "$SYSTEM")"
system_dir="$(dirname "$SYSTEM")"
fields="$(python3 "$here/system_fields.py" "$SYSTEM" shell)" || { echo "workflow.sh: bad system file $SYSTEM" >&2; exit 2; }
eval "$fields"
if (( quick )); then name=$NAME-quick; gen=(--quick); settings="${TRAINING:-$system_dir/training-quick.json}"
else name=$NAME; gen=(); settings="${TRAINING:-$system_dir/training-full.json}"; fi
WORK="${WORK:-$repo/build/$name}"
mkdir -p "$WORK/data"
WORK="$(cd "$WORK" && pwd)"   # absolute: the training config written into WORK names the data by path
passed=0 failed=0
check() { # ok-flag message
  if [[ "$1" == 1 ]]; then echo "PASS $2"; passed=$((passed + 1)); else echo "FAIL $2"; failed=$((failed + 1)); fi
}
finish() { echo "$NAME: $passed passed, $failed failed"; (( failed == 0 )); exit $?; }
PY="${PYTHON:-}"
if [[ -z "$PY" ]]; then
  [[ -x "$repo/.venv/bin/python" ]] || bash "$repo/scripts/install-python-env.sh" >/dev/null
  PY="$repo/.venv/bin/python"
fi
LMP_NNSWIFT="${LMP_NNSWIFT:-$repo/lammps-plugin/build/debian/lmp_nnswift}"
lt() { "$PY" -c "import sys; sys.exit(0 if float('$1') < float('$2') else 1)" && echo 1 || echo 0; }  # 1 if $1 < $2

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
elif ! OUT="$WORK/data" bash "$here/generate_data.sh" --system "$SYSTEM" "${gen[@]}"; then
  check 0 "reference data generated"; finish
fi
t_data=$((SECONDS - t0))
"$PY" "$here/sic_tools.py" check-data "$EL1,$EL2" "$train" "$held" > "$WORK/data-checks.txt"
data_ok=$?
cat "$WORK/data-checks.txt"
check $(( data_ok == 0 )) "data sanity ($(grep -c ^PASS "$WORK/data-checks.txt") checks passed)"

# 2. Training: the settings file plus this run's paths (and EPOCHS, when set). The settings'
# cutoffs are the reference's own ranges (SiC: Tersoff's 3.0 A; GaN: Stillinger-Weber's pair
# cutoffs), so that the functions see what the reference's energy depends on and nothing else
# (the system's README says why).
[[ -f "$settings" ]] || { echo "workflow.sh: training settings $settings not found" >&2; check 0 "training settings"; finish; }
"$PY" - "$settings" "$train" "$WORK" "${EPOCHS:-}" > "$WORK/train.json" <<'PYEOF' || { check 0 "training config from $settings"; finish; }
import json, sys
settings, data, work, epochs = sys.argv[1:]
c = json.load(open(settings))
c.update(data=data, output=f"{work}/model.json", log=f"{work}/training.csv")
c.setdefault("checkpoint", f"{work}/checkpoint.json")  # best model so far beside it, if stopped early
if epochs:
    c["epochs"] = int(epochs)
print(json.dumps(c, indent=1))
PYEOF
epochs=$("$PY" -c "import json; print(json.load(open('$WORK/train.json')).get('epochs', 100))")
t0=$SECONDS
if [[ "${REUSE_MODEL:-0}" == 1 && -s "$WORK/model.json" ]]; then
  echo "reusing $WORK/model.json (REUSE_MODEL=1)"; train_rc=0
else
  "$NNSWIFT" train "$WORK/train.json" --quiet > "$WORK/train.txt" 2>&1
  train_rc=$?
fi
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
s_rmse=$("$PY" "$here/sic_tools.py" stress-rmse "$WORK/heldout-predicted.xyz" "$held")
read -r e_base f_base <<< "$("$PY" "$here/sic_tools.py" baseline "$train" "$held")"
e_mev=$("$PY" -c "print(f'{1000 * $e_rmse:.2f}')"); f_mev=$("$PY" -c "print(f'{1000 * $f_rmse:.1f}')")
s_gpa=$("$PY" -c "print(f'{160.2176634 * $s_rmse:.2f}')")
echo "held out: E $e_mev meV/atom (mean-energy predictor $e_base), F $f_mev meV/A (zero-force predictor $f_base), stress $s_gpa GPa"
if (( quick )); then
  # Bounds for --quick (60 epochs on ~330 cells; the issue's 5 meV/atom and 100 meV/A are for the
  # full run): the model must beat the trivial predictors clearly -- energy per atom RMSE below a
  # fifth of the mean-energy predictor's (SiC ~540, GaN ~440 meV/atom: the strained, hot and
  # liquid cells span 1.7-2.4 eV/atom) and below 100 meV/atom; force RMSE below 60 % of the
  # zero-force predictor's (SiC ~3100, GaN ~1900 meV/A: 300-8000 K) and below 2000 meV/A. An
  # untrained or broken pipeline fails both.
  check "$(lt "$e_mev" "$("$PY" -c "print(min(100, $e_base / 5))")")" "held-out energy RMSE $e_mev meV/atom < min(100, $e_base/5)"
  check "$(lt "$f_mev" "$("$PY" -c "print(min(2000, 0.6 * $f_base))")")" "held-out force RMSE $f_mev meV/A < min(2000, 0.6 x $f_base)"
fi

# 4. Export to n2p2 and back: the n2p2 directory, loaded by nnswift (declared units: the model's
# Angstrom and eV), must predict the held-out file exactly as the JSON model does.
rm -rf "$WORK/n2p2"
"$NNSWIFT" convert "$WORK/model.json" "$WORK/n2p2" --to n2p2 > "$WORK/convert.txt" 2>&1
conv_rc=$?
check $(( conv_rc == 0 )) "nnswift convert model.json -> n2p2 directory ($(ls "$WORK/n2p2" 2>/dev/null | tr '\n' ' '))"
if (( conv_rc == 0 )); then
  "$NNSWIFT" eval "$WORK/n2p2" "$held" --length-unit angstrom --energy-unit eV -o "$WORK/heldout-predicted-n2p2.xyz" \
    --extrapolation ignore > "$WORK/eval-n2p2.txt" 2>&1
  # n2p2 has no ZBL: a model with a pair baseline is exported as its networks only (with the
  # LAMMPS lines that add the baseline back in README-pair-baseline.txt), so the export is
  # compared with the JSON model's networks alone.
  networks="$WORK/heldout-predicted.xyz" what="the same predictions"
  if grep -q '"pairBaseline"' "$WORK/model.json"; then
    "$PY" -c "import json, sys; m = json.load(open(sys.argv[1])); del m['model']['pairBaseline']; json.dump(m, open(sys.argv[2], 'w'))" \
      "$WORK/model.json" "$WORK/model-networks.json"
    "$NNSWIFT" eval "$WORK/model-networks.json" "$held" -o "$WORK/heldout-predicted-networks.xyz" --extrapolation ignore > /dev/null 2>&1
    networks="$WORK/heldout-predicted-networks.xyz" what="the networks' predictions (no ZBL in n2p2; README-pair-baseline.txt $( [[ -s "$WORK/n2p2/README-pair-baseline.txt" ]] && echo written || echo MISSING))"
    [[ -s "$WORK/n2p2/README-pair-baseline.txt" ]] || check 0 "README-pair-baseline.txt in the n2p2 export"
  fi
  diff_line=$("$PY" "$here/sic_tools.py" compare "$networks" "$WORK/heldout-predicted-n2p2.xyz")
  check $(( $? == 0 )) "n2p2 export loads back with $what: $diff_line"
fi

# 5. Physical properties in LAMMPS: nnswift vs the reference in the same executable.
if [[ ! -x "$LMP_NNSWIFT" ]]; then
  echo "building the LAMMPS driver (lammps-plugin/build.sh --debian-only) ..."
  [[ -f "$repo/build/lib/libnnswift.so" ]] || bash "$repo/scripts/build.sh" > "$WORK/build.txt" 2>&1
  bash "$repo/lammps-plugin/build.sh" --debian-only >> "$WORK/build.txt" 2>&1
fi
if [[ ! -x "$LMP_NNSWIFT" ]]; then
  check 0 "LAMMPS driver $LMP_NNSWIFT (see $WORK/build.txt)"; finish
fi
t0=$SECONDS
validate_args=(--lmp "$LMP_NNSWIFT" --model "$WORK/model.json" --out "$WORK/validation" --system "$SYSTEM")
(( quick )) && validate_args+=(--quick)
"$PY" "$here/validate.py" "${validate_args[@]}" > "$WORK/validation.txt" 2>&1
val_rc=$?
t_val=$((SECONDS - t0))
cat "$WORK/validation.txt"
check $(( val_rc == 0 )) "validate.py: properties of both potentials in LAMMPS (${t_val} s)"
(( val_rc == 0 )) || finish
if [[ -n "$REF_CHECK" ]]; then
  "$PY" "$here/$REF_CHECK" "$WORK/validation/properties.json" > "$WORK/reference-checks.txt" 2>&1
  ref_rc=$?
  cat "$WORK/reference-checks.txt"
  check $(( ref_rc == 0 )) "$REF_NAME reference values checked independently ($REF_CHECK: $(grep -c ^PASS "$WORK/reference-checks.txt") checks passed)"
fi
"$PY" "$here/validate.py" --check "$WORK/validation/properties.json" --system "$SYSTEM" $( ((quick)) && echo --quick ) > "$WORK/model-checks.txt" 2>&1
model_rc=$?
cat "$WORK/model-checks.txt"
check $(( model_rc == 0 )) "nnswift model's properties within the $( ((quick)) && echo "quick run's loose" || echo "issue's") bounds ($(grep -c ^PASS "$WORK/model-checks.txt") passed, $(grep -c ^FAIL "$WORK/model-checks.txt") failed)"

# 6. Plots.
"$PY" "$here/plots.py" "$WORK/heldout-predicted.xyz" "$held" "$WORK/heldout-parity" > /dev/null 2>&1
check $(( $? == 0 )) "parity plots $WORK/heldout-parity-{energy,forces}.png"

# 7. Report.
ntrain=$(grep -c Lattice "$train"); nheld=$(grep -c Lattice "$held")
{
  echo "# $TITLE with nnswift: $( ((quick)) && echo "quick run" || echo "full run")"
  echo
  echo "Reference: LAMMPS \`pair_style $REF_PAIR_STYLE\`, \`$(basename "${POT:-$REF_POTENTIAL}")\` (Debian lammps-data; $REF_CITATION), data by"
  echo "\`examples/sic/generate_data.sh --system $(basename "$system_dir")/system.json ${gen[*]}\` in ${t_data} s: $ntrain training cells, $nheld held-out cells"
  echo "(separate MD segments after new random velocities; never seen in training)."
  echo
  echo "Training: \`nnswift train\` with $(basename "$settings") ($epochs epochs, ${t_train} s):"
  echo
  echo '```json'
  cat "$settings"
  echo '```'
  echo
  echo "| held-out RMSE | nnswift | trivial predictor |"
  echo "| --- | --- | --- |"
  echo "| energy per atom (meV/atom) | $e_mev | $e_base (training mean) |"
  echo "| force components (meV/Å) | $f_mev | $f_base (zero) |"
  echo "| stress components (GPa) | $s_gpa | — |"
  echo
  echo "Physical properties in LAMMPS ($(basename "$LMP_NNSWIFT"), ${t_val} s; definitions in examples/sic/validate.py):"
  echo
  cat "$WORK/validation/properties.md"
  echo
  echo "Plots: heldout-parity-energy.png, heldout-parity-forces.png, validation/rdf.png."
  echo
  echo "Held-out RMSE per run type:"
  echo
  "$PY" "$here/sic_tools.py" per-variant "$WORK/heldout-predicted.xyz" "$held"
  echo
  echo "Training summary:"
  echo
  echo '```'
  grep -A2 "^set " "$WORK/train.txt"
  echo '```'
  echo
  echo "Training cells:"
  echo
  "$PY" "$here/sic_tools.py" summary "$train"
} > "$WORK/report.md"
echo "report: $WORK/report.md"
finish
