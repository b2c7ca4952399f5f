"""The rest of the Plots tab: hypervolume history, terminator improvement, and every chart's
menu (PNG, SVG, "Copy as code"), each checked against optuna's own functions."""

from __future__ import annotations

import ast
import json
import math
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import optuna
import plotly.graph_objects as go
import pytest
from labutil import OUTPUT, Lab, open_study, page_in_context, screenshot, start_lab
from optuna.study import StudyDirection
from optuna.terminator import (
    CrossValidationErrorEvaluator,
    RegretBoundEvaluator,
    report_cross_validation_scores,
)
from optuna.trial import TrialState
from playwright.sync_api import Browser, Locator, Page, expect

from jupyterlab_optuna import save_plotly_graph_object

optuna.logging.set_verbosity(optuna.logging.WARNING)


@pytest.fixture
def clipboard_page(browser: Browser, lab: Lab, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A page that may read and write the clipboard (as a person's browser lets a site)."""
    yield from page_in_context(
        browser, request.node.name, permissions=["clipboard-read", "clipboard-write"]
    )


def chart(page: Page, plot: str) -> Locator:
    """The card of a chart, scrolled into view (charts draw when they come near)."""
    card = page.locator(f'[data-plot="{plot}"]').first
    card.scroll_into_view_if_needed()
    expect(card.locator(".main-svg").first).to_be_visible()
    return card


def trace(card: Locator, k: int = 0) -> dict[str, list[float]]:
    """Trace k's x and y as plotly holds them in the chart's element."""
    return card.locator(".js-plotly-plot").evaluate(
        "(el, k) => ({ x: el.data[k].x, y: el.data[k].y })", k
    )


def copied_code(page: Page, card: Locator, shot: str | None = None) -> str:
    """'Copy as code' from the card's menu: the code shown, checked to be the clipboard's
    (with a screenshot named ``shot`` of the card showing it)."""
    card.get_by_role("button", name="Chart menu").click()
    card.get_by_role("menuitem", name="Copy as code").click()
    expect(card.locator(".jp-OptunaDashboard-chartCode [role=status]")).to_have_text(
        "Copied to the clipboard:"
    )
    code = card.locator(".jp-OptunaDashboard-chartCode code").inner_text()
    assert page.evaluate("navigator.clipboard.readText()") == code
    if shot:
        screenshot(card, shot)
    card.locator(".jp-OptunaDashboard-chartCode").get_by_role("button", name="Close").click()
    return code


def run_copied(code: str) -> Any:
    """Run the copied code as a notebook cell would: the value of its last expression."""
    *body, last = ast.parse(code).body
    assert isinstance(last, ast.Expr), code
    namespace: dict[str, Any] = {}
    exec(compile(ast.Module(body=body, type_ignores=[]), "<copied>", "exec"), namespace)
    return eval(compile(ast.Expression(last.value), "<copied>", "eval"), namespace)


def default_reference(study: optuna.Study) -> list[float]:
    """The panel's documented default: each objective's worst value over the complete
    trials, moved outward by 10% of its range."""
    complete = study.get_trials(states=(TrialState.COMPLETE,))
    point = []
    for k, direction in enumerate(study.directions):
        values = [t.values[k] for t in complete if math.isfinite(t.values[k])]
        low, high = min(values), max(values)
        if direction == StudyDirection.MINIMIZE:
            point.append(high + 0.1 * (high - low))
        else:
            point.append(low - 0.1 * (high - low))
    return point


def two_objectives(trial: optuna.Trial) -> tuple[float, float]:
    x, y = trial.suggest_float("x", 0, 1), trial.suggest_float("y", 0, 1)
    trial.set_constraint("c", x + y - 1.6)  # a few trials are infeasible
    return x**2 + y, 1 - (x - 1) ** 2 + y**2


def test_hypervolume_history_is_optunas(clipboard_page: Page, lab: Lab) -> None:
    page = clipboard_page
    # Given a study of two objectives (one maximized) with infeasible trials
    sampler = optuna.samplers.NSGAIISampler(seed=3)
    study = optuna.create_study(
        storage=f"sqlite:///{lab.root / 'hv.db'}",
        study_name="pareto",
        directions=["minimize", "maximize"],
        sampler=sampler,
    )
    study.set_metric_names(["cost", "gain"])
    study.optimize(two_objectives, n_trials=30)
    assert any(t.constraints["c"] > 0 for t in study.trials if t.constraints)
    open_study(page, lab, "hv.db", "pareto")
    page.get_by_role("tab", name="Plots").click()

    # Then its hypervolume history is optuna's, with the default reference point stated
    card = chart(page, "hypervolume-history")
    reference = default_reference(study)
    expected = optuna.visualization.plot_hypervolume_history(study, reference).data[0]
    ours = trace(card)
    assert ours["x"] == list(expected.x)
    assert ours["y"] == pytest.approx(list(expected.y), rel=1e-9)
    assert ours["y"][-1] > 0
    expect(card.locator(".gtitle")).to_contain_text("Hypervolume history (reference point (")
    expect(card).to_contain_text("worst value of its objective over the complete trials")

    # When the person types a reference point of their own
    card.get_by_label("Reference point of cost").fill("1.5")
    card.get_by_label("Reference point of gain").fill("-0.25")
    expect(card.locator(".gtitle")).to_contain_text("(reference point (1.5, -0.25))")
    screenshot(card, "hypervolume-history")
    # And more trials arrive while the page is open
    study.optimize(two_objectives, n_trials=10)
    page.wait_for_function(
        "el => el.data[0].x.length === 40",
        arg=card.locator(".js-plotly-plot").element_handle(),
        timeout=30_000,
    )
    # Then the curve, extended, is still optuna's for that reference point
    expected = optuna.visualization.plot_hypervolume_history(study, [1.5, -0.25]).data[0]
    ours = trace(card)
    assert ours["x"] == list(expected.x)
    assert ours["y"] == pytest.approx(list(expected.y), rel=1e-9)
    # And "Copy as code" gives the call with that reference point, drawing the same curve
    figure = run_copied(copied_code(page, card))
    assert list(figure.data[0].y) == pytest.approx(ours["y"], rel=1e-9)


def test_terminator_improvement_is_optunas(page: Page, lab: Lab) -> None:
    pytest.importorskip("torch")

    # Given a one-objective study of 15 trials that report cross-validation scores
    def objective(trial: optuna.Trial) -> float:
        x, y = trial.suggest_float("x", -5, 5), trial.suggest_float("y", -5, 5)
        value = x**2 + y**2
        report_cross_validation_scores(trial, [value, value + 0.5, value + 1.5])
        return value

    study = optuna.create_study(
        storage=f"sqlite:///{lab.root / 'term.db'}",
        study_name="terminated",
        sampler=optuna.samplers.RandomSampler(seed=1),
    )
    study.optimize(objective, n_trials=15)
    open_study(page, lab, "term.db", "terminated")
    page.get_by_role("tab", name="Plots").click()
    card = page.locator('[data-plot="terminator-improvement"]')
    card.scroll_into_view_if_needed()
    # Nothing is computed before the person asks
    expect(card.locator(".js-plotly-plot")).to_have_count(0)

    # When they click Compute: progress while the server fits, then the curve
    card.get_by_role("button", name="Compute", exact=True).click()
    expect(card.get_by_role("status")).to_contain_text(re.compile(r"\d+ of 15 points"))
    expect(card.locator(".main-svg").first).to_be_visible(timeout=240_000)
    expect(card.get_by_role("button", name="Compute again")).to_be_enabled(timeout=240_000)
    improvement, error = trace(card, 0), trace(card, 1)
    screenshot(card, "terminator-improvement")

    # Then each point is optuna's regret bound (and CV error) of the trials up to it
    complete = study.get_trials(states=(TrialState.COMPLETE,))
    assert improvement["x"] == [t.number for t in complete]
    for number, ours, theirs_error in zip(
        improvement["x"], improvement["y"], error["y"], strict=True
    ):
        prefix = [t for t in complete if t.number <= number]
        theirs = RegretBoundEvaluator(seed=0).evaluate(prefix, study.direction)
        assert ours == pytest.approx(theirs, rel=1e-6)
        cv = CrossValidationErrorEvaluator().evaluate(prefix, study.direction)
        assert theirs_error == pytest.approx(cv, rel=1e-6)


def test_chart_menu_downloads_and_copies_runnable_code(clipboard_page: Page, lab: Lab) -> None:
    page = clipboard_page
    # Given a two-objective study with named metrics, and a figure saved in the study
    study = optuna.create_study(
        storage=f"sqlite:///{lab.root / 'menu.db'}",
        study_name="sunset",
        directions=["minimize", "maximize"],
        sampler=optuna.samplers.RandomSampler(seed=0),
    )
    study.set_metric_names(["cost", "beauty"])
    study.optimize(
        lambda t: (
            t.suggest_float("red", 0, 1) + len(t.suggest_categorical("sky", ["clear", "cloudy"])),
            t.suggest_float("green", 0, 1, log=False) ** 2,
        ),
        n_trials=20,
    )
    save_plotly_graph_object(
        study, go.Figure(go.Scatter(x=[1, 2], y=[3, 4])), graph_object_id="mine"
    )
    open_study(page, lab, "menu.db", "sunset")
    page.get_by_role("tab", name="Plots").click()
    page.get_by_label("Objective of the plots below").select_option("1")

    # When the person downloads the parallel coordinate plot as SVG and as PNG
    card = chart(page, "parallel-coordinate")
    card.get_by_role("button", name="Chart menu").click()
    expect(card.get_by_role("menuitem")).to_have_text(
        ["Download PNG", "Download SVG", "Copy as code"]
    )
    screenshot(card, "chart-menu")
    with page.expect_download() as svg:
        card.get_by_role("menuitem", name="Download SVG").click()
    assert svg.value.suggested_filename == "sunset-parallel-coordinate.svg"
    assert Path(svg.value.path()).read_text(encoding="utf-8").startswith("<svg")
    card.get_by_role("button", name="Chart menu").click()
    with page.expect_download() as png:
        card.get_by_role("menuitem", name="Download PNG").click()
    assert Path(png.value.path()).read_bytes().startswith(b"\x89PNG\r\n\x1a\n")

    # And copies each chart as code: the optuna call for the objective chosen above
    code = copied_code(page, card, "chart-copy-as-code")
    storage = f"sqlite:///{lab.root / 'menu.db'}"
    assert code == (
        "import optuna\n"
        f'study = optuna.load_study(study_name="sunset", storage="{storage}")\n'
        "optuna.visualization.plot_parallel_coordinate(\n"
        "    study,\n"
        "    target=lambda t: t.values[1],\n"
        '    target_name="beauty",\n'
        '    params=["green", "red", "sky"],\n'
        ")\n"
    )
    # Then the code of every chart runs against the storage and gives a plotly Figure
    for plot in ("history", "importances", "parallel-coordinate", "slice", "contour", "rank",
                 "pareto-front", "hypervolume-history", "edf", "timeline"):  # fmt: skip
        figure = run_copied(copied_code(page, chart(page, plot)))
        assert isinstance(figure, go.Figure), plot
        ours = trace(chart(page, plot))
        if plot == "slice":  # the objective chosen above, not the first one
            assert list(figure.data[0].y) == pytest.approx(ours["y"])
        if plot == "importances":  # the same evaluator, for the maximized objective
            theirs = dict(zip(figure.data[0].y, figure.data[0].x, strict=True))
            assert dict(zip(ours["y"], ours["x"], strict=True)) == pytest.approx(theirs)

    # And a chart optuna has no function for says so instead of inventing code
    saved = chart(page, "saved-mine")
    saved.get_by_role("button", name="Chart menu").click()
    saved.get_by_role("menuitem", name="Copy as code").click()
    expect(saved.locator(".jp-OptunaDashboard-chartCode [role=status]")).to_contain_text(
        "optuna.visualization has no function"
    )
    expect(saved.locator(".jp-OptunaDashboard-chartCode code")).to_have_count(0)


WIDGET_CELLS = [
    """\
import warnings

import optuna
from optuna.terminator import RegretBoundEvaluator
from jupyterlab_optuna import show_dashboard

warnings.simplefilter("ignore")  # optuna's experimental and deprecation notes
optuna.logging.set_verbosity(optuna.logging.WARNING)
study = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=1))  # in memory
study.optimize(lambda t: t.suggest_float("x", -5, 5) ** 2 + t.suggest_float("y", -5, 5) ** 2,
               n_trials=12)
print("BOUND", RegretBoundEvaluator(seed=0).evaluate(study.trials, study.direction))
show_dashboard(study, height=640)
""",
]


@pytest.fixture
def widget_lab(lab_root: Path) -> Iterator[Lab]:
    """JupyterLab without our server extension, and a notebook showing a dashboard widget:
    everything goes over the widget's comm."""
    config = lab_root / "no_server_extension.json"
    config.write_text(
        json.dumps({"ServerApp": {"jpserver_extensions": {"jupyterlab_optuna": False}}})
    )
    cells = [
        {"cell_type": "code", "metadata": {}, "source": source, "outputs": [],
         "execution_count": None}
        for source in WIDGET_CELLS
    ]  # fmt: skip
    kernelspec = {"name": "python3", "display_name": "Python 3", "language": "python"}
    (lab_root / "charts.ipynb").write_text(
        json.dumps({"cells": cells, "metadata": {"kernelspec": kernelspec}, "nbformat": 4,
                    "nbformat_minor": 5})
    )  # fmt: skip
    proc, lab = start_lab(lab_root, f"--config={config}", "--LabApp.expose_app_in_browser=True")
    yield lab
    proc.terminate()
    proc.wait(timeout=20)


def test_terminator_and_copy_in_a_notebook_widget(browser: Browser, widget_lab: Lab) -> None:
    lab = widget_lab
    context = browser.new_context(
        viewport={"width": 1400, "height": 1000}, permissions=["clipboard-read"]
    )
    # A host that refuses the clipboard API: the code is copied through a textarea instead
    context.add_init_script(
        "navigator.clipboard.writeText = () => "
        "Promise.reject(new DOMException('refused', 'NotAllowedError'));"
    )
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        # Given the notebook run in JupyterLab
        page.goto(f"{lab.url}/lab/tree/charts.ipynb?reset&token={lab.token}")
        page.locator(".jp-Notebook .jp-Cell").first.wait_for()
        idle = page.get_by_text("Python 3 (ipykernel) | Idle")
        select = page.locator(".jp-Dialog").get_by_role("button", name="Select", exact=True)
        deadline = time.monotonic() + 60
        while not idle.is_visible():
            assert time.monotonic() < deadline, "the notebook's kernel did not start"
            if select.is_visible():
                select.click()
            time.sleep(0.3)
        page.evaluate(
            "() => { void window.jupyterapp.commands.execute('notebook:run-all-cells'); }"
        )
        printed = re.compile(r"BOUND (\S+)")
        output = page.locator(".jp-OutputArea-output").filter(has_text=printed).first
        expect(output).to_be_visible()
        bound = float(printed.search(output.inner_text()).group(1))

        # When the person computes the terminator improvement in the widget
        dashboard = page.locator(".jp-OptunaDashboard-cell .jp-OptunaDashboard-study")
        dashboard.get_by_role("tab", name="Plots").click()
        card = dashboard.locator('[data-plot="terminator-improvement"]')
        card.scroll_into_view_if_needed()
        card.get_by_role("button", name="Compute", exact=True).click()
        expect(card.get_by_role("button", name="Compute again")).to_be_enabled(timeout=240_000)
        # Then the kernel computed optuna's regret bound, the last point over every trial
        improvement = trace(card)
        assert improvement["x"] == list(range(12))
        assert improvement["y"][-1] == pytest.approx(bound, rel=1e-6)
        screenshot(card, "widget-terminator-improvement")

        # And "Copy as code" copies (through the fallback) the call for the kernel's study
        code = copied_code(page, card)
        assert "load_study" not in code and "# `study`: the in-memory study shown" in code
        assert code.endswith(
            "optuna.visualization.plot_terminator_improvement(\n    study,\n"
            "    plot_error=False,\n    improvement_evaluator=RegretBoundEvaluator(seed=0),\n)\n"
        )
    finally:
        OUTPUT.mkdir(exist_ok=True)
        page.screenshot(path=str(OUTPUT / "widget-chart-surface-end.png"))
        context.close()
