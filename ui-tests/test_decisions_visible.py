"""What was decided is visible: answers by their labels, the best trials, readable lists."""

from __future__ import annotations

import optuna
from labutil import Lab, display_name, open_study, screenshot
from playwright.sync_api import Locator, Page, expect

from jupyterlab_optuna import save_note


def text_align(cell: Locator) -> str:
    return str(cell.evaluate("e => getComputedStyle(e).textAlign"))


def test_a_trial_rated_good_reads_good_and_is_the_best_trial(
    page: Page, lab: Lab, rating_generator: optuna.Study
) -> None:
    # Given the sunset study (objective "beauty", a Bad / So-so / Good choice widget)
    open_study(page, lab, "sunset.db", "sunset", artifact_dir="artifacts")
    detail = page.locator(".jp-OptunaDashboard-trialDetail")
    expect(detail.locator(".jp-OptunaDashboard-ratingForm")).to_be_visible()
    number = int(detail.get_attribute("data-trial-number") or -1)

    # When the person rates the shown trial "Good" (key 3) and the panel moves on
    page.keyboard.press("3")
    expect(detail.locator(".jp-OptunaDashboard-choice.jp-mod-selected")).to_have_text("3 Good")
    page.keyboard.press("Enter")
    expect(detail).not_to_have_attribute("data-trial-number", str(number))

    # Then the trial list shows the answer by its label, with the number
    row = page.locator(f'.jp-OptunaDashboard-trialTable tr[data-trial-number="{number}"]')
    expect(row).to_contain_text("Good (1)")
    # And the best-trial card shows it with its value, and opens it
    card = page.locator(".jp-OptunaDashboard-bestCard")
    expect(card.get_by_role("heading")).to_have_text(f"Best trial {number}")
    expect(card.locator(".jp-OptunaDashboard-bestValue")).to_have_text("beauty Good (1)")
    screenshot(card, "best-trial-card")
    card.get_by_role("button", name=f"Open trial {number}").click()
    expect(detail).to_have_attribute("data-trial-number", str(number))
    # And the trial's detail shows the label too
    expect(detail.locator(".jp-OptunaDashboard-facts")).to_contain_text("beauty")
    expect(detail.locator(".jp-OptunaDashboard-facts dd").first).to_have_text("Good (1)")
    # And who rated it: this browser's Jupyter user
    expect(detail.locator("[data-rater]")).to_have_attribute("data-rater", display_name(page, lab))
    # And its row alone carries the "best" badge, in words
    badges = page.locator(".jp-OptunaDashboard-trialTable .jp-OptunaDashboard-bestBadge")
    expect(badges).to_have_count(1)
    expect(row.locator(".jp-OptunaDashboard-bestBadge")).to_have_text("best")
    screenshot(page.locator(".jp-OptunaDashboard-trialViewport"), "trial-list-best")

    # And the State column reads from the left while numbers stay right-aligned
    cells = row.locator("td")
    assert text_align(cells.nth(1)) == "left"
    assert text_align(page.locator(".jp-OptunaDashboard-trialTable th").nth(1)) == "left"
    assert text_align(cells.nth(0)) == "right"
    assert text_align(cells.nth(2)) == "right"


def test_pareto_front_card_and_task_list_note(page: Page, lab: Lab) -> None:
    # Given a study of two unnamed objectives whose front is trials 0, 1 and 3, and a
    # note with a task list
    url = f"sqlite:///{lab.root / 'two.db'}"
    study = optuna.create_study(storage=url, study_name="two", directions=["minimize"] * 2)
    for x, y in ((1, 4), (2, 2), (3, 3), (4, 1)):
        trial = study.ask()
        trial.suggest_float("x", 0, 5)
        study.tell(trial, [x, y])
    save_note(study, "Checks:\n\n- [ ] colours\n- [x] contrast")

    # When the study is opened
    open_study(page, lab, "two.db", "two")

    # Then the list names the objectives as the plots do, and badges the front
    expect(page.locator(".jp-OptunaDashboard-trialTable th").nth(2)).to_have_text(
        "Objective 0, Objective 1"
    )
    badged = page.locator(".jp-OptunaDashboard-trialTable tr:has(.jp-OptunaDashboard-bestBadge)")
    expect(badged).to_have_count(3)
    numbers = badged.evaluate_all("rows => rows.map(r => r.dataset.trialNumber).sort()")
    assert numbers == ["0", "1", "3"]
    # And the card counts the front and opens its first trial
    card = page.locator(".jp-OptunaDashboard-bestCard")
    expect(card.locator(".jp-OptunaDashboard-bestValue")).to_contain_text("3 on the Pareto front")
    card.get_by_role("button", name="Open trial 0").click()
    detail = page.locator(".jp-OptunaDashboard-trialDetail")
    expect(detail).to_have_attribute("data-trial-number", "0")
    expect(detail.locator(".jp-OptunaDashboard-facts")).to_contain_text("Objective 1")

    # And the note's task list shows its checkboxes without bullets
    page.get_by_role("tab", name="Study", exact=True).click()
    items = page.locator(".jp-OptunaDashboard-note .jp-OptunaDashboard-markdown li")
    expect(items).to_have_count(2)
    expect(items.nth(1).locator('input[type="checkbox"]')).to_be_checked()
    styles = items.evaluate_all("lis => lis.map(li => getComputedStyle(li).listStyleType)")
    assert styles == ["none", "none"]
    screenshot(page.locator(".jp-OptunaDashboard-note"), "task-list-note")
