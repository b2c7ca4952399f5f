"""Live within a second: new trials reach an open panel through the live channel."""

from __future__ import annotations

import json
from pathlib import Path

import optuna
import pytest
from labutil import Lab, open_study, start_lab
from playwright.sync_api import Browser, expect


def slow_polls(root: Path) -> None:
    """Settings that make the panel poll once an hour: only the live channel can update it."""
    settings = root / ".lab" / "settings" / "jupyterlab-optuna"
    settings.mkdir(parents=True, exist_ok=True)
    (settings / "plugin.jupyterlab-settings").write_text(
        json.dumps({"refreshIntervalSeconds": 3600})
    )


@pytest.fixture
def hourly_lab(lab_root: Path):
    slow_polls(lab_root)
    proc, lab = start_lab(lab_root)
    yield lab
    proc.terminate()
    proc.wait(timeout=20)


def test_a_generated_trial_appears_without_a_poll(browser: Browser, hourly_lab: Lab) -> None:
    # Given a study with one trial open in the panel, which polls once an hour
    url = f"sqlite:///{hourly_lab.root / 'live.db'}"
    study = optuna.create_study(storage=url, study_name="live")
    study.ask().suggest_float("x", 0, 1)
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    open_study(page, hourly_lab, "live.db", "live")
    rows = page.locator(".jp-OptunaDashboard-trialTable tr[data-trial-number]")
    expect(rows).to_have_count(1)
    # When a generator (another process's connection) adds trials and finishes one
    other = optuna.load_study(study_name="live", storage=url)
    other.ask().suggest_float("x", 0, 1)
    # Then the panel shows them (well before any poll)
    expect(rows).to_have_count(2, timeout=15_000)
    other.tell(1, 0.5)
    row = page.locator('.jp-OptunaDashboard-trialTable tr[data-trial-number="1"]')
    expect(row).to_contain_text("Complete", timeout=15_000)
    context.close()
