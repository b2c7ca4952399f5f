"""The route table: every dashboard API call, as (method, path pattern) → use case.

Handlers parse and validate the request, call one use case, and return its JSON (or a
Response). The transports (server extension, standalone server, WSGI, widget comm) add
nothing but their own framing.
"""

from __future__ import annotations

import math
from typing import Any

from jupyterlab_optuna._core import artifacts, export, importance, studies, terminator, trials
from jupyterlab_optuna._core.errors import BadRequest
from jupyterlab_optuna._core.routing import Request, Response, Route, Router, compile_pattern
from jupyterlab_optuna._core.storage import StorageRegistry
from jupyterlab_optuna.preferential import _decisions as decisions
from jupyterlab_optuna.preferential import _utility as utility

STUDY = "storages/{sid}/studies/{study_id}"
TRIAL = STUDY + "/trials/{trial_id}"
UPLOAD_PATTERNS = frozenset({STUDY + "/artifacts", TRIAL + "/artifacts"})
"""Where artifacts are uploaded: raw file bodies, streamed by the transports."""


def is_upload(method: str, path: str) -> bool:
    """Whether ``method path`` (relative to the API root) is an artifact upload."""
    return method == "POST" and any(
        compile_pattern(p).match(path.strip("/")) for p in UPLOAD_PATTERNS
    )


# Ids and numbers fit the databases' 32-bit INTEGER columns.
MAX_INT = 2**31 - 1


def _int(value: str | None, name: str, default: int | None = None, minimum: int = 0) -> int:
    if value is None or value == "":
        if default is None:
            raise BadRequest(f"{name} is required.")
        return default
    digits = value.removeprefix("-")
    if len(value) > 12 or not (digits.isascii() and digits.isdecimal()):
        raise BadRequest(f"{name} must be an integer, got {value[:40]!r}.")
    number = int(value)
    if not minimum <= number <= MAX_INT:
        raise BadRequest(f"{name} must be between {minimum} and {MAX_INT}, got {number}.")
    return number


def _float(value: str | None, name: str) -> float | None:
    if value is None or value == "":
        return None
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        raise BadRequest(f"{name} must be a finite number, got {value[:40]!r}.")
    return number


def _bool(value: str | None, name: str) -> bool:
    if value in (None, "", "false", "0"):
        return False
    if value in ("true", "1"):
        return True
    raise BadRequest(f"{name} must be true or false, got {value!r}.")


# --- storages -------------------------------------------------------------------------


def list_storages(reg: StorageRegistry, req: Request) -> Any:
    return {"storages": [e.info() for e in reg.list()]}


def list_storage_files(reg: StorageRegistry, req: Request) -> Any:
    return {"files": reg.storage_files(req.query.get("dir", ""))}


def open_storage(reg: StorageRegistry, req: Request) -> Any:
    body = req.json_object()
    artifact_dir = body.get("artifact_dir")
    if artifact_dir is not None and not isinstance(artifact_dir, str):
        raise BadRequest("artifact_dir must be a string path.")
    entry = reg.open(body.get("url"), artifact_dir, create=bool(body.get("create", False)))
    return entry.info()


def close_storage(reg: StorageRegistry, req: Request, sid: str) -> Any:
    reg.close(sid)
    return {}


# --- studies --------------------------------------------------------------------------


def list_studies(reg: StorageRegistry, req: Request, sid: str) -> Any:
    return {"studies": studies.list_studies(reg.get(sid))}


def create_study(reg: StorageRegistry, req: Request, sid: str) -> Any:
    body = req.json_object()
    entry = reg.get(sid)
    return {"study": studies.create_study(entry, body.get("study_name"), body.get("directions"))}


def rename_study(reg: StorageRegistry, req: Request, sid: str, study_id: str) -> Any:
    entry, sid_ = reg.get(sid), _int(study_id, "study_id")
    return {"study": studies.rename_study(entry, sid_, req.json_object().get("study_name"))}


def delete_study(reg: StorageRegistry, req: Request, sid: str, study_id: str) -> Any:
    remove = _bool(req.query.get("remove_artifacts"), "remove_artifacts")
    studies.delete_study(reg.get(sid), _int(study_id, "study_id"), remove)
    return {}


def study_detail(reg: StorageRegistry, req: Request, sid: str, study_id: str) -> Any:
    after = _int(req.query.get("after"), "after", default=0)
    since = _float(req.query.get("since"), "since")
    return studies.study_detail(reg.get(sid), _int(study_id, "study_id"), after, since)


def param_importances(reg: StorageRegistry, req: Request, sid: str, study_id: str) -> Any:
    objective = _int(req.query.get("objective"), "objective", default=0)
    entry = reg.get(sid)
    return {
        "importances": importance.param_importances(entry, _int(study_id, "study_id"), objective)
    }


def terminator_improvement(reg: StorageRegistry, req: Request, sid: str, study_id: str) -> Any:
    points = _int(req.query.get("max_points"), "max_points", terminator.DEFAULT_POINTS)
    return terminator.terminator_improvement(reg.get(sid), _int(study_id, "study_id"), points)


def trials_csv(reg: StorageRegistry, req: Request, sid: str, study_id: str) -> Any:
    return export.trials_csv(reg.get(sid), _int(study_id, "study_id"), req.query.get("states"))


def save_study_note(reg: StorageRegistry, req: Request, sid: str, study_id: str) -> Any:
    body = req.json_object()
    entry = reg.get(sid)
    return trials.save_note(
        entry, _int(study_id, "study_id"), None, body.get("version"), body.get("body"), req.user
    )


# --- trials ---------------------------------------------------------------------------


def tell(reg: StorageRegistry, req: Request, sid: str, study_id: str, trial_id: str) -> Any:
    body = req.json_object()
    columns = trials.tell_trial(
        reg.get(sid),
        _int(study_id, "study_id"),
        _int(trial_id, "trial_id"),
        body.get("state"),
        body.get("values"),
        req.user,
    )
    return {"trial": columns}


def user_attrs(reg: StorageRegistry, req: Request, sid: str, study_id: str, trial_id: str) -> Any:
    body = req.json_object()
    trials.set_user_attrs(
        reg.get(sid),
        _int(study_id, "study_id"),
        _int(trial_id, "trial_id"),
        body.get("user_attrs"),
        req.user,
    )
    return {}


def save_trial_note(
    reg: StorageRegistry, req: Request, sid: str, study_id: str, trial_id: str
) -> Any:
    body = req.json_object()
    return trials.save_note(
        reg.get(sid),
        _int(study_id, "study_id"),
        _int(trial_id, "trial_id"),
        body.get("version"),
        body.get("body"),
        req.user,
    )


# --- preferential studies -------------------------------------------------------------


def report_decision(reg: StorageRegistry, req: Request, sid: str, study_id: str) -> Any:
    storage, body = reg.get(sid).storage, req.json_object()
    entry = decisions.report_choose_worst(
        storage,
        _int(study_id, "study_id"),
        body.get("candidates"),
        body.get("clicked"),
        req.user,
    )
    return Response(data={"decision": entry}, status=201)


def undo_decision(
    reg: StorageRegistry, req: Request, sid: str, study_id: str, history_id: str
) -> Any:
    storage = reg.get(sid).storage
    return {"decision": decisions.undo_decision(storage, _int(study_id, "study_id"), history_id)}


def redo_decision(
    reg: StorageRegistry, req: Request, sid: str, study_id: str, history_id: str
) -> Any:
    storage = reg.get(sid).storage
    return {"decision": decisions.redo_decision(storage, _int(study_id, "study_id"), history_id)}


def list_decisions(reg: StorageRegistry, req: Request, sid: str, study_id: str) -> Any:
    return {"history": decisions.list_history(reg.get(sid).storage, _int(study_id, "study_id"))}


def list_candidates(reg: StorageRegistry, req: Request, sid: str, study_id: str) -> Any:
    storage = reg.get(sid).storage
    return {"active": decisions.list_active_candidates(storage, _int(study_id, "study_id"))}


def preference_utility(reg: StorageRegistry, req: Request, sid: str, study_id: str) -> Any:
    return utility.preference_utility(reg.get(sid), _int(study_id, "study_id"))


def skip_trial(reg: StorageRegistry, req: Request, sid: str, study_id: str, trial_id: str) -> Any:
    storage = reg.get(sid).storage
    decisions.skip_trial(storage, _int(study_id, "study_id"), _int(trial_id, "trial_id"))
    return {}


def get_feedback_component(reg: StorageRegistry, req: Request, sid: str, study_id: str) -> Any:
    storage = reg.get(sid).storage
    return {"component": decisions.get_feedback_component(storage, _int(study_id, "study_id"))}


def put_feedback_component(reg: StorageRegistry, req: Request, sid: str, study_id: str) -> Any:
    storage, body = reg.get(sid).storage, req.json_object()
    component = decisions.put_feedback_component(storage, _int(study_id, "study_id"), body)
    return {"component": component}


# --- artifacts (study-level when trial_id is absent) ----------------------------------


def _owner(study_id: str, trial_id: str | None) -> tuple[int, int | None]:
    return _int(study_id, "study_id"), None if trial_id is None else _int(trial_id, "trial_id")


def list_artifacts(
    reg: StorageRegistry, req: Request, sid: str, study_id: str, trial_id: str | None = None
) -> Any:
    return {"artifacts": artifacts.list_artifacts(reg.get(sid), *_owner(study_id, trial_id))}


def upload_artifact(
    reg: StorageRegistry, req: Request, sid: str, study_id: str, trial_id: str | None = None
) -> Any:
    mimetype = req.headers.get("Content-Type") or req.headers.get("content-type")
    meta = artifacts.upload(
        reg.get(sid), *_owner(study_id, trial_id), req.query.get("filename"),
        req.body_file(), mimetype,
    )  # fmt: skip
    return Response(data={"artifact": meta}, status=201)


def download_artifact(
    reg: StorageRegistry,
    req: Request,
    sid: str,
    study_id: str,
    artifact_id: str,
    trial_id: str | None = None,
) -> Any:
    return artifacts.download(reg.get(sid), *_owner(study_id, trial_id), artifact_id)


def delete_artifact(
    reg: StorageRegistry,
    req: Request,
    sid: str,
    study_id: str,
    artifact_id: str,
    trial_id: str | None = None,
) -> Any:
    artifacts.delete(reg.get(sid), *_owner(study_id, trial_id), artifact_id)
    return {}


def make_router() -> Router:
    """The whole API as one Router."""
    routes = [
        Route("GET", "storages", list_storages),
        Route("POST", "storages", open_storage),
        Route("DELETE", "storages/{sid}", close_storage),
        Route("GET", "storage-files", list_storage_files),
        Route("GET", "storages/{sid}/studies", list_studies),
        Route("POST", "storages/{sid}/studies", create_study),
        Route("GET", STUDY, study_detail),
        Route("DELETE", STUDY, delete_study),
        Route("POST", STUDY + "/rename", rename_study),
        Route("PUT", STUDY + "/note", save_study_note),
        Route("GET", STUDY + "/param-importances", param_importances),
        Route("GET", STUDY + "/trials.csv", trials_csv),
        Route("GET", STUDY + "/terminator", terminator_improvement),
        Route("GET", STUDY + "/preference/decisions", list_decisions),
        Route("POST", STUDY + "/preference/decisions", report_decision),
        Route("POST", STUDY + "/preference/decisions/{history_id}/undo", undo_decision),
        Route("POST", STUDY + "/preference/decisions/{history_id}/redo", redo_decision),
        Route("GET", STUDY + "/preference/candidates", list_candidates),
        Route("GET", STUDY + "/preference/utility", preference_utility),
        Route("GET", STUDY + "/preference/component", get_feedback_component),
        Route("PUT", STUDY + "/preference/component", put_feedback_component),
        Route("POST", TRIAL + "/skip", skip_trial),
        Route("POST", TRIAL + "/tell", tell),
        Route("POST", TRIAL + "/user-attrs", user_attrs),
        Route("PUT", TRIAL + "/note", save_trial_note),
    ]
    for owner in (STUDY, TRIAL):
        routes += [
            Route("GET", owner + "/artifacts", list_artifacts),
            Route("POST", owner + "/artifacts", upload_artifact),
            Route("GET", owner + "/artifacts/{artifact_id}", download_artifact),
            Route("DELETE", owner + "/artifacts/{artifact_id}", delete_artifact),
        ]
    return Router(routes)
