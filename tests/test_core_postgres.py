"""The RDB path on a real PostgreSQL server (scripts/test.sh starts one and sets the URL)."""

from __future__ import annotations

import json
import os
import uuid

import optuna
import pytest

from jupyterlab_optuna._core.routes import make_router
from jupyterlab_optuna._core.routing import Request
from jupyterlab_optuna._core.storage import StorageRegistry

URL = os.environ.get("OPTUNA_TEST_POSTGRES_URL", "")
pytestmark = pytest.mark.skipif(
    not URL, reason="set OPTUNA_TEST_POSTGRES_URL to a PostgreSQL database (scripts/test.sh does)"
)


def test_postgres_storage_through_the_api(tmp_path) -> None:
    # Given a study written by optuna on PostgreSQL, with a running trial
    name = f"pg-{uuid.uuid4().hex[:8]}"
    study = optuna.create_study(storage=URL, study_name=name, directions=["minimize"])
    study.optimize(lambda t: t.suggest_int("n", 1, 9) + t.suggest_float("x", 0, 1), n_trials=5)
    running = study.ask()
    running.suggest_int("n", 1, 9)
    # When the API opens the URL and reads the study
    registry = StorageRegistry(root_dir=tmp_path)
    router = make_router()
    entry = registry.open(URL, trusted=True)
    base = f"storages/{entry.storage_id}/studies/{study._study_id}"
    detail = router.dispatch(registry, Request("GET", base)).data
    # Then the fast reader sees what optuna wrote
    assert detail["study_name"] == name
    assert detail["trials"]["state"] == ["Complete"] * 5 + ["Running"]
    assert detail["trials"]["values"][:5] == [[t.value] for t in study.trials[:5]]
    # And a rating through the API finishes the trial, seen by the next poll
    tell = f"{base}/trials/{running._trial_id}/tell"
    router.dispatch(registry, Request("POST", tell, body=json.dumps({"state": "Complete", "values": [0.5]}).encode()))
    poll = router.dispatch(registry, Request("GET", base, {k: str(v) for k, v in detail["cursor"].items()})).data
    assert poll["trials"]["state"][-1] == "Complete"
    assert "password" not in json.dumps(entry.info()) and ":optuna@" not in entry.info()["url"]
    optuna.delete_study(study_name=name, storage=URL)
