"""Objective names: optuna's ``study.set_metric_names``, and optuna-dashboard's older key."""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Any

METRIC_NAMES_KEY = "study:metric_names"
LEGACY_OBJECTIVE_NAMES_KEY = "dashboard:objective_names"


def set_objective_names(study: Any, names: list[str]) -> None:
    """Deprecated: name the objectives with ``study.set_metric_names(names)`` instead.

    Example:
        >>> import optuna
        >>> study = optuna.create_study(directions=["minimize", "minimize"])
        >>> study.set_metric_names(["val_loss", "flops"])
    """
    warnings.warn(
        "`set_objective_names()` is deprecated: use `study.set_metric_names()` instead.",
        FutureWarning,
        stacklevel=2,
    )
    study.set_metric_names(names)


def metric_names_from_system_attrs(system_attrs: Mapping[str, Any]) -> list[str] | None:
    """The objectives' names, also when written by older optuna-dashboard versions."""
    names = system_attrs.get(METRIC_NAMES_KEY, system_attrs.get(LEGACY_OBJECTIVE_NAMES_KEY))
    return None if names is None else list(names)
