#!/usr/bin/env bash
# Builds nnswift in release mode and assembles an install tree:
#   PREFIX/bin/{nnswift,nnswift-forcecheck}
#   PREFIX/lib/libnnswift.so                    (SONAME libnnswift.so)
#   PREFIX/include/{nnswift.h,nnswift.f90,nnswift.mod}
#   PREFIX/lib/pkgconfig/nnswift.pc
#   PREFIX/lib/cmake/nnswift/nnswiftConfig.cmake (imported target nnswift::nnswift) and its version file
# (the install step, the Fortran module and the package files: the CMake project in cmake/)
# Usage: scripts/build.sh [--portable] [PREFIX]     (default: build/ in the repository root)
#   --portable (or NNSWIFT_PORTABLE=1): for copying to other machines; on x86-64 two builds, picked
#   at run time (docs/portable.md): baseline x86-64 in the places above, x86-64-v3 (AVX2, FMA) in
#     PREFIX/lib/glibc-hwcaps/x86-64-v3/libnnswift.so   (chosen by the dynamic loader)
#     PREFIX/libexec/nnswift/{baseline,x86-64-v3}/      (programs; bin/ holds a launcher)
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
#   -Xcc -fno-math-errno          square roots compile to the vector instruction (with errno, Swift's
#                                 squareRoot() on Linux is a scalar sqrt with a libm call per lane)
#   -target-cpu native, -march=native, NNSWIFT_FMA, -mno-gather: this machine's vector ISA
#                                 (AVX2/AVX-512), fused multiply-adds where the CPU has them, and on
#                                 x86 no gather instructions (four scalar loads beat them, ~10 % on
#                                 AMD Zen 4); NNSWIFT_PORTABLE=1
#                                 (or --portable) builds for baseline x86-64 / aarch64 instead, for
#                                 binaries meant to run on other machines, plus on x86-64 a second
#                                 build for x86-64-v3 (AVX2, FMA) that they use where the CPU has it
swift_flags=(-c release --static-swift-stdlib -Xswiftc -static-stdlib -Xlinker --exclude-libs=ALL
             -Xswiftc -cross-module-optimization -Xswiftc -enforce-exclusivity=unchecked
             -Xlinker -soname=libnnswift.so -Xcc -fno-math-errno)
# ISA variants, each "name|extra flags" (NNSWIFT_ISA_* names the variant for `nnswift build-info`).
# A portable build compiles each in its own scratch path (.build-portable/NAME), so that neither
# rebuilds the other nor the native build in .build. (swiftc's -target-cpu knows no x86-64-v3;
# Swift's code generator takes the CPU from -Xcc -march, which does.)
fma=(-Xswiftc -DNNSWIFT_FMA)
grep -qwi -e fma -e asimd /proc/cpuinfo 2>/dev/null || fma=()
if [ "${NNSWIFT_PORTABLE:-0}" != 1 ]; then
  nogather=(); [ "$(uname -m)" = x86_64 ] && nogather=(-Xcc -mno-gather)
  variants=("native|-Xswiftc -target-cpu -Xswiftc native -Xcc -march=native ${fma[*]} ${nogather[*]} -Xswiftc -DNNSWIFT_ISA_NATIVE")
elif [ "$(uname -m)" = x86_64 ]; then
  variants=("baseline|"
            "x86-64-v3|-Xcc -march=x86-64-v3 -Xswiftc -DNNSWIFT_FMA -Xswiftc -DNNSWIFT_ISA_X86_64_V3")
else
  variants=("baseline|")
fi
# Progress: swift build's step lines ("[k/N] Compiling ...") with the elapsed seconds.
# A single step (one module, whole-module optimized) can take minutes: a line every 30 s too.
progress() { while IFS= read -r line; do case "$line" in \[*) echo "  $(( SECONDS - t0 )) s  $line" ;; esac; done; }
declare -A bindirs
for v in "${variants[@]}"; do
  name=${v%%|*}; read -ra extra <<<"${v#*|}"
  [ "$name" = native ] || extra+=(--scratch-path "$root/.build-portable/$name")
  echo "build.sh: [$name] swift build ${swift_flags[*]} ${extra[*]} (release build; several minutes on 2 cores) ..."
  t0=$SECONDS
  (while sleep 30 >/dev/null 2>&1; do echo "  $(( SECONDS - t0 )) s  ... still compiling"; done) &
  heartbeat=$!
  trap 'kill "$heartbeat" 2>/dev/null || true; rm -f "$log"' EXIT
  if ! swift build "${swift_flags[@]}" "${extra[@]}" 2>&1 | tee "$log" | progress; then  # pipefail: swift's status
    cat "$log" >&2
    echo "build.sh: swift build failed" >&2
    exit 1
  fi
  kill "$heartbeat" 2>/dev/null || true
  echo "build.sh: [$name] swift build done in $(( SECONDS - t0 )) s"
  bindirs[$name]=$(swift build "${swift_flags[@]}" "${extra[@]}" --show-bin-path)
done

# The programs and library of the native build (or the portable baseline) go into the tree by the
# CMake project in cmake/ (cmake/CMakeLists.txt lists the layout), with the headers, the Fortran
# module and the pkg-config and CMake package files.
primary=${bindirs[native]:-${bindirs[baseline]}}
# The version is written once, in Sources/NNSwift/Version.swift: ask the program just built.
version=$("$primary/nnswift" --version)
if ! [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
  echo "build.sh: '$primary/nnswift --version' printed '$version', expected a version number" >&2
  exit 1
fi
# A variant left from an earlier build into this prefix would shadow the library built now.
rm -rf "$prefix/lib/glibc-hwcaps/x86-64-v3/libnnswift.so" "$prefix/libexec/nnswift"
cmakedir=$(mktemp -d)
trap 'kill "$heartbeat" 2>/dev/null || true; rm -f "$log"; rm -rf "$cmakedir"' EXIT
if ! { cmake -S cmake -B "$cmakedir" -DCMAKE_INSTALL_PREFIX="$prefix" -DNNSWIFT_VERSION="$version" \
         -DNNSWIFT_SWIFT_BIN_DIR="$primary" && cmake --build "$cmakedir" && cmake --install "$cmakedir"; } >"$log" 2>&1; then
  cat "$log" >&2
  echo "build.sh: installing with cmake (cmake/CMakeLists.txt) failed" >&2
  exit 1
fi
installed=("$prefix/lib/libnnswift.so")
if [ -n "${bindirs[native]:-}" ]; then
  installed+=("$prefix/bin/nnswift" "$prefix/bin/nnswift-forcecheck")
else
  # Portable: the programs of every variant in libexec/, bin/ runs the one for this CPU
  # (scripts/isa-launcher.sh); the dynamic loader picks the library from glibc-hwcaps/.
  for name in "${!bindirs[@]}"; do
    mkdir -p "$prefix/libexec/nnswift/$name"
    install -m 755 "${bindirs[$name]}/nnswift" "${bindirs[$name]}/nnswift-forcecheck" "$prefix/libexec/nnswift/$name/"
    installed+=("$prefix/libexec/nnswift/$name/nnswift" "$prefix/libexec/nnswift/$name/nnswift-forcecheck")
  done
  install -m 755 scripts/isa-launcher.sh "$prefix/bin/nnswift"
  install -m 755 scripts/isa-launcher.sh "$prefix/bin/nnswift-forcecheck"
  if [ -n "${bindirs[x86-64-v3]:-}" ]; then
    mkdir -p "$prefix/lib/glibc-hwcaps/x86-64-v3"
    install -m 755 "${bindirs[x86-64-v3]}/libNNSwiftCAPI.so" "$prefix/lib/glibc-hwcaps/x86-64-v3/libnnswift.so"
    installed+=("$prefix/lib/glibc-hwcaps/x86-64-v3/libnnswift.so")
  fi
fi

for f in "$prefix/lib/libnnswift.so" "$prefix"/lib/glibc-hwcaps/*/libnnswift.so; do
  [ -f "$f" ] || continue
  soname=$(readelf -d "$f" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
  if [ "$soname" != "libnnswift.so" ]; then
    echo "build.sh: $f has SONAME '$soname', expected libnnswift.so" >&2
    exit 1
  fi
done
# No binary may need a library of the Swift toolchain (runtime, Foundation, dispatch, ICU).
for f in "${installed[@]}"; do
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
