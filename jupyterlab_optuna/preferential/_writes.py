"""The writes of a preferential study, made inside one atomic check-then-write.

Every writer (the Python API, the server routes, the widgets) records decisions through
:func:`jupyterlab_optuna._core.atomic.atomically`, so a check such as "these candidates are
still active" and the write that depends on it cannot interleave with another writer's, in
this process or any other that shares the storage.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

import optuna
from optuna.trial import TrialState

from jupyterlab_optuna._core.atomic import StudyTx, TrialRow
from jupyterlab_optuna.preferential import _keys


def record_preferences(
    tx: StudyTx,
    preference_id: str,
    pairs: list[tuple[int, int]],
    trials: list[TrialRow],
    n_objectives: int,
    extra_attrs: dict[str, Any] | None = None,
) -> None:
    """Store the (better, worse) pairs under ``preference_id``; complete the compared
    running trials.

    Completed with values all 0, as optuna-dashboard does, so samplers see them finished.
    ``trials`` are the study's trials indexed by number; ``extra_attrs`` are written with
    the pairs (the history record).
    """
    attrs: dict[str, Any] = {_keys.preference_key(preference_id): [[b, w] for b, w in pairs]}
    tx.set_system_attrs({**attrs, **(extra_attrs or {})})
    zeros = [0.0] * n_objectives
    for number in sorted({n for pair in pairs for n in pair}):
        trial = trials[number]
        if trial.state == TrialState.RUNNING:
            tx.finish_trial(trial.trial_id, TrialState.COMPLETE, zeros)


def new_preference_id() -> str:
    """A fresh id for a decision's pairs and history record."""
    return str(uuid.uuid4())


def check_trials_of_study(given: Iterable[Any], trials: list[TrialRow], what: str) -> list[int]:
    """Numbers of the given trials (Trial or FrozenTrial); ValueError if one is foreign."""
    numbers = []
    for t in given:
        if not isinstance(t, (optuna.trial.FrozenTrial, optuna.Trial)):
            raise TypeError(f"{what} must be trials, got {type(t).__name__}.")
        n = t.number
        if not (0 <= n < len(trials)) or trials[n].trial_id != t._trial_id:
            raise ValueError(
                f"Trial {n} (trial_id {t._trial_id}) in {what} is not a trial of this study."
            )
        numbers.append(n)
    return numbers
