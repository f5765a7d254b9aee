#!/usr/bin/env bash
# The main job, end to end on a fresh Debian machine: install, build, then show what nnswift does
# with the published n2p2 water potential in ../shared (and with gold data made by LAMMPS
# where the training pieces are present).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
echo "== build (release) =="
swift build -c release 2>&1 | tail -1
bin=.build/release
water=../shared/conformance/n2p2-H2O_RPBE-D3
if [ ! -d "$water" ]; then echo "demo: $water is missing (the shared data must sit beside the repository)"; exit 1; fi
units="--length-unit bohr --energy-unit hartree"

echo "== the water potential =="
$bin/nnswift info "$water" $units
echo "== evaluate the 20 training structures against their DFT references =="
# train20.input.data is in the potential's units (Bohr, Hartree); predictions are written in Å/eV.
$bin/nnswift eval "$water" $units "$water/train20.input.data" --structure-length-unit bohr --structure-energy-unit hartree \
  -o /tmp/nnswift-demo-predictions.xyz | tail -4
echo "== convert to the native format and back to n2p2 =="
$bin/nnswift convert "$water" /tmp/nnswift-demo-water.json $units
$bin/nnswift convert /tmp/nnswift-demo-water.json /tmp/nnswift-demo-water-n2p2 --to n2p2
echo "== benchmark: energy + forces of 8640 atoms of liquid water, one thread =="
$bin/nnswift bench "$water" $units "$water/liquid8640.lmp-data" --types H,O --structure-length-unit angstrom --repeats 3
if [ -x examples/gold/demo.sh ]; then examples/gold/demo.sh; fi
