"""Hosts besides JupyterLab: Jupyter Notebook 7 (the widgets in a notebook; the panel from
the View menu, which JupyterLab has too) and Voila (the widgets on a rendered page, with
its own widget manager: the nearest runnable stand-in for Colab and VS Code). The studies
are on SQLite, so what a person did is read back from the file."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import optuna
import pytest
from labutil import (
    OUTPUT,
    Lab,
    after_pick_guard,
    open_lab,
    screenshot,
    start_notebook,
    start_voila,
)
from playwright.sync_api import Browser, Locator, Page, expect
from test_notebook_widgets import notebook, run_command

from jupyterlab_optuna import preferential

RATE_STUDY, COMPARE_STUDY = "rate", "compare"


def widget_cells(db: Path) -> list[str]:
    """Cells with the three widgets on two studies in ``db``, kept stocked with running
    trials by generators in the kernel."""
    setup = f"""\
import optuna
from jupyterlab_optuna import (
    ChoiceWidget, CompareTrials, RateTrials, register_objective_form_widgets, save_note,
    show_dashboard,
)
from jupyterlab_optuna import preferential
from jupyterlab_optuna.hitl import keep_running

optuna.logging.set_verbosity(optuna.logging.WARNING)
storage = {f"sqlite:///{db}"!r}
study = optuna.create_study(storage=storage, study_name={RATE_STUDY!r}, direction="maximize")
register_objective_form_widgets(study, widgets=[
    ChoiceWidget(choices=["Bad", "So-so", "Good"], values=[-1, 0, 1], description="Nice?"),
])

def generate(study):
    trial = study.ask()
    x = trial.suggest_float("x", 0, 1)
    save_note(trial, f"**x** = {{x:.3f}}")

rating = keep_running(study, generate, n=4, interval=0.2)
pref = preferential.create_study(
    n_generate=4, storage=storage, study_name={COMPARE_STUDY!r},
    sampler=optuna.samplers.RandomSampler(seed=0),
)
comparing = keep_running(pref, generate, interval=0.2)
"""
    return [setup, "RateTrials(study)", "CompareTrials(pref)", "show_dashboard(study, height=520)"]


def eventually(read: Callable[[], object], expected: object, timeout: float = 20) -> None:
    """Wait until ``read()`` (from the SQLite file the kernel writes) equals ``expected``."""
    deadline = time.monotonic() + timeout
    while (got := read()) != expected:
        assert time.monotonic() < deadline, f"{got!r} != {expected!r}"
        time.sleep(0.3)


def rated_values(db: Path) -> dict[int, float | None]:
    study = optuna.load_study(study_name=RATE_STUDY, storage=f"sqlite:///{db}")
    return {
        t.number: t.value for t in study.get_trials(states=(optuna.trial.TrialState.COMPLETE,))
    }


def preference_pairs(db: Path) -> list[list[int]]:
    study = preferential.load_study(study_name=COMPARE_STUDY, storage=f"sqlite:///{db}")
    return sorted([better.number, worse.number] for better, worse in study.preferences)


def shown_numbers(cards: Locator) -> list[int]:
    return [int(n) for n in cards.evaluate_all("cs => cs.map(c => c.dataset.trialNumber)")]


def our_errors(page: Page) -> list[str]:
    """Uncaught errors of the page raised in our code (the hosts raise some of their own)."""
    errors: list[str] = []
    page.on(
        "pageerror",
        lambda e: errors.append(str(e)) if "jupyterlab-optuna" in (e.stack or "") else None,
    )
    return errors


@pytest.fixture
def host_page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(60_000)
    yield page
    OUTPUT.mkdir(exist_ok=True)
    for i, p in enumerate(context.pages):
        p.screenshot(path=str(OUTPUT / f"{request.node.name}-{i}.png"), full_page=True)
    context.close()


@pytest.fixture
def notebook_server(lab_root: Path) -> Iterator[Lab]:
    (lab_root / "hosts.ipynb").write_text(
        json.dumps(notebook(widget_cells(lab_root / "hosts.db")))
    )
    proc, server = start_notebook(lab_root)
    yield server
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture
def voila_server(lab_root: Path) -> Iterator[Lab]:
    notebook_file = lab_root / "hosts.ipynb"
    notebook_file.write_text(json.dumps(notebook(widget_cells(lab_root / "hosts.db"))))
    proc, server = start_voila(notebook_file)
    yield server
    proc.terminate()
    proc.wait(timeout=20)


def test_notebook7_widgets_rate_and_compare_into_sqlite(host_page: Page, notebook_server: Lab):
    page, server, db = host_page, notebook_server, notebook_server.root / "hosts.db"
    errors = our_errors(page)
    # Given the notebook open in Notebook 7 with its kernel ready
    page.goto(f"{server.url}/notebooks/hosts.ipynb?token={server.token}")
    page.locator(".jp-Notebook .jp-Cell").first.wait_for()
    page.wait_for_function(
        "() => window.jupyterapp.shell.currentWidget?.sessionContext?.session?.kernel"
        "?.status === 'idle'"
    )

    # When its cells run
    run_command(page, "notebook:run-all-cells")

    # Then RateTrials takes a rating from the keys (after a click on the trial's note),
    # although a notebook in command mode has shortcuts on the same keys
    rate = page.locator(".jp-OptunaDashboard-rate")
    card = rate.locator(".jp-OptunaDashboard-feedbackCard").first
    expect(card.locator(".jp-OptunaDashboard-markdown strong")).to_have_text("x")
    number = int(card.get_attribute("data-trial-number") or -1)
    card.locator(".jp-OptunaDashboard-markdown").click()
    page.keyboard.press("3")
    page.keyboard.press("Enter")
    expect(rate.locator(f'[data-trial-number="{number}"]')).to_have_count(0)
    eventually(lambda: rated_values(db), {number: 1.0})

    # And CompareTrials records the worst picked by a click, then by its number key
    compare = page.locator(".jp-OptunaDashboard-compare")
    cards = compare.locator(".jp-OptunaDashboard-feedbackCard")
    expect(cards).to_have_count(4)
    first = shown_numbers(cards)
    cards.first.click()
    expect(compare.locator(f'[data-trial-number="{first[0]}"]')).to_have_count(0)
    expect(cards).to_have_count(4)
    after_pick_guard(page)
    second = shown_numbers(cards)
    compare.focus()
    page.keyboard.press("2")
    expect(compare.locator(f'[data-trial-number="{second[1]}"]')).to_have_count(0)
    expected = [[n, first[0]] for n in first[1:]] + [
        [n, second[1]] for n in second if n != second[1]
    ]
    eventually(lambda: preference_pairs(db), sorted(expected))

    # And show_dashboard shows the study, the rated trial complete with its value
    dashboard = page.locator(".jp-OptunaDashboard-cell .jp-OptunaDashboard-study")
    row = dashboard.locator(f'.jp-OptunaDashboard-trialTable tr[data-trial-number="{number}"]')
    expect(row).to_contain_text("Complete")
    screenshot(dashboard, "notebook7-widget-dashboard")
    assert errors == []


def open_from_view_menu(page: Page) -> None:
    page.locator(".lm-MenuBar-item", has_text="View").click()
    page.locator(".lm-Menu-item", has_text="Open Optuna Dashboard").click()


def test_notebook7_view_menu_opens_the_panel(host_page: Page, notebook_server: Lab):
    page, server = host_page, notebook_server
    errors = our_errors(page)
    study = optuna.create_study(storage=f"sqlite:///{server.root / 'demo.db'}", study_name="demo")
    study.optimize(lambda t: t.suggest_float("x", -5, 5) ** 2, n_trials=3)

    # Given Notebook 7's file browser page (no launcher there)
    page.goto(f"{server.url}/tree?token={server.token}")
    page.locator(".jp-DirListing-item", has_text="demo.db").wait_for()

    # When the dashboard is opened from the View menu
    open_from_view_menu(page)

    # Then it is a tab of the page, next to the files, with the storage picker, which
    # finds the SQLite file and opens its study
    tab = page.locator(".jp-TreePanel .lm-TabBar-tab.lm-mod-current")
    expect(tab).to_have_text("Optuna Dashboard")
    picker = page.locator(".jp-OptunaDashboard-picker")
    expect(picker.locator('[data-list="found"]')).to_contain_text("demo.db")
    picker.locator('input[name="storage-url"]').fill("demo.db")
    picker.locator('button[type="submit"]').click()
    expect(page.locator('.jp-OptunaDashboard-card[data-study-name="demo"]')).to_contain_text(
        "3 trials"
    )
    screenshot(page, "notebook7-tree-dashboard")

    # When a notebook's page (whose one main widget is the notebook) asks for it
    page.goto(f"{server.url}/notebooks/hosts.ipynb?token={server.token}")
    page.locator(".jp-Notebook .jp-Cell").first.wait_for()
    with page.context.expect_page() as opened:
        open_from_view_menu(page)

    # Then the file browser page opens in a new browser tab with the dashboard's picker,
    # and the notebook stays where it was
    tree = opened.value
    expect(tree.locator(".jp-OptunaDashboard-picker")).to_be_visible()
    expect(tree.locator(".jp-TreePanel .lm-TabBar-tab.lm-mod-current")).to_have_text(
        "Optuna Dashboard"
    )
    assert "optuna-dashboard" not in tree.url  # a reload does not open a second one
    expect(page.locator(".jp-Notebook .jp-Cell").first).to_be_visible()
    assert errors == []


def test_voila_widgets_rate_and_compare_into_sqlite(host_page: Page, voila_server: Lab):
    page, server, db = host_page, voila_server, voila_server.root / "hosts.db"

    # When Voila renders the notebook (its own page and widget manager, no JupyterLab)
    page.goto(f"{server.url}/?token={server.token}")

    # Then RateTrials rates a trial by clicks on a choice and Submit
    rate = page.locator(".jp-OptunaDashboard-rate")
    card = rate.locator(".jp-OptunaDashboard-feedbackCard").first
    expect(card.locator(".jp-OptunaDashboard-markdown strong")).to_have_text("x")
    number = int(card.get_attribute("data-trial-number") or -1)
    card.get_by_role("button", name="Good").click()
    card.get_by_role("button", name="Submit").click()
    expect(rate.locator(f'[data-trial-number="{number}"]')).to_have_count(0)
    eventually(lambda: rated_values(db), {number: 1.0})

    # And CompareTrials records the worst picked by its button
    compare = page.locator(".jp-OptunaDashboard-compare")
    cards = compare.locator(".jp-OptunaDashboard-feedbackCard")
    expect(cards).to_have_count(4)
    shown = shown_numbers(cards)
    cards.nth(2).get_by_role("button", name="Worst").click()
    expect(compare.locator(f'[data-trial-number="{shown[2]}"]')).to_have_count(0)
    eventually(lambda: preference_pairs(db), sorted([n, shown[2]] for n in shown if n != shown[2]))

    # And show_dashboard shows the study, the rated trial complete with its value
    dashboard = page.locator(".jp-OptunaDashboard-cell .jp-OptunaDashboard-study")
    row = dashboard.locator(f'.jp-OptunaDashboard-trialTable tr[data-trial-number="{number}"]')
    expect(row).to_contain_text("Complete")
    dashboard.get_by_role("tab", name="Plots").click()
    expect(dashboard.locator('[data-plot="history"] .main-svg').first).to_be_visible()
    screenshot(page, "voila-widgets")


def test_lab_view_menu_opens_the_panel(page: Page, lab: Lab):
    # Given JupyterLab
    open_lab(page, lab)

    # When the dashboard is opened from the View menu (as on Notebook 7's pages)
    open_from_view_menu(page)

    # Then the panel with the storage picker is the current main-area tab
    expect(page.locator(".jp-OptunaDashboard-picker")).to_be_visible()
    expect(page.locator("#jp-main-dock-panel .lm-TabBar-tab.lm-mod-current")).to_have_text(
        "Optuna Dashboard"
    )
