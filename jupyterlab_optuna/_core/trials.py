"""Use cases on one trial: tell it, set its user attrs, save its (or its study's) note."""

from __future__ import annotations

import math
from typing import Any

from optuna.exceptions import UpdateFinishedTrialError
from optuna.trial import FrozenTrial, TrialState

from jupyterlab_optuna._core.errors import BadRequest, Conflict, NotFound
from jupyterlab_optuna._core.records import record_from_frozen
from jupyterlab_optuna._core.serializers import TrialColumns, trial_columns
from jupyterlab_optuna._core.storage import StorageEntry
from jupyterlab_optuna._core.studies import check_study
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


def _require_running(trial: FrozenTrial) -> None:
    if trial.state.is_finished():
        raise Conflict(f"Trial {trial.number} is already {trial.state.name.capitalize()}.")


def tell_trial(
    entry: StorageEntry, study_id: int, trial_id: int, state: Any, values: Any
) -> TrialColumns:
    """Finish a running trial: Complete with one value per objective, or Fail / Pruned."""
    if state not in TELL_STATES:
        raise BadRequest(f"state must be one of {', '.join(TELL_STATES)}, got {state!r}.")
    trial = get_trial(entry, study_id, trial_id)
    n_objectives = len(entry.storage.get_study_directions(study_id))
    if state == "Complete":
        if (
            not isinstance(values, list)
            or len(values) != n_objectives
            or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)
            or not all(math.isfinite(v) for v in values)
        ):
            raise BadRequest(
                f"A complete trial needs values: a list of {n_objectives} finite number(s)."
            )
        values = [float(v) for v in values]
    elif values is not None:
        raise BadRequest(f"A {state} trial takes no values.")
    _require_running(trial)
    try:
        ok = entry.storage.set_trial_state_values(trial_id, TELL_STATES[state], values)
    except UpdateFinishedTrialError:
        ok = False
    if not ok:
        raise Conflict(f"Trial {trial.number} was finished by someone else meanwhile.")
    finished = entry.storage.get_trial(trial_id)
    return trial_columns([record_from_frozen(finished)], finished.params)


def set_user_attrs(entry: StorageEntry, study_id: int, trial_id: int, attrs: Any) -> None:
    """Set user attrs of a running trial (the answers of a user-attr form)."""
    if not isinstance(attrs, dict) or not attrs:
        raise BadRequest("user_attrs must be a non-empty JSON object.")
    trial = get_trial(entry, study_id, trial_id)
    _require_running(trial)
    try:
        for key, value in attrs.items():
            entry.storage.set_trial_user_attr(trial_id, key, value)
    except UpdateFinishedTrialError:
        raise Conflict(f"Trial {trial.number} was finished by someone else meanwhile.") from None


def save_note(
    entry: StorageEntry, study_id: int, trial_id: int | None, version: Any, body: Any
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
    return save_note_with_version(entry.storage, study_id, trial_id, version, body)
