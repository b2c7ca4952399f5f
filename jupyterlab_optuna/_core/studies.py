"""Use cases on studies: list, create, rename, delete, and the (incremental) detail."""

from __future__ import annotations

import json
import re
import time
from typing import Any

import optuna
from optuna.storages import RDBStorage
from optuna.study import StudyDirection
from optuna.trial import TrialState

from jupyterlab_optuna._core.atomic import exclusive
from jupyterlab_optuna._core.errors import BadRequest, Conflict, NotFound
from jupyterlab_optuna._core.preferences import preference_state
from jupyterlab_optuna._core.proxy_lock import LOCK_STUDY_PREFIX
from jupyterlab_optuna._core.records import UNFINISHED, TrialRecord
from jupyterlab_optuna._core.serializers import (
    N_GENERATE_KEY,
    PREFERENTIAL_KEY,
    direction_name,
    distribution_json,
    study_summary,
    trial_columns,
)
from jupyterlab_optuna._core.storage import StorageEntry
from jupyterlab_optuna._core.trial_source import forget_study, trial_records
from jupyterlab_optuna.hitl.artifacts import study_artifacts_from_system_attrs
from jupyterlab_optuna.hitl.authors import raters
from jupyterlab_optuna.hitl.forms import form_widgets_from_system_attrs
from jupyterlab_optuna.hitl.notes import note_from_system_attrs
from jupyterlab_optuna.hitl.objective_names import metric_names_from_system_attrs
from jupyterlab_optuna.hitl.plot_data import plotly_graph_objects_from_system_attrs

CLOCK_SKEW_MARGIN_S = 5.0
_TRIAL_NOTE_KEY = re.compile(r"^dashboard:(\d+):note_ver$")
_LEGACY_TRIAL_ARTIFACT_KEY = re.compile(r"^dashboard:artifacts:(\d+):")
_TRIAL_KEYED = re.compile(r"^(dashboard:|preference:skip_trial:|dashboard:artifacts:)(\d+)(:.*)?$")


def check_study(entry: StorageEntry, study_id: int) -> str:
    """The study's name; NotFound when the storage has no such study."""
    try:
        return entry.storage.get_study_name_from_id(study_id)
    except KeyError:
        raise NotFound(f"No study with id {study_id} in this storage.") from None


def _best_values(entry: StorageEntry, study: Any) -> list[float] | None:
    if len(study.directions) != 1:
        return None
    try:
        return [entry.storage.get_best_trial(study._study_id).values[0]]
    except (ValueError, KeyError, IndexError, TypeError):
        return None


def list_studies(entry: StorageEntry) -> list[dict[str, Any]]:
    """Every study with its trial count and best value (single objective)."""
    storage = entry.storage
    return [
        study_summary(s, storage.get_n_trials(s._study_id), _best_values(entry, s))
        for s in storage.get_all_studies()
        if not s.study_name.startswith(LOCK_STUDY_PREFIX)
    ]


def summary(entry: StorageEntry, study_id: int) -> dict[str, Any]:
    for s in entry.storage.get_all_studies():
        if s._study_id == study_id:
            n = entry.storage.get_n_trials(study_id)
            return study_summary(s, n, _best_values(entry, s))
    raise NotFound(f"No study with id {study_id} in this storage.")


def _validate_name(name: Any) -> str:
    if not isinstance(name, str) or not name.strip():
        raise BadRequest("A study needs a non-empty name (study_name).")
    return name.strip()


def create_study(entry: StorageEntry, name: Any, directions: Any) -> dict[str, Any]:
    """Create an empty study; 409 when the name is taken."""
    name = _validate_name(name)
    if (
        not isinstance(directions, list)
        or not directions
        or any(d not in ("minimize", "maximize") for d in directions)
    ):
        raise BadRequest('directions must be a non-empty list of "minimize"/"maximize".')
    dirs = [
        StudyDirection.MINIMIZE if d == "minimize" else StudyDirection.MAXIMIZE for d in directions
    ]
    try:
        study_id = entry.storage.create_new_study(dirs, name)
    except optuna.exceptions.DuplicatedStudyError:
        raise Conflict(f"A study named {name!r} already exists.") from None
    return summary(entry, study_id)


def delete_study(entry: StorageEntry, study_id: int, remove_artifacts: bool) -> None:
    """Delete a study (and its artifacts' files when asked and possible)."""
    check_study(entry, study_id)
    if remove_artifacts:
        if entry.artifact_store is None:
            raise BadRequest("This storage was opened without an artifact directory.")
        metas = study_artifacts_from_system_attrs(entry.storage.get_study_system_attrs(study_id))
        metas += [a for r in trial_records(entry, study_id) for a in r.artifacts]
        for meta in metas:
            try:
                entry.artifact_store.remove(meta["artifact_id"])
            except Exception:  # already gone: deleting the study must still work
                pass
    entry.storage.delete_study(study_id)
    forget_study(entry, study_id)


def rename_study(entry: StorageEntry, study_id: int, new_name: Any) -> dict[str, Any]:
    """Rename a study keeping everything; the study id changes on non-RDB storages.

    Conflict when the name is taken, also by a study created or renamed at the same moment.
    """
    new_name = _validate_name(new_name)
    storage = entry.storage
    if isinstance(storage, RDBStorage):
        _rename_rdb(storage, study_id, new_name)
        return summary(entry, study_id)
    with exclusive(storage, study_id):
        if new_name == check_study(entry, study_id):
            return summary(entry, study_id)
        try:
            new_id = _copy_study(entry, study_id, new_name)
        except optuna.exceptions.DuplicatedStudyError:
            raise Conflict(f"A study named {new_name!r} already exists.") from None
    return summary(entry, new_id)


def _rename_rdb(storage: RDBStorage, study_id: int, new_name: str) -> None:
    # The unique index on study_name makes the database refuse a taken name atomically.
    from optuna.storages._rdb import models
    from sqlalchemy import exc

    table = models.StudyModel.__table__
    try:
        with storage.engine.begin() as conn:
            result = conn.execute(
                table.update().where(table.c.study_id == study_id).values(study_name=new_name)
            )
    except exc.IntegrityError:
        raise Conflict(f"A study named {new_name!r} already exists.") from None
    if result.rowcount == 0:
        raise NotFound(f"No study with id {study_id} in this storage.")


def _copy_study(entry: StorageEntry, study_id: int, new_name: str) -> int:
    """Copy a study under a new name (remapping trial-id keys), then delete the old one."""
    storage = entry.storage
    if new_name in {s.study_name for s in storage.get_all_studies()}:
        raise optuna.exceptions.DuplicatedStudyError(new_name)
    new_id = storage.create_new_study(storage.get_study_directions(study_id), new_name)
    for key, value in storage.get_study_user_attrs(study_id).items():
        storage.set_study_user_attr(new_id, key, value)
    id_map: dict[int, int] = {}
    for t in storage.get_all_trials(study_id, deepcopy=False):
        id_map[t._trial_id] = storage.create_new_trial(new_id, template_trial=t)
    for key, value in storage.get_study_system_attrs(study_id).items():
        m = _TRIAL_KEYED.match(key)
        if m and int(m.group(2)) in id_map:
            key = f"{m.group(1)}{id_map[int(m.group(2))]}{m.group(3) or ''}"
        storage.set_study_system_attr(new_id, key, value)
    storage.delete_study(study_id)
    forget_study(entry, study_id)
    return new_id


def _select(records: list[TrialRecord], after: int, since: float | None) -> list[TrialRecord]:
    if after <= 0:
        return records
    threshold = None if since is None else (since - CLOCK_SKEW_MARGIN_S) * 1000.0
    return [
        r
        for r in records
        if r.number >= after
        or r.state in UNFINISHED
        or threshold is None
        or (r.datetime_complete is not None and r.datetime_complete >= threshold)
    ]


def study_detail(
    entry: StorageEntry, study_id: int, after: int = 0, since: float | None = None
) -> dict[str, Any]:
    """The study with its trials from number ``after`` on plus those changed since ``since``."""
    name = check_study(entry, study_id)
    now = time.time()
    storage = entry.storage
    records = trial_records(entry, study_id)
    system_attrs = storage.get_study_system_attrs(study_id)

    distributions: dict[str, Any] = {}
    complete_names: set[str] | None = None
    for r in records:
        distributions.update(r.distributions)
        if r.state == TrialState.COMPLETE:
            names = set(r.params)
            complete_names = names if complete_names is None else complete_names & names
    selected = _select(records, after, since)
    columns = trial_columns(selected, distributions)
    for key in system_attrs:
        if m := _TRIAL_NOTE_KEY.match(key):
            note = note_from_system_attrs(system_attrs, int(m.group(1)))
            if note["body"] or note["version"]:
                columns["notes"][m.group(1)] = note
    columns["raters"] = raters(system_attrs)
    for r in records:
        if r.artifacts:
            columns["artifacts"][str(r.trial_id)] = r.artifacts
    for key, value in system_attrs.items():
        if (m := _LEGACY_TRIAL_ARTIFACT_KEY.match(key)) and value not in (None, "null"):
            meta = json.loads(value) if isinstance(value, str) else value
            columns["artifacts"].setdefault(m.group(1), []).append(meta)
    return {
        "study_id": study_id,
        "study_name": name,
        "directions": [direction_name(d) for d in storage.get_study_directions(study_id)],
        "metric_names": metric_names_from_system_attrs(system_attrs),
        "user_attrs": storage.get_study_user_attrs(study_id),
        "is_preferential": bool(system_attrs.get(PREFERENTIAL_KEY, False)),
        "n_generate": system_attrs.get(N_GENERATE_KEY),
        "preference": (
            preference_state(system_attrs, records) if system_attrs.get(PREFERENTIAL_KEY) else None
        ),
        "note": note_from_system_attrs(system_attrs, None),
        "form_widgets": form_widgets_from_system_attrs(system_attrs),
        "artifacts": study_artifacts_from_system_attrs(system_attrs),
        "plotly_graph_objects": plotly_graph_objects_from_system_attrs(system_attrs),
        "distributions": {k: distribution_json(v) for k, v in distributions.items()},
        "intersection_search_space": sorted(complete_names or []),
        "n_trials": len(records),
        "trials": columns,
        "cursor": {"after": (records[-1].number + 1) if records else after, "since": now},
    }
