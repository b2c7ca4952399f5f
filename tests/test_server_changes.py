"""The live channel: a long poll that answers once the storage changed (real server)."""

from __future__ import annotations

import asyncio
import os
import threading
import time
from pathlib import Path

import optuna
import pytest
from apiutil import api, open_storage
from test_widgets import Replies
from tornado.httpclient import AsyncHTTPClient

from jupyterlab_optuna import Dashboard
from jupyterlab_optuna._core.changes import fingerprint
from jupyterlab_optuna._core.storage import StorageRegistry


@pytest.fixture
def study_file(tmp_path: Path) -> Path:
    db = tmp_path / "live.db"
    study = optuna.create_study(storage=f"sqlite:///{db}", study_name="live")
    study.ask().suggest_float("x", 0, 1)
    return db


async def changes(jp_fetch, sid: str, **params: str):
    return await api(jp_fetch, "storages", sid, "changes", params=params)


async def test_a_new_trial_wakes_a_waiting_view(jp_fetch, study_file: Path) -> None:
    sid = await open_storage(jp_fetch, study_file)
    # Without a fingerprint the answer is immediate: the current one
    code, first = await changes(jp_fetch, sid)
    assert code == 200 and first["changed"] and first["fingerprint"]
    # Nothing changes: the wait runs out and says so
    code, quiet = await changes(jp_fetch, sid, since=first["fingerprint"], timeout="0.5")
    assert quiet == {"fingerprint": first["fingerprint"], "changed": False}

    # When a generator (another connection) adds a trial 0.3 s into a 20 s wait
    def generate() -> None:
        time.sleep(0.3)
        study = optuna.load_study(study_name="live", storage=f"sqlite:///{study_file}")
        study.ask().suggest_float("x", 0, 1)

    writer = threading.Thread(target=generate)
    writer.start()
    code, woken = await changes(jp_fetch, sid, since=first["fingerprint"], timeout="20")
    writer.join()
    # Then the wait ends with a new fingerprint (long before its 20 s)
    assert code == 200 and woken["changed"] and woken["fingerprint"] != first["fingerprint"]
    code, detail = await api(jp_fetch, "storages", sid, "studies", "1")
    assert detail["n_trials"] == 2


async def test_waiting_views_hold_no_thread(jp_fetch, study_file: Path) -> None:
    # Given more waiting views than the server has storage threads (4)
    sid = await open_storage(jp_fetch, study_file)
    code, first = await changes(jp_fetch, sid)
    waits = [
        asyncio.ensure_future(changes(jp_fetch, sid, since=first["fingerprint"], timeout="3"))
        for _ in range(8)
    ]
    await asyncio.sleep(0.3)
    # Then the rest of the API still answers while they wait
    code, _ = await api(jp_fetch, "storages", sid, "studies")
    assert code == 200 and not any(w.done() for w in waits)
    assert all(r == (200, {"fingerprint": first["fingerprint"], "changed": False})
               for r in await asyncio.gather(*waits))  # fmt: skip


async def test_bad_waits_are_clear_errors(jp_fetch, study_file: Path, jp_http_port, jp_base_url):
    sid = await open_storage(jp_fetch, study_file)
    code, data = await changes(jp_fetch, sid, timeout="600")
    assert code == 400 and "timeout" in data["message"]
    code, data = await changes(jp_fetch, "nope")
    assert code == 404 and "message" in data
    code, data = await api(jp_fetch, "storages", sid, "changes", method="POST", body={})
    assert code == 405
    # And like every route, it is closed to anonymous callers
    url = (
        f"http://localhost:{jp_http_port}{jp_base_url}jupyterlab-optuna/api/storages/{sid}/changes"
    )
    r = await AsyncHTTPClient().fetch(url, raise_error=False)
    assert r.code == 403


POSTGRES = os.environ.get("OPTUNA_TEST_POSTGRES_URL", "")


@pytest.mark.parametrize("kind", ["sqlite", "journal", "inmemory", "postgres"])
def test_every_write_changes_the_fingerprint(kind: str, tmp_path: Path) -> None:
    registry = StorageRegistry(str(tmp_path))
    if kind == "postgres":
        if not POSTGRES:
            pytest.skip(
                "set OPTUNA_TEST_POSTGRES_URL to a PostgreSQL database (scripts/test.sh does)"
            )
        entry = registry.open(POSTGRES, trusted=True)
    elif kind == "inmemory":
        entry = registry.add(optuna.storages.InMemoryStorage())
    else:
        name = "s.db" if kind == "sqlite" else "s.log"
        entry = registry.open(str(tmp_path / name), create=True, trusted=True)
    study = optuna.create_study(storage=entry.storage)
    seen = [fingerprint(entry)]
    writes = [
        lambda: study.ask(),
        lambda: study._storage.set_trial_user_attr(study.trials[0]._trial_id, "a", 1),
        lambda: study._storage.set_study_system_attr(study._study_id, "dashboard:note_ver", 1),
        lambda: study._storage.set_study_system_attr(study._study_id, "dashboard:note_ver", 2),
        lambda: study.tell(0, 1.0),
    ]
    for write in writes:
        write()
        seen.append(fingerprint(entry))
    assert None not in seen and len(set(seen)) == len(seen), seen
    if kind != "postgres":  # (a server's other databases may move its snapshot any time)
        assert fingerprint(entry) == seen[-1]  # it holds still while nothing changes


def test_a_widget_is_woken_from_the_kernel(tmp_path: Path) -> None:
    # Given a widget on an in-memory study (as in Colab: no server extension at all)
    study = optuna.create_study()
    study.ask()
    widget = Dashboard(study)
    comm = Replies(widget)
    path = f"storages/{widget.storage['storage_id']}/changes"

    def wait(request_id: int, **query: str) -> None:
        content = {"type": "request", "id": request_id, "method": "GET", "path": path,
                   "query": query}  # fmt: skip
        widget._handle_msg(
            {"content": {"data": {"method": "custom", "content": content}}, "buffers": []}
        )

    def answer(request_id: int) -> dict:
        deadline = time.monotonic() + 10
        while not any(r["id"] == request_id for r, _ in comm.sent):
            assert time.monotonic() < deadline, f"no answer to {request_id}"
            time.sleep(0.02)
        (reply,) = [r for r, _ in comm.sent if r["id"] == request_id]
        assert reply["status"] == 200, reply
        return reply["data"]

    wait(1)
    held = answer(1)["fingerprint"]
    assert held
    # When it waits for a change and the notebook's generator adds a trial meanwhile
    wait(2, since=held, timeout="20")
    assert not comm.sent[1:]  # the comm handler returned without blocking on the wait
    study.ask()
    # Then its answer comes soon after, from the kernel's waiter thread
    woken = answer(2)
    assert woken["changed"] is True and woken["fingerprint"] != held
    # And a wait with nothing happening ends at its timeout, unchanged
    wait(3, since=woken["fingerprint"], timeout="0.3")
    assert answer(3) == {"fingerprint": woken["fingerprint"], "changed": False}
