"""The Analytics page plots the preference model's utility, fitted by the server."""

from __future__ import annotations

import math
from pathlib import Path

import optuna
import pytest
from labutil import Lab, open_study, screenshot
from playwright.sync_api import Page, expect

from jupyterlab_optuna import preferential

pytest.importorskip("botorch")


def person(params: dict) -> float:
    """Likes x near 0.3, lr near 1e-2 and the choice "b"."""
    bonus = 0.5 if params["c"] == "b" else 0.0
    return -((params["x"] - 0.3) ** 2) - 0.3 * (math.log10(params["lr"]) + 2) ** 2 + bonus


def decided_study(db: Path, n_decisions: int) -> None:
    """A preferential study where the person picked the worst of 4 trials ``n_decisions``
    times, a new trial replacing each worst one."""
    study = preferential.create_study(
        n_generate=4,
        storage=f"sqlite:///{db}",
        study_name="tuning",
        sampler=optuna.samplers.RandomSampler(seed=1),
    )

    def ask() -> optuna.trial.Trial:
        trial = study.ask()
        trial.suggest_float("x", 0, 1)
        trial.suggest_float("lr", 1e-4, 1, log=True)
        trial.suggest_categorical("c", ["a", "b", "c"])
        return trial

    active = [ask() for _ in range(4)]
    for _ in range(n_decisions):
        worst = min(active, key=lambda t: person(t.params))
        active.remove(worst)
        study.report_preference(better_trials=active, worse_trials=[worst])
        active.append(ask())


def test_analytics_plots_the_utility(page: Page, lab: Lab, lab_root: Path) -> None:
    # Given a preferential study with 12 decisions
    decided_study(lab_root / "pref.db", 12)
    study = preferential.load_study(study_name="tuning", storage=f"sqlite:///{lab_root}/pref.db")

    # When the person opens its Analytics tab
    open_study(page, lab, "pref.db", "tuning")
    page.get_by_role("tab", name="Analytics").click()
    section = page.locator(".jp-OptunaDashboard-utility")

    # Then the model's utility of the recommended, best and candidate trials is plotted with
    # error bars, labelled by trial number
    trials = page.locator('[data-plot="utility-trials"]')
    expect(trials.locator(".main-svg").first).to_be_visible(timeout=60_000)
    expect(trials.locator("g.errorbar").first).to_be_attached()
    expect(trials.locator(".legendtext")).to_contain_text(["Recommended"])
    labels = trials.locator(".xtick text").evaluate_all("ts => ts.map(t => t.textContent)")
    best = {t.number for t in study.best_trials}
    assert {f"#{n}" for n in best} <= set(labels)
    expect(section).to_contain_text("has the highest mean of the compared trials")

    # And one slice per parameter, each with its ±1 sd band and the compared trials' rug
    slices = page.locator('[data-plot="utility-slice"]')
    expect(slices).to_have_count(3)
    first = slices.first
    first.scroll_into_view_if_needed()
    expect(first.locator(".main-svg").first).to_be_visible()
    expect(first.locator(".gtitle")).to_contain_text("Utility along")
    expect(page.locator('[data-plot="utility-slice"][data-param="c"]')).to_have_count(1)
    section.locator("h3").scroll_into_view_if_needed()
    screenshot(page, "preferential-utility")

    # And the counts of the raw answers stay below as a second view
    expect(page.locator('[data-plot="preference-slice"]')).to_have_count(1)
    expect(page.get_by_role("alert")).to_have_count(0)
