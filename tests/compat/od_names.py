"""Run by optuna-dashboard's Python: print its public names per module as JSON."""

import json

import optuna_dashboard
import optuna_dashboard.artifact
import optuna_dashboard.preferential

modules = {
    "": optuna_dashboard,
    "artifact": optuna_dashboard.artifact,
    "preferential": optuna_dashboard.preferential,
}
print(
    json.dumps({k: sorted(n for n in dir(m) if not n.startswith("_")) for k, m in modules.items()})
)
