#!/usr/bin/env bash
# The paper's Table 2 with nnswift's default energy-only recipe beside aenet 2.0.4.
#
# Nine cells: architectures 15t-15t, 30t-30t, 40t-20t-20t-10t on the committed Au3, Au4, Au5
# sets (examples/gold/data, 2-sigma outlier rule), 36 functions (preset radial-angular, cutoff
# 6 Å), energy-only loss, the same validation structures as the aenet runs (split seed 1).
# Each cell is trained with several seeds (initial weights); the validation set chooses
# nothing: the model is the one after the last epoch (selection "final"). The recipe is
# examples/training/table2.json (see docs/training.md, "Default recipe").
# Prints train/validation MSE of the total energy (eV²) per cell: median over the seeds and
# the spread (min–max), with aenet's validation MSE beside them, and whether nnswift is at or
# below aenet. Writes <out>/table2.md and <out>/table2.csv (one line per run).
#
#   examples/training/table2.sh             # 3 seeds, 3000 epochs (measured: 43 min in three parallel streams on 2 cores at load 14-18)
#   examples/training/table2.sh --quick     # 1 seed, 100 epochs, Au3 only (6 s; smoke test)
#   examples/training/table2.sh --table-only --out DIR   # only the table, from DIR/table2.csv
#   options: --seeds "1 2 3", --epochs N, --out DIR, --arch "A …", --data "3 4 5";
#            NNSWIFT=path/to/nnswift to skip the build
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
seeds="1 2 3" epochs="" out="$here/out/table2" archs="15t-15t 30t-30t 40t-20t-20t-10t" sizes="3 4 5" tableonly=0
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) seeds=1; epochs=100; sizes=3 ;;
        --seeds) seeds=$2; shift ;;
        --epochs) epochs=$2; shift ;;
        --out) out=$2; shift ;;
        --arch) archs=$2; shift ;;
        --data) sizes=$2; shift ;;
        --table-only) tableonly=1 ;;
        -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
        *) echo "table2.sh: unknown option $1" >&2; exit 2 ;;
    esac
    shift
done
if [ "$tableonly" = 0 ] && [ -z "${NNSWIFT:-}" ]; then
    bash "$root/scripts/build.sh" >/dev/null
    NNSWIFT="$root/build/bin/nnswift"
fi
mkdir -p "$out"; out=$(cd "$out" && pwd)
csv="$out/table2.csv"
start=$(date +%s)
[ "$tableonly" = 1 ] || echo "data,architecture,seed,epochs,train_mse,validation_mse,seconds" > "$csv"
[ "$tableonly" = 1 ] || for n in $sizes; do
    for arch in $archs; do
        for seed in $seeds; do
            name="au$n-$arch-s$seed"
            # The recipe with this cell's data, architecture and seed.
            python3 - "$here/table2.json" "$out/$name.json" "$root/examples/gold/data/Au$n.xyz" "$arch" "$seed" "$name" "$epochs" <<'PY'
import json, sys
src, dst, data, arch, seed, name, epochs = sys.argv[1:8]
cfg = json.load(open(src))
cfg.update(data=[data], architecture=arch, seed=int(seed), output=name + "-model.json", log=name + ".csv",
           learningCurves=None, parityPlots=None)
if epochs:
    cfg["epochs"] = int(epochs)
json.dump(cfg, open(dst, "w"), indent=1)
PY
            t0=$(date +%s)
            "$NNSWIFT" train "$out/$name.json" --quiet > "$out/$name.out"
            # Last line of the log = the kept (final) model; MSE of the total energy = (N · RMSE per atom)².
            tail -1 "$out/$name.csv" | awk -F, -v n="$n" -v a="$arch" -v s="$seed" -v t="$(( $(date +%s) - t0 ))" \
                '{ printf "Au%d,%s,%s,%d,%.6e,%.6e,%s\n", n, a, s, $1, ($3 * n) ^ 2, ($6 * n) ^ 2, t }' >> "$csv"
            tail -1 "$csv" | awk -F, '{ printf "%-4s %-16s seed %-3s %5d epochs  train %.3e  validation %.3e eV²  (%d s)\n", $1, $2, $3, $4, $5, $6, $7 }'
        done
    done
done
python3 - "$csv" "$out/table2.md" <<'PY'
import csv, statistics, sys
aenet = {("15t-15t", 3): 4.10e-5, ("15t-15t", 4): 4.85e-4, ("15t-15t", 5): 2.04e-5,
         ("30t-30t", 3): 1.54e-4, ("30t-30t", 4): 9.81e-4, ("30t-30t", 5): 2.20e-4,
         ("40t-20t-20t-10t", 3): 1.68e-4, ("40t-20t-20t-10t", 4): 9.31e-4, ("40t-20t-20t-10t", 5): 6.65e-4}
rows = list(csv.DictReader(open(sys.argv[1])))
cells = {}
for r in rows:
    cells.setdefault((r["architecture"], int(r["data"][2:])), []).append(r)
archs = list(dict.fromkeys(r["architecture"] for r in rows))
sizes = sorted(set(n for _, n in cells))
f = lambda x: f"{x:.2e}"
lines = ["| architecture | | " + " | ".join(f"Au{n} train | Au{n} validation" for n in sizes) + " |",
         "| --- | --- |" + " --- | --- |" * len(sizes)]
wins = total = 0
for a in archs:
    med, spread, ref = [], [], []
    for n in sizes:
        runs = cells.get((a, n), [])
        if not runs:
            med += ["–", "–"]; spread += ["", ""]; ref += ["", f(aenet[(a, n)])]
            continue
        tr = [float(r["train_mse"]) for r in runs]; va = [float(r["validation_mse"]) for r in runs]
        mv = statistics.median(va)
        ok = mv <= aenet[(a, n)]
        wins += ok; total += 1
        med += [f(statistics.median(tr)), f(mv) + (" ✓" if ok else " ✗")]
        spread += [f"{f(min(tr))}–{f(max(tr))}", f"{f(min(va))}–{f(max(va))}"]
        ref += ["", f(aenet[(a, n)])]
    seeds = len(cells.get((a, sizes[0]), []))
    lines.append(f"| {a} | nnswift, median of {seeds} | " + " | ".join(med) + " |")
    lines.append(f"| | nnswift, min–max | " + " | ".join(spread) + " |")
    lines.append(f"| | aenet 2.0.4 | " + " | ".join(ref) + " |")
lines += ["", f"MSE of the total energy (eV²), model after the last epoch. nnswift at or below aenet (✓) in {wins} of {total} cells."]
open(sys.argv[2], "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
echo "total $(( $(date +%s) - start )) s; table: $out/table2.md; runs: $csv"
