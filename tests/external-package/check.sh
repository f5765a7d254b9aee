#!/usr/bin/env bash
# NNSwift as a versioned dependency of another Swift package (run by tests/packaging via CTest).
#
#   tests/external-package/check.sh PREFIX      (PREFIX: an install tree, for PREFIX/bin/nnswift)
#
# 1. A git repository of this checkout's files as they are now (tracked and new, not ignored),
#    tagged with the version of Sources/NNSwift/Version.swift.
# 2. This folder's package, its dependency URL pointed at that repository (file://), built with
#    `swift build`: SwiftPM resolves NNSwift `from: "0.2.0"` by tag (and would refuse a package
#    with unsafeFlags). Offline: swift-argument-parser comes from git's configured mirror, as for
#    the main package; SwiftPM's caches and fingerprints live in the temporary folder.
# 3. Its program's energies of ../shared's water structures against n2p2's own predictions and
#    against `nnswift eval` (relative 1e-10, as the conformance tests).
# Exit 0 when all hold, 1 otherwise, 77 (skipped) without ../shared's water model.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
prefix=${1:?usage: check.sh PREFIX}
water=$root/../shared/conformance/n2p2-H2O_RPBE-D3
version=$(sed -n 's/.*static let string = "\([0-9.]*\)".*/\1/p' "$root/Sources/NNSwift/Version.swift")
[ -n "$version" ] || { echo "no version in Sources/NNSwift/Version.swift"; exit 1; }
work=$(mktemp -d /tmp/nnswift-external.XXXXXX)
trap 'rm -rf "$work"' EXIT

mkdir "$work/nnswift"
(cd "$root" && git ls-files -z --cached --others --exclude-standard) |
  while IFS= read -r -d '' f; do [ -e "$root/$f" ] && printf '%s\0' "$f"; done |
  tar -C "$root" --null -T - -cf - | tar -C "$work/nnswift" -xf -
git -C "$work/nnswift" init -q
git -C "$work/nnswift" add -A
git -C "$work/nnswift" -c user.name=nnswift-test -c user.email=test@localhost commit -q -m "snapshot"
git -C "$work/nnswift" tag "$version"
echo "repository $work/nnswift tagged $version"

mkdir "$work/consumer"
cp -R "$here/Package.swift" "$here/Sources" "$work/consumer/"
sed -i "s|@NNSWIFT_GIT_URL@|file://$work/nnswift|" "$work/consumer/Package.swift"
swiftpm=(--package-path "$work/consumer" --cache-path "$work/swiftpm-cache" --security-path "$work/swiftpm-security"
         --manifest-cache local)
echo "swift build (debug) of the consumer package ..."
swift build "${swiftpm[@]}" 2>&1 | tail -5
resolved=$(tr -d ' \n' <"$work/consumer/Package.resolved")
if [[ "$resolved" != *"\"identity\":\"nnswift\""*"\"version\":\"$version\""* ]]; then
  echo "FAIL: Package.resolved does not pin nnswift at version $version:"; cat "$work/consumer/Package.resolved"; exit 1
fi
echo "nnswift resolved by version $version"

if [ ! -d "$water" ]; then echo "SKIP: energies ($water not found)"; exit 77; fi
consumer=$(swift build "${swiftpm[@]}" --show-bin-path)/nnswift-consumer
"$consumer" "$water" "$water/train20.input.data" bohr hartree >"$work/consumer.out"
"$prefix/bin/nnswift" eval "$water" --length-unit bohr --energy-unit hartree "$water/train20.input.data" \
  --structure-length-unit bohr --structure-energy-unit hartree >"$work/eval.out"
grep -q "^nnswift $version$" "$work/consumer.out" || { echo "FAIL: the consumer links NNSwift $(tail -1 "$work/consumer.out")"; exit 1; }
# n2p2's energies: the "energy" line of each structure in the prediction file.
awk '$1 == "energy" { print $2 }' "$water/train20.n2p2-prediction.data" >"$work/n2p2.txt"
sed -n 's/^structure [0-9]*: E = \([^ ]*\)$/\1/p' "$work/consumer.out" >"$work/consumer.txt"
sed -n 's/^structure [0-9]*: [0-9]* atoms  E = \([^ ]*\) .*/\1/p' "$work/eval.out" >"$work/eval.txt"
paste "$work/consumer.txt" "$work/n2p2.txt" "$work/eval.txt" | awk -v want="$(wc -l <"$work/n2p2.txt")" '
  function rel(a, b) { d = a - b; if (d < 0) d = -d; if (b < 0) b = -b; return d / b }
  NF == 3 { n++; if (rel($1, $2) > w2) w2 = rel($1, $2); if (rel($1, $3) > w3) w3 = rel($1, $3) }
  END {
    printf "%d structures: largest relative energy difference %.2e against n2p2, %.2e against nnswift eval\n", n, w2, w3
    exit !(n == want && n > 0 && w2 < 1e-10 && w3 < 1e-10)
  }' || { echo "FAIL: energies differ (or structures missing)"; exit 1; }
echo "PASS: external package built against NNSwift $version by version; energies agree"
