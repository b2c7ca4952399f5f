"""Use cases on artifacts of a study or of one of its trials."""

from __future__ import annotations

from typing import Any, BinaryIO

from jupyterlab_optuna._core.errors import BadRequest, NotFound
from jupyterlab_optuna._core.routing import Response, content_disposition
from jupyterlab_optuna._core.storage import StorageEntry
from jupyterlab_optuna._core.studies import check_study
from jupyterlab_optuna._core.trials import get_trial
from jupyterlab_optuna.hitl import artifacts as meta_store

# Types a browser shows without running anything; every other type (HTML, SVG, XML,
# JavaScript, unknown) is an attachment, so uploaded content never runs as the application.
INLINE_TYPES = frozenset(
    {"image/png", "image/jpeg", "image/gif", "image/webp", "image/avif", "image/bmp",
     "text/plain", "text/csv"}
)  # fmt: skip
INLINE_KINDS = ("audio/", "video/")
# Whatever a browser makes of the file, it is no page of ours: no script, no same origin.
SAFETY_HEADERS = {"X-Content-Type-Options": "nosniff", "Content-Security-Policy": "sandbox"}


def _check_owner(entry: StorageEntry, study_id: int, trial_id: int | None) -> None:
    if trial_id is None:
        check_study(entry, study_id)
    else:
        get_trial(entry, study_id, trial_id)


def _store(entry: StorageEntry) -> Any:
    if entry.artifact_store is None:
        raise BadRequest(
            "This storage was opened without an artifact directory: open it again with one."
        )
    return entry.artifact_store


def list_artifacts(entry: StorageEntry, study_id: int, trial_id: int | None) -> list[Any]:
    _check_owner(entry, study_id, trial_id)
    study_attrs = entry.storage.get_study_system_attrs(study_id)
    if trial_id is None:
        return meta_store.study_artifacts_from_system_attrs(study_attrs)
    trial_attrs = entry.storage.get_trial_system_attrs(trial_id)
    return meta_store.trial_artifacts_from_system_attrs(study_attrs, trial_attrs, trial_id)


def upload(
    entry: StorageEntry,
    study_id: int,
    trial_id: int | None,
    filename: str | None,
    data: BinaryIO,
    mimetype: str | None,
) -> Any:
    if not filename:
        raise BadRequest("Give the file name as ?filename=…")
    store = _store(entry)
    _check_owner(entry, study_id, trial_id)
    if mimetype in (None, "", "application/octet-stream", "application/x-www-form-urlencoded"):
        mimetype = None
    try:
        return meta_store.upload_artifact(
            store, entry.storage, study_id, trial_id, filename, data, mimetype
        )
    except ValueError as e:
        raise BadRequest(str(e)) from None


def download(
    entry: StorageEntry, study_id: int, trial_id: int | None, artifact_id: str
) -> Response:
    store = _store(entry)
    _check_owner(entry, study_id, trial_id)
    meta = meta_store.find_artifact_meta(entry.storage, study_id, trial_id, artifact_id)
    try:
        content = store.open_reader(artifact_id)  # streamed and closed by the transport
    except Exception:
        raise NotFound(
            f"The file of artifact {artifact_id!r} is missing from the store."
        ) from None
    mimetype = _served_type(meta)
    base = mimetype.split(";")[0].strip().lower()
    inline = base in INLINE_TYPES or base.startswith(INLINE_KINDS)
    disposition = "inline" if inline else "attachment"
    headers = {
        "Content-Disposition": content_disposition(disposition, meta["filename"]),
        **SAFETY_HEADERS,
    }
    return Response(content=content, content_type=mimetype, headers=headers)


# A compressed file (mimetypes' "encoding") is served as what it is, never with a
# Content-Encoding that a browser would undo (or fail on) while saving it.
COMPRESSED_TYPES = {
    "gzip": "application/gzip",
    "bzip2": "application/x-bzip2",
    "xz": "application/x-xz",
    "br": "application/x-brotli",
    "compress": "application/x-compress",
}


def _served_type(meta: Any) -> str:
    encoding = meta.get("encoding")
    if encoding:
        return COMPRESSED_TYPES.get(str(encoding), meta_store.DEFAULT_MIMETYPE)
    return str(meta.get("mimetype") or meta_store.DEFAULT_MIMETYPE)


def delete(entry: StorageEntry, study_id: int, trial_id: int | None, artifact_id: str) -> None:
    store = _store(entry)
    _check_owner(entry, study_id, trial_id)
    meta_store.delete_artifact(store, entry.storage, study_id, trial_id, artifact_id)
