"""Telling trials, setting user attrs and saving notes through the route table."""

from __future__ import annotations

import json

import optuna
import pytest
from studyutil import study_on

from jupyterlab_optuna import get_note, save_note
from jupyterlab_optuna._core.errors import BadRequest, Conflict, NotFound
from jupyterlab_optuna._core.routes import make_router
from jupyterlab_optuna._core.routing import Request
from jupyterlab_optuna._core.storage import StorageEntry, StorageRegistry

router = make_router()


def call(reg: StorageRegistry, method: str, path: str, body=None):
    data = b"" if body is None else json.dumps(body).encode()
    return router.dispatch(reg, Request(method, path, {}, data)).data


def running_trial(
    entry: StorageEntry, directions=("minimize",)
) -> tuple[optuna.Study, optuna.Trial, str]:
    study = study_on(entry, directions=directions)
    trial = study.ask()
    trial.suggest_int("n", 0, 9)
    return (
        study,
        trial,
        f"storages/{entry.storage_id}/studies/{study._study_id}/trials/{trial._trial_id}",
    )


def test_tell_completes_a_running_trial_once(
    registry: StorageRegistry, entry: StorageEntry
) -> None:
    study, _, path = running_trial(entry)
    # When a person submits a value
    result = call(registry, "POST", f"{path}/tell", {"state": "Complete", "values": [3]})
    # Then the trial is complete with it
    assert result["trial"]["state"] == ["Complete"]
    assert study.trials[0].state == optuna.trial.TrialState.COMPLETE
    assert study.trials[0].value == 3.0
    # And telling it again is a conflict that changes nothing
    with pytest.raises(Conflict, match="already Complete"):
        call(registry, "POST", f"{path}/tell", {"state": "Fail"})
    assert study.trials[0].value == 3.0


@pytest.mark.parametrize(
    "body",
    [
        {"state": "Complete"},
        {"state": "Complete", "values": [1, 2]},
        {"state": "Complete", "values": ["high"]},
        {"state": "Complete", "values": [True]},
        {"state": "Fail", "values": [1]},
        {"state": "Done", "values": [1]},
    ],
)
def test_bad_tell_is_rejected_and_writes_nothing(
    registry: StorageRegistry, entry: StorageEntry, body
) -> None:
    study, _, path = running_trial(entry)
    with pytest.raises(BadRequest):
        call(registry, "POST", f"{path}/tell", body)
    assert study.trials[0].state == optuna.trial.TrialState.RUNNING


def test_malformed_json_is_a_bad_request(registry: StorageRegistry, entry: StorageEntry) -> None:
    _, _, path = running_trial(entry)
    with pytest.raises(BadRequest, match="not valid JSON"):
        router.dispatch(registry, Request("POST", f"{path}/tell", {}, b"{state: Complete"))


def test_a_trial_of_another_study_is_not_found(
    registry: StorageRegistry, entry: StorageEntry
) -> None:
    study, trial, _ = running_trial(entry)
    other = study_on(entry, "other")
    path = f"storages/{entry.storage_id}/studies/{other._study_id}/trials/{trial._trial_id}/tell"
    with pytest.raises(NotFound):
        call(registry, "POST", path, {"state": "Fail"})
    assert study.trials[0].state == optuna.trial.TrialState.RUNNING


def test_user_attrs_are_saved_on_running_trials_only(
    registry: StorageRegistry, entry: StorageEntry
) -> None:
    study, trial, path = running_trial(entry)
    call(registry, "POST", f"{path}/user-attrs", {"user_attrs": {"score": 4, "why": "too dark"}})
    assert study.trials[0].user_attrs == {"score": 4, "why": "too dark"}
    study.tell(trial, 1.0)
    with pytest.raises(Conflict):
        call(registry, "POST", f"{path}/user-attrs", {"user_attrs": {"score": 5}})
    assert study.trials[0].user_attrs["score"] == 4


def test_note_versions_detect_concurrent_edits(
    registry: StorageRegistry, entry: StorageEntry
) -> None:
    study, trial, path = running_trial(entry)
    # Given a note saved from Python (version 1)
    save_note(trial, "from the generator")
    # When the dashboard saves version 2, it is stored
    saved = call(registry, "PUT", f"{path}/note", {"version": 2, "body": "edited"})
    assert saved == {"version": 2, "body": "edited"}
    assert get_note(trial) == "edited"
    # When another editor saves on top of version 1, it gets a conflict with the stored note
    with pytest.raises(Conflict) as conflict:
        call(registry, "PUT", f"{path}/note", {"version": 2, "body": "stale"})
    assert conflict.value.payload["note"] == {"version": 2, "body": "edited"}
    assert get_note(trial) == "edited"
    # And the study's own note works the same way
    study_path = f"storages/{entry.storage_id}/studies/{study._study_id}/note"
    assert call(registry, "PUT", study_path, {"version": 1, "body": "x" * 5000})["version"] == 1
    assert get_note(study) == "x" * 5000
    with pytest.raises(BadRequest):
        call(registry, "PUT", study_path, {"version": "2", "body": "y"})
