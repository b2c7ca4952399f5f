"""Markdown notes on studies and trials, stored as optuna-dashboard stores them.

A note is kept in the *study's* system attrs: a version counter and the body split in
chunks of at most 2045 characters (what every storage backend accepts in one attr).
Trial notes are keyed by the trial's storage id, not its number.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NotRequired, TypedDict

from optuna.storages import BaseStorage

from jupyterlab_optuna._core.atomic import StudyTx, atomically
from jupyterlab_optuna._core.errors import Conflict
from jupyterlab_optuna.hitl._chunks import chunk_writes, read_chunks
from jupyterlab_optuna.hitl._targets import note_target
from jupyterlab_optuna.hitl.authors import Stamp, note_by_key, read_stamp, stamp_writes


class NoteJSON(TypedDict):
    version: int
    body: str
    saved_by: NotRequired[Stamp]  # who saved this version, when the transport knew them


def note_version_key(trial_id: int | None) -> str:
    """``dashboard:note_ver`` for the study, ``dashboard:{trial_id}:note_ver`` for a trial."""
    return "dashboard:note_ver" if trial_id is None else f"dashboard:{trial_id}:note_ver"


def note_chunk_prefix(trial_id: int | None) -> str:
    """Prefix of the body chunk keys; chunk i is ``{prefix}{i}``."""
    return "dashboard:note_str:" if trial_id is None else f"dashboard:{trial_id}:note_str:"


def note_from_system_attrs(system_attrs: Mapping[str, Any], trial_id: int | None) -> NoteJSON:
    """The stored note of the study (``trial_id=None``) or of a trial; version 0 if none."""
    version = system_attrs.get(note_version_key(trial_id))
    if version is None:
        return {"version": 0, "body": ""}
    note: NoteJSON = {
        "version": int(version),
        "body": read_chunks(note_chunk_prefix(trial_id), system_attrs),
    }
    saved_by = read_stamp(system_attrs, note_by_key(trial_id))
    if saved_by:
        note["saved_by"] = saved_by
    return note


def save_note_with_version(
    storage: BaseStorage,
    study_id: int,
    trial_id: int | None,
    version: int,
    body: str,
    user: str | None = None,
) -> NoteJSON:
    """Store ``body`` as the given version, which must be the stored version + 1, saved
    by ``user`` if known (a version saved without one clears the previous person).

    Atomic wherever the storage is shared: of two saves on the same version, exactly one
    is stored and the other raises.

    Raises:
        Conflict: someone saved another version first; carries the stored ``note``.
            Nothing is written then.
    """

    def save(tx: StudyTx) -> NoteJSON:
        stored_attrs = tx.system_attrs(note_key_prefix(trial_id))
        stored = note_from_system_attrs(stored_attrs, trial_id)
        if version != stored["version"] + 1:
            raise Conflict(
                f"The note was changed (version {stored['version']}) since you started editing.",
                note=stored,
            )
        writes = note_writes(trial_id, version, body, stored_attrs, user)
        tx.set_system_attrs(writes)
        return note_from_system_attrs({**stored_attrs, **writes}, trial_id)

    return atomically(storage, study_id, save)


def note_key_prefix(trial_id: int | None) -> str:
    """The prefix every key of the note (its version and chunks) starts with."""
    return "dashboard:note_" if trial_id is None else f"dashboard:{trial_id}:note_"


def note_writes(
    trial_id: int | None,
    version: int,
    body: str,
    stored_attrs: Mapping[str, Any],
    user: str | None = None,
) -> dict[str, Any]:
    """The system attrs that store ``body`` as ``version`` saved by ``user``: who saved
    it (cleared when unknown), the chunks, the old leftover chunks blanked, then the
    version (readers key on it)."""
    by_key = note_by_key(trial_id)
    writes: dict[str, Any] = stamp_writes(by_key, user)
    if not writes and stored_attrs.get(by_key) is not None:
        writes[by_key] = None
    writes.update(chunk_writes(note_chunk_prefix(trial_id), body, stored_attrs))
    writes[note_version_key(trial_id)] = version
    return writes


def save_note(study_or_trial: Any, body: str) -> None:
    """Save a Markdown note on a study, or on a trial while it runs.

    The dashboard shows it beside the study or trial; images uploaded as artifacts can be
    embedded with :func:`jupyterlab_optuna.artifact.get_artifact_path`.

    Example:
        >>> import optuna
        >>> from jupyterlab_optuna import save_note, get_note
        >>> study = optuna.create_study()
        >>> save_note(study, "**Goal**: a warmer sunset")
        >>> def objective(trial):
        ...     save_note(trial, f"## Trial {trial.number}")
        ...     return trial.suggest_float("x", 0, 1)
        >>> study.optimize(objective, n_trials=1)
        >>> get_note(study)
        '**Goal**: a warmer sunset'
    """
    if not isinstance(body, str):
        raise TypeError(f"A note body is a str, got {type(body).__name__}.")
    storage, study_id, trial_id = note_target(study_or_trial)

    def save(tx: StudyTx) -> None:
        stored_attrs = tx.system_attrs(note_key_prefix(trial_id))
        version = note_from_system_attrs(stored_attrs, trial_id)["version"] + 1
        tx.set_system_attrs(note_writes(trial_id, version, body, stored_attrs))

    atomically(storage, study_id, save)


def get_note(study_or_trial: Any) -> str:
    """The Markdown note of a study or of a running trial ("" when there is none).

    Example:
        >>> import optuna
        >>> from jupyterlab_optuna import save_note, get_note
        >>> study = optuna.create_study()
        >>> save_note(study, "hello")
        >>> get_note(study)
        'hello'
    """
    storage, study_id, trial_id = note_target(study_or_trial)
    return note_from_system_attrs(storage.get_study_system_attrs(study_id), trial_id)["body"]
