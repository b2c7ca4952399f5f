"""Media sized for judging, their full-size view, and no accidental second pick (panel)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import optuna
import pytest
from labutil import Lab, open_study, screenshot, start_lab
from playwright.sync_api import Browser, Locator, Page, expect
from test_notebook_widgets import notebook, run_command, wait_for_kernel

from jupyterlab_optuna import preferential

CARD = ".jp-OptunaDashboard-feedbackCard"
GRID = ".jp-OptunaDashboard-compare .jp-OptunaDashboard-feedbackGrid"
STUDY = "sunset-preferential"
MIN_WIDTH = 320  # optuna-dashboard 0.21 shows ~360 px; thumbnails were 160 px


def shown(page: Page) -> list[int]:
    """The trial numbers of the compared cards in slot order, once 4 show their image."""
    cards = page.locator(CARD)
    expect(cards).to_have_count(4, timeout=60_000)
    expect(cards.locator("img")).to_have_count(4)
    for image in cards.locator("img").all():
        expect(image).to_have_js_property("complete", True)
    return [int(n) for n in cards.evaluate_all("cs => cs.map(c => c.dataset.trialNumber)")]


def card(page: Page, number: int) -> Locator:
    return page.locator(f'{CARD}[data-trial-number="{number}"]')


def src(image: Locator) -> str:
    return str(image.evaluate("i => i.src"))


def width(target: Locator) -> float:
    box = target.bounding_box()
    assert box is not None
    return box["width"]


def preferences(url: str) -> set[tuple[int, int]]:
    study = preferential.load_study(study_name=STUDY, storage=url)
    return {(better.number, worse.number) for better, worse in study.preferences}


def test_compared_images_fill_their_cards(
    page: Page, lab: Lab, preferential_generator: str
) -> None:
    # Given the preferential sunsets (160x96 px renders) on a 1400x900 window
    open_study(page, lab, "pref.db", STUDY, artifact_dir="artifacts")
    candidates = shown(page)
    screenshot(page, "media-compare")

    # Then every image is at least 320 px wide: as wide as its card's content
    for number in candidates:
        image = card(page, number).locator("img")
        body = card(page, number).locator(".jp-OptunaDashboard-feedbackBody")
        assert width(image) >= MIN_WIDTH
        assert width(image) >= width(body) - 1
    # And the cards share the grid's width between them
    columns = page.locator(GRID).evaluate("g => getComputedStyle(g).gridTemplateColumns")
    assert len(columns.split()) >= 3


def test_full_size_view_moves_and_picks(page: Page, lab: Lab, preferential_generator: str) -> None:
    # Given the sunsets to compare
    open_study(page, lab, "pref.db", STUDY, artifact_dir="artifacts")
    candidates = shown(page)
    images = [card(page, n).locator("img") for n in candidates]
    sources = [src(image) for image in images]

    # When the person clicks the first image
    images[0].click()
    # Then it opens full size in a modal dialog, larger than on its card
    dialog = page.get_by_role("dialog")
    expect(dialog).to_have_attribute("aria-modal", "true")
    expect(dialog).to_be_focused()
    full = dialog.locator("img")
    expect(full).to_have_js_property("src", sources[0])
    assert width(full) > 1.5 * width(images[0])
    expect(dialog).to_contain_text(f"Trial {candidates[0]}")
    screenshot(page, "media-viewer")
    # And the page's card did not take the click as a pick
    expect(card(page, candidates[0])).to_have_count(1)

    # When ArrowRight is pressed, the next trial's image shows; ArrowLeft goes back around
    page.keyboard.press("ArrowRight")
    expect(full).to_have_js_property("src", sources[1])
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    expect(full).to_have_js_property("src", sources[3])

    # And Tab keeps the focus inside the dialog
    for _ in range(8):
        page.keyboard.press("Tab")
        assert dialog.evaluate("d => d.contains(document.activeElement)")

    # When Escape is pressed, the view closes and the focus is back on the image opened
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(images[0]).to_be_focused()
    assert preferences(preferential_generator) == set()

    # When Enter opens it again (the image has the focus) and the number key 3 is pressed
    boxes = {n: card(page, n).bounding_box() for n in candidates}
    page.keyboard.press("Enter")
    expect(dialog).to_be_visible()
    page.keyboard.press("3")
    # Then the view closes and trial 3 is picked as the worst: it leaves the page
    worst = candidates[2]
    expect(dialog).to_have_count(0)
    expect(card(page, worst)).to_have_count(0)
    # And its slot stays (the other cards do not move), kept for the next trial
    slot = page.locator(GRID).locator(":scope > *").nth(2)
    expect(slot).not_to_have_attribute("data-trial-number", str(worst))
    for number in (n for n in candidates if n != worst):
        box, before = card(page, number).bounding_box(), boxes[number]
        assert box and before
        assert abs(box["x"] - before["x"]) < 1 and abs(box["y"] - before["y"]) < 1
    # And the decision is stored, as a pick on the page would store it
    assert preferences(preferential_generator) == {(n, worst) for n in candidates if n != worst}


def test_a_second_click_right_after_a_pick_is_ignored(
    page: Page, lab: Lab, preferential_generator: str
) -> None:
    # Given the sunsets to compare, with the page's clock under the test's control
    page.clock.install()
    open_study(page, lab, "pref.db", STUDY, artifact_dir="artifacts")
    candidates = shown(page)
    compare = page.locator(".jp-OptunaDashboard-compare")
    posted: list[str] = []
    page.on(
        "request",
        lambda r: (
            r.method == "POST"
            and urlparse(r.url).path.endswith("/decisions")
            and posted.append(r.url)
        ),
    )

    # When the person clicks one card, and right after (the page's clock stands still)
    # another, once the first pick is saved
    page.clock.pause_at(int(page.evaluate("Date.now()")) + 1000)
    first, second = candidates[0], candidates[1]
    card(page, first).locator("header").click()
    expect(card(page, first)).to_have_count(0)
    expect(compare).to_have_attribute("aria-busy", "false")
    card(page, second).locator("header").click()
    page.wait_for_timeout(1000)  # (a pick, had it counted, would be saved by now)

    # Then only the first pick counts
    expect(card(page, second)).to_have_count(1)
    assert len(posted) == 1
    assert preferences(preferential_generator) == {(n, first) for n in candidates if n != first}

    # When the moment has passed, a click picks again
    page.clock.run_for(700)
    header = card(page, second).locator("header")
    header.click()
    expect(card(page, second)).to_have_count(0)
    assert len(posted) == 2

    # And the next trial, arriving in that slot under the still pointer, is not marked
    # as the one to pick until the pointer moves
    page.clock.resume()
    expect(page.locator(CARD)).to_have_count(4, timeout=60_000)
    slot = page.locator(GRID).locator(":scope > *").nth(1)
    expect(slot).to_have_class(re.compile(r"\bjp-mod-selectable\b"))
    assert int(slot.get_attribute("data-trial-number") or -1) not in candidates
    expect(slot).not_to_have_class(re.compile(r"\bjp-mod-hover\b"))
    border = "c => getComputedStyle(c).borderTopColor"
    assert slot.evaluate(border) == page.locator(GRID).locator(":scope > *").first.evaluate(border)
    box = slot.bounding_box()
    assert box
    page.mouse.move(box["x"] + 20, box["y"] + 20)
    expect(slot).to_have_class(re.compile(r"\bjp-mod-hover\b"))
    assert slot.evaluate(border) != page.locator(GRID).locator(":scope > *").first.evaluate(border)


def test_rating_form_media_are_sized_for_judging(
    page: Page, lab: Lab, rating_generator: optuna.Study
) -> None:
    # Given a running sunset trial with its rating form (its note and artifact show the
    # same 160x96 render)
    open_study(page, lab, "sunset.db", "sunset", artifact_dir="artifacts")
    detail = page.locator(".jp-OptunaDashboard-trialDetail")
    expect(detail.locator(".jp-OptunaDashboard-ratingForm")).to_be_visible()
    note_image = detail.locator(".jp-OptunaDashboard-markdown img")
    artifact_image = detail.locator(".jp-OptunaDashboard-artifact img")
    for image in (note_image, artifact_image):
        expect(image).to_have_js_property("complete", True)
        # Then both are at least 320 px wide
        assert width(image) >= MIN_WIDTH
    screenshot(page, "media-rating")

    # When the note's image is clicked, it opens full size; the same render in the
    # artifact list is not shown twice
    note_image.click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_focused()
    expect(dialog.locator("img")).to_have_js_property("src", src(note_image))
    assert width(dialog.locator("img")) > 1.5 * width(note_image)
    expect(dialog).not_to_contain_text("of 2")
    # And the number keys and Enter do not rate from inside the view
    number = detail.get_attribute("data-trial-number")
    page.keyboard.press("3")
    page.keyboard.press("Enter")
    # Then Escape closes it, the focus back on the image, the trial still unrated
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(note_image).to_be_focused()
    expect(detail).to_have_attribute("data-trial-number", str(number))
    expect(detail.locator(".jp-OptunaDashboard-choice.jp-mod-selected")).to_have_count(0)
    trial = rating_generator.trials[int(number or -1)]
    assert trial.state == optuna.trial.TrialState.RUNNING

    # And the artifact's own full-size button opens the same view
    detail.get_by_role("button", name="Full size", exact=False).first.click()
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)


@pytest.fixture
def notebook_lab(lab_root: Path, preferential_generator: str) -> Iterator[Lab]:
    """JupyterLab with a notebook showing the sunsets to compare in CompareTrials."""
    artifacts = str(lab_root / "artifacts")
    cell = (
        "from optuna.artifacts import FileSystemArtifactStore\n"
        "from jupyterlab_optuna import CompareTrials, preferential\n"
        f"study = preferential.load_study(study_name={STUDY!r}, storage={preferential_generator!r})\n"
        f"CompareTrials(study, artifact_store=FileSystemArtifactStore({artifacts!r}))"
    )
    (lab_root / "media.ipynb").write_text(json.dumps(notebook([cell])))
    proc, lab = start_lab(lab_root, "--LabApp.expose_app_in_browser=True")
    yield lab
    proc.terminate()
    proc.wait(timeout=20)


def test_compare_widget_media_and_full_size_view(
    browser: Browser, notebook_lab: Lab, preferential_generator: str
) -> None:
    # Given CompareTrials in a notebook cell on a 1400x900 window
    lab = notebook_lab
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        page.goto(f"{lab.url}/lab/tree/media.ipynb?reset&token={lab.token}")
        page.locator(".jp-Notebook .jp-Cell").first.wait_for()
        wait_for_kernel(page)
        run_command(page, "notebook:run-all-cells")
        compare = page.locator(".jp-OptunaDashboard-cell .jp-OptunaDashboard-compare")
        candidates = shown(page)
        # Then its images are sized for judging too
        for number in candidates:
            assert width(card(page, number).locator("img")) >= MIN_WIDTH
        screenshot(compare, "media-widget-compare")

        # When an image is clicked, the full-size view opens over the notebook
        first = card(page, candidates[0]).locator("img")
        first.click()
        dialog = page.get_by_role("dialog")
        expect(dialog).to_be_focused()
        assert width(dialog.locator("img")) > 1.5 * width(first)
        # And Escape gives the focus back to the image
        page.keyboard.press("Escape")
        expect(dialog).to_have_count(0)
        expect(first).to_be_focused()

        # When it opens again, moves on with ArrowRight and the number key 2 is pressed
        page.keyboard.press("Enter")
        page.keyboard.press("ArrowRight")
        expect(dialog.locator("img")).to_have_js_property(
            "src", src(card(page, candidates[1]).locator("img"))
        )
        page.keyboard.press("2")
        # Then trial 2 is picked as the worst, the view closed, the notebook untouched
        worst = candidates[1]
        expect(dialog).to_have_count(0)
        expect(card(page, worst)).to_have_count(0)
        assert preferences(preferential_generator) == {
            (n, worst) for n in candidates if n != worst
        }
        expect(page.locator(".jp-Notebook .jp-MarkdownCell")).to_have_count(0)
    finally:
        context.close()
