"""Resolve the (storage, study_id, trial_id) a public HITL function was given."""

from __future__ import annotations

from typing import Any

import optuna
from optuna.storages import BaseStorage


def study_target(study: Any) -> tuple[BaseStorage, int]:
    """The storage and id of an ``optuna.Study`` (or a study-like object such as ours)."""
    storage, study_id = getattr(study, "_storage", None), getattr(study, "_study_id", None)
    if not isinstance(storage, BaseStorage) or not isinstance(study_id, int):
        raise TypeError(f"Expected an optuna.Study, got {type(study).__name__}.")
    return storage, study_id


def note_target(study_or_trial: Any) -> tuple[BaseStorage, int, int | None]:
    """(storage, study_id, trial_id or None) of a Study or of a live ``optuna.Trial``."""
    if isinstance(study_or_trial, optuna.Trial):
        return (
            study_or_trial.storage,
            study_or_trial.study._study_id,
            study_or_trial._trial_id,
        )
    if isinstance(study_or_trial, optuna.trial.FrozenTrial):
        raise TypeError(
            "A FrozenTrial does not know its study: pass the optuna.Trial inside the "
            "objective, or the study and use its trials' ids."
        )
    return (*study_target(study_or_trial), None)
