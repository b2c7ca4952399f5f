"""A reload of JupyterLab brings the dashboard back where it was: storage, study, tab, trial."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import optuna
from labutil import Lab, open_study, screenshot
from playwright.sync_api import Page, expect

# JupyterLab saves the workspace a moment after a change: the tests reload once the
# server has it, else the reload would bring back the state before.
SAVE_WAIT_S = 30


def _make_studies(path: Path) -> None:
    storage = f"sqlite:///{path}"
    for name, n_trials in (("first", 5), ("second", 4)):
        study = optuna.create_study(storage=storage, study_name=name)
        study.optimize(lambda t: t.suggest_float("x", -5, 5) ** 2, n_trials=n_trials)


def _saved_panels(page: Page, lab: Lab) -> list[dict[str, Any]]:
    """The dashboard panels' states in the workspace the page saved on the server."""
    workspace = page.request.get(lab.api("/lab/api/workspaces/default")).json()
    return [
        entry["data"]
        for key, entry in workspace.get("data", {}).items()
        if key.startswith("optuna-dashboard:")
    ]


def _wait_until_saved(page: Page, lab: Lab, **state: Any) -> None:
    """Wait until the one saved panel holds ``state``."""
    deadline = time.monotonic() + SAVE_WAIT_S
    while True:
        panels = _saved_panels(page, lab)
        if len(panels) == 1 and state.items() <= panels[0].items():
            return
        assert time.monotonic() < deadline, f"not saved: {state}; saved: {panels}"
        page.wait_for_timeout(250)


def _select_trial(page: Page, number: int) -> None:
    page.locator(f'.jp-OptunaDashboard-trialTable tr[data-trial-number="{number}"]').click()
    expect(
        page.locator(f'.jp-OptunaDashboard-trialDetail[data-trial-number="{number}"]')
    ).to_be_visible()


def _expect_study_page(page: Page, study: str, tab: str) -> None:
    """One dashboard, on the page of ``study`` with ``tab`` selected, in a tab named after it."""
    expect(page.locator(".jp-OptunaDashboard")).to_have_count(1)
    expect(page.locator(".lm-TabBar-tab", has_text=f"Optuna: {study}")).to_have_count(1)
    expect(page.locator(".jp-OptunaDashboard-studyTitle")).to_have_text(study)
    selected = page.locator('.jp-OptunaDashboard-tabs [role="tab"][aria-selected="true"]')
    expect(selected).to_have_text(tab)


def _expect_trial_selected(page: Page, number: int) -> None:
    expect(page.locator(".jp-OptunaDashboard-trialTable tr.jp-mod-selected")).to_have_attribute(
        "data-trial-number", str(number)
    )
    detail = page.locator(".jp-OptunaDashboard-trialDetail")
    expect(detail).to_have_attribute("data-trial-number", str(number))


def test_reload_brings_back_the_study_tab_and_trial(page: Page, lab: Lab) -> None:
    # Given a SQLite file with two studies in the server's root directory
    _make_studies(lab.root / "restore.db")
    # And the dashboard on the first study's Trials tab, with its trial 3 selected
    open_study(page, lab, "restore.db", "first")
    page.locator(".jp-OptunaDashboard").get_by_role("tab", name="Trials").click()
    _select_trial(page, 3)
    _wait_until_saved(page, lab, study="first", tab="trials", trial=3)

    # When the page is reloaded
    page.reload()

    # Then the dashboard tab is back on the same study, tab and trial
    _expect_study_page(page, "first", "Trials")
    _expect_trial_selected(page, 3)
    screenshot(page, "restore-after-reload")


def test_reload_brings_back_the_latest_study(page: Page, lab: Lab) -> None:
    # Given the dashboard on trial 1 of the first study
    _make_studies(lab.root / "restore.db")
    open_study(page, lab, "restore.db", "first")
    _select_trial(page, 1)
    _wait_until_saved(page, lab, study="first", tab="trials", trial=1)
    # And then on the second study: trial 2 selected, then its Study tab
    dashboard = page.locator(".jp-OptunaDashboard")
    dashboard.get_by_role("button", name="← Studies").click()
    card = page.locator('.jp-OptunaDashboard-card[data-study-name="second"]')
    card.locator(".jp-OptunaDashboard-cardMain").click()
    _select_trial(page, 2)
    dashboard.get_by_role("tab", name="Study", exact=True).click()
    _wait_until_saved(page, lab, study="second", tab="note", trial=2)

    # When the page is reloaded
    page.reload()

    # Then the second study is back on its Study tab, with trial 2 still selected
    _expect_study_page(page, "second", "Study")
    expect(page.locator(".jp-OptunaDashboard-studyInfo")).to_be_visible()
    dashboard.get_by_role("tab", name="Trials").click()
    _expect_trial_selected(page, 2)

    # And after a change made in the restored panel, the next reload brings that back
    _select_trial(page, 0)
    _wait_until_saved(page, lab, study="second", tab="trials", trial=0)
    page.reload()
    _expect_study_page(page, "second", "Trials")
    _expect_trial_selected(page, 0)


def test_reload_with_the_storage_file_gone_shows_the_picker_and_why(page: Page, lab: Lab) -> None:
    # Given the dashboard on a study of a SQLite file
    _make_studies(lab.root / "restore.db")
    open_study(page, lab, "restore.db", "first")
    _select_trial(page, 2)
    _wait_until_saved(page, lab, study="first", trial=2)

    # When the file is deleted and the page reloaded
    (lab.root / "restore.db").unlink()
    page.reload()

    # Then the dashboard tab is back on the storage picker, saying the file is gone,
    # with the storage filled in to try again
    picker = page.locator(".jp-OptunaDashboard-picker")
    expect(picker.get_by_role("alert")).to_contain_text("restore.db")
    expect(picker.get_by_role("alert")).to_contain_text("gone")
    expect(picker.locator('input[name="storage-url"]')).to_have_value(
        f"sqlite:///{(lab.root / 'restore.db').resolve()}"
    )
    screenshot(page, "restore-storage-gone")
