"""Two Jupyter servers on one PostgreSQL database (as under JupyterHub), racing writes.

Each server is a separate `jupyter server` process with our extension, so only the
database can serialise what they write.
"""

from __future__ import annotations

import os
import uuid
from collections import Counter

import optuna
import pytest
from prefutil import preference_violations
from raceutil import release_together
from serverutil import Server

from jupyterlab_optuna.hitl.notes import note_from_system_attrs
from jupyterlab_optuna.preferential import create_study

PG_URL = os.environ.get("OPTUNA_TEST_POSTGRES_URL", "")
pytestmark = pytest.mark.skipif(not PG_URL, reason="set OPTUNA_TEST_POSTGRES_URL (scripts/test.sh)")
ROUNDS = 8


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    root = tmp_path_factory.mktemp("servers")
    optuna.storages.RDBStorage(PG_URL)  # tables exist before both servers start
    started = [Server(root / "a", [PG_URL]), Server(root / "b", [PG_URL])]
    yield started
    for s in started:
        s.stop()


def test_note_saves_through_two_servers_store_exactly_one(servers) -> None:
    # Given a study note that people behind two servers edit from the same version
    study = optuna.create_study(storage=PG_URL, study_name=f"srv-{uuid.uuid4().hex[:8]}")
    for round_ in range(ROUNDS):
        bodies = [f"{i}-{round_}-" * 600 for i in range(4)]

        def save(i: int, version: int = round_ + 1, bodies: list[str] = bodies):
            server = servers[i % 2]
            path = server.study(study._study_id) + "/note"
            return server.call("PUT", path, {"version": version, "body": bodies[i]})[0]

        # When two people on each server save at once
        statuses = release_together([lambda i=i: save(i) for i in range(4)])
        # Then exactly one save is stored, whole
        assert sorted(statuses) == [200, 409, 409, 409], statuses
        attrs = study._storage.get_study_system_attrs(study._study_id)
        assert note_from_system_attrs(attrs, None)["body"] == bodies[statuses.index(200)]


def test_tells_through_two_servers_finish_a_trial_once(servers) -> None:
    study = optuna.create_study(storage=PG_URL, study_name=f"srv-{uuid.uuid4().hex[:8]}")
    for _ in range(ROUNDS):
        trial = study.ask()
        bodies = [{"state": "Complete", "values": [i]} if i % 2 else {"state": "Fail"}
                  for i in range(4)]  # fmt: skip

        def tell(i: int, trial_id: int = trial._trial_id, bodies: list = bodies):
            server = servers[i % 2]
            path = f"{server.study(study._study_id)}/trials/{trial_id}/tell"
            return server.call("POST", path, bodies[i])[0]

        statuses = release_together([lambda i=i: tell(i) for i in range(4)])
        assert sorted(statuses) == [200, 409, 409, 409], statuses
        stored = study._storage.get_trial(trial._trial_id)
        winner = bodies[statuses.index(200)]
        assert stored.state.name == winner["state"].upper()
        assert stored.values == winner.get("values")


def test_decisions_through_two_servers_are_recorded_once(servers) -> None:
    # Given a preferential study whose candidates raters behind both servers see
    name = f"srv-pref-{uuid.uuid4().hex[:8]}"
    study = create_study(n_generate=3, storage=PG_URL, study_name=name,
                         sampler=optuna.samplers.RandomSampler(seed=0))  # fmt: skip
    outcomes: Counter[int] = Counter()
    for _ in range(ROUNDS):
        while study.should_generate():
            study.ask().suggest_float("x", 0, 1)
        path = servers[0].study(study._study_id) + "/preference/candidates"
        active = servers[0].call("GET", path)[1]["active"]

        def decide(i: int, active: list[int] = active):
            server = servers[i % 2]
            path = server.study(study._study_id) + "/preference/decisions"
            body = {"candidates": active, "clicked": active[i % len(active)]}
            return server.call("POST", path, body)[0]

        # When four raters pick a different worst at once
        statuses = release_together([lambda i=i: decide(i) for i in range(4)])
        # Then one decision is recorded, the others refused
        assert sorted(statuses) == [201, 409, 409, 409], statuses
        outcomes.update(statuses)
    attrs = study._storage.get_study_system_attrs(study._study_id)
    assert preference_violations(attrs, study.trials) == []
    assert outcomes[201] == ROUNDS
