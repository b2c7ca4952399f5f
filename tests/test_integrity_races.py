"""Nothing a person enters is lost, doubled or spliced: real races on real databases.

Several threads or processes (each with its own storage, as separate servers have) make
the same write at the same instant, round after round, on a SQLite file and on PostgreSQL
(scripts/test.sh starts one), and on a journal file for the notes.
"""

from __future__ import annotations

import json
import os
import uuid
from collections import Counter
from pathlib import Path

import optuna
import pytest
import raceutil
from prefutil import has_cycle, preference_violations

from jupyterlab_optuna.hitl.notes import note_from_system_attrs
from jupyterlab_optuna.preferential import _keys, create_study

PG_URL = os.environ.get("OPTUNA_TEST_POSTGRES_URL", "")
needs_pg = pytest.mark.skipif(not PG_URL, reason="set OPTUNA_TEST_POSTGRES_URL (scripts/test.sh)")

DATABASES = ["sqlite", pytest.param("postgres", marks=needs_pg)]
MODES = ["thread", "process"]


def database_url(kind: str, tmp_path: Path) -> str:
    if kind == "sqlite":
        url = f"sqlite:///{tmp_path / 'race.db'}"
        optuna.storages.RDBStorage(url)  # tables first: workers start at the same instant
        return url
    return PG_URL


def fresh_study(url: str, **kwargs) -> optuna.Study:
    return optuna.create_study(storage=url, study_name=f"race-{uuid.uuid4().hex[:8]}", **kwargs)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("db", DATABASES)
@pytest.mark.parametrize("length", [20, 5000])
def test_racing_note_saves_store_exactly_one_whole_body(db, mode, length, tmp_path) -> None:
    # Given a study on a shared database, and 3 writers that all read the same version
    url = database_url(db, tmp_path)
    study = fresh_study(url)
    rounds = 8 if mode == "process" else 12
    # When each saves its own body on that version at the same instant, round after round
    results = raceutil.race(mode, 3, rounds, raceutil.save_note, url, study._study_id, length)
    # Then exactly one save per round is stored, the others are refused with 409
    for round_ in results:
        assert sorted(status for status, _ in round_) == [200, 409, 409], round_
    # And the stored note is the last winner's body, whole: no chunk of another body
    winner = next(body for status, body in results[-1] if status == 200)
    note = note_from_system_attrs(study._storage.get_study_system_attrs(study._study_id), None)
    assert note == {"version": rounds, "body": winner}


def test_racing_note_saves_on_a_journal_file_store_exactly_one(tmp_path) -> None:
    # Given a study in a JournalFileStorage log shared by 3 processes
    log = tmp_path / "race.log"
    from optuna.storages.journal import JournalFileBackend, JournalStorage

    study = optuna.create_study(storage=JournalStorage(JournalFileBackend(str(log))))
    # When they save on the same version at once, 6 rounds
    results = raceutil.race("process", 3, 6, raceutil.save_note, str(log), study._study_id, 3000)
    # Then one wins each round and its body is stored whole
    for round_ in results:
        assert sorted(status for status, _ in round_) == [200, 409, 409], round_
    winner = next(body for status, body in results[-1] if status == 200)
    fresh = JournalStorage(JournalFileBackend(str(log)))
    note = note_from_system_attrs(fresh.get_study_system_attrs(study._study_id), None)
    assert note == {"version": 6, "body": winner}


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("db", DATABASES)
def test_racing_tells_finish_a_trial_exactly_once(db, mode, tmp_path) -> None:
    # Given running trials on a shared database
    url = database_url(db, tmp_path)
    study = fresh_study(url)
    rounds = 8 if mode == "process" else 15
    trial_ids = []
    for _ in range(rounds):
        trial = study.ask()
        trial.suggest_float("x", 0, 1)
        trial_ids.append(trial._trial_id)
    # When 4 clients tell the same trial at once, half Complete and half Fail
    results = raceutil.race(mode, 4, rounds, raceutil.tell, url, study._study_id, trial_ids)
    # Then one tell per trial is answered 200, the others 409
    trials = study._storage.get_all_trials(study._study_id)
    for round_, trial in zip(results, trials, strict=True):
        assert sorted(status for status, _, _ in round_) == [200, 409, 409, 409], round_
        (state, worker) = next((s, w) for status, s, w in round_ if status == 200)
        # And the trial holds the winner's answer only: a Fail trial has no value
        if state == "Complete":
            assert trial.state == optuna.trial.TrialState.COMPLETE and trial.values == [worker]
        else:
            assert trial.state == optuna.trial.TrialState.FAIL and trial.values is None


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("db", DATABASES)
def test_racing_raters_keep_the_preferences_consistent(db, mode, tmp_path) -> None:
    # Given a preferential study and 6 raters (one also generates) who decide, skip, undo
    # and redo on what they see, all at the same instant
    url = database_url(db, tmp_path)
    name = f"pref-{uuid.uuid4().hex[:8]}"
    study = create_study(n_generate=4, storage=url, study_name=name,
                         sampler=optuna.samplers.RandomSampler(seed=0))  # fmt: skip
    rounds = 10 if mode == "process" else 25
    results = raceutil.race(mode, 6, rounds, raceutil.decide, url, study._study_id, 7)
    # Then no rule of the preferences is broken
    attrs = study._storage.get_study_system_attrs(study._study_id)
    assert preference_violations(attrs, study.trials) == []
    # And every decision answered 201 is stored exactly once, with its history
    accepted = [r[2] for round_ in results for r in round_ if r[0] == "decide" and r[1] == 201]
    assert accepted, "no decision went through: the race tested nothing"
    assert len(accepted) == len(set(accepted))
    history_ids = {e["history"]["id"] for e in _keys.history(attrs)}
    assert history_ids == set(accepted)
    # And several raters were refused (they did race), never with a server error
    statuses = Counter(r[1] for round_ in results for r in round_ if r[0] != "none")
    assert statuses[409] > 0 and set(statuses) <= {200, 201, 409}, statuses


@pytest.mark.parametrize("db", DATABASES)
def test_a_kernel_reporting_while_the_panel_decides_never_contradicts(db, tmp_path) -> None:
    # Given a notebook kernel calling report_preference while 3 panel raters decide
    url = database_url(db, tmp_path)
    name = f"pref-{uuid.uuid4().hex[:8]}"
    study = create_study(n_generate=3, storage=url, study_name=name,
                         sampler=optuna.samplers.RandomSampler(seed=0))  # fmt: skip
    results = raceutil.race("process", 4, 8, raceutil.report_from_kernel, url,
                            study._study_id, 3)  # fmt: skip
    # Then the preferences never contradict each other
    attrs = study._storage.get_study_system_attrs(study._study_id)
    assert not has_cycle(_keys.preferences(attrs))
    # And both sides got some of their answers in
    kinds = Counter((r[0], r[1]) for round_ in results for r in round_)
    assert kinds[("kernel", 201)] > 0 and kinds[("decide", 201)] > 0, kinds
    assert json.dumps(attrs)  # still valid JSON throughout


@pytest.mark.parametrize("db", DATABASES)
def test_racing_renames_to_one_name_keep_names_unique(db, tmp_path) -> None:
    # Given two studies, and two servers (separate storages) renaming them at once
    url = database_url(db, tmp_path)
    a, b = fresh_study(url), fresh_study(url)
    apis = [raceutil.Api(url), raceutil.Api(url)]
    for round_ in range(6):
        name = f"taken-{uuid.uuid4().hex[:8]}-{round_}"
        # When both rename their study to the same new name
        calls = [
            lambda api=api, study=study, name=name: api.call(
                "POST", f"{api.base}/{study._study_id}/rename", {"study_name": name}
            )[0]
            for api, study in zip(apis, (a, b), strict=True)
        ]
        statuses = raceutil.release_together(calls)
        # Then one is renamed and the other refused with 409, never a 500
        assert sorted(statuses) == [200, 409], statuses
        names = [s.study_name for s in optuna.get_all_study_summaries(url)]
        assert names.count(name) == 1
