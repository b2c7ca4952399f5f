"""The dashboard API through a real Jupyter server (pytest-jupyter), authentication on."""

from __future__ import annotations

import asyncio
import gzip
import json
import re
import sqlite3
from pathlib import Path

import optuna
import pytest
from apiutil import api, open_storage
from tornado.httpclient import AsyncHTTPClient

from jupyterlab_optuna._core.routes import make_router


@pytest.fixture
def study_file(tmp_path: Path) -> Path:
    db = tmp_path / "hitl.db"
    study = optuna.create_study(storage=f"sqlite:///{db}", study_name="hitl")
    study.optimize(lambda t: t.suggest_float("x", 0, 1), n_trials=2)
    trial = study.ask()
    trial.suggest_float("x", 0, 1)
    return db


async def test_every_route_refuses_anonymous_requests(jp_fetch, jp_http_port, jp_base_url) -> None:
    # Given the server (jp_fetch starts it) and every route of the table
    await api(jp_fetch, "storages")
    client = AsyncHTTPClient()
    for route in make_router().routes:
        path = re.sub(r"\{\w+\}", "1", route.pattern)
        url = f"http://localhost:{jp_http_port}{jp_base_url}jupyterlab-optuna/api/{path}"
        body = b"{}" if route.method in ("POST", "PUT") else None
        # When called without a token, Then it is refused like any Jupyter endpoint
        r = await client.fetch(url, method=route.method, body=body, raise_error=False)
        assert r.code == 403, (route.method, path, r.code)


async def test_open_list_detail_and_tell(jp_fetch, study_file: Path) -> None:
    sid = await open_storage(jp_fetch, study_file)
    code, data = await api(jp_fetch, "storages")
    assert [s["storage_id"] for s in data["storages"]] == [sid]
    code, data = await api(jp_fetch, "storages", sid, "studies")
    (summary,) = data["studies"]
    assert (summary["study_name"], summary["n_trials"]) == ("hitl", 3)
    code, detail = await api(jp_fetch, "storages", sid, "studies", str(summary["study_id"]))
    assert detail["trials"]["state"] == ["Complete", "Complete", "Running"]
    trial_id = detail["trials"]["trial_id"][2]
    path = ("storages", sid, "studies", str(summary["study_id"]), "trials", str(trial_id), "tell")
    code, data = await api(
        jp_fetch, *path, method="POST", body={"state": "Complete", "values": [0.25]}
    )
    assert code == 200 and data["trial"]["values"] == [[0.25]]
    code, data = await api(
        jp_fetch, *path, method="POST", body={"state": "Complete", "values": [1]}
    )
    assert code == 409 and "already Complete" in data["message"]
    study = optuna.load_study(study_name="hitl", storage=f"sqlite:///{study_file}")
    assert study.trials[2].value == 0.25


async def test_errors_are_json_with_the_right_status(
    jp_fetch, study_file: Path, tmp_path: Path
) -> None:
    code, data = await api(
        jp_fetch, "storages", method="POST", body={"url": str(tmp_path / "nope.db")}
    )
    assert code == 400 and "No such file" in data["message"]
    code, data = await api(jp_fetch, "storages", method="POST", body=b"{not json")
    assert code == 400 and "not valid JSON" in data["message"]
    code, data = await api(jp_fetch, "storages", "0123456789ab", "studies")
    assert code == 404 and "message" in data
    code, data = await api(jp_fetch, "no", "such", "route")
    assert code == 404 and "message" in data
    code, data = await api(jp_fetch, "storages", method="PUT", body={})
    assert code == 405
    code, data = await api(jp_fetch, "storage-files", params={"dir": ".."})
    assert code == 400 and "outside the server's root" in data["message"]
    code, data = await api(jp_fetch, "storage-files", params={"dir": ""})
    assert code == 200 and isinstance(data["files"], list)
    sid = await open_storage(jp_fetch, study_file)
    code, data = await api(jp_fetch, "storages", sid, "studies", "1", params={"after": "-3"})
    assert code == 400 and "after" in data["message"]


async def test_note_conflict_carries_the_stored_note(jp_fetch, study_file: Path) -> None:
    sid = await open_storage(jp_fetch, study_file)
    path = ("storages", sid, "studies", "1", "note")
    code, data = await api(jp_fetch, *path, method="PUT", body={"version": 1, "body": "mine"})
    assert code == 200 and (data["version"], data["body"]) == (1, "mine")
    code, data = await api(jp_fetch, *path, method="PUT", body={"version": 1, "body": "theirs"})
    assert code == 409 and (data["note"]["version"], data["note"]["body"]) == (1, "mine")


async def test_artifacts_upload_download_delete(
    jp_fetch, study_file: Path, tmp_path: Path
) -> None:
    sid = await open_storage(jp_fetch, study_file, tmp_path / "artifacts")
    base = ("storages", sid, "studies", "1", "trials", "3", "artifacts")
    png = b"\x89PNG\r\n\x1a\nfake"
    code, data = await api(jp_fetch, *base, method="POST", body=png, params={"filename": "a.png"},
                           headers={"Content-Type": "image/png"})  # fmt: skip
    assert code == 201, data
    artifact_id = data["artifact"]["artifact_id"]
    r = await jp_fetch("jupyterlab-optuna", "api", *base, artifact_id)
    assert r.body == png
    assert r.headers["Content-Type"] == "image/png"
    assert r.headers["Content-Disposition"].startswith("inline")
    study_base = ("storages", sid, "studies", "1", "artifacts")
    code, data = await api(jp_fetch, *study_base, method="POST", body=b"a,b\n1,2\n",
                           params={"filename": "t.bin"})  # fmt: skip
    assert code == 201
    r = await jp_fetch("jupyterlab-optuna", "api", *study_base, data["artifact"]["artifact_id"])
    assert r.headers["Content-Disposition"].startswith("attachment")
    code, data = await api(jp_fetch, *base)
    assert [a["filename"] for a in data["artifacts"]] == ["a.png"]
    code, _ = await api(jp_fetch, *base, artifact_id, method="DELETE")
    assert code == 200
    code, data = await api(jp_fetch, *base, artifact_id)
    assert code == 404
    # Without an artifact directory, uploads are refused with a message
    other = tmp_path / "other.db"
    optuna.create_study(storage=f"sqlite:///{other}")
    sid2 = await open_storage(jp_fetch, other)
    code, data = await api(jp_fetch, "storages", sid2, "studies", "1", "artifacts", method="POST",
                           body=b"x", params={"filename": "x.txt"})  # fmt: skip
    assert code == 400 and "artifact directory" in data["message"]
    # and the storage list tells the page which storages have artifacts
    code, data = await api(jp_fetch, "storages")
    has = {s["storage_id"]: s["artifacts"] for s in data["storages"]}
    assert has[sid] is True and has[sid2] is False


async def test_large_json_is_gzipped(jp_fetch, tmp_path: Path) -> None:
    db = tmp_path / "big.db"
    study = optuna.create_study(storage=f"sqlite:///{db}")
    study.optimize(lambda t: t.suggest_float("x", 0, 1), n_trials=60)
    sid = await open_storage(jp_fetch, db)
    r = await jp_fetch("jupyterlab-optuna", "api", "storages", sid, "studies", "1",
                       headers={"Accept-Encoding": "gzip"}, decompress_response=False)  # fmt: skip
    assert r.headers["Content-Encoding"] == "gzip"
    assert len(json.loads(gzip.decompress(r.body))["trials"]["number"]) == 60


async def test_storage_calls_never_block_the_event_loop(jp_fetch, study_file: Path) -> None:
    sid = await open_storage(jp_fetch, study_file)
    # Given another process holding an exclusive lock on the SQLite file
    lock = sqlite3.connect(study_file)
    lock.execute("BEGIN EXCLUSIVE")
    try:
        # When a dashboard request has to wait for that lock
        pending = asyncio.ensure_future(api(jp_fetch, "storages", sid, "studies", "1"))
        await asyncio.sleep(0.5)
        assert not pending.done()
        # Then Jupyter's own endpoints still answer meanwhile
        status = await jp_fetch("api", "status")
        assert status.code == 200
        assert not pending.done()
    finally:
        lock.rollback()
        lock.close()
    code, detail = await pending
    assert code == 200 and detail["n_trials"] == 3


async def test_importances(jp_fetch, tmp_path: Path) -> None:
    db = tmp_path / "imp.db"
    study = optuna.create_study(
        storage=f"sqlite:///{db}", sampler=optuna.samplers.RandomSampler(0)
    )
    study.optimize(
        lambda t: t.suggest_float("a", 0, 10) ** 2 + t.suggest_float("b", 0, 1) * 0.01, n_trials=40
    )
    sid = await open_storage(jp_fetch, db)
    code, data = await api(jp_fetch, "storages", sid, "studies", "1", "param-importances")
    assert code == 200
    assert data["importances"][0]["name"] == "a"
    assert abs(sum(i["importance"] for i in data["importances"]) - 1) < 1e-6
    code, data = await api(
        jp_fetch, "storages", sid, "studies", "1", "param-importances", params={"objective": "3"}
    )
    assert code == 400
