#!/usr/bin/env bash
# Install everything (package, test tools, Chromium, optuna-dashboard in a side venv for the
# compatibility tests) and run the whole test suite: pytest over tests/, then ui-tests/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
EXTRAS="test,preferential,dev" source scripts/install.sh

if [ ! -x /usr/bin/chromium ]; then
  echo "Installing Chromium (Debian) for the browser tests…"
  apt-get update -qq && apt-get install -y -qq chromium >/dev/null
fi

# optuna-dashboard 0.21 lives only in its own venv: the compatibility tests run it as a subprocess.
OD_VENV=.venv-optuna-dashboard
if [ ! -x "$OD_VENV/bin/python" ] || ! "$OD_VENV/bin/python" -c "import optuna_dashboard, plotly" 2>/dev/null; then
  python3 -m venv "$OD_VENV"
  "$OD_VENV/bin/python" -m pip install -q --upgrade pip
  "$OD_VENV/bin/python" -m pip install -q "optuna-dashboard==0.21.0" plotly
fi
export OPTUNA_DASHBOARD_PYTHON="$PWD/$OD_VENV/bin/python"

# A local PostgreSQL for the RDB tests (skipped when none can be started).
OPTUNA_TEST_POSTGRES_URL="$(bash scripts/postgres.sh 2>/dev/null | tail -n 1 || true)"
export OPTUNA_TEST_POSTGRES_URL

.venv/bin/ruff check jupyterlab_optuna tests ui-tests bench examples
npm run typecheck --silent
npm test --silent
# Two runs: the browser suite drives Playwright's own event loop, apart from pytest-jupyter's.
.venv/bin/python -m pytest -p no:cacheprovider tests "$@"
.venv/bin/python -m pytest -p no:cacheprovider ui-tests "$@"
