"""Run by optuna-dashboard's Python: print its public names per module as JSON."""

import ast
import json
from pathlib import Path

import optuna_dashboard
import optuna_dashboard.artifact
import optuna_dashboard.preferential

modules = {
    "": optuna_dashboard,
    "artifact": optuna_dashboard.artifact,
    "preferential": optuna_dashboard.preferential,
}
names = {k: sorted(n for n in dir(m) if not n.startswith("_")) for k, m in modules.items()}
# Its streamlit module imports streamlit, which this Python lacks: read its names instead.
init = Path(optuna_dashboard.__file__).parent / "streamlit" / "__init__.py"
imports = [
    node for node in ast.walk(ast.parse(init.read_text())) if isinstance(node, ast.ImportFrom)
]
names["streamlit"] = sorted(a.name for node in imports for a in node.names)
print(json.dumps(names))
