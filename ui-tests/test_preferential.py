"""The preferential sunset tutorial in the panel: a person picks the worst of 4 sunsets."""

from __future__ import annotations

from labutil import Lab, after_pick_guard, open_study, screenshot
from playwright.sync_api import Locator, Page, expect

from jupyterlab_optuna import preferential

CARD = ".jp-OptunaDashboard-feedbackCard"


def shown(page: Page) -> list[int]:
    """The trial numbers of the cards on the comparison page, once 4 show their image."""
    cards = page.locator(CARD)
    expect(cards).to_have_count(4, timeout=60_000)
    expect(cards.locator("img")).to_have_count(4)
    return [int(n) for n in cards.evaluate_all("cs => cs.map(c => c.dataset.trialNumber)")]


def card(page: Page, number: int) -> Locator:
    return page.locator(f'{CARD}[data-trial-number="{number}"]')


def test_pick_the_worst_undo_and_skip(page: Page, lab: Lab, preferential_generator: str) -> None:
    # Given the preferential sunset study, opened on "Which trial is the worst?"
    open_study(page, lab, "pref.db", "sunset-preferential", artifact_dir="artifacts")
    expect(page.locator(".jp-OptunaDashboard-compare h3")).to_have_text(
        "Which trial is the worst?"
    )

    decisions: list[tuple[list[int], int]] = []
    for how in ("click", "key", "click"):
        candidates = shown(page)
        if not decisions:
            screenshot(page, "preferential-compare")
        else:
            after_pick_guard(page)
        # When the person picks the worst by clicking its card (its image opens full
        # size instead), or by its number key
        if how == "click":
            worst = candidates[1]
            card(page, worst).locator("header").click()
        else:
            worst = candidates[2]
            page.locator(".jp-OptunaDashboard-compare").focus()
            page.keyboard.press("3")
        decisions.append((candidates, worst))
        # Then the worst leaves the page
        expect(card(page, worst)).to_have_count(0)

    # When the last decision is undone, its worst trial comes back
    page.get_by_role("button", name="Undo last pick", exact=True).click()
    expect(card(page, decisions[-1][1])).to_have_count(1)
    # And the header counts the decisions in effect
    expect(page.locator(".jp-OptunaDashboard-waiting")).to_contain_text("· 2 decisions")

    # When a card's Skip is clicked once, it only asks; a second click skips it: the card
    # leaves the page for good
    skipped = decisions[-1][1]
    card(page, skipped).get_by_role("button", name="Skip").click()
    expect(card(page, skipped)).to_have_count(1)
    card(page, skipped).get_by_role("button", name="Skip for good?").click()
    expect(card(page, skipped)).to_have_count(0)

    # Then the storage holds the two remaining decisions, the undone one, and the skip
    study = preferential.load_study(
        study_name="sunset-preferential", storage=preferential_generator
    )
    expected = {(b, w) for candidates, w in decisions[:2] for b in candidates if b != w}
    assert {(b.number, w.number) for b, w in study.preferences} == expected
    skipped_id = study.trials[skipped]._trial_id
    assert study.system_attrs.get(f"preference:skip_trial:{skipped_id}") is True
    assert skipped not in {t.number for t in study.best_trials}

    # When the person switches the cards to the trial notes in the settings, it is stored
    page.get_by_role("button", name='Feedback: artifact "rgb_image"').click()
    settings = page.locator(".jp-OptunaDashboard-feedbackSettings")
    # (an artifact without the user attr that names it is refused before anything is sent)
    screenshot(page, "preferential-settings")
    settings.locator("input").fill("")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(settings.get_by_role("alert")).to_contain_text("Name the user attr")
    settings.locator("select").select_option("note")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("button", name="Feedback: note")).to_be_visible()
    expect(page.locator(CARD).first).to_contain_text("This trial has no note yet.")
    stored = preferential.load_study(
        study_name="sunset-preferential", storage=preferential_generator
    )
    assert stored.system_attrs["preference:component"] == {"output_type": "note"}

    # And the History page lists the three decisions, the last one undone
    page.get_by_role("tab", name="History").click()
    rows = page.locator(".jp-OptunaDashboard-history tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.first).to_have_class("jp-mod-removed")
    expect(rows.first.locator("[data-worst]")).to_have_attribute(
        "data-trial-number", str(decisions[-1][1])
    )
    # and the skipped trial
    expect(page.locator("[data-skipped]")).to_have_attribute("data-skipped", str(skipped))
    screenshot(page, "preferential-history")

    # And Analytics recommends trials the person never reported worse
    page.get_by_role("tab", name="Analytics").click()
    recommended = page.locator(f".jp-OptunaDashboard-analytics {CARD}")
    expect(recommended.first).to_be_visible()
    numbers = {
        int(n) for n in recommended.evaluate_all("cs => cs.map(c => c.dataset.trialNumber)")
    }
    assert numbers == {t.number for t in study.best_trials}
    counts = page.locator('[data-plot="preference-slice"]').first
    counts.scroll_into_view_if_needed()  # below the utility plots
    expect(counts.locator(".main-svg").first).to_be_visible()
    screenshot(page, "preferential-analytics")

    # And the Trials tab lists the trials without the placeholder values (0) that
    # reporting a preference stores
    page.get_by_role("tab", name="Trials").click()
    header = page.locator(".jp-OptunaDashboard-trialTable thead th")
    expect(header.first).to_have_text("#")
    assert "Value" not in header.all_inner_texts()

    # And the Plots tab plots no placeholder values either: it points to Analytics
    page.get_by_role("tab", name="Plots").click()
    expect(page.locator('[data-plot="timeline"]')).to_be_visible()
    expect(page.locator('[data-plot="history"]')).to_have_count(0)
    expect(page.locator(".jp-OptunaDashboard-plots")).to_contain_text("Analytics tab")
