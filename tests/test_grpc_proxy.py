"""optuna's gRPC storage proxy as a storage: a real proxy over SQLite, started by the test."""

from __future__ import annotations

import subprocess
import sys
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import optuna
import pytest
import raceutil
from apiutil import api
from prefutil import preference_violations
from securityutil import free_port
from test_widgets import Replies

from jupyterlab_optuna import Dashboard
from jupyterlab_optuna._core import storage as storage_module
from jupyterlab_optuna._core.storage import StorageRegistry
from jupyterlab_optuna.hitl.notes import note_from_system_attrs
from jupyterlab_optuna.preferential import _keys, create_study

pytest.importorskip("grpc")

PROXY = """
import sys, optuna
optuna.storages.run_grpc_proxy_server(
    optuna.storages.RDBStorage(sys.argv[1]), host="127.0.0.1", port=int(sys.argv[2])
)
"""


class Proxy:
    """``run_grpc_proxy_server`` over a SQLite file, in a process of its own."""

    def __init__(self, db: Path) -> None:
        self.db, self.port = db, free_port()
        self.url = f"grpc://127.0.0.1:{self.port}"
        optuna.storages.RDBStorage(f"sqlite:///{db}")  # the schema, before the proxy reads it
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen([sys.executable, "-c", PROXY, f"sqlite:///{self.db}",
                                      str(self.port)], stderr=subprocess.DEVNULL)  # fmt: skip
        self.client().wait_server_ready(timeout=60)

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=30)
            self.proc = None

    def client(self) -> optuna.storages.GrpcStorageProxy:
        return optuna.storages.GrpcStorageProxy(host="127.0.0.1", port=self.port)


@pytest.fixture
def proxy(tmp_path: Path) -> Iterator[Proxy]:
    p = Proxy(tmp_path / "fleet.db")
    p.start()
    yield p
    p.stop()


@pytest.fixture
def jp_server_config() -> dict[str, object]:
    return {
        "ServerApp": {"jpserver_extensions": {"jupyterlab_optuna": True}},
        "OptunaDashboard": {"allowed_database_urls": ["grpc://127.0.0.1:*"]},
    }


async def test_every_read_and_write_through_the_proxy(jp_fetch, proxy: Proxy) -> None:
    # Given a fleet's study behind the proxy: 2 complete trials and 1 running
    study = optuna.create_study(storage=proxy.client(), study_name="fleet")
    study.optimize(lambda t: t.suggest_float("x", 0, 1), n_trials=2)
    study.ask().suggest_float("x", 0, 1)
    # When the panel opens grpc://host:port
    code, info = await api(jp_fetch, "storages", method="POST", body={"url": proxy.url})
    assert code == 200 and info["kind"] == "grpc" and info["url"] == proxy.url
    sid = info["storage_id"]
    code, data = await api(jp_fetch, "storages", sid, "studies")
    assert [s["study_name"] for s in data["studies"]] == ["fleet"]
    base = ("storages", sid, "studies", str(study._study_id))
    code, detail = await api(jp_fetch, *base)
    assert detail["trials"]["state"] == ["Complete", "Complete", "Running"]
    # Then a rating, a note and its conflict work as on a database
    trial = (*base, "trials", str(detail["trials"]["trial_id"][2]))
    code, _ = await api(jp_fetch, *trial, "tell", method="POST",
                        body={"state": "Complete", "values": [0.5]})  # fmt: skip
    assert code == 200 and study.trials[2].value == 0.5
    code, _ = await api(jp_fetch, *trial, "tell", method="POST",
                        body={"state": "Complete", "values": [0.7]})  # fmt: skip
    assert code == 409 and study.trials[2].value == 0.5
    code, _ = await api(jp_fetch, *base, "note", method="PUT", body={"version": 1, "body": "a"})
    code, data = await api(jp_fetch, *base, "note", method="PUT", body={"version": 1, "body": "b"})
    assert code == 409 and data["note"]["body"] == "a"
    # And the lock studies the writes took are gone, never listed
    names = [s.study_name for s in proxy.client().get_all_studies()]
    assert names == ["fleet"]


async def test_a_proxy_is_opened_only_where_allowed_and_down_is_clear(
    jp_fetch, proxy: Proxy, tmp_path: Path
) -> None:
    code, data = await api(jp_fetch, "storages", method="POST", body={"url": "grpc://nohost"})
    assert code == 400 and "grpc://host:port" in data["message"]
    registry = StorageRegistry(tmp_path)
    with pytest.raises(Exception, match="only where an administrator allowed"):
        registry.open(proxy.url)
    # A proxy that is down: a clear 400 on opening, a 503 once opened
    code, info = await api(jp_fetch, "storages", method="POST", body={"url": proxy.url})
    optuna.create_study(storage=proxy.client(), study_name="s")
    proxy.stop()
    code, data = await api(jp_fetch, "storages", info["storage_id"], "studies")
    assert code == 503 and "gRPC storage proxy does not answer" in data["message"]
    down = f"grpc://127.0.0.1:{proxy.port + 1 if proxy.port < 65535 else 1}"
    with pytest.raises(Exception, match="does not answer"):
        storage_module.StorageRegistry(tmp_path).open(down, trusted=True)


@pytest.mark.parametrize("mode", ["thread", "process"])
def test_racing_note_saves_through_the_proxy_store_exactly_one(proxy: Proxy, mode) -> None:
    # Given 3 writers (threads, or processes as 3 servers would be) on one proxy
    study = optuna.create_study(storage=proxy.client(), study_name=f"race-{uuid.uuid4().hex[:6]}")
    rounds = 5
    results = raceutil.race(mode, 3, rounds, raceutil.save_note, proxy.url, study._study_id, 3000)
    # Then exactly one save per round is stored, the others are refused
    for round_ in results:
        assert sorted(status for status, _ in round_) == [200, 409, 409], round_
    winner = next(body for status, body in results[-1] if status == 200)
    attrs = proxy.client().get_study_system_attrs(study._study_id)
    assert note_from_system_attrs(attrs, None) == {"version": rounds, "body": winner}


def test_racing_raters_through_the_proxy_keep_the_preferences_consistent(proxy: Proxy) -> None:
    study = create_study(n_generate=4, storage=proxy.client(), study_name="pref",
                         sampler=optuna.samplers.RandomSampler(seed=0))  # fmt: skip
    results = raceutil.race("process", 4, 6, raceutil.decide, proxy.url, study._study_id, 7)
    attrs = proxy.client().get_study_system_attrs(study._study_id)
    assert preference_violations(attrs, study.trials) == []
    accepted = [r[2] for round_ in results for r in round_ if r[0] == "decide" and r[1] == 201]
    assert accepted and len(accepted) == len(set(accepted))
    assert {e["history"]["id"] for e in _keys.history(attrs)} == set(accepted)
    statuses = Counter(r[1] for round_ in results for r in round_ if r[0] != "none")
    assert set(statuses) <= {200, 201, 409}, statuses


def test_show_dashboard_opens_a_proxy_url_and_a_study_on_a_proxy(proxy: Proxy) -> None:
    study = optuna.create_study(storage=proxy.client(), study_name="fleet")
    study.optimize(lambda t: t.suggest_float("x", 0, 1), n_trials=3)
    # By URL (the storage's study list) and by study object (its dashboard)
    for widget in (Dashboard(proxy.url), Dashboard(study)):
        assert widget.storage["kind"] == "grpc" and widget.storage["url"] == proxy.url
        comm = Replies(widget)
        reply, _ = comm.request("GET", f"storages/{widget.storage['storage_id']}/studies")
        assert [s["n_trials"] for s in reply["data"]["studies"]] == [3]
