#!/usr/bin/env bash
# Builds nnswift in release mode and assembles an install tree:
#   PREFIX/bin/{nnswift,nnswift-forcecheck}
#   PREFIX/lib/libnnswift.so                    (SONAME libnnswift.so)
#   PREFIX/include/{nnswift.h,nnswift.f90,nnswift.mod}
#   PREFIX/lib/pkgconfig/nnswift.pc
#   PREFIX/lib/cmake/nnswift/nnswiftConfig.cmake (imported target nnswift::nnswift)
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
#   -target-cpu native, -march=native, NNSWIFT_FMA, -mno-gather: this machine's vector ISA
#                                 (AVX2/AVX-512), fused multiply-adds where the CPU has them, and
#                                 no gather instructions (slower than scalar loads here); NNSWIFT_PORTABLE=1
#                                 (or --portable) builds for baseline x86-64 / aarch64 instead, for
#                                 binaries meant to run on other machines
swift_flags=(-c release --static-swift-stdlib -Xswiftc -static-stdlib -Xlinker --exclude-libs=ALL)
if [ "${NNSWIFT_PORTABLE:-0}" != 1 ]; then
  swift_flags+=(-Xswiftc -target-cpu -Xswiftc native -Xcc -march=native)
  if grep -qwi -e fma -e asimd /proc/cpuinfo 2>/dev/null; then swift_flags+=(-Xswiftc -DNNSWIFT_FMA); fi
  # x86: four scalar loads beat a gather instruction for the kernel's 4-lane gathers (~10 % on AMD Zen 4)
  if [ "$(uname -m)" = x86_64 ]; then swift_flags+=(-Xcc -mno-gather); fi
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

mkdir -p "$prefix/bin" "$prefix/lib/pkgconfig" "$prefix/lib/cmake/nnswift" "$prefix/include"
install -m 755 "$bindir/nnswift" "$bindir/nnswift-forcecheck" "$prefix/bin/"
install -m 755 "$bindir/libNNSwiftCAPI.so" "$prefix/lib/libnnswift.so"
install -m 644 include/nnswift.h include/nnswift.f90 "$prefix/include/"

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
