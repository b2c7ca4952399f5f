"""Running optuna-dashboard 0.21 (a test-only dependency, in its own venv) from the tests."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

HERE = Path(__file__).parent / "compat"
OD_PYTHON = os.environ.get("OPTUNA_DASHBOARD_PYTHON", "")

needs_optuna_dashboard = pytest.mark.skipif(
    not (OD_PYTHON and Path(OD_PYTHON).exists()),
    reason="set OPTUNA_DASHBOARD_PYTHON to a Python with optuna-dashboard 0.21 (scripts/test.sh does)",
)


def od(script: str, *args: object) -> str:
    """Run ``tests/compat/{script}`` with optuna-dashboard's Python; its stdout."""
    result = subprocess.run([OD_PYTHON, str(HERE / script), *map(str, args)],
                            capture_output=True, text=True, timeout=180)  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()
