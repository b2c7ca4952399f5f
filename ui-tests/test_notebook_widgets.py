"""The notebook widgets in JupyterLab with our server extension disabled: all over the comm."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from labutil import OUTPUT, Lab, after_pick_guard, screenshot, start_lab
from playwright.sync_api import Browser, Page, expect

SETUP = """\
import json
import optuna
from jupyterlab_optuna import (
    ChoiceWidget, CompareTrials, RateTrials, register_objective_form_widgets, save_note,
    show_dashboard,
)
from jupyterlab_optuna import preferential
from jupyterlab_optuna.hitl import keep_running

optuna.logging.set_verbosity(optuna.logging.WARNING)
study = optuna.create_study(direction="maximize")  # in memory: exists only in this kernel
register_objective_form_widgets(study, widgets=[
    ChoiceWidget(choices=["Bad", "So-so", "Good"], values=[-1, 0, 1], description="Nice?"),
])

def generate(study):
    trial = study.ask()
    x = trial.suggest_float("x", 0, 1)
    save_note(trial, f"**x** = {x:.3f}")

rating = keep_running(study, generate, n=4, interval=0.2)
pref = preferential.create_study(n_generate=4, sampler=optuna.samplers.RandomSampler(seed=0))
comparing = keep_running(pref, generate, interval=0.2)
"""

STATE = """\
print("STATE" + json.dumps({
    "complete": {t.number: t.value for t in study.trials if t.state.name == "COMPLETE"},
    "preferences": sorted([b.number, w.number] for b, w in pref.preferences),
    "decisions": sum(k.startswith("preference:history") for k in pref.system_attrs),
}))
"""

CELLS = [SETUP, "RateTrials(study)", "CompareTrials(pref)", "show_dashboard(study, height=520)"]


def notebook(cells: list[str]) -> dict:
    return {
        "cells": [
            {
                "cell_type": "code",
                "metadata": {},
                "source": source,
                "outputs": [],
                "execution_count": None,
            }
            for source in cells
        ],
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


@pytest.fixture
def lab_without_extension(lab_root: Path) -> Iterator[Lab]:
    config = lab_root / "no_server_extension.json"
    config.write_text(
        json.dumps({"ServerApp": {"jpserver_extensions": {"jupyterlab_optuna": False}}})
    )
    (lab_root / "hitl.ipynb").write_text(json.dumps(notebook([*CELLS, STATE])))
    proc, lab = start_lab(lab_root, f"--config={config}", "--LabApp.expose_app_in_browser=True")
    yield lab
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture
def notebook_page(browser: Browser, lab_without_extension: Lab) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(60_000)
    yield page
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / "notebook-widgets-end.png"), full_page=True)
    context.close()


def wait_for_kernel(page: Page, timeout: float = 60) -> None:
    """Accept the kernel dialog if JupyterLab asks, then wait for the kernel to be idle."""
    idle = page.get_by_text("Python 3 (ipykernel) | Idle")
    select = page.locator(".jp-Dialog").get_by_role("button", name="Select", exact=True)
    deadline = time.monotonic() + timeout
    while not idle.is_visible():
        assert time.monotonic() < deadline, "the notebook's kernel did not start"
        if select.is_visible():
            select.click()
        time.sleep(0.3)


def run_command(page: Page, command: str) -> None:
    """Start a JupyterLab command (not awaited: running cells resolves only when they end)."""
    page.evaluate(f"() => {{ void window.jupyterapp.commands.execute({command!r}); }}")


def test_rate_compare_and_dashboard_in_cells(notebook_page: Page, lab_without_extension: Lab):
    page, lab = notebook_page, lab_without_extension
    # Given JupyterLab without our server extension: its API does not exist
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(lab.api("/jupyterlab-optuna/api/storages"))
    assert missing.value.code == 404

    # When the notebook runs: an in-memory study, a preferential one, background generators
    page.goto(f"{lab.url}/lab/tree/hitl.ipynb?reset&token={lab.token}")
    page.locator(".jp-Notebook .jp-Cell").first.wait_for()
    wait_for_kernel(page)
    run_command(page, "notebook:run-all-cells")

    # Then RateTrials shows the running trials; rate two with the number keys and Enter,
    # the first after a click on the trial's note (which gives the form the keys)
    rate = page.locator(".jp-OptunaDashboard-rate")
    expect(rate.locator(".jp-OptunaDashboard-ratingForm")).to_be_visible()
    expect(rate.locator(".jp-OptunaDashboard-markdown strong")).to_have_text("x")
    rated: dict[int, int] = {}
    for key, value in (("3", 1), ("1", -1)):
        card = rate.locator(".jp-OptunaDashboard-feedbackCard").first
        number = int(card.get_attribute("data-trial-number") or -1)
        if not rated:
            card.locator(".jp-OptunaDashboard-markdown").click()
        page.keyboard.press(key)
        page.keyboard.press("Enter")
        rated[number] = value
        expect(rate.locator(".jp-OptunaDashboard-progress")).to_contain_text(f"{len(rated)} rated")
        expect(rate.locator(f'[data-trial-number="{number}"]')).to_have_count(0)
    # (counted from the storage; the last rated trial shows its answer by its label)
    expect(rate.locator(".jp-OptunaDashboard-recentRatings li").first).to_have_text(
        f"Trial {number}: Bad (-1)"
    )
    screenshot(rate, "widget-rate-trials")

    # And CompareTrials: pick the worst by click, then by number key; undo the last one
    compare = page.locator(".jp-OptunaDashboard-compare")
    cards = compare.locator(".jp-OptunaDashboard-feedbackCard")
    expect(cards).to_have_count(4)
    candidates = [int(n) for n in cards.evaluate_all("cs => cs.map(c => c.dataset.trialNumber)")]
    first_worst = candidates[0]
    cards.first.click()
    expect(compare.locator(f'[data-trial-number="{first_worst}"]')).to_have_count(0)
    expect(cards).to_have_count(4)
    second_worst = int(cards.nth(1).get_attribute("data-trial-number") or -1)
    after_pick_guard(page)
    compare.focus()
    page.keyboard.press("2")
    expect(compare.locator(f'[data-trial-number="{second_worst}"]')).to_have_count(0)
    expect(cards).to_have_count(4)
    screenshot(compare, "widget-compare-trials")
    compare.get_by_role("button", name="Undo last pick", exact=True).click()
    expect(compare.locator(f'[data-trial-number="{second_worst}"]')).to_have_count(1)

    # And show_dashboard draws the history plot with plotly.js sent by the kernel
    dashboard = page.locator(".jp-OptunaDashboard-cell .jp-OptunaDashboard-study")
    dashboard.get_by_role("tab", name="Plots").click()
    expect(dashboard.locator('[data-plot="history"] .main-svg').first).to_be_visible()
    screenshot(dashboard, "widget-dashboard")

    # Then the kernel's studies hold what the person did
    last = page.locator(".jp-Notebook .jp-Cell").nth(len(CELLS))
    last.locator(".jp-InputArea-editor").click()
    page.keyboard.press("Control+Enter")
    output = last.locator(".jp-OutputArea-output")
    expect(output).to_contain_text('"decisions": 2')
    state = json.loads(output.inner_text().split("STATE", 1)[1])
    assert {int(k): v for k, v in state["complete"].items()} == rated
    others = [n for n in candidates if n != first_worst]
    assert state["preferences"] == sorted([n, first_worst] for n in others)
    assert state["decisions"] == 2
