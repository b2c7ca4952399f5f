"""Faults that heal: the API notices data changed under it, says so, and recovers by itself.

A study deleted and created again outside the server, a SQLite file replaced, truncated or
deleted and then restored, a PostgreSQL server that goes away and comes back; each through
a real Jupyter server.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import uuid
from pathlib import Path

import optuna
import pytest
from apiutil import api, open_storage

PG_URL = os.environ.get("OPTUNA_TEST_POSTGRES_URL", "")


@pytest.fixture
def jp_server_config(jp_server_config: dict) -> dict:
    """The test's PostgreSQL server (through its relay) is one the administrator allows."""
    allowed = ["postgresql+psycopg://optuna@127.0.0.1:*/*"]
    return {**jp_server_config, "OptunaDashboard": {"allowed_database_urls": allowed}}


def make_study(db: Path, name: str, n_trials: int, low: float = 0.0) -> optuna.Study:
    study = optuna.create_study(storage=f"sqlite:///{db}", study_name=name)
    study.optimize(lambda t: t.suggest_float("x", low, low + 1), n_trials=n_trials)
    return study


async def detail(jp_fetch, sid: str, study_id: int, **cursor) -> tuple[int, dict]:
    params = {k: str(v) for k, v in cursor.items()}
    return await api(jp_fetch, "storages", sid, "studies", str(study_id), params=params)


async def test_a_study_deleted_and_created_again_is_read_anew(jp_fetch, tmp_path) -> None:
    # Given a study read once through the API (its trials are now cached)
    db = tmp_path / "recreate.db"
    old = make_study(db, "s", 3)
    sid = await open_storage(jp_fetch, db)
    code, first = await detail(jp_fetch, sid, old._study_id)
    assert code == 200 and first["n_trials"] == 3
    # When, outside the server, it is deleted and created again (SQLite reuses the id)
    optuna.delete_study(study_name="s", storage=f"sqlite:///{db}")
    new = make_study(db, "s", 2, low=10.0)
    assert new._study_id == old._study_id
    # Then the API serves the new trials, not the cached old ones
    code, data = await detail(jp_fetch, sid, new._study_id)
    assert data["n_trials"] == 2
    assert all(x >= 10 for x in data["trials"]["params"]["x"])
    # And an incremental poll from the old cursor says the study has fewer trials
    code, poll = await detail(jp_fetch, sid, new._study_id, **first["cursor"])
    assert poll["n_trials"] == 2


async def test_a_replaced_file_is_read_anew(jp_fetch, tmp_path) -> None:
    db = tmp_path / "replace.db"
    make_study(db, "s", 3)
    sid = await open_storage(jp_fetch, db)
    code, data = await api(jp_fetch, "storages", sid, "studies")
    assert [s["n_trials"] for s in data["studies"]] == [3]
    # When another database is moved over the file (a new file under the same name)
    other = tmp_path / "other.db"
    make_study(other, "s", 5)
    os.replace(other, db)
    # Then the API reads the new file
    code, data = await api(jp_fetch, "storages", sid, "studies")
    assert code == 200 and [s["n_trials"] for s in data["studies"]] == [5]


async def test_a_deleted_file_is_a_clear_503_until_it_is_back(jp_fetch, tmp_path) -> None:
    db = tmp_path / "gone.db"
    study = make_study(db, "s", 3)
    sid = await open_storage(jp_fetch, db)
    assert (await detail(jp_fetch, sid, study._study_id))[0] == 200
    # When the file is deleted, Then every read is a 503 saying so (never stale data)
    shutil.move(db, tmp_path / "elsewhere.db")
    code, data = await detail(jp_fetch, sid, study._study_id)
    assert code == 503 and "gone" in data["message"], data
    code, _ = await api(jp_fetch, "storages", sid, "studies")
    assert code == 503
    # And Jupyter itself keeps answering
    r = await jp_fetch("api", "status")
    assert r.code == 200
    # When it is restored, Then the API recovers by itself
    shutil.move(tmp_path / "elsewhere.db", db)
    code, data = await detail(jp_fetch, sid, study._study_id)
    assert code == 200 and data["n_trials"] == 3


async def test_a_truncated_file_is_a_503_and_heals_when_restored(jp_fetch, tmp_path) -> None:
    db = tmp_path / "trunc.db"
    study = make_study(db, "s", 4)
    sid = await open_storage(jp_fetch, db)
    assert (await detail(jp_fetch, sid, study._study_id))[0] == 200
    saved = db.read_bytes()
    # When the file is truncated in place
    with db.open("r+b") as f:
        f.truncate(0)
    code, data = await detail(jp_fetch, sid, study._study_id)
    assert code == 503 and "empty" in data["message"], data
    # And then written back in place
    with db.open("r+b") as f:
        f.write(saved)
    code, data = await detail(jp_fetch, sid, study._study_id)
    assert code == 200 and data["n_trials"] == 4
    # And a garbled file is a 503 in words, not a 500
    with db.open("r+b") as f:
        f.write(b"not a database at all" * 10)
    code, data = await api(jp_fetch, "storages", sid, "studies")
    assert code == 503 and "SQLite database" in data["message"], data
    db.write_bytes(saved)


class TCPProxy:
    """A TCP relay on 127.0.0.1 to a local server, that can be cut and restored."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self._listener: socket.socket | None = None
        self._sockets: list[socket.socket] = []

    def start(self) -> None:
        listener = socket.create_server(("127.0.0.1", self.port), reuse_port=True)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            self._sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(a: socket.socket, b: socket.socket) -> None:
        try:
            while data := a.recv(65536):
                b.sendall(data)
        except OSError:
            pass
        finally:
            for s in (a, b):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def cut(self) -> None:
        assert self._listener is not None
        self._listener.close()
        for s in self._sockets:
            try:
                s.shutdown(socket.SHUT_RDWR)
                s.close()
            except OSError:
                pass
        self._sockets.clear()


@pytest.mark.skipif(not PG_URL, reason="set OPTUNA_TEST_POSTGRES_URL (scripts/test.sh)")
async def test_postgres_going_away_is_a_503_and_heals(jp_fetch) -> None:
    from sqlalchemy.engine import make_url

    # Given a PostgreSQL study opened through a relay we can cut, as a network would
    url = make_url(PG_URL)
    name = f"faults-{uuid.uuid4().hex[:8]}"
    study = optuna.create_study(storage=PG_URL, study_name=name)
    study.optimize(lambda t: t.suggest_float("x", 0, 1), n_trials=3)
    proxy = TCPProxy((url.host or "127.0.0.1", url.port or 5432))
    proxy.start()
    relayed = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    code, opened = await api(jp_fetch, "storages", method="POST", body={"url": relayed})
    assert code == 200, opened
    sid = opened["storage_id"]
    assert (await detail(jp_fetch, sid, study._study_id))[0] == 200
    try:
        # When the database goes away, Then reads and writes are 503s in words
        proxy.cut()
        code, data = await detail(jp_fetch, sid, study._study_id)
        assert code == 503 and "cannot be reached" in data["message"], data
        path = ("storages", sid, "studies", str(study._study_id), "note")
        code, data = await api(jp_fetch, *path, method="PUT", body={"version": 1, "body": "x"})
        assert code == 503, data
        assert (await jp_fetch("api", "status")).code == 200
        # When it comes back, Then the same storage works again without reopening it
        proxy.start()
        code, data = await detail(jp_fetch, sid, study._study_id)
        assert code == 200 and data["n_trials"] == 3
        code, data = await api(jp_fetch, *path, method="PUT", body={"version": 1, "body": "x"})
        assert code == 200, data
    finally:
        proxy.cut()
        optuna.delete_study(study_name=name, storage=PG_URL)
