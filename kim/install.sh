#!/usr/bin/env bash
# Builds and installs the nnswift KIM model driver and its portable models into the KIM "user"
# collection with kim-api-collections-management (KIM_API_CONFIGURATION_FILE selects another
# configuration, as kim/run-tests.sh does for a sandbox):
#   NNSwift__MD_000000000000_000                       the driver (links build/lib/libnnswift.so)
#   NNSwift_GoldClusters_Au__MO_000000000001_000       trained gold model (committed)
#   NNSwift_n2p2_H2O_RPBE_D3_HO__MO_000000000002_000   shared n2p2 water potential (when ../shared exists)
#
#   kim/install.sh          environment: NNSWIFT_PREFIX (default <repo>/build, from scripts/build.sh)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
export NNSWIFT_PREFIX="${NNSWIFT_PREFIX:-$repo/build}"
[ -f "$NNSWIFT_PREFIX/lib/libnnswift.so" ] || { echo "kim/install.sh: $NNSWIFT_PREFIX/lib/libnnswift.so not found (run scripts/build.sh)" >&2; exit 1; }
command -v kim-api-collections-management >/dev/null || { echo "kim/install.sh: kim-api-collections-management not found (scripts/install-deps.sh)" >&2; exit 1; }

items=("$here/NNSwift__MD_000000000000_000" "$here/models/NNSwift_GoldClusters_Au__MO_000000000001_000")
water="${NNSWIFT_WATER_DIR:-$repo/../shared/conformance/n2p2-H2O_RPBE-D3}"
if [ -f "$water/input.nn" ]; then
  items+=("$(bash "$here/models/make-water-model.sh" "$water" "$here/build/models")")
else
  echo "kim/install.sh: $water absent, water model skipped"
fi
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for item in "${items[@]}"; do
  if ! kim-api-collections-management install --force user "$item" >"$log" 2>&1; then
    cat "$log" >&2
    echo "kim/install.sh: installing $item failed" >&2
    exit 1
  fi
  echo "kim/install.sh: installed $(basename "$item")"
done
