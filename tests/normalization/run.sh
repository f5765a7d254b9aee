#!/usr/bin/env bash
# A model trained with energy normalization (n2p2's mean_energy/conv_energy/conv_length) through
# the independent evaluation paths: nnswift eval (CLI), the C API (examples/c/water_energy.c)
# and the n2p2-format export read back. Trains a small Au3 model (30 epochs, n2p2
# normalization, with forces) from the committed data, then compares energies and forces of
# one periodic Au3 frame: eval vs C API bit-identical; n2p2 export vs native within 1e-12
# relative; the export's input.nn carries the normalization keys.
# Last line: "N passed, M failed".
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
work=$(mktemp -d /tmp/nnswift-normalization.XXXXXX)
trap 'rm -rf "$work"' EXIT
prefix=${BUILD_PREFIX:-$root/build}
source "$root/tests/stage-tally.sh"

bash scripts/build.sh "$prefix" >"$work/build.out" 2>&1 || { tail -20 "$work/build.out"; fail "scripts/build.sh"; finish; }
nn=$prefix/bin/nnswift
cc -O2 -I "$prefix/include" examples/c/water_energy.c -o "$work/energy_c" -L "$prefix/lib" -Wl,-rpath,"$prefix/lib" -lnnswift \
  && pass "compile the C example" || { fail "compile the C example"; finish; }

cat >"$work/train.json" <<JSON
{
  "data": ["$root/examples/gold/data/Au3.xyz"],
  "architecture": "8t-8t",
  "symmetryFunctions": {"preset": "radial-angular", "cutoff": 6.0, "rmin": 2.0},
  "energyNormalization": "n2p2",
  "selection": "final",
  "optimizer": {"name": "adam", "learningRate": 0.003},
  "batchSize": 16, "epochs": 30, "forceWeight": 0.1, "seed": 3,
  "output": "model.json", "log": null, "learningCurves": null, "parityPlots": null
}
JSON
if "$nn" train "$work/train.json" --quiet >"$work/train.out" 2>&1; then pass "nnswift train with energyNormalization n2p2"
else fail "nnswift train"; tail -20 "$work/train.out"; finish; fi
grep -q "^energy normalization n2p2" "$work/train.out" && pass "train reports the normalization" || fail "train does not report the normalization"
"$nn" info "$work/model.json" >"$work/info.out" 2>&1
grep -q "^normalization: mean_energy" "$work/info.out" && pass "the saved model carries the normalization" \
  || fail "no normalization in the saved model"; grep normalization "$work/info.out" | sed 's/^/    /'

# The first Au3 frame as plain XYZ ("Au x y z", its lattice on the comment line: periodic).
python3 - examples/gold/data/Au3.xyz "$work/frame.xyz" <<'PY'
import re, sys
lines = open(sys.argv[1]).read().splitlines()
n = int(lines[0])
lattice = re.search(r'Lattice="[^"]*"', lines[1]).group(0)
atoms = [" ".join(l.split()[:4]) for l in lines[2:2 + n]]
open(sys.argv[2], "w").write("\n".join([str(n), lattice + ' pbc="T T T"'] + atoms) + "\n")
PY
"$nn" eval "$work/model.json" "$work/frame.xyz" -o "$work/native.xyz" >"$work/eval.out" 2>&1 \
  && pass "nnswift eval (native model)" || { fail "nnswift eval"; cat "$work/eval.out"; finish; }
"$work/energy_c" "$work/model.json" "$work/frame.xyz" >"$work/c.out" 2>&1 \
  && pass "C API (native model)" || { fail "C API"; cat "$work/c.out"; finish; }
python3 tests/bindings/compare.py "$work/native.xyz" example "$work/c.out" \
  && pass "C API = nnswift eval (bit-identical)" || fail "C API differs from nnswift eval"

"$nn" convert "$work/model.json" "$work/n2p2" --to n2p2 >"$work/convert.out" 2>&1 \
  && pass "export to n2p2" || { fail "export to n2p2"; cat "$work/convert.out"; finish; }
for k in mean_energy conv_energy conv_length; do
  grep -q "^$k " "$work/n2p2/input.nn" && pass "input.nn has $k" || fail "input.nn lacks $k"
done
"$work/energy_c" "$work/n2p2" "$work/frame.xyz" >"$work/c-n2p2.out" 2>&1 \
  && pass "C API (n2p2 export)" || { fail "C API on the n2p2 export"; cat "$work/c-n2p2.out"; finish; }
python3 tests/bindings/compare.py "$work/native.xyz" example "$work/c-n2p2.out" --rtol 1e-12 \
  && pass "n2p2 export = native model (1e-12 relative)" || fail "n2p2 export differs from the native model"
finish
