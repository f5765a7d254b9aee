#!/usr/bin/env bash
# Installs what nnswift needs on a fresh Debian machine (we run as root). Idempotent, quiet.
#   - cmake, compilers (C/C++/Fortran)
#   - Debian's LAMMPS (29 Sep 2021) with headers, data and OpenMPI (for lammps-plugin/ driver)
#   - libfmt-dev: LAMMPS's public headers include <fmt/format.h> but Debian ships none of
#     LAMMPS's bundled fmt; lammps-plugin/compat/fmt/format.h wraps the system fmt 9.
#   - libkim-api-dev (KIM API 2.3 with kim-api-collections-management) and xxd (embeds a KIM
#     portable model's parameter files) for the KIM model driver in kim/
set -euo pipefail
need=()
for p in cmake gcc g++ gfortran make pkg-config liblammps-dev lammps lammps-data \
         libopenmpi-dev openmpi-bin libfmt-dev python3-venv libkim-api-dev xxd; do
  dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "install-deps: apt-get install ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
