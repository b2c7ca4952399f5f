"""The sunset tutorial in the panel: a generator keeps 4 trials running; a person rates them."""

from __future__ import annotations

import time
from urllib.parse import urlparse

import optuna
from labutil import OUTPUT, Lab, open_study, screenshot
from playwright.sync_api import Page, expect

RUNNING = (optuna.trial.TrialState.RUNNING,)


def test_rate_running_trials_with_the_choice_widget(
    page: Page, lab: Lab, rating_generator: optuna.Study
) -> None:
    # Given the sunset study opened in the dashboard with its artifact directory
    requested: list[str] = []
    page.on("request", lambda request: requested.append(urlparse(request.url).path))
    open_study(page, lab, "sunset.db", "sunset", artifact_dir="artifacts")

    rated: dict[int, float] = {}
    # Choice 3 means 1.0, 1 means -1.0, 2 means 0.0
    for choice_key, value, how in (("3", 1.0, "key"), ("1", -1.0, "mouse"), ("2", 0.0, "tab")):
        # When the person picks a choice (its number key, as soon as the trial is shown; a
        # click; or Tab to it and Enter) and presses Enter
        detail = page.locator(".jp-OptunaDashboard-trialDetail")
        expect(detail.locator(".jp-OptunaDashboard-ratingForm")).to_be_visible()
        expect(detail.locator(".jp-OptunaDashboard-markdown img")).to_be_visible()
        number = int(detail.get_attribute("data-trial-number") or -1)
        if not rated:
            OUTPUT.mkdir(exist_ok=True)
            page.screenshot(path=str(OUTPUT / "rating.png"))
        form = detail.locator(".jp-OptunaDashboard-ratingForm")
        if how == "mouse":
            form.locator(".jp-OptunaDashboard-choice").nth(int(choice_key) - 1).click()
        elif how == "key":
            page.keyboard.press(choice_key)
        else:
            page.keyboard.press("1")
            page.keyboard.press("Tab")  # to choice 1
            page.keyboard.press("Tab")  # to choice 2
            page.keyboard.press("Enter")  # picks it, does not submit choice 1
            expect(form.locator(".jp-mod-selected")).to_contain_text("So-so")
        expect(form.locator(".jp-OptunaDashboard-choice.jp-mod-selected")).to_have_count(1)
        page.keyboard.press("Enter")
        rated[number] = value
        # Then the panel moves on to another running trial
        expect(page.locator(".jp-OptunaDashboard-trialDetail")).not_to_have_attribute(
            "data-trial-number", str(number)
        )

    # And the notes' images were fetched from the dashboard's artifact URLs only, never
    # from the raw /artifacts/... links the notes hold
    assert not [path for path in requested if path.startswith("/artifacts/")]

    # And the keyboard moves through the trial list, the detail following, the focus kept
    page.get_by_label("Sort trials").select_option(label="Oldest first")
    page.get_by_label("Trials (arrow keys move the selection)").focus()
    detail = page.locator(".jp-OptunaDashboard-trialDetail")
    page.keyboard.press("Home")
    expect(detail).to_have_attribute("data-trial-number", "0")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(detail).to_have_attribute("data-trial-number", "2")
    page.keyboard.press("ArrowUp")
    expect(detail).to_have_attribute("data-trial-number", "1")
    # (a running trial's rating form does not take the focus from the list)
    deadline = time.monotonic() + 30  # the generator is back to 4 running trials
    while time.monotonic() < deadline and len(rating_generator.get_trials(states=RUNNING)) < 4:
        time.sleep(0.2)
    last = len(rating_generator.trials) - 1
    rows = page.locator(".jp-OptunaDashboard-trialTable tbody tr[data-trial-number]")
    expect(rows.last).to_have_attribute("data-trial-number", str(last))  # polled in
    page.keyboard.press("End")
    expect(detail).to_have_attribute("data-trial-number", str(last))
    expect(detail.locator(".jp-OptunaDashboard-ratingForm")).to_be_visible()
    page.keyboard.press("ArrowUp")
    expect(detail).to_have_attribute("data-trial-number", str(last - 1))

    # And in a panel too narrow for two columns (docked beside a notebook), the trial's
    # detail goes below the list instead of over it, and stays whole
    page.set_viewport_size({"width": 720, "height": 900})
    page.wait_for_timeout(300)
    screenshot(page, "rating-narrow")
    panel = page.locator(".jp-OptunaDashboard-columns").bounding_box()
    listed = page.locator(".jp-OptunaDashboard-mainColumn").bounding_box()
    shown = page.locator(".jp-OptunaDashboard-trialDetail").bounding_box()
    assert panel and listed and shown
    assert shown["y"] >= listed["y"] + listed["height"]
    assert shown["x"] + shown["width"] <= panel["x"] + panel["width"] + 1

    # And the storage holds the ratings as the trials' values
    trials = {t.number: t for t in rating_generator.trials}
    for number, value in rated.items():
        assert trials[number].state == optuna.trial.TrialState.COMPLETE
        assert trials[number].value == value
