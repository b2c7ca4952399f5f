"""Trials selected by brushing the parallel coordinate plot (the trial list, a CSV and an
image grid of them), and several studies compared."""

from __future__ import annotations

import csv
import struct
import zlib
from pathlib import Path
from typing import Any

import numpy as np
import optuna
from labutil import Lab, open_dashboard, open_study, screenshot
from optuna.artifacts import FileSystemArtifactStore, upload_artifact
from playwright.sync_api import Locator, Page, expect

optuna.logging.set_verbosity(optuna.logging.WARNING)

N_TRIALS = 24
ROWS = ".jp-OptunaDashboard-trialTable tbody tr[data-trial-number]"


def png(rgb: tuple[int, int, int], size: int = 8) -> bytes:
    """A small solid-colour PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + bytes(rgb) * size for _ in range(size))
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def make_study(root: Path) -> optuna.Study:
    """Trials of a float `x` and a categorical `c`; every third trial holds an image."""
    study = optuna.create_study(
        storage=f"sqlite:///{root / 'sel.db'}",
        study_name="selected",
        sampler=optuna.samplers.RandomSampler(seed=3),
    )
    store = FileSystemArtifactStore(str(root / "artifacts"))
    (root / "artifacts").mkdir()
    for n in range(N_TRIALS):
        trial = study.ask()
        x = trial.suggest_float("x", 0, 10)
        c = trial.suggest_categorical("c", ["a", "bb"])
        if n % 3 == 0:
            image = root / f"render-{n}.png"
            image.write_bytes(png((10 * n % 256, 80, 160)))
            upload_artifact(artifact_store=store, file_path=str(image), study_or_trial=trial)
        study.tell(trial, x + len(c))
    return study


def plot_data(page: Page, plot: str) -> list[dict[str, Any]]:
    """The traces plotly holds for the chart of a plot card."""
    return page.evaluate(
        """plot => {
            const gd = document.querySelector(`[data-plot="${plot}"] .js-plotly-plot`);
            return gd ? JSON.parse(JSON.stringify(gd.data)) : null;
        }""",
        plot,
    )


def brush_axis(page: Page, label: str, top: float, bottom: float) -> list[list[float]]:
    """Drag along the parallel coordinate axis `label` from `top` to `bottom` (fractions of
    its height); the brushed ranges plotly reports."""
    dims = plot_data(page, "parallel-coordinate")[0]["dimensions"]
    index = [d["label"] for d in dims].index(label)
    overlay = page.locator('[data-plot="parallel-coordinate"] .axis-brush .background').nth(index)
    box = overlay.bounding_box()
    assert box is not None
    x = box["x"] + box["width"] / 2
    page.mouse.move(x, box["y"] + top * box["height"])
    page.mouse.down()
    page.mouse.move(x, box["y"] + bottom * box["height"], steps=12)
    page.mouse.up()
    page.wait_for_function(
        """i => document.querySelector('[data-plot="parallel-coordinate"] .js-plotly-plot')
            ?.data[0].dimensions[i].constraintrange""",
        arg=index,
    )
    raw = plot_data(page, "parallel-coordinate")[0]["dimensions"][index]["constraintrange"]
    return raw if isinstance(raw[0], list) else [raw]


def shown_numbers(page: Page) -> list[int]:
    return sorted(int(n) for n in page.locator(ROWS).evaluate_all(
        "rows => rows.map(r => r.dataset.trialNumber)"))  # fmt: skip


def open_parallel_coordinate(page: Page, lab: Lab) -> tuple[optuna.Study, Locator]:
    """The selection study opened on its Plots tab, its parallel coordinate drawn."""
    study = make_study(lab.root)
    open_study(page, lab, "sel.db", "selected", artifact_dir="artifacts")
    page.get_by_role("tab", name="Plots").click()
    parallel = page.locator('[data-plot="parallel-coordinate"]')
    parallel.scroll_into_view_if_needed()
    expect(parallel.locator(".main-svg").first).to_be_visible()
    return study, parallel


def test_brushing_the_parallel_coordinate_selects_trials(page: Page, lab: Lab) -> None:
    # Given a study whose trials hold images, open on its plots
    study, parallel = open_parallel_coordinate(page, lab)

    # When the person brushes the middle of the x axis
    ranges = brush_axis(page, "x", 0.25, 0.75)

    # Then the trials with x in the brushed range are selected, and the bar says how many
    expected = sorted(
        t.number for t in study.trials if any(lo <= t.params["x"] <= hi for lo, hi in ranges)
    )
    assert 0 < len(expected) < N_TRIALS
    bar = page.locator(".jp-OptunaDashboard-selectionBar")
    expect(bar).to_contain_text(f"{len(expected)} of {N_TRIALS} trials selected")
    # and the history highlights them
    history = plot_data(page, "history")[0]
    selected = sorted(history["customdata"][k] for k in history["selectedpoints"])
    assert selected == expected
    screenshot(page.locator(".jp-OptunaDashboard-plots"), "selection-brushed")

    # And the trial list shows them only
    page.get_by_role("tab", name="Trials").click()
    expect(page.locator(ROWS)).to_have_count(len(expected))
    assert shown_numbers(page) == expected
    screenshot(page.locator(".jp-OptunaDashboard-study"), "selection-trial-list")

    # And the selection survives a visit to another tab, brush included
    page.get_by_role("tab", name="Study", exact=True).click()
    page.get_by_role("tab", name="Plots").click()
    parallel.scroll_into_view_if_needed()
    expect(bar).to_contain_text(f"{len(expected)} of {N_TRIALS} trials selected")
    page.wait_for_function(
        """() => document.querySelector('[data-plot="parallel-coordinate"] .js-plotly-plot')
            ?.data[0].dimensions.some(d => d.constraintrange)"""
    )
    page.get_by_role("tab", name="Trials").click()
    assert shown_numbers(page) == expected

    # When it is cleared, every trial is back
    bar.get_by_role("button", name="Clear selection").click()
    expect(bar).to_have_count(0)
    expect(page.locator(ROWS)).to_have_count(N_TRIALS)
    # and the brush is gone from the plot
    page.get_by_role("tab", name="Plots").click()
    parallel.scroll_into_view_if_needed()
    expect(parallel.locator(".main-svg").first).to_be_visible()
    dims = plot_data(page, "parallel-coordinate")[0]["dimensions"]
    assert not any(d.get("constraintrange") for d in dims)


def test_the_selection_downloads_as_csv_and_shows_its_images(page: Page, lab: Lab) -> None:
    # Given trials selected by a brush on the objective's axis
    study, _ = open_parallel_coordinate(page, lab)
    ranges = brush_axis(page, "Value", 0.1, 0.6)
    expected = sorted(
        t.number for t in study.trials if any(lo <= t.value <= hi for lo, hi in ranges)
    )
    assert 0 < len(expected) < N_TRIALS
    bar = page.locator(".jp-OptunaDashboard-selectionBar")
    expect(bar).to_contain_text(f"{len(expected)} of {N_TRIALS} trials selected")

    # When the person downloads the selection as CSV
    with page.expect_download() as download:
        bar.get_by_role("button", name="Download CSV of the selection").click()
    path = download.value.path()
    # Then it holds exactly the selected trials, with the server export's columns
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [int(r["number"]) for r in rows] == expected
    assert list(rows[0])[:3] == ["number", "state", "value"]
    assert {"params_x", "params_c"} <= set(rows[0])
    by_number = {t.number: t for t in study.trials}
    for r in rows:
        assert float(r["value"]) == by_number[int(r["number"])].value
    assert download.value.suggested_filename == "selected-selection.csv"

    # When the person shows the selection's images
    bar.get_by_role("button", name="Images").click()
    grid = page.locator(".jp-OptunaDashboard-selectionImages")
    with_images = [n for n in expected if n % 3 == 0]
    assert with_images, "the brush holds a trial with an image"
    # Then each selected trial with an image has it in the grid, loaded
    cells = grid.locator(".jp-OptunaDashboard-selectionImage")
    expect(cells).to_have_count(len(with_images))
    numbers = cells.evaluate_all("cells => cells.map(c => Number(c.dataset.trialNumber))")
    assert numbers == with_images
    first = cells.first.locator("img")
    expect(first).to_have_attribute("alt", f"render-{with_images[0]}.png")
    page.wait_for_function(
        "img => img.complete && img.naturalWidth === 8", arg=first.element_handle()
    )
    screenshot(page.locator(".jp-OptunaDashboard-selection"), "selection-images")
    # and a click shows one at full size
    first.click()
    expect(page.locator(".jp-OptunaDashboard-mediaViewer")).to_be_visible()


def edf(values: list[float], grid: np.ndarray) -> list[float]:
    """optuna.visualization.plot_edf's fraction of values at or below each grid point."""
    v = np.asarray(values)
    return list(np.sum(v[:, np.newaxis] <= grid, axis=0) / v.size)


def test_compare_studies_overlays_histories_and_edfs(page: Page, lab: Lab) -> None:
    # Given two minimizing studies and a maximizing one in one storage
    storage = f"sqlite:///{lab.root / 'cmp.db'}"
    values: dict[str, list[float]] = {}
    for name, direction, shift in (("alpha", "minimize", 0), ("beta", "minimize", 3),
                                   ("gamma", "maximize", 0)):  # fmt: skip
        study = optuna.create_study(
            storage=storage,
            study_name=name,
            direction=direction,
            sampler=optuna.samplers.RandomSampler(seed=shift),
        )
        study.optimize(lambda t, s=shift: t.suggest_float("x", 0, 5) + s, n_trials=10)
        values[name] = [t.value for t in study.trials]
    open_dashboard(page, lab)
    picker = page.locator(".jp-OptunaDashboard-picker")
    picker.locator('input[name="storage-url"]').fill("cmp.db")
    picker.locator('button[type="submit"]').click()

    # When the person ticks alpha
    page.get_by_label("Compare alpha").check()
    # Then gamma cannot be ticked with it, and its card says why
    expect(page.get_by_label("Compare gamma")).to_be_disabled()
    gamma = page.locator('.jp-OptunaDashboard-card[data-study-name="gamma"]')
    expect(gamma.locator("[data-compare-blocked]")).to_contain_text("directions (maximize)")
    screenshot(page.locator(".jp-OptunaDashboard-studyList"), "compare-choose")
    # When beta is ticked too and they are compared
    page.get_by_label("Compare beta").check()
    page.get_by_role("button", name="Compare 2 studies").click()

    # Then the histories are overlaid, best so far, one line per study
    history = page.locator('[data-plot="compare-history"]')
    expect(history.locator(".main-svg").first).to_be_visible()
    traces = plot_data(page, "compare-history")
    assert [t["name"] for t in traces] == ["alpha", "beta"]
    assert traces[0]["y"] == list(np.minimum.accumulate(values["alpha"]))
    # And so are the empirical distributions, on optuna's grid
    edf_card = page.locator('[data-plot="compare-edf"]')
    edf_card.scroll_into_view_if_needed()
    expect(edf_card.locator(".main-svg").first).to_be_visible()
    traces = plot_data(page, "compare-edf")
    assert [t["name"] for t in traces] == ["alpha", "beta"]
    both = values["alpha"] + values["beta"]
    grid = np.linspace(min(both), max(both), 100)
    np.testing.assert_allclose(traces[0]["x"], grid)
    for trace, name in zip(traces, ("alpha", "beta"), strict=True):
        np.testing.assert_allclose(trace["y"], edf(values[name], grid))
    assert traces[0]["line"]["color"] != traces[1]["line"]["color"]
    screenshot(page.locator(".jp-OptunaDashboard-compareStudies"), "compare-studies")


def draw_box(page: Page, plot: str) -> None:
    """Draw a box over the left half of a plot's area (in its box select mode)."""
    area = page.locator(f'[data-plot="{plot}"] .nsewdrag').first.bounding_box()
    assert area is not None
    page.mouse.move(area["x"] + 2, area["y"] + 2)
    page.mouse.down()
    page.mouse.move(area["x"] + area["width"] / 2, area["y"] + area["height"] - 2, steps=12)
    page.mouse.up()


def test_a_box_on_the_history_selects_trials(page: Page, lab: Lab) -> None:
    # Given a study open on its plots
    make_study(lab.root)
    open_study(page, lab, "sel.db", "selected", artifact_dir="artifacts")
    page.get_by_role("tab", name="Plots").click()
    history = page.locator('[data-plot="history"]')
    expect(history.locator(".main-svg").first).to_be_visible()

    # When the person takes the box select of the history and draws a box over its left half
    history.hover()
    history.locator('.modebar-btn[data-val="select"]').click()
    draw_box(page, "history")

    # Then the trials in the box are selected, and the box select stays on
    bar = page.locator(".jp-OptunaDashboard-selectionBar")
    expect(bar).to_contain_text("picked on the history plot")
    trace = plot_data(page, "history")[0]
    picked = sorted(trace["customdata"][k] for k in trace["selectedpoints"])
    assert 0 < len(picked) < N_TRIALS
    expect(bar).to_contain_text(f"{len(picked)} of {N_TRIALS} trials selected")
    dragmode = page.evaluate(
        """() => document.querySelector('[data-plot="history"] .js-plotly-plot')
            ._fullLayout.dragmode"""
    )
    assert dragmode == "select"

    # When the person double-clicks beside the box, the selection is gone
    area = history.locator(".nsewdrag").first.bounding_box()
    assert area is not None
    history.locator(".nsewdrag").first.dblclick(
        position={"x": area["width"] * 0.8, "y": area["height"] / 2}
    )
    expect(bar).to_have_count(0)

    # And a new box selects again, and the trial list shows those trials only
    draw_box(page, "history")
    expect(bar).to_contain_text(f"{len(picked)} of {N_TRIALS} trials selected")
    page.get_by_role("tab", name="Trials").click()
    expect(page.locator(ROWS)).to_have_count(len(picked))
    assert shown_numbers(page) == picked
