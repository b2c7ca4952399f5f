"""The preferential study API and the decision functions, over real storages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import optuna
import pytest
from optuna.trial import TrialState

from jupyterlab_optuna._core.errors import BadRequest, Conflict, NotFound
from jupyterlab_optuna.preferential import (
    PreferentialStudy,
    create_study,
    load_study,
    register_preference_feedback_component,
)
from jupyterlab_optuna.preferential._decisions import (
    get_feedback_component,
    list_active_candidates,
    list_history,
    put_feedback_component,
    redo_decision,
    report_choose_worst,
    skip_trial,
    undo_decision,
)


def new_study(storage: Any, n_generate: int = 3, name: str = "pref") -> PreferentialStudy:
    return create_study(
        n_generate=n_generate,
        storage=storage,
        study_name=name,
        sampler=optuna.samplers.RandomSampler(seed=0),
    )


def generate(study: PreferentialStudy) -> list[int]:
    """Run the generator until the study has n_generate active trials; their numbers."""
    made = []
    while study.should_generate():
        trial = study.ask()
        trial.suggest_float("x", 0, 1)
        made.append(trial.number)
    return made


def stored(study: PreferentialStudy) -> tuple[dict[str, Any], list[tuple[TrialState, Any]]]:
    """Everything a preferential call may write: study system attrs, trial states/values."""
    attrs = study._storage.get_study_system_attrs(study._study_id)
    trials = [(t.state, t.values) for t in study.get_trials(deepcopy=False)]
    return attrs, trials


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'pref.db'}"


def test_create_and_load_keep_n_generate_and_the_flag(storage) -> None:
    # Given a preferential study
    study = new_study(storage, n_generate=4)
    # When it is loaded again
    loaded = load_study(
        study_name="pref", storage=storage, sampler=optuna.samplers.RandomSampler()
    )
    # Then both see the stored flag and batch size
    assert loaded.n_generate == study.n_generate == 4
    assert loaded.system_attrs["preference:is_preferential"] is True
    # And create_study(load_if_exists=True) loads it, keeping the stored n_generate
    again = create_study(n_generate=9, storage=storage, study_name="pref", load_if_exists=True,
                         sampler=optuna.samplers.RandomSampler())  # fmt: skip
    assert again.n_generate == 4
    with pytest.raises(optuna.exceptions.DuplicatedStudyError):
        new_study(storage)


def test_load_study_refuses_an_ordinary_study(storage) -> None:
    optuna.create_study(storage=storage, study_name="plain")
    with pytest.raises(ValueError, match="not a preferential study"):
        load_study(study_name="plain", storage=storage)
    with pytest.raises(ValueError, match="not a preferential study"):
        create_study(n_generate=2, storage=storage, study_name="plain", load_if_exists=True,
                     sampler=optuna.samplers.RandomSampler())  # fmt: skip


@pytest.mark.parametrize("n_generate", [1, 0, -3, 2.0, True, "4"])
def test_n_generate_below_two_or_not_an_int_is_refused(n_generate: Any) -> None:
    storage = optuna.storages.InMemoryStorage()
    with pytest.raises(ValueError, match="n_generate"):
        create_study(n_generate=n_generate, storage=storage,
                     sampler=optuna.samplers.RandomSampler())  # fmt: skip
    # Nothing was created
    assert storage.get_all_studies() == []


def test_should_generate_counts_active_trials(storage) -> None:
    study = new_study(storage, n_generate=3)
    assert study.should_generate()
    assert generate(study) == [0, 1, 2]
    assert not study.should_generate()
    # Reporting one worse makes room for exactly one more
    study.report_preference(better_trials=study.trials[:2], worse_trials=study.trials[2])
    assert generate(study) == [3]
    # A failed trial is not active either
    study._study.tell(study.trials[3].number, state=TrialState.FAIL)
    assert generate(study) == [4]


def test_report_preference_completes_running_trials_and_records_pairs(storage) -> None:
    study = new_study(storage, n_generate=3)
    generate(study)
    a, b, c = study.trials
    assert {t.state for t in study.trials} == {TrialState.RUNNING}
    # When a and b are reported better than c
    study.report_preference(better_trials=[a, b], worse_trials=c)
    # Then the pairs are stored and the compared trials completed with zeros
    assert sorted((x.number, y.number) for x, y in study.preferences) == [(0, 2), (1, 2)]
    assert [t.state for t in study.trials] == [TrialState.COMPLETE] * 3
    assert study.trials[0].values == [0.0]
    # And the stored form is optuna-dashboard's: [[better, worse], ...] under one uuid key
    values = [v for k, v in study.system_attrs.items() if k.startswith("preference:values")]
    assert values == [[[0, 2], [1, 2]]]


def test_best_trials_are_winners_never_reported_worse_nor_skipped(tmp_path: Path) -> None:
    storage = optuna.storages.get_storage(f"sqlite:///{tmp_path / 'b.db'}")
    study = new_study(storage, n_generate=4)
    generate(study)
    assert study.best_trials == []  # nothing compared yet
    t0, t1, t2, t3 = study.trials
    study.report_preference(better_trials=[t0, t1, t2], worse_trials=t3)
    assert [t.number for t in study.best_trials] == [0, 1, 2]
    study.report_preference(better_trials=t0, worse_trials=t1)
    assert [t.number for t in study.best_trials] == [0, 2]
    skip_trial(storage, study._study_id, t2._trial_id)
    assert [t.number for t in study.best_trials] == [0]
    # A new trial that was never compared is not a best trial yet
    generate(study)
    assert [t.number for t in study.best_trials] == [0]


def test_rejected_report_preference_writes_nothing(storage) -> None:
    study = new_study(storage, n_generate=3)
    other = new_study(storage, name="other")
    generate(study)
    generate(other)
    a, b, _ = study.trials
    before = stored(study)
    with pytest.raises(ValueError, match="not a trial of this study"):
        study.report_preference(better_trials=[a, other.trials[0]], worse_trials=b)
    with pytest.raises(ValueError, match="Trial 0 is in both"):
        study.report_preference(better_trials=[a, b], worse_trials=a)
    with pytest.raises(TypeError, match="must be trials"):
        study.report_preference(better_trials=[a], worse_trials=[0])  # type: ignore[list-item]
    assert stored(study) == before
    assert {t.state for t in study.trials} == {TrialState.RUNNING}


def test_feedback_component_validation_writes_nothing(storage) -> None:
    study = new_study(storage)
    assert get_feedback_component(storage, study._study_id) == {"output_type": "note"}
    before = stored(study)
    with pytest.raises(ValueError, match="component_type must be 'note' or 'artifact'"):
        register_preference_feedback_component(study, "image")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="needs artifact_key"):
        register_preference_feedback_component(study, "artifact")
    with pytest.raises(BadRequest, match="needs artifact_key"):
        put_feedback_component(storage, study._study_id, {"output_type": "artifact"})
    assert stored(study) == before
    register_preference_feedback_component(study, "artifact", "image_id")
    assert study.system_attrs["preference:component"] == {
        "output_type": "artifact",
        "artifact_key": "image_id",
    }
    assert put_feedback_component(storage, study._study_id, {"output_type": "note"}) == {
        "output_type": "note"
    }


def test_choose_worst_undo_redo_on_sqlite(sqlite_url: str) -> None:
    # Given a study on a SQLite file with three trials to compare
    study = new_study(sqlite_url, n_generate=3)
    generate(study)
    storage, sid = study._storage, study._study_id
    assert list_active_candidates(storage, sid) == [0, 1, 2]
    # When a person clicks trial 1 as the worst
    entry = report_choose_worst(storage, sid, [0, 1, 2], 1)
    # Then 0 and 2 are better than 1, 1 leaves the candidates, and the history has it
    assert entry["history"]["preferences"] == [[0, 1], [2, 1]] and not entry["is_removed"]
    assert list_active_candidates(storage, sid) == [0, 2]
    reopened = load_study(study_name="pref", storage=sqlite_url,
                          sampler=optuna.samplers.RandomSampler())  # fmt: skip
    assert sorted((b.number, w.number) for b, w in reopened.preferences) == [(0, 1), (2, 1)]
    (stored_entry,) = list_history(storage, sid)
    assert stored_entry["history"]["id"] == entry["history"]["id"]
    record = json.loads(reopened.system_attrs["preference:history" + entry["history"]["id"]])
    assert record["clicked"] == 1 and record["candidates"] == [0, 1, 2]
    # When the decision is undone, its preferences go and trial 1 is a candidate again
    history_id = entry["history"]["id"]
    assert undo_decision(storage, sid, history_id)["is_removed"]
    assert reopened.preferences == [] and list_active_candidates(storage, sid) == [0, 1, 2]
    assert list_history(storage, sid)[0]["is_removed"]
    # And redo restores them; a second redo (someone else's, a moment later) is a conflict
    redo_decision(storage, sid, history_id)
    with pytest.raises(Conflict, match="already in effect") as info:
        redo_decision(storage, sid, history_id)
    assert info.value.payload["decision"]["is_removed"] is False
    assert sorted((b.number, w.number) for b, w in reopened.preferences) == [(0, 1), (2, 1)]
    assert not list_history(storage, sid)[0]["is_removed"]
    with pytest.raises(NotFound):
        undo_decision(storage, sid, "no-such-id")


def test_a_stale_choose_worst_is_a_conflict_and_writes_nothing(sqlite_url: str) -> None:
    study = new_study(sqlite_url, n_generate=3)
    generate(study)
    storage, sid = study._storage, study._study_id
    # Two people see trials 0, 1, 2; the first clicks 2
    report_choose_worst(storage, sid, [0, 1, 2], 2)
    before = stored(study)
    # The second, still seeing 2, clicks 0: trial 2 is stale
    with pytest.raises(Conflict, match="Trial 2 is no longer among") as info:
        report_choose_worst(storage, sid, [0, 1, 2], 0)
    assert info.value.payload["active"] == [0, 1]
    assert "already reported worse" in info.value.message
    assert stored(study) == before


@pytest.mark.parametrize(
    ("candidates", "clicked", "message"),
    [
        ([0], 0, "at least 2"),
        ([0, 0], 0, "must not repeat"),
        ([0, 1], 2, "clicked must be"),
        ("0,1", 0, "list of trial numbers"),
        ([0, True], 0, "list of trial numbers"),
        ([0, 9], 0, "does not exist"),
    ],
)
def test_malformed_choose_worst_is_a_bad_request(
    sqlite_url: str, candidates: Any, clicked: Any, message: str
) -> None:
    study = new_study(sqlite_url, n_generate=2)
    generate(study)
    before = stored(study)
    with pytest.raises(BadRequest, match=message):
        report_choose_worst(study._storage, study._study_id, candidates, clicked)
    assert stored(study) == before


def test_skip_removes_a_trial_from_the_candidates_for_good(sqlite_url: str) -> None:
    study = new_study(sqlite_url, n_generate=3)
    generate(study)
    storage, sid = study._storage, study._study_id
    skip_trial(storage, sid, study.trials[1]._trial_id)
    assert study.system_attrs[f"preference:skip_trial:{study.trials[1]._trial_id}"] is True
    assert list_active_candidates(storage, sid) == [0, 2]
    # The generator replaces it
    assert generate(study) == [3]
    with pytest.raises(Conflict, match="skipped"):
        report_choose_worst(storage, sid, [0, 1, 2], 0)
    with pytest.raises(NotFound):
        skip_trial(storage, sid, 10_000)


def test_decisions_on_a_non_preferential_study_are_bad_requests(sqlite_url: str) -> None:
    plain = optuna.create_study(storage=sqlite_url, study_name="plain")
    plain.ask()
    plain.ask()
    storage, sid = plain._storage, plain._study_id
    with pytest.raises(BadRequest, match="not a preferential study"):
        report_choose_worst(storage, sid, [0, 1], 0)
    with pytest.raises(BadRequest, match="not a preferential study"):
        skip_trial(storage, sid, plain.trials[0]._trial_id)
    with pytest.raises(NotFound):
        list_history(storage, sid + 100)
    assert storage.get_study_system_attrs(sid) == {}
