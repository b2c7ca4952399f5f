"""Helpers shared by the core tests."""

from __future__ import annotations

import optuna


def study_on(entry, name: str = "s", directions: tuple[str, ...] = ("minimize",)) -> optuna.Study:
    """An optuna.Study on the entry's storage (the way user code writes to it)."""
    return optuna.create_study(storage=entry.storage, study_name=name, directions=list(directions))
