"""Notebook widgets: the dashboard, rating and comparing trials in a cell (anywidget)."""

from __future__ import annotations

from jupyterlab_optuna.widgets._widgets import (
    CompareTrials,
    Dashboard,
    RateTrials,
    show_dashboard,
)

__all__ = ["CompareTrials", "Dashboard", "RateTrials", "show_dashboard"]
