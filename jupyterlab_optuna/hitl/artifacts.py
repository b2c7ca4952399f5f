"""Artifact metadata as optuna.artifacts writes it, plus optuna-dashboard's older keys.

An artifact's file lives in an artifact store (e.g. ``FileSystemArtifactStore``); its
metadata is a JSON string in the trial's (or study's) system attrs under
``artifacts:{artifact_id}``, set to ``"null"`` once deleted.
"""

from __future__ import annotations

import io
import json
import mimetypes
import uuid
from collections.abc import Mapping
from typing import Any, BinaryIO, TypedDict

from optuna.storages import BaseStorage

from jupyterlab_optuna._core.atomic import StudyTx, atomically
from jupyterlab_optuna._core.errors import Conflict, NotFound

ARTIFACT_PREFIX = "artifacts:"
DEFAULT_MIMETYPE = "application/octet-stream"


class ArtifactMeta(TypedDict):
    artifact_id: str
    filename: str
    mimetype: str
    encoding: str | None


def legacy_trial_prefix(trial_id: int) -> str:
    """Study-attr prefix older optuna-dashboard versions used for a trial's artifacts."""
    return f"dashboard:artifacts:{trial_id}:"


def artifact_metas(attrs: Mapping[str, Any], prefix: str = ARTIFACT_PREFIX) -> list[ArtifactMeta]:
    """The live artifact metadata among ``attrs`` whose keys start with ``prefix``."""
    out = []
    for key, value in attrs.items():
        if key.startswith(prefix):
            meta = json.loads(value) if isinstance(value, str) else value
            if meta is not None:
                out.append(meta)
    return out


def study_artifacts_from_system_attrs(study_system_attrs: Mapping[str, Any]) -> list[ArtifactMeta]:
    """The live (not deleted) artifacts of a study."""
    return artifact_metas(study_system_attrs, ARTIFACT_PREFIX)


def trial_artifacts_from_system_attrs(
    study_system_attrs: Mapping[str, Any], trial_system_attrs: Mapping[str, Any], trial_id: int
) -> list[ArtifactMeta]:
    """The live artifacts of a trial, from both optuna's and optuna-dashboard's keys."""
    legacy = artifact_metas(study_system_attrs, legacy_trial_prefix(trial_id))
    return legacy + artifact_metas(trial_system_attrs, ARTIFACT_PREFIX)


def upload_artifact(
    artifact_store: Any,
    storage: BaseStorage,
    study_id: int,
    trial_id: int | None,
    filename: str,
    data: bytes | BinaryIO,
    mimetype: str | None = None,
    encoding: str | None = None,
) -> ArtifactMeta:
    """Store ``data`` as a new artifact of the study (``trial_id=None``) or of a trial.

    Raises:
        ValueError: ``filename`` is not a plain file name.
        Conflict: the trial has finished (optuna keeps a trial's artifact metadata in its
            system attrs, which cannot change after it finishes); nothing is written.
    """
    if not filename or "/" in filename or "\\" in filename:
        raise ValueError(f"An artifact needs a plain file name, got {filename!r}.")
    if trial_id is not None:
        _check_running(storage, trial_id, "add artifacts to it")
    guessed, guessed_encoding = mimetypes.guess_type(filename)
    meta: ArtifactMeta = {
        "artifact_id": str(uuid.uuid4()),
        "filename": filename,
        "mimetype": mimetype or guessed or DEFAULT_MIMETYPE,
        "encoding": encoding or guessed_encoding,
    }
    body = io.BytesIO(data) if isinstance(data, bytes) else data
    artifact_store.write(meta["artifact_id"], body)
    try:
        _set_meta(storage, study_id, trial_id, meta["artifact_id"], json.dumps(meta))
    except Conflict:  # finished meanwhile: leave no orphan file
        artifact_store.remove(meta["artifact_id"])
        raise
    return meta


def _set_meta(
    storage: BaseStorage, study_id: int, trial_id: int | None, artifact_id: str, value: str
) -> None:
    """Write the metadata; on a trial, only while it runs (checked in the same atomic step)."""
    key = ARTIFACT_PREFIX + artifact_id

    def write(tx: StudyTx) -> None:
        if trial_id is None:
            tx.set_system_attrs({key: value})
        elif not tx.set_trial_system_attrs(trial_id, {key: value}):
            row = tx.trial(trial_id)
            _raise_finished(row.number if row else trial_id, row.state.name if row else "gone")

    atomically(storage, study_id, write)


def find_artifact_meta(
    storage: BaseStorage, study_id: int, trial_id: int | None, artifact_id: str
) -> ArtifactMeta:
    """The metadata of a live artifact; NotFound when unknown or deleted."""
    return _find_meta(storage, storage.get_study_system_attrs(study_id), trial_id, artifact_id)


def _find_meta(
    storage: BaseStorage, study_attrs: dict[str, Any], trial_id: int | None, artifact_id: str
) -> ArtifactMeta:
    if trial_id is None:
        metas = study_artifacts_from_system_attrs(study_attrs)
    else:
        trial_attrs = storage.get_trial_system_attrs(trial_id)
        metas = trial_artifacts_from_system_attrs(study_attrs, trial_attrs, trial_id)
    for meta in metas:
        if meta["artifact_id"] == artifact_id:
            return meta
    owner = "study" if trial_id is None else "trial"
    raise NotFound(f"The {owner} has no artifact {artifact_id!r}.")


def delete_artifact(
    artifact_store: Any,
    storage: BaseStorage,
    study_id: int,
    trial_id: int | None,
    artifact_id: str,
) -> None:
    """Mark the artifact's metadata deleted (``"null"``), then remove its file.

    Raises:
        NotFound: no such live artifact.
        Conflict: it is in the system attrs of a finished trial, which cannot change.
    """
    study_attrs = storage.get_study_system_attrs(study_id)
    _find_meta(storage, study_attrs, trial_id, artifact_id)
    if trial_id is not None and legacy_trial_prefix(trial_id) + artifact_id in study_attrs:
        storage.set_study_system_attr(
            study_id, legacy_trial_prefix(trial_id) + artifact_id, "null"
        )
    else:
        if trial_id is not None:
            _check_running(storage, trial_id, "delete its artifacts")
        _set_meta(storage, study_id, trial_id, artifact_id, "null")
    artifact_store.remove(artifact_id)


def _check_running(storage: BaseStorage, trial_id: int, action: str) -> None:
    trial = storage.get_trial(trial_id)
    if trial.state.is_finished():
        _raise_finished(trial.number, trial.state.name, action)


def _raise_finished(number: int, state: str, action: str = "add artifacts to it") -> None:
    raise Conflict(
        f"Trial {number} has finished ({state}): optuna keeps a trial's "
        f"artifacts in its system attrs, which cannot change after it finishes, so you "
        f"cannot {action}. Attach the file to the study instead."
    )
