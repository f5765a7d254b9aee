#!/usr/bin/env bash
# Kalman filter vs Adam vs L-BFGS on the same data, architecture, split and seed (docs/training.md,
# "Kalman filter"). Every run uses one thread (--threads 1), so CPU time compares the methods.
#
#   gold: Au3 and Au4 (examples/gold/data), energy only, the examples/training/table2.json recipe
#         (15t-15t, radial-angular, scaling "scale", normalization "range", selection "final");
#         L-BFGS as in the recipe (lr 0.5, memory 50, 1000 epochs), Adam as in issue 11
#         (lr 0.002, decay 0.997, batch 16, 2000 epochs), Kalman with n2p2's defaults and the
#         fading-memory Kalman filter (100 epochs each).
#   sic:  SiC --quick data with forces (examples/sic/generate_data.sh --quick into $OUT/sic-data),
#         examples/sic/training-quick.json (25t-25t, force weight 0.1); Adam as there (60 epochs),
#         L-BFGS (lr 0.5, memory 50, 60 epochs), Kalman (n2p2 defaults, forceFraction 0.02, 15
#         epochs; fading memory, 8 epochs).
#
#   examples/training/kalman-compare.sh [gold] [sic]     (default both; OUT=/tmp/kalman-compare)
#   NNSWIFT=path/to/nnswift to skip the build.
# Prints per run: epochs, CPU s, final train/validation RMSE, and the validation RMSE each run
# had reached at the Kalman run's CPU time (cumulative epoch times scaled to the run's CPU time).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
OUT="${OUT:-/tmp/kalman-compare}"
parts=("$@"); [[ ${#parts[@]} -gt 0 ]] || parts=(gold sic)
mkdir -p "$OUT"
if [[ -z "${NNSWIFT:-}" ]]; then
  (cd "$root" && swift build -c release --product nnswift >/dev/null)
  NNSWIFT="$root/.build/release/nnswift"
fi

# run NAME BASECONFIG DATA JSON-OVERRIDES: writes $OUT/NAME.{json,csv,time}
run() {
  local name=$1 base=$2 data=$3 over=$4
  python3 - "$base" "$OUT/$name.json" "$data" "$name" "$over" <<'PY'
import json, sys
base, dst, data, name, over = sys.argv[1:]
c = json.load(open(base))
c.update(data=[data], output=name + "-model.json", log=name + ".csv", learningCurves=None, parityPlots=None)
c.update(json.loads(over))
json.dump(c, open(dst, "w"), indent=1)
PY
  /usr/bin/time -f "%U %S" -o "$OUT/$name.time" "$NNSWIFT" train "$OUT/$name.json" --threads 1 --quiet > "$OUT/$name.txt" 2>&1
}

summary() {
  python3 - "$OUT" "$@" <<'PY'
import csv, sys
out, names = sys.argv[1], sys.argv[2:]
rows = {}
for n in names:
    with open(f"{out}/{n}.csv") as f: r = list(csv.DictReader(f))
    u, s = map(float, open(f"{out}/{n}.time").read().split()[-2:])
    wall = [float(x["seconds"]) for x in r]
    cum, t = [], 0.0
    for w in wall: t += w; cum.append(t)
    scale = (u + s) / max(cum[-1], 1e-9)
    rows[n] = (r, [c * scale for c in cum], u + s)
kal = [n for n in names if "kalman" in n]
tk = rows[kal[0]][2] if kal else None
print(f"| run | epochs | CPU s | train E RMSE | val E RMSE | val F RMSE | val E RMSE at {tk:.0f} CPU s |" if tk else "| run | epochs | CPU s | train E | val E | val F |")
print("| --- | --- | --- | --- | --- | --- | --- |")
for n in names:
    r, cpu, total = rows[n]
    last = r[-1]
    at = ""
    if tk:
        k = max([i for i in range(len(r)) if cpu[i] <= tk] or [0])
        at = f"{1000 * float(r[k]['validation_energy_rmse_per_atom']):.2f} (epoch {r[k]['epoch']})"
    print(f"| {n} | {last['epoch']} | {total:.1f} | {1000 * float(last['train_energy_rmse_per_atom']):.2f} | "
          f"{1000 * float(last['validation_energy_rmse_per_atom']):.2f} | {1000 * float(last['validation_force_rmse']):.0f} | {at} |")
print("(energies meV/atom, forces meV/Å)")
PY
}

# Fading-memory filter with RuNNer's λ and ν (n2p2's example values 0.96 / 0.9995 diverge here).
fm='{"name": "kalman", "kalman_type": 1, "kalman_lambda_short": 0.98, "kalman_nue_short": 0.9987}'
for part in "${parts[@]}"; do
  case "$part" in
    gold)
      for n in 3 4; do
        d="$root/examples/gold/data/Au$n.xyz" b="$here/table2.json"
        run "au$n-lbfgs" "$b" "$d" '{"optimizer": {"name": "lbfgs", "learningRate": 0.5, "memory": 50}, "epochs": 1000}'
        run "au$n-adam" "$b" "$d" '{"optimizer": {"name": "adam", "learningRate": 0.002, "decay": 0.997}, "batchSize": 16, "epochs": 2000}'
        run "au$n-kalman" "$b" "$d" '{"optimizer": {"name": "kalman"}, "epochs": 100}'
        run "au$n-kalman-fm" "$b" "$d" "{\"optimizer\": $fm, \"epochs\": 100}"
        echo "Au$n, energy only, 15t-15t:"; summary "au$n-kalman" "au$n-kalman-fm" "au$n-adam" "au$n-lbfgs"
      done ;;
    sic)
      data="$OUT/sic-data/sic-quick.xyz"
      [[ -s "$data" ]] || OUT="$OUT/sic-data" bash "$root/examples/sic/generate_data.sh" --quick
      b="$root/examples/sic/training-quick.json"
      run sic-adam "$b" "$data" '{}'
      run sic-lbfgs "$b" "$data" '{"optimizer": {"name": "lbfgs", "learningRate": 0.5, "memory": 50}}'
      run sic-kalman "$b" "$data" '{"optimizer": {"name": "kalman"}, "forceFraction": 0.02, "epochs": 15}'
      run sic-kalman-fm "$b" "$data" "{\"optimizer\": $fm, \"forceFraction\": 0.02, \"epochs\": 8}"
      echo "SiC --quick, energies and forces, 25t-25t:"; summary sic-kalman sic-kalman-fm sic-adam sic-lbfgs ;;
    *) echo "kalman-compare.sh: unknown part $part (gold, sic)" >&2; exit 2 ;;
  esac
done
