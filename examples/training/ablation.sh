#!/usr/bin/env bash
# The paper's ablation (Sec. 4, Fig. 4): static vs trainable symmetry-function parameters.
#
# Same data, seed, split, initial weights and initial functions; the only difference between
# the two runs of a pair is "trainSymmetryFunctions". Two function sets:
#   radial-only      the paper's 24 (8 G1, 8 G2, 8 G3; preset radial24)
#   radial+angular   12 G2 + 24 G5 (preset radial-angular)
# Writes ablation/<set>-<mode>.{json,csv,out,…}, ablation/ablation-{energy,forces}.svg (the
# four learning curves, validation solid / training dashed) and ablation/ablation.md (the table).
#
#   examples/training/ablation.sh            # default: Au5, 1000 epochs (~3.5 min on 2 cores)
#   examples/training/ablation.sh --long     # 4000 epochs (~15 min)
#   options: --epochs N, --data au5|au2-5, --seed S (split, initial weights, batch order), --sf-lr F (learning-rate factor of the function
#            parameters), --out DIR; NNSWIFT=path/to/nnswift to skip the build
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
epochs=1000 data=au5 sflr=1 seed=1 out="$here/ablation"
while [ $# -gt 0 ]; do
    case "$1" in
        --long) epochs=4000 ;;
        --epochs) epochs=$2; shift ;;
        --data) data=$2; shift ;;
        --sf-lr) sflr=$2; shift ;;
        --seed) seed=$2; shift ;;
        --out) out=$2; shift ;;
        -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
    shift
done
case "$data" in
    au5) files='["'$root'/examples/gold/data/Au5.xyz"]' ;;
    au2-5) files='["'$root'/examples/gold/data/Au2.xyz", "'$root'/examples/gold/data/Au3.xyz", "'$root'/examples/gold/data/Au4.xyz", "'$root'/examples/gold/data/Au5.xyz"]' ;;
    *) echo "--data must be au5 or au2-5" >&2; exit 2 ;;
esac
if [ -z "${NNSWIFT:-}" ]; then
    bash "$root/scripts/build.sh" >/dev/null
    NNSWIFT="$root/build/bin/nnswift"
fi
mkdir -p "$out"
start=$(date +%s)
curves=()
for set in radial24 radial-angular; do
    label=$([ $set = radial24 ] && echo radial-only || echo radial+angular)
    for mode in static trainable; do
        name="$set-$mode"
        train=$([ $mode = trainable ] && echo true || echo false)
        cat > "$out/$name.json" <<JSON
{
  "data": $files,
  "validationFraction": 0.1,
  "outlierSigma": 2,
  "architecture": "30t-30t",
  "symmetryFunctions": {"preset": "$set", "cutoff": 6.0, "rmin": 2.0},
  "scaling": "scalesigma",
  "optimizer": {"name": "adam", "learningRate": 0.002, "decay": 0.999},
  "batchSize": 16,
  "epochs": $epochs,
  "forceWeight": 0.1,
  "seed": $seed,
  "trainSymmetryFunctions": $train,
  "symmetryFunctionLearningRate": $sflr,
  "output": "$name-model.json",
  "log": "$name.csv"
}
JSON
        echo "== $label, $mode symmetry-function parameters ($epochs epochs, $data, seed $seed)"
        "$NNSWIFT" train "$out/$name.json" --quiet > "$out/$name.out"
        grep -E "^(training|validation) |parameters; " "$out/$name.out" || true
        curves+=("$label $mode=$out/$name.csv")
    done
done
"$NNSWIFT" learning-curves "${curves[@]}" -o "$out/ablation" --table "$out/ablation.md" \
    --title "Static vs trainable symmetry functions ($data, seed $seed)" --length-unit Å
echo "total $(( $(date +%s) - start )) s; table: $out/ablation.md; curves: $out/ablation-energy.svg, $out/ablation-forces.svg"
