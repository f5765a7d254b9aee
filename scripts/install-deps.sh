#!/usr/bin/env bash
# Installs what nnswift needs on a fresh Debian machine (we run as root). Idempotent.
set -euo pipefail
need=()
for p in cmake gfortran liblammps-dev lammps lammps-data libopenmpi-dev openmpi-bin; do
  dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "install-deps: apt-get install ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
