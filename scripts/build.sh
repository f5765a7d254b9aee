#!/usr/bin/env bash
# Builds nnswift in release mode and assembles an install tree:
#   PREFIX/bin/{nnswift,nnswift-forcecheck}
#   PREFIX/lib/libnnswift.so                    (SONAME libnnswift.so)
#   PREFIX/include/{nnswift.h,nnswift.f90,nnswift.mod}
#   PREFIX/lib/pkgconfig/nnswift.pc
#   PREFIX/lib/cmake/nnswift/nnswiftConfig.cmake (imported target nnswift::nnswift)
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
#   -target-cpu native, -march=native, NNSWIFT_FMA: this machine's vector ISA (AVX2/AVX-512) and
#                                 fused multiply-adds where the CPU has them; NNSWIFT_PORTABLE=1
#                                 (or --portable) builds for baseline x86-64 / aarch64 instead, for
#                                 binaries meant to run on other machines, plus on x86-64 a second
#                                 build for x86-64-v3 (AVX2, FMA) that they use where the CPU has it
swift_flags=(-c release --static-swift-stdlib -Xswiftc -static-stdlib -Xlinker --exclude-libs=ALL)
# ISA variants, each "name|extra flags" (NNSWIFT_ISA_* names the variant for `nnswift build-info`).
# A portable build compiles each in its own scratch path (.build-portable/NAME), so that neither
# rebuilds the other nor the native build in .build. (swiftc's -target-cpu knows no x86-64-v3;
# Swift's code generator takes the CPU from -Xcc -march, which does.)
fma=(-Xswiftc -DNNSWIFT_FMA)
grep -qwi -e fma -e asimd /proc/cpuinfo 2>/dev/null || fma=()
if [ "${NNSWIFT_PORTABLE:-0}" != 1 ]; then
  variants=("native|-Xswiftc -target-cpu -Xswiftc native -Xcc -march=native ${fma[*]} -Xswiftc -DNNSWIFT_ISA_NATIVE")
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

mkdir -p "$prefix/bin" "$prefix/lib/pkgconfig" "$prefix/lib/cmake/nnswift" "$prefix/include"
# A variant left from an earlier build into this prefix would shadow the library built now.
rm -rf "$prefix/lib/glibc-hwcaps/x86-64-v3/libnnswift.so" "$prefix/libexec/nnswift"
installed=("$prefix/lib/libnnswift.so")
if [ -n "${bindirs[native]:-}" ]; then
  install -m 755 "${bindirs[native]}/nnswift" "${bindirs[native]}/nnswift-forcecheck" "$prefix/bin/"
  install -m 755 "${bindirs[native]}/libNNSwiftCAPI.so" "$prefix/lib/libnnswift.so"
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
  install -m 755 "${bindirs[baseline]}/libNNSwiftCAPI.so" "$prefix/lib/libnnswift.so"
  if [ -n "${bindirs[x86-64-v3]:-}" ]; then
    mkdir -p "$prefix/lib/glibc-hwcaps/x86-64-v3"
    install -m 755 "${bindirs[x86-64-v3]}/libNNSwiftCAPI.so" "$prefix/lib/glibc-hwcaps/x86-64-v3/libnnswift.so"
    installed+=("$prefix/lib/glibc-hwcaps/x86-64-v3/libnnswift.so")
  fi
fi
install -m 644 include/nnswift.h include/nnswift.f90 "$prefix/include/"

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

# Fortran module file next to the source (compiled with the gfortran found on PATH).
if command -v gfortran >/dev/null 2>&1; then
  fdir=$(mktemp -d)
  gfortran -c include/nnswift.f90 -J "$fdir" -o "$fdir/nnswift.o"
  install -m 644 "$fdir/nnswift.mod" "$prefix/include/"
  # The module's wrapper procedures (nnswift_load, nnswift_error_message, ...) as object code.
  rm -f "$prefix/lib/libnnswift_fortran.a"
  ar rcs "$prefix/lib/libnnswift_fortran.a" "$fdir/nnswift.o"
  rm -rf "$fdir"
fi

# The version is written once, in Sources/NNSwift/Version.swift: ask the program just built.
version=$("$prefix/bin/nnswift" --version)
if ! [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+ ]]; then
  echo "build.sh: '$prefix/bin/nnswift --version' printed '$version', expected a version number" >&2
  exit 1
fi
cat >"$prefix/lib/pkgconfig/nnswift.pc" <<PC
prefix=$prefix
libdir=\${prefix}/lib
includedir=\${prefix}/include

Name: nnswift
Description: Behler-Parrinello neural-network interatomic potentials (C API)
Version: $version
Cflags: -I\${includedir}
Libs: -L\${libdir} -Wl,-rpath,\${libdir} -lnnswift
PC

cat >"$prefix/lib/cmake/nnswift/nnswiftConfig.cmake" <<'CM'
# nnswift CMake package: find_package(nnswift) then target_link_libraries(app nnswift::nnswift).
# Relocatable: paths are relative to this file (PREFIX/lib/cmake/nnswift).
get_filename_component(_nnswift_prefix "${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)
if(NOT TARGET nnswift::nnswift)
  add_library(nnswift::nnswift SHARED IMPORTED)
  set_target_properties(nnswift::nnswift PROPERTIES
    IMPORTED_LOCATION "${_nnswift_prefix}/lib/libnnswift.so"
    IMPORTED_SONAME "libnnswift.so"
    INTERFACE_INCLUDE_DIRECTORIES "${_nnswift_prefix}/include")
endif()
set(nnswift_INCLUDE_DIRS "${_nnswift_prefix}/include")
set(nnswift_LIBRARIES nnswift::nnswift)
set(nnswift_VERSION "@VERSION@")
set(nnswift_FOUND TRUE)
unset(_nnswift_prefix)
CM
sed -i "s/@VERSION@/$version/" "$prefix/lib/cmake/nnswift/nnswiftConfig.cmake"
cat >"$prefix/lib/cmake/nnswift/nnswiftConfigVersion.cmake" <<CV
set(PACKAGE_VERSION "$version")
if(PACKAGE_FIND_VERSION VERSION_GREATER PACKAGE_VERSION)
  set(PACKAGE_VERSION_COMPATIBLE FALSE)
else()
  set(PACKAGE_VERSION_COMPATIBLE TRUE)
  if(PACKAGE_FIND_VERSION STREQUAL PACKAGE_VERSION)
    set(PACKAGE_VERSION_EXACT TRUE)
  endif()
endif()
CV

echo "nnswift installed to $prefix"
echo "  programs: $prefix/bin/nnswift $prefix/bin/nnswift-forcecheck"
echo "  library:  $prefix/lib/libnnswift.so (SONAME $soname)$( [ -f "$prefix/lib/libnnswift_fortran.a" ] && echo ", libnnswift_fortran.a (Fortran module procedures)")"
echo "  headers:  $prefix/include/nnswift.h, nnswift.f90$( [ -f "$prefix/include/nnswift.mod" ] && echo ", nnswift.mod")"
echo "  pkg-config: $prefix/lib/pkgconfig/nnswift.pc   CMake: $prefix/lib/cmake/nnswift/nnswiftConfig.cmake"
