"""The writes of a preferential study, and the per-study lock that serialises them.

Within one process every writer (the Python API, the server routes, the widgets) takes
:func:`study_lock` for the study, so a check-then-write such as "these candidates are
still active, record the decision" cannot interleave with another. Across processes
(two servers on one database) nothing serialises them: optuna's storages offer no
compare-and-set on system attrs, so two decisions made at the same instant in two
processes may both be recorded.
"""

from __future__ import annotations

import threading
import uuid
import weakref
from collections.abc import Iterable
from typing import Any

import optuna
from optuna.storages import BaseStorage
from optuna.trial import FrozenTrial, TrialState

from jupyterlab_optuna.preferential import _keys


class _LockTable:
    """One lock per (storage, study).

    RDB storages are keyed by URL (separate storage objects over one database in one
    process share the lock), the others by the storage object itself.
    """

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._by_url: dict[tuple[str, int], threading.RLock] = {}
        self._by_object: weakref.WeakKeyDictionary[Any, dict[int, threading.RLock]] = (
            weakref.WeakKeyDictionary()
        )

    def get(self, storage: BaseStorage, study_id: int) -> threading.RLock:
        backend = getattr(storage, "_backend", storage)
        url = getattr(backend, "url", None)
        with self._guard:
            if isinstance(url, str):
                return self._by_url.setdefault((url, study_id), threading.RLock())
            return self._by_object.setdefault(backend, {}).setdefault(study_id, threading.RLock())


# The one process-wide table: locks exist to be shared by every caller in the process.
_LOCKS = _LockTable()


def study_lock(storage: BaseStorage, study_id: int) -> threading.RLock:
    """The lock every preferential write of this study in this process holds."""
    return _LOCKS.get(storage, study_id)


def write_preferences(
    storage: BaseStorage,
    study_id: int,
    pairs: list[tuple[int, int]],
    trials: list[FrozenTrial],
) -> str:
    """Store the (better, worse) pairs under a new id; complete the compared running trials.

    Completed with values all 0, as optuna-dashboard does, so samplers see them finished.
    ``trials`` are the study's trials indexed by number. Returns the new preference id.
    """
    preference_id = str(uuid.uuid4())
    storage.set_study_system_attr(
        study_id, _keys.preference_key(preference_id), [[b, w] for b, w in pairs]
    )
    zeros = [0.0] * len(storage.get_study_directions(study_id))
    for number in sorted({n for pair in pairs for n in pair}):
        trial = trials[number]
        if trial.state == TrialState.RUNNING:
            try:
                storage.set_trial_state_values(trial._trial_id, TrialState.COMPLETE, zeros)
            except optuna.exceptions.UpdateFinishedTrialError:
                pass  # finished meanwhile by someone else: finished is all we need
    return preference_id


def check_trials_of_study(given: Iterable[Any], trials: list[FrozenTrial], what: str) -> list[int]:
    """Numbers of the given trials (Trial or FrozenTrial); ValueError if one is foreign."""
    numbers = []
    for t in given:
        if not isinstance(t, (optuna.trial.FrozenTrial, optuna.Trial)):
            raise TypeError(f"{what} must be trials, got {type(t).__name__}.")
        n = t.number
        if not (0 <= n < len(trials)) or trials[n]._trial_id != t._trial_id:
            raise ValueError(
                f"Trial {n} (trial_id {t._trial_id}) in {what} is not a trial of this study."
            )
        numbers.append(n)
    return numbers
