"""Use cases on one trial: tell it, set its user attrs, save its (or its study's) note."""

from __future__ import annotations

import math
from typing import Any

from optuna.storages import BaseStorage
from optuna.trial import FrozenTrial, TrialState

from jupyterlab_optuna._core.atomic import StudyTx, atomically
from jupyterlab_optuna._core.errors import BadRequest, Conflict, NotFound
from jupyterlab_optuna._core.records import record_from_frozen
from jupyterlab_optuna._core.serializers import TrialColumns, trial_columns
from jupyterlab_optuna._core.storage import StorageEntry
from jupyterlab_optuna._core.studies import check_study
from jupyterlab_optuna.hitl.authors import rated_by_key, stamp_writes
from jupyterlab_optuna.hitl.notes import NoteJSON, save_note_with_version

TELL_STATES = {
    "Complete": TrialState.COMPLETE,
    "Fail": TrialState.FAIL,
    "Pruned": TrialState.PRUNED,
}


def get_trial(entry: StorageEntry, study_id: int, trial_id: int) -> FrozenTrial:
    """The trial, checked to belong to the study (NotFound otherwise)."""
    check_study(entry, study_id)
    try:
        trial = entry.storage.get_trial(trial_id)
        owner = entry.storage.get_trial_id_from_study_id_trial_number(study_id, trial.number)
    except KeyError:
        owner = None
    if owner != trial_id:
        raise NotFound(f"Study {study_id} has no trial with id {trial_id}.")
    return trial


def _finite_floats(values: Any) -> list[float] | None:
    if not isinstance(values, list):
        return None
    floats = []
    for v in values:
        if not isinstance(v, int | float) or isinstance(v, bool):
            return None
        try:
            f = float(v)
        except OverflowError:  # an integer beyond any float
            return None
        if not math.isfinite(f):
            return None
        floats.append(f)
    return floats


def tell_trial(
    entry: StorageEntry,
    study_id: int,
    trial_id: int,
    state: Any,
    values: Any,
    user: str | None = None,
) -> TrialColumns:
    """Finish a running trial: Complete with one value per objective, or Fail / Pruned;
    ``user`` (if known) is recorded as who rated it, in the same transaction."""
    if not isinstance(state, str) or state not in TELL_STATES:
        raise BadRequest(f"state must be one of {', '.join(TELL_STATES)}, got {state!r}.")
    get_trial(entry, study_id, trial_id)
    n_objectives = len(entry.storage.get_study_directions(study_id))
    if state == "Complete":
        floats = _finite_floats(values)
        if floats is None or len(floats) != n_objectives:
            raise BadRequest(
                f"A complete trial needs values: a list of {n_objectives} finite number(s)."
            )
        values = floats
    elif values is not None:
        raise BadRequest(f"A {state} trial takes no values.")
    finish_running_trial(entry.storage, study_id, trial_id, TELL_STATES[state], values, user)
    finished = entry.storage.get_trial(trial_id)
    return trial_columns([record_from_frozen(finished)], finished.params)


def finish_running_trial(
    storage: BaseStorage,
    study_id: int,
    trial_id: int,
    state: TrialState,
    values: list[float] | None,
    user: str | None = None,
) -> None:
    """Finish the trial if it still runs, recording ``user`` as who rated it, in one atomic
    step; Conflict (nothing written) when it has finished meanwhile."""

    def finish(tx: StudyTx) -> None:
        if not tx.finish_trial(trial_id, state, values):
            _raise_finished(tx, trial_id)
        tx.set_system_attrs(stamp_writes(rated_by_key(trial_id), user))

    atomically(storage, study_id, finish)


def _raise_finished(tx: StudyTx, trial_id: int) -> None:
    row = tx.trial(trial_id)
    assert row is not None  # checked by get_trial; trials are never deleted alone
    raise Conflict(
        f"Trial {row.number} is already {row.state.name.capitalize()}.",
        trial={"trial_id": trial_id, "number": row.number, "state": row.state.name.capitalize()},
    )


def set_user_attrs(
    entry: StorageEntry, study_id: int, trial_id: int, attrs: Any, user: str | None = None
) -> None:
    """Set user attrs of a running trial (the answers of a user-attr form), recording
    ``user`` (if known) as who rated it."""
    if not isinstance(attrs, dict) or not attrs:
        raise BadRequest("user_attrs must be a non-empty JSON object.")
    get_trial(entry, study_id, trial_id)
    set_running_trial_user_attrs(entry.storage, study_id, trial_id, attrs, user)


def set_running_trial_user_attrs(
    storage: BaseStorage, study_id: int, trial_id: int, attrs: dict[str, Any], user: str | None
) -> None:
    """Set user attrs of the trial if it still runs, recording ``user`` as who rated it, in
    one atomic step; Conflict (nothing written) when it has finished meanwhile."""

    def write(tx: StudyTx) -> None:
        if not tx.set_trial_user_attrs(trial_id, attrs):
            _raise_finished(tx, trial_id)
        tx.set_system_attrs(stamp_writes(rated_by_key(trial_id), user))

    atomically(storage, study_id, write)


def save_note(
    entry: StorageEntry,
    study_id: int,
    trial_id: int | None,
    version: Any,
    body: Any,
    user: str | None = None,
) -> NoteJSON:
    """Save a note version (stored + 1); Conflict carrying the stored note otherwise."""
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise BadRequest("version must be a positive integer (the stored version + 1).")
    if not isinstance(body, str):
        raise BadRequest("body must be a string.")
    if trial_id is None:
        check_study(entry, study_id)
    else:
        get_trial(entry, study_id, trial_id)
    return save_note_with_version(entry.storage, study_id, trial_id, version, body, user)
