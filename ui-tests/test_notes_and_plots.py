"""Notes edited in the panel, a concurrent save detected, and the study's plots."""

from __future__ import annotations

import optuna
from labutil import Lab, open_study, screenshot
from playwright.sync_api import Page, expect

from jupyterlab_optuna import get_note, save_note


def test_note_edit_and_conflict(page: Page, lab: Lab) -> None:
    # Given a study with a note written from Python
    study = optuna.create_study(storage=f"sqlite:///{lab.root / 'notes.db'}", study_name="noted")
    study.optimize(lambda t: t.suggest_float("x", 0, 1), n_trials=3)
    study.set_user_attr("owner", "reviewer")
    save_note(
        study,
        "first **version**\n\n```python\ndef f(x):\n    return x\n```\n"
        "<img src=x onerror=\"document.title='pwned'\">",
    )
    open_study(page, lab, "notes.db", "noted")
    page.get_by_role("tab", name="Study", exact=True).click()
    note = page.locator(".jp-OptunaDashboard-note")
    markdown = note.locator(".jp-OptunaDashboard-markdown")
    expect(markdown.locator("strong")).to_have_text("version")
    # code is highlighted, and the note's HTML runs no script
    expect(markdown.locator("code.language-python .hljs-keyword").first).to_have_text("def")
    assert markdown.locator("img").first.get_attribute("onerror") is None
    assert page.evaluate("document.title") != "pwned"
    screenshot(note, "study-note")
    # and the study's user attrs are shown beside it
    expect(page.locator('[data-facts="user-attrs"]')).to_contain_text("reviewer")

    # When the user edits it and saves
    note.get_by_role("button", name="Edit note").click()
    page.get_by_label("Note (Markdown)").fill("# Mine\nedited in the panel")
    page.get_by_role("button", name="Save").click()
    expect(note.locator(".jp-OptunaDashboard-markdown h1")).to_have_text("Mine")
    assert get_note(study) == "# Mine\nedited in the panel"

    # When the user edits again, looks at the trials and comes back to the draft
    note.get_by_role("button", name="Edit note").click()
    page.get_by_label("Note (Markdown)").fill("my second edit")
    page.get_by_role("tab", name="Trials").click()
    page.get_by_role("tab", name="Study", exact=True).click()
    expect(page.get_by_label("Note (Markdown)")).to_have_value("my second edit")
    expect(note).to_contain_text("Unsaved changes")
    # And someone else saves meanwhile
    save_note(study, "their concurrent edit")
    page.get_by_role("button", name="Save").click()

    # Then the conflict shows their text, and nothing of theirs is lost
    conflict = page.locator(".jp-OptunaDashboard-conflict")
    expect(conflict).to_contain_text("their concurrent edit")
    assert get_note(study) == "their concurrent edit"
    # And keeping mine saves on top of theirs
    conflict.get_by_role("button", name="Keep mine (replace theirs)").click()
    expect(note.locator(".jp-OptunaDashboard-markdown")).to_contain_text("my second edit")
    assert get_note(study) == "my second edit"


def test_plots_tab_shows_history_and_parallel_coordinate(page: Page, lab: Lab) -> None:
    study = optuna.create_study(storage=f"sqlite:///{lab.root / 'notes.db'}", study_name="plotted")
    study.optimize(
        lambda t: t.suggest_float("x", -3, 3) ** 2 + len(t.suggest_categorical("c", ["a", "bb"])),
        n_trials=20,
    )
    open_study(page, lab, "notes.db", "plotted")
    page.get_by_role("tab", name="Plots").click()
    plots = ("history", "importances", "parallel-coordinate", "slice", "contour", "rank")
    for plot in (*plots, "edf", "timeline"):
        # charts draw when scrolled near, as the person scrolls down the page
        card = page.locator(f'[data-plot="{plot}"]').first
        card.scroll_into_view_if_needed()
        expect(card.locator(".main-svg").first).to_be_visible()
    # the contour shows the objective over the chosen pair of parameters
    expect(page.locator('[data-plot="contour"] .contour').first).to_be_attached()
    page.get_by_label("Pair y parameter").select_option("x")
    page.get_by_label("Pair x parameter").select_option("c")
    expect(page.locator('[data-plot="rank"] .gtitle')).to_have_text("Rank: c \u00d7 x")
    screenshot(page.locator('[data-plot="contour"]'), "plot-contour")
    screenshot(page.locator('[data-plot="rank"]'), "plot-rank")


def test_one_objective_picker_drives_every_plot_of_a_two_objective_study(
    page: Page, lab: Lab
) -> None:
    study = optuna.create_study(
        storage=f"sqlite:///{lab.root / 'multi.db'}",
        study_name="two",
        directions=["minimize", "maximize"],
    )
    study.set_metric_names(["loss", "accuracy"])
    study.optimize(
        lambda t: (t.suggest_float("x", 0, 1), 1 - t.suggest_float("y", 0, 1)), n_trials=12
    )
    open_study(page, lab, "multi.db", "two")
    page.get_by_role("tab", name="Plots").click()
    history = page.locator('[data-plot="history"]')
    expect(history.locator(".main-svg").first).to_be_visible()
    expect(history.locator(".ytitle")).to_have_text("loss")
    # When the person picks the second objective above the plots
    page.get_by_label("Objective of the plots below").select_option("1")
    # Then the history and the importances follow it
    expect(history.locator(".ytitle")).to_have_text("accuracy")
    importances = page.locator('[data-plot="importances"] .gtitle')
    expect(importances).to_have_text("Parameter importances for accuracy")

    # And the trial list sorts by either objective, by name
    page.get_by_role("tab", name="Trials").click()
    page.get_by_label("Sort trials").select_option(label="accuracy descending")
    best = max(study.trials, key=lambda t: t.values[1])
    first_row = page.locator(".jp-OptunaDashboard-trialTable tbody tr[data-trial-number]").first
    expect(first_row).to_have_attribute("data-trial-number", str(best.number))
