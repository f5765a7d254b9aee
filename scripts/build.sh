#!/usr/bin/env bash
# Builds nnswift in release mode and assembles an install tree:
#   PREFIX/bin/{nnswift,nnswift-forcecheck}
#   PREFIX/lib/libnnswift.so                    (SONAME libnnswift.so)
#   PREFIX/include/{nnswift.h,nnswift.f90,nnswift.mod}
#   PREFIX/lib/pkgconfig/nnswift.pc
#   PREFIX/lib/cmake/nnswift/nnswiftConfig.cmake (imported target nnswift::nnswift) and its version file
# (the install step, the Fortran module and the package files: the CMake project in cmake/)
# Usage: scripts/build.sh [--portable] [PREFIX]     (default: build/ in the repository root)
#   --portable (or NNSWIFT_PORTABLE=1): baseline ISA instead of this machine's (see swift_flags)
# Idempotent; prints progress, where things went, and the build log on failure.
#
# Self-contained: the Swift runtime and Foundation are linked statically into the programs and
# into libnnswift.so, so the install tree runs on a machine without a Swift toolchain (checked by
# scripts/test-without-toolchain.sh; `readelf -d` lists only system libraries as NEEDED).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
if [ "${1:-}" = --portable ]; then export NNSWIFT_PORTABLE=1; shift; fi
prefix=${1:-$root/build}
mkdir -p "$prefix"
prefix=$(cd "$prefix" && pwd)
log=$(mktemp)
trap 'rm -f "$log"' EXIT

cd "$root"
# All `swift build` flags, in one place.
#   --static-swift-stdlib         static Swift runtime and Foundation in the executables
#   -Xswiftc -static-stdlib       the same for the dynamic library libnnswift.so
#   -Xlinker --exclude-libs=ALL   keeps the runtime's symbols private to each binary: libnnswift.so
#                                 exports only its own (nnswift_*) symbols, so a process that
#                                 loads it next to another Swift library sees no clash
#   -cross-module-optimization    inlining and specialization across the package's modules
#   -enforce-exclusivity=unchecked no run-time exclusivity checks in the hot loops
#                                 (both kept out of Package.swift: unsafeFlags there would stop other
#                                 packages from depending on NNSwift by version)
#   -Xlinker -soname=libnnswift.so the installed name of the C API library (libNNSwiftCAPI.so)
#   -target-cpu native, -march=native, NNSWIFT_FMA: this machine's vector ISA (AVX2/AVX-512) and
#                                 fused multiply-adds where the CPU has them; NNSWIFT_PORTABLE=1
#                                 (or --portable) builds for baseline x86-64 / aarch64 instead, for
#                                 binaries meant to run on other machines
swift_flags=(-c release --static-swift-stdlib -Xswiftc -static-stdlib -Xlinker --exclude-libs=ALL
             -Xswiftc -cross-module-optimization -Xswiftc -enforce-exclusivity=unchecked
             -Xlinker -soname=libnnswift.so)
if [ "${NNSWIFT_PORTABLE:-0}" != 1 ]; then
  swift_flags+=(-Xswiftc -target-cpu -Xswiftc native -Xcc -march=native)
  if grep -qwi -e fma -e asimd /proc/cpuinfo 2>/dev/null; then swift_flags+=(-Xswiftc -DNNSWIFT_FMA); fi
fi
echo "build.sh: swift build ${swift_flags[*]} (release build; several minutes on 2 cores) ..."
t0=$SECONDS
# Progress: swift build's step lines ("[k/N] Compiling ...") with the elapsed seconds.
# A single step (one module, whole-module optimized) can take minutes: a line every 30 s too.
progress() { while IFS= read -r line; do case "$line" in \[*) echo "  $(( SECONDS - t0 )) s  $line" ;; esac; done; }
(while sleep 30 >/dev/null 2>&1; do echo "  $(( SECONDS - t0 )) s  ... still compiling"; done) &
heartbeat=$!
trap 'kill "$heartbeat" 2>/dev/null || true; rm -f "$log"' EXIT
if ! swift build "${swift_flags[@]}" 2>&1 | tee "$log" | progress; then  # pipefail: swift's status
  cat "$log" >&2
  echo "build.sh: swift build failed" >&2
  exit 1
fi
kill "$heartbeat" 2>/dev/null || true
echo "build.sh: swift build done in $(( SECONDS - t0 )) s"
bindir=$(swift build "${swift_flags[@]}" --show-bin-path)

# The version is written once, in Sources/NNSwift/Version.swift: ask the program just built.
version=$("$bindir/nnswift" --version)
if ! [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
  echo "build.sh: '$bindir/nnswift --version' printed '$version', expected a version number" >&2
  exit 1
fi
# The install tree, the Fortran module and the pkg-config and CMake package files: the CMake
# project in cmake/ (cmake/CMakeLists.txt lists the layout).
cmakedir=$(mktemp -d)
trap 'kill "$heartbeat" 2>/dev/null || true; rm -f "$log"; rm -rf "$cmakedir"' EXIT
if ! { cmake -S cmake -B "$cmakedir" -DCMAKE_INSTALL_PREFIX="$prefix" -DNNSWIFT_VERSION="$version" \
         -DNNSWIFT_SWIFT_BIN_DIR="$bindir" && cmake --build "$cmakedir" && cmake --install "$cmakedir"; } >"$log" 2>&1; then
  cat "$log" >&2
  echo "build.sh: installing with cmake (cmake/CMakeLists.txt) failed" >&2
  exit 1
fi

soname=$(readelf -d "$prefix/lib/libnnswift.so" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
if [ "$soname" != "libnnswift.so" ]; then
  echo "build.sh: $prefix/lib/libnnswift.so has SONAME '$soname', expected libnnswift.so" >&2
  exit 1
fi
# No binary may need a library of the Swift toolchain (runtime, Foundation, dispatch, ICU).
for f in "$prefix/bin/nnswift" "$prefix/bin/nnswift-forcecheck" "$prefix/lib/libnnswift.so"; do
  needed=$(readelf -d "$f" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' \
           | grep -E '^lib(swift|Foundation|_Foundation|dispatch|BlocksRuntime|icu)' || true)
  if [ -n "$needed" ]; then
    echo "build.sh: $f still needs toolchain libraries: $(echo $needed)" >&2
    exit 1
  fi
done

echo "nnswift installed to $prefix"
echo "  programs: $prefix/bin/nnswift $prefix/bin/nnswift-forcecheck"
echo "  library:  $prefix/lib/libnnswift.so (SONAME $soname)$( [ -f "$prefix/lib/libnnswift_fortran.a" ] && echo ", libnnswift_fortran.a (Fortran module procedures)")"
echo "  headers:  $prefix/include/nnswift.h, nnswift.f90$( [ -f "$prefix/include/nnswift.mod" ] && echo ", nnswift.mod")"
echo "  pkg-config: $prefix/lib/pkgconfig/nnswift.pc   CMake: $prefix/lib/cmake/nnswift/nnswiftConfig.cmake"
