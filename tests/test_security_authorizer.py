"""Jupyter's Authorizer decides: a read-only user reads the dashboard and writes nothing."""

from __future__ import annotations

import optuna
import pytest
from apiutil import api


@pytest.fixture
def study_db(jp_root_dir):
    """A study with a running trial in the server's root, opened by the server's config."""
    db = jp_root_dir / "ro.db"
    study = optuna.create_study(storage=f"sqlite:///{db}", study_name="ro")
    trial = study.ask()
    trial.suggest_float("x", 0, 1)
    return db, study, trial


@pytest.fixture
def jp_server_config(study_db) -> dict[str, object]:
    return {"ServerApp": {"jpserver_extensions": {"jupyterlab_optuna": True},
                          "authorizer_class": "authutil.ReadOnlyAuthorizer"},
            "OptunaDashboard": {"storages": [str(study_db[0])]}}  # fmt: skip


async def test_a_read_only_user_reads_and_cannot_write(jp_fetch, study_db) -> None:
    db, study, trial = study_db
    # When the read-only user reads, Then the storage and the study are there
    code, data = await api(jp_fetch, "storages")
    assert code == 200
    (storage,) = data["storages"]
    base = ("storages", storage["storage_id"], "studies", str(study._study_id))
    code, detail = await api(jp_fetch, *base)
    assert code == 200 and detail["trials"]["state"] == ["Running"]
    # And every write is refused with 403 before it is carried out
    writes = [
        ("POST", ("storages",), {"url": str(db)}, {}),
        ("PUT", (*base, "note"), {"version": 1, "body": "x"}, {}),
        ("POST", (*base, "trials", str(trial._trial_id), "tell"), {"state": "Fail"}, {}),
        ("POST", (*base, "artifacts"), b"data", {"params": {"filename": "a.bin"}}),
        ("POST", (*base, "rename"), {"study_name": "other"}, {}),
        ("DELETE", base, None, {}),
    ]
    for method, path, body, extra in writes:
        code, _ = await api(jp_fetch, *path, method=method, body=body, **extra)
        assert code == 403, (method, path, code)
    assert study._storage.get_trial(trial._trial_id).state.name == "RUNNING"
    assert [s.study_name for s in optuna.get_all_study_summaries(f"sqlite:///{db}")] == ["ro"]
