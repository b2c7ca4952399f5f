#!/usr/bin/env bash
# Install everything, then start JupyterLab with demo human-in-the-loop studies on
# demo/sunset.db: a generator keeps 4 "sunset colour" trials running, each with an image
# artifact and a note, waiting for you to rate them in the Optuna Dashboard; another keeps
# 4 sunsets of a preferential study for you to compare (pick the worst).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
EXTRAS="lab,preferential" source scripts/install.sh

mkdir -p demo
# Create the database's tables once, before two generators start on it at the same time.
.venv/bin/python -c "import optuna; optuna.storages.RDBStorage('sqlite:///demo/sunset.db')"
.venv/bin/python examples/sunset_generator.py demo/sunset.db --artifact-dir demo/artifacts &
generator=$!
.venv/bin/python examples/preferential_sunset.py demo/sunset.db --artifact-dir demo/artifacts &
comparer=$!
trap 'kill $generator $comparer 2>/dev/null || true' EXIT

cat > demo/jupyter_server_config.json <<'JSON'
{"OptunaDashboard": {"storages": [{"url": "demo/sunset.db", "artifact_dir": "demo/artifacts"}]}}
JSON
echo "Open the 'Optuna Dashboard' tile in the launcher; the demo storage is already open."
.venv/bin/jupyter lab --notebook-dir=. --config=demo/jupyter_server_config.json "$@"
