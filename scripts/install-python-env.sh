#!/usr/bin/env bash
# Creates (or updates) the project-local venv <repo>/.venv with the PyPI packages of
# scripts/python-requirements.txt. Idempotent and quiet; prints the venv's python on stdout.
#   scripts/install-python-env.sh        # environment: NNSWIFT_VENV (default <repo>/.venv), PYTHON
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${NNSWIFT_VENV:-$repo/.venv}"
req="$repo/scripts/python-requirements.txt"
if [ ! -x "$venv/bin/python" ]; then
  echo "install-python-env: creating venv $venv" >&2
  "${PYTHON:-python3}" -m venv "$venv"
fi
stamp="$venv/.requirements.sha"
want=$(sha256sum "$req" | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "install-python-env: pip install -r scripts/python-requirements.txt" >&2
  "$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$req" >&2
  echo "$want" >"$stamp"
fi
echo "$venv/bin/python"
