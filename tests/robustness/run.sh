#!/usr/bin/env bash
# Robustness suite (docs/robustness.md): the committed corpus of broken and extreme model files,
# extreme geometries, extreme and seeded random inputs of nnswift_neighbor_list_*, and seeded random
# mutations of the shipped models, each through the C API in a child process with a time limit
# (tests/robustness/driver.c); corrupt structure files through `nnswift eval`; seeded mutations
# of training configs (tests/robustness/mutate_config.py) through `nnswift train`. Fails on any
# crash (signal), hang, status OK with a non-finite result, error without a message, or refused
# config whose error does not name the mutated key. Last line: "robustness: N passed, M failed".
#   ROBUSTNESS_MUTATIONS  mutations per source model (default 600)
#   ROBUSTNESS_SEED       seed of the mutations and random neighbor-list cases (default 20261201)
#   ROBUSTNESS_LISTS      random nnswift_neighbor_list_* cases (default 300)
#   ROBUSTNESS_CONFIGS    mutated training configs through `nnswift train` (default 150)
#   BUILD_PREFIX          install tree (default build/, made by scripts/build.sh when missing)
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
here=tests/robustness
prefix=${BUILD_PREFIX:-$root/build}
mutations=${ROBUSTNESS_MUTATIONS:-600}
lists=${ROBUSTNESS_LISTS:-300}
seed=${ROBUSTNESS_SEED:-20261201}
timeout_s=5
config_mutations=${ROBUSTNESS_CONFIGS:-150}
train_timeout_s=30
work=$(mktemp -d /tmp/nnswift-robustness.XXXXXX)
trap 'rm -rf "$work"' EXIT
start=$(date +%s)

if [ ! -e "$prefix/lib/libnnswift.so" ] || [ ! -x "$prefix/bin/nnswift" ]; then
  bash scripts/build.sh "$prefix" >"$work/build.out" 2>&1 || { cat "$work/build.out"; echo "robustness: 0 passed, 1 failed (build)"; exit 1; }
fi
cc -O1 -std=c11 -D_DEFAULT_SOURCE -o "$work/robust_driver" "$here/driver.c" -I "$prefix/include" \
  -L "$prefix/lib" -Wl,-rpath,"$prefix/lib" -lnnswift -lm || { echo "robustness: 0 passed, 1 failed (driver build)"; exit 1; }

# ---- case list: corpus, extreme geometries, mutations ----
list=$work/cases.txt
: >"$list"
for f in "$here"/corpus/models/json/*.json; do echo "model $f" >>"$list"; done
for d in "$here"/corpus/models/n2p2/*/; do echo "model ${d%/}" >>"$list"; done
sources=("$here/corpus/models/json/good-small.json" "$here/corpus/models/json/good-zbl.json" "$here/corpus/models/n2p2/good-small")
water="$root/../shared/conformance/n2p2-H2O_RPBE-D3"
geometry_models=("${sources[@]}")
if [ -f "$water/input.nn" ]; then
  echo "model $water" >>"$list"
  sources+=("$water")
  geometry_models+=("$water")
  if "$prefix/bin/nnswift" convert "$water" "$work/water.json" --to json >/dev/null 2>&1; then
    sources+=("$work/water.json")
  fi
else
  echo "robustness: ../shared water potential absent; mutating the corpus models only"
fi
for m in "${geometry_models[@]}"; do
  for k in $(seq 0 15); do echo "geometry $k $m" >>"$list"; done
  for k in $(seq 0 7); do echo "neighbors $k $m" >>"$list"; done
done
# nnswift_neighbor_list_*: seeded random counts, radii and positions (driver cases k >= 100)
for i in $(seq 0 $((lists - 1))); do echo "neighbors $((100 + (seed % 1000) * 1000 + i)) ${sources[0]}" >>"$list"; done
python3 "$here/mutate.py" "$seed" "$mutations" "$work/mutations" "${sources[@]}" >>"$list"

# ---- C API: two shards in parallel, each case in a forked child ----
total=$(wc -l <"$list")
split -n l/2 "$list" "$work/shard."
for s in "$work"/shard.*; do "$work/robust_driver" "$s" "$timeout_s" >"$s.out" 2>"$s.err" & done
wait
api_pass=0 api_fail=0 refused=0
for s in "$work"/shard.??; do
  grep '^FAIL' "$s.out"
  line=$(tail -1 "$s.out")
  p=$(sed -n 's/^robust_driver: \([0-9]*\) passed.*/\1/p' <<<"$line")
  [ -n "$p" ] || { echo "robust_driver did not finish on $s: $line"; p=0; }
  r=$(sed -n 's/.*passed (\([0-9]*\) models refused.*/\1/p' <<<"$line")
  api_pass=$((api_pass + p)) refused=$((refused + ${r:-0}))
done
api_fail=$((total - api_pass))
crashes=$(cat "$work"/shard.??.out | grep -c '^FAIL crash' || true)
hangs=$(cat "$work"/shard.??.out | grep -c '^FAIL hang' || true)
nonfinite=$(cat "$work"/shard.??.out | grep -c '^FAIL nonfinite' || true)
echo "C API: $total cases ($mutations mutations of each of ${#sources[@]} models): $api_pass passed ($refused models refused at load, the rest computed); crashes $crashes, hangs $hangs, status OK with non-finite output $nonfinite, other $((api_fail - crashes - hangs - nonfinite))"

# ---- CLI: corrupt structure files through `nnswift eval` (crashes and hangs only) ----
python3 - "$work/structures" "$here/corpus/structures" <<'PY'
import os, random, shutil, sys
out, corpus = sys.argv[1], sys.argv[2]
shutil.copytree(corpus, out)
rng = random.Random(7)
tokens = ["nan", "inf", "1e308", "-1e308", "1e21", "0", "-1", "2147483647", "9223372036854775807", "x", "", "1e-320"]
for src in ("ok-water.xyz", "ok-water.data", "ok-water.lmp"):
    text = open(os.path.join(corpus, src)).read()
    for k in range(60):
        t = text
        for _ in range(rng.randint(1, 3)):
            r = rng.random()
            if r < 0.2:
                t = t[: rng.randrange(len(t) + 1)]
            elif r < 0.4 and t:
                i = rng.randrange(len(t)); t = t[:i] + chr(rng.randrange(32, 127)) + t[i + 1:]
            else:
                parts = t.split(" "); i = rng.randrange(len(parts)); parts[i] = rng.choice(tokens); t = " ".join(parts)
        open(os.path.join(out, f"m{k}-{src}"), "w").write(t)
PY
cli_pass=0 cli_fail=0
model="$here/corpus/models/json/good-small.json"
for f in "$work"/structures/*; do
  timeout -s KILL 10 "$prefix/bin/nnswift" eval "$model" "$f" >/dev/null 2>&1
  rc=$?
  if [ "$rc" -ge 124 ]; then cli_fail=$((cli_fail + 1)); echo "FAIL nnswift eval $f: exit $rc"; else cli_pass=$((cli_pass + 1)); fi
done
echo "CLI: $((cli_pass + cli_fail)) corrupt structure files: $cli_pass without crash or hang, $cli_fail crashed or hung"

# ---- CLI: mutated training configs through `nnswift train` (exit 0, or 1 with an error naming the key) ----
head -60 examples/gold/data/Au3.xyz >"$work/au3.xyz"
python3 "$here/mutate_config.py" "$seed" "$config_mutations" "$work/configs" "$work/au3.xyz" >"$work/configs.txt"
train_case() {   # config path, expected text; prints nothing or one FAIL line
  local cfg=$1 key=$2 rc
  (cd "$(dirname "$cfg")" && timeout -s KILL "$train_timeout_s" "$prefix/bin/nnswift" train train.json --quiet >out.txt 2>err.txt)
  rc=$?
  if [ "$rc" -ge 124 ]; then echo "FAIL train $cfg ($key): exit $rc (crash or hang)"
  elif [ "$rc" -eq 1 ] && ! grep -q '^nnswift: error: ' "$(dirname "$cfg")/err.txt"; then echo "FAIL train $cfg ($key): no error message"
  elif [ "$rc" -eq 1 ] && ! grep -qF -- "$key" "$(dirname "$cfg")/err.txt"; then
    echo "FAIL train $cfg ($key): error does not name '$key': $(head -c 300 "$(dirname "$cfg")/err.txt")"
  elif [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then echo "FAIL train $cfg ($key): exit $rc"
  fi
}
export -f train_case; export prefix train_timeout_s
awk '{print $2, $3}' "$work/configs.txt" | xargs -P 2 -n 2 bash -c 'train_case "$0" "$1"' >"$work/train.out"
cat "$work/train.out"
train_fail=$(grep -c '^FAIL' "$work/train.out" || true)
train_total=$(wc -l <"$work/configs.txt")
train_refused=$(grep -l '^nnswift: error: ' "$work"/configs/*/err.txt 2>/dev/null | wc -l)
train_pass=$((train_total - train_fail))
echo "CLI: $train_total mutated training configs: $train_pass passed ($train_refused refused with an error naming the key, the rest trained), $train_fail failed"
echo "time: $(( $(date +%s) - start )) s"
passed=$((api_pass + cli_pass + train_pass)) failed=$((api_fail + cli_fail + train_fail))
echo "robustness: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
