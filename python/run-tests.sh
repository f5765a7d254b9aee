#!/usr/bin/env bash
# Tests of the Python package and ASE calculator (python/tests, pytest):
#   1. scripts/build.sh: libnnswift.so and the nnswift CLI (the tests' independent reference)
#   2. scripts/install-python-env.sh: the venv <repo>/.venv with numpy, ase, pytest from PyPI
#   3. pip install ./python into it, bundling build/lib/libnnswift.so (the build hook of setup.py)
#   4. pytest python/tests against the installed package
# Usage: bash python/run-tests.sh [pytest arguments]
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
bash scripts/build.sh >/dev/null
py=$(bash scripts/install-python-env.sh)
NNSWIFT_BUNDLE_LIBRARY="$repo/build/lib/libnnswift.so" \
  "$py" -m pip install -q --disable-pip-version-check --force-reinstall --no-deps ./python >/dev/null
rm -rf python/build   # setuptools' staging directory
unset NNSWIFT_LIBRARY
# One BLAS thread: ASE's cell filter solves 9x9 systems, which OpenBLAS threads slow ~20x on 2 busy cores.
export OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-1}
cd python/tests       # not python/: import the installed package, not the source directory
echo "python: nnswift from $("$py" -c 'import nnswift; print(nnswift.__file__, "with", nnswift.library_path())')"
exec "$py" -m pytest -q -p no:cacheprovider "$@"
