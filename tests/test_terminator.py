"""The terminator's improvement curve: optuna's numbers, computed in the background."""

from __future__ import annotations

import time
from pathlib import Path

import optuna
import pytest
from optuna.terminator import RegretBoundEvaluator, report_cross_validation_scores
from optuna.visualization._terminator_improvement import _get_improvement_info

from jupyterlab_optuna._core.errors import BadRequest
from jupyterlab_optuna._core.routes import make_router
from jupyterlab_optuna._core.routing import Request
from jupyterlab_optuna._core.storage import StorageRegistry
from jupyterlab_optuna._core.terminator import evaluation_numbers, improvement_point

pytest.importorskip("torch")


def quadratic(trial: optuna.Trial) -> float:
    x, y = trial.suggest_float("x", -5, 5), trial.suggest_float("y", -5, 5)
    return x**2 + y**2


def poll(router, registry, path: str, points: str, timeout: float = 120) -> dict:
    """Ask until the computation is over, as the panel does."""
    deadline = time.monotonic() + timeout
    while True:
        answer = router.dispatch(registry, Request("GET", path, {"max_points": points})).data
        if answer["status"] != "running" or time.monotonic() > deadline:
            return answer
        time.sleep(0.2)


def test_the_curve_is_optunas_own(tmp_path: Path) -> None:
    # Given a study of 12 complete trials (and a failed one) in a SQLite file
    url = f"sqlite:///{tmp_path / 't.db'}"
    study = optuna.create_study(storage=url, sampler=optuna.samplers.RandomSampler(seed=1))
    study.optimize(quadratic, n_trials=6)
    study.tell(study.ask(), state=optuna.trial.TrialState.FAIL)
    study.optimize(quadratic, n_trials=6)
    registry, router = StorageRegistry(tmp_path), make_router()
    entry = registry.open(url, trusted=True)
    path = f"storages/{entry.storage_id}/studies/{study._study_id}/terminator"
    # When the dashboard computes its curve
    first = router.dispatch(registry, Request("GET", path, {"max_points": "50"}))
    assert first.data["status"] in ("running", "done") and first.data["total"] == 13
    answer = poll(router, registry, path, "50")
    # Then every point is what optuna's plot computes with the same evaluator
    expected = _get_improvement_info(study, improvement_evaluator=RegretBoundEvaluator(seed=0))
    assert answer["status"] == "done" and answer["errors"] is None
    assert answer["trial_numbers"] == expected.trial_numbers
    assert answer["improvements"][0] == pytest.approx(expected.improvements[0], rel=1e-6)
    for number, ours in zip(answer["trial_numbers"], answer["improvements"], strict=True):
        complete = [t for t in study.trials if t.state.is_finished() and t.value is not None
                    and t.number <= number]  # fmt: skip
        theirs = RegretBoundEvaluator(seed=0).evaluate(complete, study.direction)
        assert ours == pytest.approx(theirs, rel=1e-6)


def test_a_long_study_is_capped_and_errors_come_with_cv_scores(tmp_path: Path) -> None:
    study = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=0))

    def objective(trial: optuna.Trial) -> float:
        value = quadratic(trial)
        report_cross_validation_scores(trial, [value, value + 1, value + 0.5])
        return value

    study.optimize(objective, n_trials=40)
    numbers = evaluation_numbers(study.trials, 8)
    assert len(numbers) == 8 and numbers[0] == 0 and numbers[-1] == 39
    registry, router = StorageRegistry(tmp_path), make_router()
    entry = registry.add(study._storage)
    base = f"storages/{entry.storage_id}/studies/{study._study_id}/terminator"
    answer = poll(router, registry, base, "8")
    assert answer["status"] == "done" and answer["trial_numbers"] == numbers
    expected = _get_improvement_info(study, get_error=True,
                                     improvement_evaluator=RegretBoundEvaluator(seed=0))  # fmt: skip
    errors = dict(zip(expected.trial_numbers, expected.errors, strict=True))
    assert answer["errors"] == pytest.approx([errors[n] for n in numbers])
    last = improvement_point(study.trials, study.direction, True)
    assert answer["improvements"][-1] == pytest.approx(last[0], rel=1e-6)


def test_bad_requests_are_clear(tmp_path: Path) -> None:
    study = optuna.create_study(directions=["minimize", "minimize"])
    registry, router = StorageRegistry(tmp_path), make_router()
    entry = registry.add(study._storage)
    base = f"storages/{entry.storage_id}/studies/{study._study_id}/terminator"
    with pytest.raises(BadRequest, match="one objective"):
        router.dispatch(registry, Request("GET", base))
    with pytest.raises(BadRequest, match="max_points"):
        router.dispatch(registry, Request("GET", base, {"max_points": "1"}))
