#!/usr/bin/env bash
# The gold part of the main job (scripts/demo.sh), a few minutes on 2 cores:
#   1. Au2-Au5 training data with LAMMPS EAM (Au_u3.eam), 1000 K MD (generate_data.sh)
#   2. train a 30t-30t network (examples/training/gold-demo.json, short run)
#   3. nnswift-forcecheck: analytic vs finite-difference forces/virial on an Au5 structure
#   4. LAMMPS NVE MD of Au5 with pair_style nnswift, 2 MPI ranks (lmp_nnswift): energy drift
#   5. Au5 global minimum on the network (nnswift search, then nnswift minimize)
#   6. EAM energy of the network's minimum (LAMMPS run 0) and EAM relaxation from it
#   7. plots: PES scans like the paper's Fig. 5 (nnswift scan -> SVG) from below the shortest
#      distance in the data, the training data's distance range shaded; learning curve if written
#   8. summary table
# Output: examples/gold/out/demo/ (DEMO_OUT=... to change). EPOCHS=N overrides the training length.
# Each step's header shows the seconds elapsed; training prints a line every 50 epochs.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"; repo="$(cd "$here/../.." && pwd)"
source "$here/lib.sh"
out="${DEMO_OUT:-$here/out/demo}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
t0=$SECONDS
echo "== [$(( SECONDS - T0 )) s] gold demo (output: $out) =="
ensure_tools --lammps-driver

begin "1 data" "1. Au2-Au5 training data: LAMMPS EAM MD at 1000 K"
OUT="$out/data" bash "$here/generate_data.sh" || die "generate_data.sh failed"
au5="$out/data/Au5.xyz"
read -r lowest5 _ _ <<< "$(python3 "$TOOLS" lowest "$au5")"

begin "2 training" "2. train 30t-30t on Au2-Au5 (examples/training/gold-demo.json)"
model="$out/gold-demo-model.json"
cfg="$repo/examples/training/gold-demo.json"
if [[ "$out" != "$here/out/demo" ]]; then  # config paths are relative to the config: make a copy
  sed -e "s#../gold/out/demo#$out#g" "$cfg" > "$out/gold-demo.json"; cfg="$out/gold-demo.json"
fi
# Full log in train.log; on screen every 50th epoch line with the seconds elapsed.
"$NNSWIFT" train "$cfg" ${EPOCHS:+--epochs $EPOCHS} 2>&1 | tee "$out/train.log" \
  | while IFS= read -r line; do
      if [[ "$line" =~ ^epoch\ +([0-9]+)/([0-9]+) ]] && (( BASH_REMATCH[1] % 50 == 0 || BASH_REMATCH[1] == BASH_REMATCH[2] )); then
        echo "  [$(( SECONDS - T0 )) s] ${line}"
      fi
    done || { tail -20 "$out/train.log"; die "nnswift train failed"; }
sed -n '/^set /,/^validation/p' "$out/train.log"
[[ -f "$model" ]] || die "no model written ($model)"
val_e=$(awk '$1=="validation"{print $3}' "$out/train.log"); val_f=$(awk '$1=="validation"{print $4}' "$out/train.log")

begin "3 forcecheck" "3. nnswift-forcecheck on Au5 (structure 1 of $au5)"
"$FORCECHECK" "$model" "$au5" --index 1 --quiet > "$out/forcecheck.log" 2>&1 || { cat "$out/forcecheck.log"; die "force check failed"; }
cat "$out/forcecheck.log"
fc=$(tail -1 "$out/forcecheck.log")

begin "4 LAMMPS NVE" "4. LAMMPS NVE of Au5 with pair_style nnswift, 2 MPI ranks"
python3 "$TOOLS" xyz-to-lammps "$au5" --frame 0 --center 10 > "$out/au5-atoms.lmp"
(cd "$out" && "${MPIRUN[@]}" -np 2 "$LMP_NNSWIFT" -in "$repo/examples/lammps/in.gold-cluster-nve" \
   -var model "$model" -var atoms au5-atoms.lmp -var dt 0.002 -var steps 2000 -var T 600 \
   -log lammps-nve.log -screen none) || { tail -20 "$out/lammps-nve.log"; die "lmp_nnswift NVE run failed"; }
read -r _ drift rms maxdev <<< "$(python3 "$here/nve_energy.py" "$out/lammps-nve.log" --natoms 5 --dt 0.002)"
echo "Au5, 2000 steps of 2 fs (4 ps), 2 ranks: drift $drift eV/atom/ps, RMS fluctuation $rms eV/atom, max |E-E0| $maxdev eV/atom"

begin "5 minimum search" "5. Au5 minimum on the network: nnswift search + minimize"
"$NNSWIFT" search "$model" --element Au --atoms 5 --hops 40 --restarts 8 --seed 1 --keep 3 --bond-length 2.7 \
   -o "$out/au5-minima.xyz" > "$out/search.log" 2>&1 || { tail "$out/search.log"; die "nnswift search failed"; }
cat "$out/search.log"
"$NNSWIFT" minimize "$model" "$out/au5-minima.xyz" --fmax 1e-5 --quiet -o "$out/au5-nn-min.xyz" > "$out/minimize.log" 2>&1 \
  || { cat "$out/minimize.log"; die "nnswift minimize failed"; }
e_nn=$(python3 "$TOOLS" frame-energy "$out/au5-nn-min.xyz")

begin "6 EAM reference" "6. EAM (LAMMPS) energy of the network's minimum, and EAM relaxation from it"
e_eam=$(eam_point "$out/au5-nn-min.xyz")
e_eam_min=$(eam_minimize "$out/au5-nn-min.xyz" "$out/au5-eam-min.xyz" | tail -1)
echo "network minimum: E_NN = $e_nn eV, E_EAM(single point) = $e_eam eV, EAM relaxed from there = $e_eam_min eV"

begin "7 plots" "7. plots"
# The scans start below the shortest nearest-neighbour distance in the data (Au2: 1.69 A) and
# shade the distance range that each size's training data cover (--data-range).
for shape in dimer:2 triangle:3 tetrahedron:4; do
  s=${shape%%:*}; n=${shape##*:}
  "$NNSWIFT" scan "$model" --shape "$s" --element Au --from 1.5 --to 6.0 --points 91 \
     --reference "$out/data/Au$n.xyz" --data-range "$out/data/Au$n.xyz" \
     --title "Au$n $s: network (line) vs EAM MD data (markers)" \
     -o "$out/scan-$s.csv" --plot "$out/scan-$s.svg" > "$out/scan-$s.log" || { cat "$out/scan-$s.log"; die "nnswift scan ($s) failed"; }
  echo "  $out/scan-$s.svg ($(grep '^data range' "$out/scan-$s.log"))"
done
curve=$(ls "$out"/*.svg 2>/dev/null | grep -i -E 'learn|training|loss' | sed -n 1p || true)
if [[ -n "$curve" ]]; then echo "  learning curve: $curve"; else echo "  (nnswift train wrote no learning-curve SVG; the per-epoch log is $out/gold-demo-training.csv)"; fi

step="8 summary"
awk -v a="$lowest5" -v b="$e_nn" -v c="$e_eam" -v d="$e_eam_min" 'BEGIN{
  printf "\n== gold demo summary ==\n"
  printf "| quantity (Au5) | energy (eV) |\n| --- | --- |\n"
  printf "| lowest energy in the training data (EAM, 1000 K MD) | %.5f |\n", a
  printf "| minimum predicted by the network | %.5f |\n", b
  printf "| EAM energy of the network minimum (LAMMPS run 0) | %.5f |\n", c
  printf "| EAM minimum reached from it (LAMMPS minimize) | %.5f |\n", d
  printf "network minimum below the lowest training energy (EAM): %s (by %.1f meV); %.1f meV above the EAM minimum\n", (c < a ? "yes" : "NO"), (a - c) * 1000, (c - d) * 1000 }'
echo "| check | result |"
echo "| --- | --- |"
echo "| validation RMSE (energy, forces) | $val_e meV/atom, $val_f meV/Å |"
echo "| nnswift-forcecheck | $fc |"
echo "| LAMMPS NVE Au5, 2 ranks, 4 ps at 2 fs | drift $drift eV/atom/ps, RMS $rms eV/atom |"
echo "| plots | $out/scan-{dimer,triangle,tetrahedron}.svg |"
echo "gold demo done in $(( SECONDS - t0 )) s"
