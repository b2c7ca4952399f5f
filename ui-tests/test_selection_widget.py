"""Trials selected on the dashboard in a notebook cell (over the widget comm, without our
server extension) download as CSV, as in the panel."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from labutil import Lab, start_lab
from playwright.sync_api import Page, expect
from test_notebook_widgets import notebook, run_command, wait_for_kernel
from test_selection_and_compare import N_TRIALS, brush_axis, make_study

CELLS = [
    "import optuna\n"
    "from jupyterlab_optuna import show_dashboard\n"
    'study = optuna.load_study(study_name="selected", storage="sqlite:///sel.db")\n'
    "show_dashboard(study, height=900)"
]


@pytest.fixture
def widget_lab(lab_root: Path) -> Iterator[Lab]:
    config = lab_root / "no_server_extension.json"
    config.write_text(
        json.dumps({"ServerApp": {"jpserver_extensions": {"jupyterlab_optuna": False}}})
    )
    (lab_root / "selection.ipynb").write_text(json.dumps(notebook(CELLS)))
    proc, lab = start_lab(lab_root, f"--config={config}", "--LabApp.expose_app_in_browser=True")
    yield lab
    proc.terminate()
    proc.wait(timeout=20)


def test_the_selection_downloads_as_csv_from_a_notebook_cell(page: Page, widget_lab: Lab) -> None:
    # Given the dashboard of a study in a cell
    study = make_study(widget_lab.root)
    page.set_default_timeout(60_000)
    page.goto(f"{widget_lab.url}/lab/tree/selection.ipynb?reset&token={widget_lab.token}")
    page.locator(".jp-Notebook .jp-Cell").first.wait_for()
    wait_for_kernel(page)
    run_command(page, "notebook:run-all-cells")
    dashboard = page.locator(".jp-OptunaDashboard-cell .jp-OptunaDashboard-study")
    dashboard.get_by_role("tab", name="Plots").click()
    parallel = dashboard.locator('[data-plot="parallel-coordinate"]')
    parallel.scroll_into_view_if_needed()
    expect(parallel.locator(".main-svg").first).to_be_visible()

    # When the person brushes the x axis and downloads the selection
    ranges = brush_axis(page, "x", 0.3, 0.8)
    expected = sorted(
        t.number for t in study.trials if any(lo <= t.params["x"] <= hi for lo, hi in ranges)
    )
    bar = dashboard.locator(".jp-OptunaDashboard-selectionBar")
    expect(bar).to_contain_text(f"{len(expected)} of {N_TRIALS} trials selected")
    with page.expect_download() as download:
        bar.get_by_role("button", name="Download CSV of the selection").click()

    # Then the file holds exactly the selected trials
    with open(download.value.path(), newline="", encoding="utf-8") as f:
        assert [int(r["number"]) for r in csv.DictReader(f)] == expected
