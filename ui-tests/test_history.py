"""The preferential History page shows what was decided: thumbnails, the worst, the rater."""

from __future__ import annotations

from labutil import Lab, after_pick_guard, display_name, open_study, screenshot
from playwright.sync_api import Locator, Page, expect

from jupyterlab_optuna import preferential

CARD = ".jp-OptunaDashboard-feedbackCard"
ROWS = ".jp-OptunaDashboard-history tbody tr"
CANDIDATE = ".jp-OptunaDashboard-candidate"
VIEWER = ".jp-OptunaDashboard-mediaViewer"


def shown(page: Page) -> list[int]:
    """The trial numbers of the compared cards, once 4 show their image."""
    cards = page.locator(CARD)
    expect(cards).to_have_count(4, timeout=60_000)
    expect(cards.locator("img")).to_have_count(4)
    return [int(n) for n in cards.evaluate_all("cs => cs.map(c => c.dataset.trialNumber)")]


def numbers(row: Locator) -> list[int]:
    candidates = row.locator(CANDIDATE)
    return [int(n) for n in candidates.evaluate_all("cs => cs.map(c => c.dataset.trialNumber)")]


def test_history_shows_candidates_worst_rater_and_undone(
    page: Page, lab: Lab, preferential_generator: str
) -> None:
    # Given three decisions made on the comparison page, by clicking the worst card
    open_study(page, lab, "pref.db", "sunset-preferential", artifact_dir="artifacts")
    decisions: list[tuple[list[int], int]] = []
    for k in range(3):
        candidates = shown(page)
        if decisions:
            after_pick_guard(page)
        worst = candidates[k]
        page.locator(f'{CARD}[data-trial-number="{worst}"] header').click()
        decisions.append((candidates, worst))
        expect(page.locator(f'{CARD}[data-trial-number="{worst}"]')).to_have_count(0)

    # When the History tab is opened and the newest decision is undone there
    page.get_by_role("tab", name="History").click()
    rows = page.locator(ROWS)
    expect(rows).to_have_count(3)
    rows.first.get_by_role("button", name="Undo").click()
    expect(rows.first).to_have_class("jp-mod-removed")

    # Then each row (newest first) shows one thumbnail per candidate: a lazily loaded
    # image, arrived, of the artifact the trial's "rgb_image" user attr names
    trials = preferential.load_study(
        study_name="sunset-preferential", storage=preferential_generator
    ).trials
    rater = display_name(page, lab)
    assert rater
    for row, (candidates, worst) in zip(rows.all(), reversed(decisions), strict=True):
        assert sorted(numbers(row)) == sorted(candidates)
        expect(row.locator(f"{CANDIDATE} img")).to_have_count(len(candidates))
        for number in candidates:
            image = row.locator(f'{CANDIDATE}[data-trial-number="{number}"] img')
            artifact_id = trials[number].user_attrs["rgb_image"]
            expect(image).to_have_attribute("loading", "lazy")
            assert image.evaluate("i => i.src").endswith(f"/artifacts/{artifact_id}")
            expect(image).to_have_js_property("complete", True)
            assert image.evaluate("i => i.naturalWidth") > 0
        # And the worst, and only it, is marked with text, not colour alone
        marked = row.locator(f"{CANDIDATE}[data-worst]")
        expect(marked).to_have_count(1)
        expect(marked).to_have_attribute("data-trial-number", str(worst))
        expect(row.locator(".jp-OptunaDashboard-worstLabel")).to_have_count(1)
        expect(marked.locator(".jp-OptunaDashboard-worstLabel")).to_have_text("worst")
        # And the rater is the name Jupyter gives this browser
        expect(row.locator(".jp-OptunaDashboard-rater")).to_have_text(rater)

    # And the undone row says so and is greyed; the others keep Undo
    expect(rows.first).to_contain_text("undone")
    expect(rows.first.get_by_role("button", name="Restore")).to_be_visible()
    media = rows.first.locator(".jp-OptunaDashboard-candidateMedia").first
    assert "grayscale" in media.evaluate("m => getComputedStyle(m).filter")
    for row in rows.all()[1:]:
        expect(row).not_to_contain_text("undone")
        expect(row.get_by_role("button", name="Undo")).to_be_visible()
    screenshot(page, "history-thumbnails")

    # When a thumbnail of the middle decision is clicked, the full-size view opens on it
    # and moves through that decision's candidates only
    middle = rows.nth(1)
    first_number = numbers(middle)[0]
    middle.locator(f"{CANDIDATE} img").first.click()
    viewer = page.locator(VIEWER)
    expect(viewer).to_be_visible()
    expect(viewer).to_contain_text(f"Trial {first_number}")
    expect(viewer).to_contain_text(f"1 of {len(decisions[1][0])}")
    seen = set()
    for _ in decisions[1][0]:
        title = viewer.locator(".jp-OptunaDashboard-mediaViewerTitle").inner_text()
        seen.add(int(title.split(" ")[1]))
        page.keyboard.press("ArrowRight")
    assert seen == set(decisions[1][0])
    page.keyboard.press("Escape")
    expect(viewer).to_have_count(0)

    # When a candidate's trial number is clicked, the Trials tab shows that trial
    middle.get_by_role("button", name=f"Trial {first_number}", exact=True).click()
    expect(page.get_by_role("tab", name="Trials")).to_have_attribute("aria-selected", "true")
    expect(page.locator(".jp-OptunaDashboard-trialDetail")).to_have_attribute(
        "data-trial-number", str(first_number)
    )

    # And in the dark theme the rows take the theme's colours
    page.get_by_role("tab", name="History").click()
    page.locator('.lm-MenuBar-itemLabel:text-is("Settings")').click()
    page.locator('.lm-Menu-itemLabel:text-is("Theme")').hover()
    page.locator('.lm-Menu-itemLabel:text-is("JupyterLab Dark")').click()
    expect(page.locator("body")).to_have_attribute("data-jp-theme-light", "false")
    expect(page.locator("#jupyterlab-splash")).to_have_count(0)  # the theme is loaded
    media = page.locator(f"{ROWS} .jp-OptunaDashboard-candidateMedia").last
    colours = media.evaluate(
        """m => [getComputedStyle(m).backgroundColor,
                 getComputedStyle(document.body).getPropertyValue('--jp-layout-color2').trim()]"""
    )
    probe = page.evaluate(
        "c => { const d = document.createElement('div'); d.style.color = c; document.body.append(d);"
        " const rgb = getComputedStyle(d).color; d.remove(); return rgb; }",
        colours[1],
    )
    assert colours[0] == probe
    screenshot(page, "history-dark")
