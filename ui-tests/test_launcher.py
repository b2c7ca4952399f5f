"""The launcher tile opens the dashboard; a storage picked there lists its studies and trials."""

from __future__ import annotations

import re
from pathlib import Path

import optuna
from labutil import Lab, open_dashboard, open_lab
from playwright.sync_api import Page, expect


def _make_study(path: Path) -> None:
    study = optuna.create_study(storage=f"sqlite:///{path}", study_name="ui-demo")
    study.optimize(lambda t: t.suggest_float("x", -5, 5) ** 2, n_trials=7)


def test_launcher_tile_opens_dashboard_and_lists_studies(page: Page, lab: Lab) -> None:
    # Given a SQLite file with one study of 7 trials in the server's root directory
    _make_study(lab.root / "demo.db")

    # When the user clicks the launcher tile (named as in the README) and opens the file
    # by its relative path
    open_lab(page, lab)
    tile = page.locator(".jp-LauncherCard", has_text="Optuna Dashboard").first
    expect(tile.locator(".jp-LauncherCard-label")).to_have_text("Optuna Dashboard")
    tile.click()
    picker = page.locator(".jp-OptunaDashboard-picker")
    expect(picker).to_be_visible()
    expect(picker.locator('[data-list="found"]')).to_contain_text("demo.db")
    picker.locator('input[name="storage-url"]').fill("demo.db")
    picker.locator('input[name="artifact-dir"]').fill("demo-artifacts")
    picker.locator('button[type="submit"]').click()

    # Then the study list shows the study with its trial count
    card = page.locator('.jp-OptunaDashboard-card[data-study-name="ui-demo"]')
    expect(card).to_contain_text("7 trials")

    # When the user creates a study with two objectives there
    page.get_by_label("New study name").fill("two-goals")
    page.get_by_role("button", name="+ objective").click()
    page.get_by_label("Direction of objective 2").select_option("maximize")
    page.get_by_role("button", name="Create", exact=True).click()
    # Then it is stored with both directions
    expect(page.locator('.jp-OptunaDashboard-card[data-study-name="two-goals"]')).to_be_visible()
    created = optuna.load_study(study_name="two-goals", storage=f"sqlite:///{lab.root / 'demo.db'}")
    assert [d.name for d in created.directions] == ["MINIMIZE", "MAXIMIZE"]

    # And opening the first study shows its trials
    card.locator(".jp-OptunaDashboard-cardMain").click()
    expect(
        page.locator(".jp-OptunaDashboard-trialTable tbody tr[data-trial-number]")
    ).to_have_count(7)

    # And a new panel offers it among the recent storages with its artifact directory,
    # which reopening it uses again
    open_dashboard(page, lab)
    picker = page.locator(".jp-OptunaDashboard-picker").last
    recent = picker.locator('[data-list="recent"] button')
    expect(recent).to_have_count(1)
    expect(recent).to_contain_text(re.compile(r"demo\.db \(artifacts: .*demo-artifacts\)"))
    recent.click()
    expect(page.locator('.jp-OptunaDashboard-card[data-study-name="ui-demo"]').last).to_be_visible()
    listed = page.request.get(lab.api("/jupyterlab-optuna/api/storages")).json()["storages"]
    demo = [s for s in listed if s["url"].endswith("demo.db")]
    assert [s["artifact_dir"] for s in demo] == [str(lab.root / "demo-artifacts")]

    # When the study shown is deleted elsewhere (a script), the page says so and stops
    # polling, and leads back to the studies
    page.locator('.jp-OptunaDashboard-card[data-study-name="ui-demo"]').last.locator(
        ".jp-OptunaDashboard-cardMain"
    ).click()
    optuna.delete_study(study_name="ui-demo", storage=f"sqlite:///{lab.root / 'demo.db'}")
    page.get_by_role("button", name="Reload").last.click()
    alert = page.get_by_role("alert").filter(has_text="no longer in the storage")
    expect(alert).to_be_visible()
    alert.get_by_role("button", name="Back to the studies").click()
    expect(page.locator(".jp-OptunaDashboard-studyList").last).to_be_visible()
    expect(page.locator('.jp-OptunaDashboard-card[data-study-name="ui-demo"]')).to_have_count(0)


def test_bad_storage_shows_a_readable_message(page: Page, lab: Lab) -> None:
    # Given the dashboard panel
    open_dashboard(page, lab)
    picker = page.locator(".jp-OptunaDashboard-picker")

    # When the user asks for a file that does not exist
    picker.locator('input[name="storage-url"]').fill("missing.db")
    picker.locator('button[type="submit"]').click()

    # Then the panel says so, and the picker stays usable
    expect(page.locator(".jp-OptunaDashboard-error")).to_contain_text("missing.db")
    expect(picker.locator('button[type="submit"]')).to_be_enabled()

