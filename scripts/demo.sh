#!/usr/bin/env bash
# The main job, end to end on a fresh Debian machine, from a bare clone: install the Debian
# packages, build the self-contained install tree (build/), then
#   - water: the published n2p2 RPBE-D3 water potential (Morawietz et al., from n2p2's examples),
#     when ../shared/conformance/n2p2-H2O_RPBE-D3 sits beside the repository (else one line says
#     what was skipped);
#   - gold: the whole workflow on data made here with LAMMPS EAM (examples/gold/demo.sh).
# Every step prints a line with the seconds elapsed since the start.
set -euo pipefail
cd "$(dirname "$0")/.."
t0=$SECONDS
say() { echo "== [$(( SECONDS - t0 )) s] $* =="; }

say "Debian packages (scripts/install-deps.sh)"
bash scripts/install-deps.sh
say "build the install tree (scripts/build.sh -> build/)"
bash scripts/build.sh
bin=build/bin

water=../shared/conformance/n2p2-H2O_RPBE-D3
if [ -d "$water" ]; then
  units="--length-unit bohr --energy-unit hartree"
  say "the water potential ($water)"
  $bin/nnswift info "$water" $units
  say "evaluate the 20 training structures against their DFT references"
  # train20.input.data is in the potential's units (Bohr, Hartree); predictions are written in Å/eV.
  $bin/nnswift eval "$water" $units "$water/train20.input.data" --structure-length-unit bohr --structure-energy-unit hartree \
    -o /tmp/nnswift-demo-predictions.xyz | tail -4
  say "convert to the native format and back to n2p2"
  $bin/nnswift convert "$water" /tmp/nnswift-demo-water.json $units
  $bin/nnswift convert /tmp/nnswift-demo-water.json /tmp/nnswift-demo-water-n2p2 --to n2p2
  say "benchmark: energy + forces of 8640 atoms of liquid water, one thread"
  $bin/nnswift bench "$water" $units "$water/liquid8640.lmp-data" --types H,O --structure-length-unit angstrom --repeats 3
else
  say "water part skipped: $water is absent (n2p2's published RPBE-D3 water potential, Morawietz et al., in n2p2's examples/potentials; place it there to run it)"
fi

say "gold workflow (examples/gold/demo.sh)"
NNSWIFT_DEMO_ELAPSED=$(( SECONDS - t0 )) bash examples/gold/demo.sh
say "demo done"
