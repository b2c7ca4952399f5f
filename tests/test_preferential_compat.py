"""Preferential studies move between optuna-dashboard 0.21 and this package, both ways.

optuna-dashboard runs in its own virtual environment: ``$OPTUNA_DASHBOARD_PYTHON``
(scripts/test.sh creates it). Its default preferential sampler is never used there.
"""

from __future__ import annotations

import json
from pathlib import Path

import optuna
from odutil import needs_optuna_dashboard, od

from jupyterlab_optuna.preferential import (
    create_study,
    load_study,
    register_preference_feedback_component,
)
from jupyterlab_optuna.preferential._decisions import (
    get_feedback_component,
    list_active_candidates,
    list_history,
    report_choose_worst,
    skip_trial,
    undo_decision,
)

pytestmark = needs_optuna_dashboard


def test_a_preferential_study_of_optuna_dashboard_loads_and_continues_here(
    tmp_path: Path,
) -> None:
    # Given a study where optuna-dashboard recorded a decision, an undone one and a skip
    db = tmp_path / "od.db"
    kept_id, undone_id = od("od_pref_write.py", db).split()
    # When we load it
    study = load_study(study_name="od-pref", storage=f"sqlite:///{db}",
                       sampler=optuna.samplers.RandomSampler(seed=1))  # fmt: skip
    storage, sid = study._storage, study._study_id
    # Then we read the same preferences, history, skips and component
    assert study.n_generate == 3
    assert sorted((b.number, w.number) for b, w in study.preferences) == [(0, 1), (2, 1)]
    history = list_history(storage, sid)
    assert [(h["history"]["id"], h["is_removed"]) for h in history] == [
        (kept_id, False),
        (undone_id, True),
    ]
    assert history[1]["history"]["candidates"] == [0, 2, 3]
    assert list_active_candidates(storage, sid) == [0, 2, 3]  # 1 worse, 4 skipped
    assert [t.number for t in study.best_trials] == [0, 2]
    assert get_feedback_component(storage, sid) == {
        "output_type": "artifact",
        "artifact_key": "image_id",
    }
    # And the study continues here: a decision, and the generator fills up to n_generate
    report_choose_worst(storage, sid, [0, 2, 3], 3)
    assert study.should_generate()
    trial = study.ask()
    trial.suggest_float("x", 0, 1)
    assert trial.number == 5 and not study.should_generate()
    assert sorted((b.number, w.number) for b, w in study.preferences) == [
        (0, 1), (0, 3), (2, 1), (2, 3),
    ]  # fmt: skip


def test_a_preferential_study_written_here_loads_in_optuna_dashboard(tmp_path: Path) -> None:
    # Given a study written here: decisions, an undo, a skip and an artifact component
    db = tmp_path / "ours.db"
    study = create_study(n_generate=3, storage=f"sqlite:///{db}", study_name="ours",
                         sampler=optuna.samplers.RandomSampler(seed=0))  # fmt: skip
    register_preference_feedback_component(study, "artifact", "image_id")
    for _ in range(5):
        study.ask().suggest_float("x", 0, 1)
    storage, sid = study._storage, study._study_id
    kept = report_choose_worst(storage, sid, [0, 1, 2], 1)
    undone = report_choose_worst(storage, sid, [0, 2, 3], 0)
    undo_decision(storage, sid, undone["history"]["id"])
    skip_trial(storage, sid, study.trials[4]._trial_id)
    # When optuna-dashboard loads it
    seen = json.loads(od("od_pref_read.py", db, "ours"))
    # Then it reads the same preferences, history, skips, best trials and component
    assert seen["n_generate"] == 3
    assert seen["preferences"] == [[0, 1], [2, 1]]
    assert [(h["history"]["id"], h["is_removed"]) for h in seen["history"]] == [
        (kept["history"]["id"], False),
        (undone["history"]["id"], True),
    ]
    assert seen["history"][0]["history"]["preferences"] == [[0, 1], [2, 1]]
    assert seen["skipped_trial_ids"] == [study.trials[4]._trial_id]
    assert seen["best_trials"] == [0, 2]
    assert seen["should_generate"] is False  # 0, 2, 3 are active
    assert seen["component"] == {"output_type": "artifact", "artifact_key": "image_id"}
