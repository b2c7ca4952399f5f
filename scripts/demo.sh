#!/usr/bin/env bash
# Install everything, then start JupyterLab with a demo human-in-the-loop study:
# a generator keeps 4 "sunset colour" trials running on demo/sunset.db, each with an
# image artifact and a note, waiting for you to rate them in the Optuna Dashboard.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
EXTRAS="lab" source scripts/install.sh

mkdir -p demo
.venv/bin/python examples/sunset_generator.py demo/sunset.db --artifact-dir demo/artifacts &
generator=$!
trap 'kill $generator 2>/dev/null || true' EXIT

cat > demo/jupyter_server_config.json <<'JSON'
{"OptunaDashboard": {"storages": [{"url": "demo/sunset.db", "artifact_dir": "demo/artifacts"}]}}
JSON
echo "Open the 'Optuna Dashboard' tile in the launcher; the demo storage is already open."
.venv/bin/jupyter lab --notebook-dir=. --config=demo/jupyter_server_config.json "$@"
