#!/usr/bin/env bash
# Units end to end: the Fortran unit bindings (units_check.f90), then the same structures in Å and in Bohr through an eV/Å model and a Bohr/Hartree
# model give the same energies in eV through the CLI (read back with ASE), the C API and LAMMPS
# (tests/units/check_units.py). Needs the install tree (scripts/build.sh), the Debian LAMMPS
# driver built against it (lammps-plugin/build.sh --debian-only; built here when missing), the
# project venv (scripts/install-python-env.sh) and ../shared. Prints PASS/FAIL/SKIP lines.
#   tests/units/run.sh [--table FILE]      (FILE: the markdown table of energies, as in docs/units.md)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
if [ ! -d "$root/../shared/conformance/n2p2-H2O_RPBE-D3" ]; then
  echo "SKIP units check: ../shared/conformance/n2p2-H2O_RPBE-D3 not found"; exit 0
fi
prefix="$root/build"
[ -x "$prefix/bin/nnswift" ] && [ -f "$prefix/lib/libnnswift.so" ] || bash scripts/build.sh >/dev/null
lmp="$root/lammps-plugin/build/debian/lmp_nnswift"
if [ ! -x "$lmp" ] || [ "$lmp" -ot "$prefix/lib/libnnswift.so" ]; then
  NNSWIFT_LIBRARY="$prefix/lib/libnnswift.so" bash lammps-plugin/build.sh --debian-only >/dev/null
fi
py=$(bash scripts/install-python-env.sh)
work=$(mktemp -d /tmp/nnswift-units.XXXXXX)
trap 'rm -rf "$work"' EXIT
cc -O2 -Wall -I "$prefix/include" tests/units/units_check.c -o "$work/units_check" \
  -L "$prefix/lib" -lnnswift -Wl,-rpath,"$prefix/lib"
if command -v gfortran >/dev/null 2>&1; then
  gfortran -O2 -Wall -I "$prefix/include" -J "$work" tests/fortran/checks.f90 tests/units/units_check.f90 -o "$work/units_check_f" \
    -L "$prefix/lib" -lnnswift_fortran -lnnswift -Wl,-rpath,"$prefix/lib"
  "$work/units_check_f" "$root/../shared/conformance/n2p2-H2O_RPBE-D3" || { echo "FAIL units check (Fortran)"; echo "units: 0 passed, 1 failed"; exit 1; }
fi
if "$py" tests/units/check_units.py "$prefix" "$lmp" "$work" "$@"; then
  echo "PASS units check (CLI, C API, LAMMPS, ASE; Å and Bohr; eV/Å and Bohr/Hartree models)"
  echo "units: 1 passed, 0 failed"
else
  echo "FAIL units check"; echo "units: 0 passed, 1 failed"; exit 1
fi
