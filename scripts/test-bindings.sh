#!/usr/bin/env bash
# Tests of the C API, the Fortran binding, the examples and nnswift-forcecheck: pytest runs
# tests/bindings (fixtures build the install tree with scripts/build.sh into build/, or
# $BUILD_PREFIX, and compile the examples and tests/c/api_errors.c against it). Checks that need
# the water model ($NNSWIFT_SHARED, default ../shared) are skipped when it is absent.
# Last line: "bindings: N passed, M failed, K skipped"; exit status 1 if anything failed.
#   bash scripts/test-bindings.sh [pytest arguments, e.g. -k forcecheck]
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
py=$(bash scripts/install-python-env.sh) || { echo "bindings: 0 passed, 1 failed (python venv)"; exit 1; }
exec "$py" -m pytest -p no:cacheprovider -rfEs -v tests/bindings "$@"
