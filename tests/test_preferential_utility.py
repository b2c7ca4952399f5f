"""The preference model's utility route, through a real Jupyter server on a SQLite file."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import optuna
import pytest
from apiutil import api, open_storage

from jupyterlab_optuna import preferential
from jupyterlab_optuna.preferential import _utility

pytest.importorskip("botorch")

import torch
from optuna.search_space import intersection_search_space

from jupyterlab_optuna.preferential.samplers._gp import model as gp_model
from jupyterlab_optuna.preferential.samplers._gp.data import compared_points
from jupyterlab_optuna.preferential.samplers._gp.likelihood import DEFAULT_SLOPE, click_likelihood
from jupyterlab_optuna.preferential.samplers._gp.search_space import SearchSpaceCoder

CHOICES = ("a", "b", "c")


def ask(study: preferential.PreferentialStudy) -> optuna.trial.Trial:
    trial = study.ask()
    trial.suggest_float("x", 0, 1)
    trial.suggest_float("lr", 1e-4, 1, log=True)
    trial.suggest_categorical("c", CHOICES)
    trial.suggest_int("n", 1, 20)
    return trial


def person(params: dict) -> float:
    """A consistent person: likes x near 0.3, lr near 1e-2, choice "b", n near 7."""
    return (
        -((params["x"] - 0.3) ** 2)
        - 0.3 * (math.log10(params["lr"]) + 2) ** 2
        + (0.5 if params["c"] == "b" else 0.0)
        - 0.01 * (params["n"] - 7) ** 2
    )


def decide(study: preferential.PreferentialStudy, n_decisions: int) -> None:
    """The person picks the worst of the 4 active trials ``n_decisions`` times; a new
    trial replaces each worst one."""
    for _ in range(n_decisions):
        active = [t for t in study.trials if t.number in active_numbers(study)]
        worst = min(active, key=lambda t: person(t.params))
        study.report_preference(
            better_trials=[t for t in active if t.number != worst.number], worse_trials=[worst]
        )
        ask(study)


def active_numbers(study: preferential.PreferentialStudy) -> set[int]:
    worse = {w.number for _, w in study.preferences}
    return {t.number for t in study.trials if t.number not in worse}


def make_study(db: Path, n_decisions: int) -> preferential.PreferentialStudy:
    study = preferential.create_study(
        n_generate=4,
        storage=f"sqlite:///{db}",
        study_name="tuning",
        sampler=optuna.samplers.RandomSampler(seed=3),
    )
    for _ in range(4):
        ask(study)
    decide(study, n_decisions)
    return study


@pytest.fixture
def decided(tmp_path: Path) -> Path:
    """A preferential study on a SQLite file after 10 decisions (4 candidates active)."""
    db = tmp_path / "pref.db"
    make_study(db, 10)
    return db


def reload(db: Path) -> preferential.PreferentialStudy:
    return preferential.load_study(study_name="tuning", storage=f"sqlite:///{db}")


async def utility(jp_fetch, sid: str, study_id: int = 1) -> tuple[int, dict]:
    path = ("storages", sid, "studies", str(study_id), "preference", "utility")
    return await api(jp_fetch, *path)


async def fitted_model(jp_fetch, db: Path) -> tuple[preferential.PreferentialStudy, dict]:
    """The study in ``db`` and the model the route fits to it (asserting a 200)."""
    study = reload(db)
    sid = await open_storage(jp_fetch, db)
    code, data = await utility(jp_fetch, sid)
    assert code == 200, data
    assert data["message"] is None
    return study, data["model"]


def independent_means(study: preferential.PreferentialStudy) -> dict[int, float]:
    """Posterior means of the compared trials, from a model fitted here the way the route
    documents it: optuna's intersection space of the compared trials, the sampler's
    default model (its likelihood of the stored decisions), 50 iterations, seed 0."""
    decisions = [
        value
        for key, value in study.system_attrs.items()
        if key.startswith("preference:values") and value
    ]
    numbers = sorted({n for decision in decisions for pair in decision for n in pair})
    compared = [study.trials[n] for n in numbers]
    space = {k: d for k, d in intersection_search_space(compared).items() if not d.single()}
    coder = SearchSpaceCoder(space)
    data = compared_points(study.trials, decisions, space, coder)
    assert data is not None
    module = gp_model.covar_module(gp_model.default_kernel(coder.dim))
    X = torch.from_numpy(data.X)
    comparisons, clicks = torch.from_numpy(data.comparisons), torch.from_numpy(data.clicks)
    likelihood = click_likelihood(clicks, DEFAULT_SLOPE)
    fitted = gp_model.fit_model(X, comparisons, module, 50, 0, likelihood=likelihood)
    with torch.no_grad():
        mean = fitted.posterior(X).mean.reshape(-1).numpy()
    return {n: float(mean[row]) for n, row in data.row_of.items()}


async def test_the_model_ranks_the_recommended_best_and_candidate_trials(
    jp_fetch, decided: Path
) -> None:
    # Given a study with 10 decisions
    # When the Analytics page asks for the utility
    study, model = await fitted_model(jp_fetch, decided)

    # Then the model's recommendation is the compared trial of highest posterior mean
    means = independent_means(study)
    assert model["recommended"] == max(sorted(means), key=means.__getitem__)
    assert model["n_compared"] == len(means)
    assert model["n_preferences"] == len(study.preferences)

    # And it carries mean ± sd for the recommended trial, the best trials and the candidates
    by_number = {t["number"]: t for t in model["trials"]}
    best = {t.number for t in study.best_trials}
    active = active_numbers(study)
    assert set(by_number) == {model["recommended"]} | best | active
    assert "recommended" in by_number[model["recommended"]]["roles"]
    assert {n for n, t in by_number.items() if "best" in t["roles"]} == best
    assert {n for n, t in by_number.items() if "candidate" in t["roles"]} == active
    assert all(t["sd"] > 0 for t in model["trials"])
    for n in best:
        assert by_number[n]["mean"] == pytest.approx(means[n], abs=1e-4)
    # (the recommendation beats every trial shown beside it)
    assert by_number[model["recommended"]]["mean"] == max(t["mean"] for t in model["trials"])


async def test_slices_cover_each_parameter_through_the_recommended_trial(
    jp_fetch, decided: Path
) -> None:
    study, model = await fitted_model(jp_fetch, decided)
    slices = {s["param"]: s for s in model["slices"]}
    recommended = study.trials[model["recommended"]].params
    rec_mean = next(t["mean"] for t in model["trials"] if t["number"] == model["recommended"])

    # Then there is one slice per parameter, most relevant (shortest lengthscale) first
    assert sorted(slices) == ["c", "lr", "n", "x"]
    assert model["params"] == [s["param"] for s in model["slices"]]
    lengthscales = [s["lengthscale"] for s in model["slices"]]
    assert lengthscales == sorted(lengthscales)

    # And a float has 50 values (a log one evenly on the log scale), an int each of its
    # 20 values, a categorical each choice; means and sds follow the values
    assert len(slices["x"]["values"]) == 50
    assert np.allclose(np.diff(slices["x"]["values"]), 1 / 49)
    lr = np.log10(slices["lr"]["values"])
    assert len(lr) == 50 and lr[0] == pytest.approx(-4) and lr[-1] == pytest.approx(0)
    assert np.allclose(np.diff(lr), 4 / 49)
    assert slices["n"]["values"] == list(range(1, 21))
    assert slices["c"]["values"] == list(CHOICES)
    for s in model["slices"]:
        assert len(s["mean"]) == len(s["sd"]) == len(s["values"])
        assert all(sd > 0 for sd in s["sd"])

    # And each slice passes through the recommended trial
    for name in ("n", "c"):
        at = slices[name]["values"].index(recommended[name])
        assert slices[name]["mean"][at] == pytest.approx(rec_mean, abs=1e-6)

    # And its rug holds the compared trials' values
    compared = sorted({n for pair in study.preferences for n in (pair[0].number, pair[1].number)})
    for name, s in slices.items():
        assert s["rug"]["numbers"] == compared
        assert s["rug"]["values"] == [study.trials[n].params[name] for n in compared]

    # And a contour spans the two most relevant numeric parameters
    contour = model["contour"]
    numeric = [p for p in model["params"] if p != "c"]
    assert [contour["x_param"], contour["y_param"]] == numeric[:2]
    assert len(contour["mean"]) == len(contour["y"])
    assert all(len(row) == len(contour["x"]) for row in contour["mean"])


async def test_the_fit_is_cached_until_the_preferences_change(
    jp_fetch, decided: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fits: list[int] = []
    fit_gp = _utility._fit_gp

    def counted(data):
        fits.append(len(data.comparisons))
        return fit_gp(data)

    monkeypatch.setattr(_utility, "_fit_gp", counted)
    sid = await open_storage(jp_fetch, decided)
    study_path = ("storages", sid, "studies", "1")
    code, first = await utility(jp_fetch, sid)
    assert code == 200 and len(fits) == 1

    # When the page asks again, or a new trial is asked, the model is not fitted again
    code, again = await utility(jp_fetch, sid)
    assert again == first and len(fits) == 1
    new = ask(reload(decided)).number
    code, data = await utility(jp_fetch, sid)
    assert len(fits) == 1
    assert {"candidate"} == set(
        next(t for t in data["model"]["trials"] if t["number"] == new)["roles"]
    )

    # When a decision is reported, the model is fitted to the new preferences
    candidates = sorted(active_numbers(reload(decided)))
    body = {"candidates": candidates, "clicked": new}
    code, _ = await api(jp_fetch, *study_path, "preference", "decisions", method="POST", body=body)
    assert code == 201
    code, data = await utility(jp_fetch, sid)
    assert code == 200 and len(fits) == 2
    assert data["model"]["n_preferences"] == first["model"]["n_preferences"] + len(candidates) - 1
    assert new not in {t["number"] for t in data["model"]["trials"]}

    # When the recommended trial is skipped, another compared trial is recommended
    recommended = data["model"]["recommended"]
    trial_id = reload(decided).trials[recommended]._trial_id
    code, _ = await api(jp_fetch, *study_path, "trials", str(trial_id), "skip", method="POST")
    assert code == 200
    code, data = await utility(jp_fetch, sid)
    assert len(fits) == 3 and data["model"]["recommended"] != recommended


async def test_without_preferences_the_model_is_empty(jp_fetch, tmp_path: Path) -> None:
    db = tmp_path / "pref.db"
    make_study(db, 0)
    sid = await open_storage(jp_fetch, db)
    code, data = await utility(jp_fetch, sid)
    assert code == 200
    assert data["model"] is None and "Compare a few trials first" in data["message"]


async def test_without_a_shared_space_the_model_is_empty(jp_fetch, tmp_path: Path) -> None:
    db = tmp_path / "pref.db"
    study = preferential.create_study(n_generate=2, storage=f"sqlite:///{db}", study_name="s")
    a, b = study.ask(), study.ask()
    a.suggest_float("x", 0, 1)
    b.suggest_float("y", 0, 1)
    study.report_preference(better_trials=[a], worse_trials=[b])
    sid = await open_storage(jp_fetch, db)
    code, data = await utility(jp_fetch, sid)
    assert code == 200
    assert data["model"] is None and "share no parameter" in data["message"]


async def test_errors_say_what_is_wrong(
    jp_fetch, decided: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    optuna.create_study(storage=f"sqlite:///{decided}", study_name="plain")
    sid = await open_storage(jp_fetch, decided)

    code, data = await utility(jp_fetch, sid, study_id=2)
    assert code == 400 and "not a preferential study" in data["message"]
    code, data = await utility(jp_fetch, sid, study_id=9)
    assert code == 404

    # A fit that fails numerically is a 422 with words, not a bare 500
    def fails(*args, **kwargs):
        raise gp_model.ModelFitError("The posterior mode of the utility is not finite.")

    monkeypatch.setattr(gp_model, "fit_model", fails)
    code, data = await utility(jp_fetch, sid)
    assert code == 422
    assert "could not be fitted" in data["message"] and "not finite" in data["message"]

    # Without the preferential extra, the message says what to install
    monkeypatch.setitem(sys.modules, "botorch", None)
    code, data = await utility(jp_fetch, sid)
    assert code == 422 and "jupyterlab-optuna[preferential]" in data["message"]


@pytest.mark.parametrize(
    ("dist", "expected"),
    [
        (optuna.distributions.IntDistribution(1, 5), [1, 2, 3, 4, 5]),
        (optuna.distributions.FloatDistribution(0, 1, step=0.25), [0, 0.25, 0.5, 0.75, 1]),
        (optuna.distributions.CategoricalDistribution([None, True, 2]), [None, True, 2]),
        (optuna.distributions.IntDistribution(1, 1000, log=True), None),
        (optuna.distributions.FloatDistribution(0, 1, step=0.001), None),
    ],
)
def test_grids_keep_to_each_distribution(dist, expected) -> None:
    values = _utility.grid(dist, 50)
    if expected is not None:
        assert values == expected
        return
    assert 2 < len(values) <= 50 and values == sorted(set(values))
    assert values[0] == dist.low and values[-1] == dist.high
    steps = [(v - dist.low) / dist.step for v in values]
    assert all(abs(k - round(k)) < 1e-9 for k in steps)
