"""Browser tests: a real JupyterLab (subprocess, 127.0.0.1) driven by Debian's Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import optuna
import pytest
from labutil import CHROMIUM, CHROMIUM_ARGS, Lab, example_generator, page_in_context, start_lab
from playwright.sync_api import Browser, Page, expect, sync_playwright

from jupyterlab_optuna import preferential

PREFERENTIAL_STUDY = "sunset-preferential"

# Chromium 156 without a GPU takes 10-20 s to draw a plotly parallel coordinate (WebGL in
# software); Playwright's default of 5 s failed those checks although the plot appears.
expect.set_options(timeout=30_000)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def lab_root(tmp_path: Path) -> Path:
    root = tmp_path / "root"
    root.mkdir()
    return root


@pytest.fixture
def lab(lab_root: Path) -> Iterator[Lab]:
    proc, lab = start_lab(lab_root)
    yield lab
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture
def page(browser: Browser, lab: Lab, request: pytest.FixtureRequest) -> Iterator[Page]:
    yield from page_in_context(browser, request.node.name)


@pytest.fixture
def rating_generator(lab_root: Path) -> Iterator[optuna.Study]:
    """The demo generator keeping 4 sunset trials running on lab_root/sunset.db."""
    url = f"sqlite:///{lab_root / 'sunset.db'}"
    study = optuna.create_study(storage=url, study_name="sunset", direction="maximize")

    def ready() -> bool:
        return len(study.get_trials(states=(optuna.trial.TrialState.RUNNING,))) >= 4

    with example_generator(
        "sunset_generator.py", lab_root / "sunset.db", lab_root / "artifacts", ready, 60
    ):
        yield study


@pytest.fixture
def preferential_generator(lab_root: Path) -> Iterator[str]:
    """The preferential generator (GP sampler) keeping 4 sunsets to compare on
    lab_root/pref.db; the storage URL."""
    url = f"sqlite:///{lab_root / 'pref.db'}"

    def ready() -> bool:
        try:
            study = preferential.load_study(study_name=PREFERENTIAL_STUDY, storage=url)
        except (KeyError, ValueError):
            return False  # not created yet
        return not study.should_generate()

    with example_generator(
        "preferential_sunset.py", lab_root / "pref.db", lab_root / "artifacts", ready, 120
    ):
        yield url
