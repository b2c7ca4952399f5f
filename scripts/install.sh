#!/usr/bin/env bash
# Create ./.venv and install jupyterlab-optuna into it (editable, with the lab extension
# built by npm). Sourced by demo.sh and test.sh; EXTRAS picks the optional dependencies.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

EXTRAS="${EXTRAS:-lab,preferential}"
VENV="${VENV:-.venv}"
PYTHON="${PYTHON:-python3}"

if ! command -v npm >/dev/null; then
  echo "npm is needed to build the JupyterLab extension (install Node.js 18+)." >&2
  exit 1
fi
if [ ! -x "$VENV/bin/python" ]; then
  "$PYTHON" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install -q --upgrade pip
# torch first, pinned: a looser spec would pull CUDA wheels of several GB.
if [[ "$EXTRAS" == *preferential* ]] && ! "$VENV/bin/python" -c "import torch" 2>/dev/null; then
  "$VENV/bin/python" -m pip install -q "torch==2.13.0"
fi
npm ci --no-audit --no-fund --loglevel=error
"$VENV/bin/python" -m pip install -q -e ".[$EXTRAS]"
