#!/usr/bin/env bash
# Release build and install tree: build/bin/nnswift, build/lib/libnnswift.so, build/include/nnswift.h.
set -euo pipefail
cd "$(dirname "$0")/.."
prefix="${1:-build}"
swift build -c release 2>&1 | grep -E "error|warning: unre|Compiling|Build complete" | grep -v Compiling || true
mkdir -p "$prefix/bin" "$prefix/lib" "$prefix/include"
cp .build/release/nnswift "$prefix/bin/"
cp .build/release/libNNSwiftCAPI.so "$prefix/lib/libnnswift.so"
cp include/nnswift.h "$prefix/include/"
echo "build.sh: installed into $prefix (bin/nnswift, lib/libnnswift.so, include/nnswift.h)"
