"""Benchmark of the dashboard in a browser on large studies, side by side with optuna-dashboard.

For each study size (default 10,000 and 100,000 trials, one SQLite file each) and each
dashboard, in Debian's Chromium driven by Playwright:
- ``list_s``: seconds from clicking the study to its trial list showing trials;
- ``history_s``: seconds from clicking the study to the optimization history being drawn
  (ours: the Plots tab is clicked as soon as the list shows; optuna-dashboard draws it on
  the study's first page, its trial list is a second page timed from its own navigation);
- ``scroll_longest_task_ms``: the longest main-thread task (PerformanceObserver long tasks,
  tasks over 50 ms) while the trial list is scrolled from top to bottom in wheel steps;
- ``refresh_longest_task_ms``: the same while another process adds 100 trials and the page
  refreshes (a window of 2 refresh intervals of each dashboard);
- ``heap_mb``: the page's JavaScript heap after garbage collection (ours includes
  JupyterLab itself; ``lab_heap_mb`` is JupyterLab's heap before the panel opened);
- ours only: ``opening_longest_task_ms`` (from the click on the study to the history drawn),
  ``plots_scroll_longest_task_ms`` (scrolling the Plots tab to its end, every chart drawn)
  and ``plot_draw_ms`` (each chart's Plotly.react time).
A step that does not finish within ``--timeout`` seconds is reported as ``null`` with the
reason, and that dashboard's remaining steps on that study are skipped.

    python bench/ui.py --od-python .venv-optuna-dashboard/bin/python --out bench/results/ui.json

``--latency N`` measures instead "trial created → visible": on a 100-trial study open in
each dashboard (default settings: ours live, polling every 5 s as the fallback;
optuna-dashboard polling every 10 s), N times: wait a random 0 to 3 s, create a trial from
another connection (as a generator does), and time until the page shows it (ours: its
row; optuna-dashboard: its trial count, its list being virtualised).

    python bench/ui.py --latency 20 --od-python .venv-optuna-dashboard/bin/python \
        --out bench/results/ui_latency.json
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
sys.path[:0] = [str(HERE), str(HERE.parent / "ui-tests")]

from api import STUDY, add_trials, make_study, optuna_dashboard_server  # noqa: E402
from labutil import CHROMIUM, CHROMIUM_ARGS, open_dashboard, start_lab  # noqa: E402
from playwright.sync_api import Locator, Page, sync_playwright  # noqa: E402
from playwright.sync_api import TimeoutError as PlaywrightTimeout  # noqa: E402

LONG_TASKS = """
window.__longTasks = [];
new PerformanceObserver(list => {
  for (const e of list.getEntries()) window.__longTasks.push(e.duration);
}).observe({ type: 'longtask', buffered: true });
"""


class StepTimeout(Exception):
    pass


def timed(step: Callable[[], None]) -> float:
    start = time.perf_counter()
    step()
    return time.perf_counter() - start


def longest_task_during(page: Page, action: Callable[[], None]) -> float:
    page.evaluate("window.__longTasks = []")
    action()
    return longest_task(page)


def longest_task(page: Page) -> float:
    """The longest task (ms) recorded since the list was last reset; 0 when none."""
    return float(page.evaluate("Math.max(0, ...window.__longTasks)"))


def heap_mb(page: Page) -> float:
    cdp = page.context.new_cdp_session(page)
    cdp.send("HeapProfiler.collectGarbage")
    cdp.send("Performance.enable")
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    return metrics["JSHeapUsedSize"] / 2**20


def scroll_to_bottom(page: Page, selector: str, timeout: float) -> None:
    """Wheel over ``selector`` until its scroll position stops moving at the bottom."""
    box = page.locator(selector).first.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    deadline = time.monotonic() + timeout
    scrolled = f"document.querySelector({json.dumps(selector)}).scrollTop"
    last = -1.0
    while time.monotonic() < deadline:
        for _ in range(10):
            page.mouse.wheel(0, 2000)
            page.wait_for_timeout(16)
        position = float(page.evaluate(scrolled))
        if position == last:
            return
        last = position
    raise StepTimeout("scrolling did not reach the bottom")


def wait_visible(page: Page, selector: str, timeout: float) -> None:
    try:
        page.locator(selector).first.wait_for(state="visible", timeout=timeout * 1000)
    except Exception as e:
        raise StepTimeout(f"{selector} not visible within {timeout:.0f} s") from e


PLOTTED = """sel => {
  const e = document.querySelector(sel);
  const gd = e && (e.matches('.js-plotly-plot') ? e : e.querySelector('.js-plotly-plot'));
  return !!(gd && gd._fullData && gd._fullData.some(t => t.visible !== false && t.x?.length));
}"""


def wait_plotted(page: Page, selector: str, timeout: float) -> None:
    """Wait until the plotly chart in ``selector`` has drawn a trace with points."""
    try:
        page.wait_for_function(PLOTTED, arg=selector, timeout=timeout * 1000, polling=50)
    except Exception as e:
        raise StepTimeout(f"{selector} not plotted within {timeout:.0f} s") from e


def plot_draw_ms(page: Page) -> dict[str, float]:
    """How long each chart's Plotly.react took (the dashboard's performance measures)."""
    return page.evaluate(
        """() => Object.fromEntries(performance.getEntriesByType('measure')
            .filter(m => m.name.startsWith('plotly: '))
            .map(m => [m.name.slice(8), Math.round(m.duration)]))"""
    )


def run_steps(result: dict[str, Any], steps: list[tuple[str, Callable[[], Any]]]) -> None:
    """Run the steps in order; a timeout records its reason and skips the rest."""
    for key, step in steps:
        try:
            result[key] = step()
        except (StepTimeout, PlaywrightTimeout) as e:
            result[key] = None
            result["stopped"] = f"{key}: {e}"
            return


def bench_ours(page: Page, db: Path, root: Path, timeout: float) -> dict[str, Any]:
    proc, lab = start_lab(root)
    result: dict[str, Any] = {}
    try:
        open_dashboard(page, lab)
        result["lab_heap_mb"] = heap_mb(page)
        picker = page.locator(".jp-OptunaDashboard-picker")
        picker.locator('input[name="storage-url"]').fill(db.name)
        picker.locator('button[type="submit"]').click()
        card = page.locator(f'.jp-OptunaDashboard-card[data-study-name="{STUDY}"]')
        card.locator(".jp-OptunaDashboard-cardMain").wait_for()
        page.evaluate("window.__longTasks = []")
        start = time.perf_counter()
        viewport = ".jp-OptunaDashboard-trialViewport"

        def open_list() -> float:
            card.locator(".jp-OptunaDashboard-cardMain").click()
            wait_visible(page, f"{viewport} tr[data-trial-number]", timeout)
            return time.perf_counter() - start

        def open_history() -> float:
            page.get_by_role("tab", name="Plots").click()
            wait_plotted(page, '[data-plot="history"]', timeout)
            return time.perf_counter() - start

        def scroll_list() -> float:
            page.get_by_role("tab", name="Trials").click()
            wait_visible(page, f"{viewport} tr[data-trial-number]", timeout)
            return longest_task_during(page, lambda: scroll_to_bottom(page, viewport, timeout))

        def scroll_plots() -> float:
            page.get_by_role("tab", name="Plots").click()
            selector = scrollable_ancestor(page.locator('[data-plot="timeline"]'))
            longest = longest_task_during(page, lambda: scroll_to_bottom(page, selector, timeout))
            wait_plotted(page, '[data-plot="timeline"]', timeout)
            return longest

        def refresh() -> float:
            return longest_task_during(
                page, lambda: (add_trials(db, 100), page.wait_for_timeout(2 * 5000))
            )

        run_steps(
            result,
            [
                ("list_s", open_list),
                ("history_s", open_history),
                ("opening_longest_task_ms", lambda: longest_task(page)),
                ("scroll_longest_task_ms", scroll_list),
                ("refresh_longest_task_ms", refresh),
                ("heap_mb", lambda: heap_mb(page)),
                ("plots_scroll_longest_task_ms", scroll_plots),
            ],
        )
        result["plot_draw_ms"] = plot_draw_ms(page)  # what got drawn, also after a timeout
        return result
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def bench_optuna_dashboard(page: Page, od_python: str, db: Path, timeout: float) -> dict[str, Any]:
    result: dict[str, Any] = {}
    with optuna_dashboard_server(od_python, db) as base:
        page.goto(f"{base}/dashboard")
        page.get_by_text(f"1. {STUDY}", exact=True).wait_for()
        start = time.perf_counter()

        def open_history() -> float:
            page.goto(f"{base}/dashboard/studies/1")
            wait_plotted(page, "#plot-history", timeout)
            return time.perf_counter() - start

        def open_list() -> float:
            list_start = time.perf_counter()
            page.goto(f"{base}/dashboard/studies/1/trials")
            wait_visible(page, "text=Trial 1 >> nth=0", timeout)
            return time.perf_counter() - list_start

        def scroll() -> float:
            selector = scrollable_ancestor(page.get_by_text("Trial 1", exact=True).first)
            return longest_task_during(page, lambda: scroll_to_bottom(page, selector, timeout))

        def refresh() -> float:
            # its study page refreshes every 10 s
            return longest_task_during(
                page, lambda: (add_trials(db, 100), page.wait_for_timeout(2 * 10_000))
            )

        run_steps(
            result,
            [
                ("history_s", open_history),
                ("opening_longest_task_ms", lambda: longest_task(page)),
                ("list_s", open_list),
                ("scroll_longest_task_ms", scroll),
                ("refresh_longest_task_ms", refresh),
                ("heap_mb", lambda: heap_mb(page)),
            ],
        )
    return result


def creation_latency(
    page: Page, db: Path, row: Callable[[int], Locator], samples: int, timeout: float
) -> dict[str, Any]:
    """Seconds from a trial's creation to its row in the page, ``samples`` times."""
    import random
    import statistics

    import optuna

    rng = random.Random(0)
    study = optuna.load_study(study_name=STUDY, storage=f"sqlite:///{db}")
    seconds = []
    for _ in range(samples):
        page.wait_for_timeout(rng.uniform(0, 3000))  # a random phase against any poll
        start = time.perf_counter()
        number = study.ask().number  # committed when ask() returns
        row(number).wait_for(state="attached", timeout=timeout * 1000)
        seconds.append(round(time.perf_counter() - start, 3))
    return {
        "median_s": statistics.median(seconds),
        "max_s": max(seconds),
        "seconds": seconds,
    }


def latency_ours(page: Page, db: Path, root: Path, samples: int, timeout: float) -> Any:
    proc, lab = start_lab(root)
    try:
        open_dashboard(page, lab)
        picker = page.locator(".jp-OptunaDashboard-picker")
        picker.locator('input[name="storage-url"]').fill(db.name)
        picker.locator('button[type="submit"]').click()
        card = page.locator(f'.jp-OptunaDashboard-card[data-study-name="{STUDY}"]')
        card.locator(".jp-OptunaDashboard-cardMain").click()
        viewport = ".jp-OptunaDashboard-trialViewport"
        wait_visible(page, f"{viewport} tr[data-trial-number]", timeout)

        def row(number: int) -> Locator:
            return page.locator(f'{viewport} tr[data-trial-number="{number}"]')

        return creation_latency(page, db, row, samples, timeout)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def latency_optuna_dashboard(page: Page, od_python: str, db: Path, samples: int, timeout: float):
    with optuna_dashboard_server(od_python, db) as base:
        page.goto(f"{base}/dashboard/studies/1/trials")
        wait_visible(page, "text=Trial 1 >> nth=0", timeout)

        def row(number: int) -> Locator:
            # its trial list is virtualised: its "N Trials" heading counts the new one
            return page.get_by_text(f"{number + 1} Trials", exact=True).first

        return creation_latency(page, db, row, samples, timeout)


def scrollable_ancestor(element: Locator) -> str:
    """Tag the nearest scrolling ancestor of ``element`` and return a selector for it."""
    found = element.evaluate(
        """e => {
          while (e && !(e.scrollHeight > e.clientHeight + 1 &&
                 ['auto', 'scroll'].includes(getComputedStyle(e).overflowY))) e = e.parentElement;
          if (!e) return false;
          e.setAttribute('data-bench-scroll', '');
          return true;
        }"""
    )
    if not found:
        raise StepTimeout("no scrolling trial list found")
    return "[data-bench-scroll]"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", default="10000,100000", help="comma-separated study sizes")
    parser.add_argument("--od-python", help="a Python with optuna-dashboard 0.21 installed")
    parser.add_argument("--timeout", type=float, default=180, help="seconds allowed per step")
    parser.add_argument("--out", type=Path)
    parser.add_argument(
        "--latency", type=int, default=0, help="measure 'trial created → visible' N times instead"
    )
    args = parser.parse_args()
    if args.latency:
        args.trials = "100"

    results: dict[str, Any] = {"chromium": CHROMIUM}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for n in (int(s) for s in args.trials.split(",")):
            cache = HERE / "results" / f"api-{n}.db"
            if not cache.exists():
                print(f"creating a {n}-trial study in {cache} …", file=sys.stderr)
                make_study(cache, n)
            for name in ("ours", "optuna_dashboard"):
                if name == "optuna_dashboard" and not args.od_python:
                    continue
                with tempfile.TemporaryDirectory() as tmp:
                    root = Path(tmp)
                    db = root / "bench.db"  # a fresh copy each: same data, no shared state
                    db.write_bytes(cache.read_bytes())
                    context = browser.new_context(viewport={"width": 1400, "height": 900})
                    context.add_init_script(LONG_TASKS)
                    page = context.new_page()
                    page.set_default_timeout(args.timeout * 1000)
                    print(f"{n} trials, {name} …", file=sys.stderr)
                    if args.latency and name == "ours":
                        figures = latency_ours(page, db, root, args.latency, args.timeout)
                    elif args.latency:
                        figures = latency_optuna_dashboard(
                            page, args.od_python, db, args.latency, args.timeout
                        )
                    elif name == "ours":
                        figures = bench_ours(page, db, root, args.timeout)
                    else:
                        figures = bench_optuna_dashboard(page, args.od_python, db, args.timeout)
                    context.close()
                results.setdefault(str(n), {})[name] = figures
                print(json.dumps({n: {name: figures}}), file=sys.stderr)
        browser.close()
    text = json.dumps(results, indent=2)
    if args.out:
        args.out.write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
