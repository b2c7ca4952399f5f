"""The preferential routes through a real Jupyter server (token auth on), on a SQLite file."""

from __future__ import annotations

from pathlib import Path

import optuna
import pytest
from apiutil import api, open_storage

from jupyterlab_optuna import preferential


@pytest.fixture
def pref_file(tmp_path: Path) -> Path:
    """A preferential study with 4 running trials (numbers 0 to 3), and a plain study."""
    db = tmp_path / "pref.db"
    study = preferential.create_study(
        n_generate=4,
        storage=f"sqlite:///{db}",
        study_name="colours",
        sampler=optuna.samplers.RandomSampler(seed=0),
    )
    for _ in range(4):
        study.ask().suggest_float("r", 0, 1)
    optuna.create_study(storage=f"sqlite:///{db}", study_name="plain")
    return db


def stored(db: Path) -> preferential.PreferentialStudy:
    return preferential.load_study(study_name="colours", storage=f"sqlite:///{db}")


async def test_choose_worst_undo_redo_and_skip(jp_fetch, pref_file: Path) -> None:
    sid = await open_storage(jp_fetch, pref_file)
    study = ("storages", sid, "studies", "1")
    code, detail = await api(jp_fetch, *study)
    assert code == 200
    assert detail["preference"]["active"] == [0, 1, 2, 3]
    assert detail["preference"]["component"] == {"output_type": "note"}

    # Trial 2 is the worst of the four
    body = {"candidates": [0, 1, 2, 3], "clicked": 2}
    code, data = await api(jp_fetch, *study, "preference", "decisions", method="POST", body=body)
    assert code == 201, data
    decision_id = data["decision"]["history"]["id"]
    pairs = {(b.number, w.number) for b, w in stored(pref_file).preferences}
    assert pairs == {(0, 2), (1, 2), (3, 2)}
    states = [t.state for t in stored(pref_file).trials]
    assert states == [optuna.trial.TrialState.COMPLETE] * 4

    code, detail = await api(jp_fetch, *study)
    assert detail["preference"]["active"] == [0, 1, 3]
    assert detail["preference"]["best"] == [0, 1, 3]
    assert [e["is_removed"] for e in detail["preference"]["history"]] == [False]

    # Undo withdraws the preferences and keeps the history entry, redo restores them
    decision = (*study, "preference", "decisions", decision_id)
    code, data = await api(jp_fetch, *decision, "undo", method="POST")
    assert code == 200 and data["decision"]["is_removed"] is True
    assert stored(pref_file).preferences == []
    code, data = await api(jp_fetch, *study, "preference", "candidates")
    assert data["active"] == [0, 1, 2, 3]
    code, data = await api(jp_fetch, *decision, "redo", method="POST")
    assert code == 200 and data["decision"]["is_removed"] is False
    assert len(stored(pref_file).preferences) == 3

    # Skipping trial 3 takes it out of the candidates
    trial_id = stored(pref_file).trials[3]._trial_id
    code, _ = await api(jp_fetch, *study, "trials", str(trial_id), "skip", method="POST")
    assert code == 200
    code, data = await api(jp_fetch, *study, "preference", "candidates")
    assert data["active"] == [0, 1]
    code, data = await api(jp_fetch, *study, "preference", "decisions")
    assert [e["history"]["clicked"] for e in data["history"]] == [2]


async def test_a_stale_decision_is_a_conflict_and_writes_nothing(
    jp_fetch, pref_file: Path
) -> None:
    sid = await open_storage(jp_fetch, pref_file)
    decisions = ("storages", sid, "studies", "1", "preference", "decisions")
    body = {"candidates": [0, 1, 2, 3], "clicked": 2}
    code, _ = await api(jp_fetch, *decisions, method="POST", body=body)
    assert code == 201

    # A second person, still seeing the four trials, clicks trial 0
    code, data = await api(
        jp_fetch, *decisions, method="POST", body={"candidates": [0, 1, 2, 3], "clicked": 0}
    )
    assert code == 409
    assert "Trial 2" in data["message"] and data["active"] == [0, 1, 3]
    assert len(stored(pref_file).preferences) == 3
    code, data = await api(jp_fetch, *decisions)
    assert len(data["history"]) == 1


@pytest.mark.parametrize(
    ("body", "status", "fragment"),
    [
        ({"candidates": [0, 1], "clicked": 5}, 400, "clicked"),
        ({"candidates": [0], "clicked": 0}, 400, "at least 2"),
        ({"candidates": [0, 0], "clicked": 0}, 400, "repeat"),
        ({"candidates": "0,1", "clicked": 0}, 400, "list of trial numbers"),
        ({"candidates": [0, 17], "clicked": 0}, 400, "Trial 17"),
    ],
)
async def test_malformed_decisions_are_rejected(
    jp_fetch, pref_file: Path, body, status: int, fragment: str
) -> None:
    sid = await open_storage(jp_fetch, pref_file)
    path = ("storages", sid, "studies", "1", "preference", "decisions")
    code, data = await api(jp_fetch, *path, method="POST", body=body)
    assert code == status and fragment in data["message"]
    assert stored(pref_file).preferences == []


async def test_feedback_component_and_errors(jp_fetch, pref_file: Path) -> None:
    sid = await open_storage(jp_fetch, pref_file)
    component = ("storages", sid, "studies", "1", "preference", "component")
    body = {"output_type": "artifact", "artifact_key": "image"}
    code, data = await api(jp_fetch, *component, method="PUT", body=body)
    assert code == 200 and data["component"] == body
    code, data = await api(jp_fetch, *component)
    assert data["component"] == body

    code, data = await api(jp_fetch, *component, method="PUT", body={"output_type": "artifact"})
    assert code == 400 and "artifact_key" in data["message"]
    code, data = await api(jp_fetch, *component, method="PUT", body={"output_type": "video"})
    assert code == 400 and "component_type" in data["message"]
    code, data = await api(jp_fetch, *component)
    assert data["component"] == body

    # Unknown decision → 404; a plain study is not preferential → 400; unknown trial → 404
    study = ("storages", sid, "studies", "1")
    code, data = await api(
        jp_fetch, *study, "preference", "decisions", "nope", "undo", method="POST"
    )
    assert code == 404 and "nope" in data["message"]
    code, data = await api(jp_fetch, "storages", sid, "studies", "2", "preference", "decisions")
    assert code == 400 and "not a preferential study" in data["message"]
    code, data = await api(jp_fetch, *study, "trials", "999", "skip", method="POST")
    assert code == 404
    code, detail = await api(jp_fetch, "storages", sid, "studies", "2")
    assert detail["preference"] is None
