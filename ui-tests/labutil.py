"""Helpers of the browser tests: start a real JupyterLab on loopback, open it in a page."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Locator, Page

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
OUTPUT = Path(__file__).parent / "output"
EXAMPLES = Path(__file__).parents[1] / "examples"
PICK_QUIET_MS = 600  # src/pickGuard.ts: a pick this soon after the previous one is ignored


@dataclass
class Lab:
    """A running JupyterLab: its URL, token and root directory."""

    url: str
    token: str
    root: Path

    def api(self, path: str) -> str:
        return f"{self.url}{path}?token={self.token}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def example_generator(
    script: str, db: Path, artifacts: Path, ready: Callable[[], bool], timeout: float
) -> Iterator[None]:
    """Run ``examples/<script>`` on the SQLite file ``db`` until ``ready()`` (or ``timeout``
    seconds), stop it on exit; fail with its stderr if it dies first."""
    proc = subprocess.Popen(
        [sys.executable, str(EXAMPLES / script), str(db), "--artifact-dir", str(artifacts),
         "--interval", "0.3"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not ready():
            if proc.poll() is not None:
                pytest.fail(proc.stderr.read().decode() if proc.stderr else "generator died")
            time.sleep(0.3)
        yield
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def screenshot(target: Page | Locator, name: str) -> None:
    """Save a screenshot for reviewers under ui-tests/output."""
    OUTPUT.mkdir(exist_ok=True)
    target.screenshot(path=str(OUTPUT / f"{name}.png"))


def start_lab(root: Path, *extra: str) -> tuple[subprocess.Popen[bytes], Lab]:
    """Start JupyterLab on a free loopback port and wait until it answers."""
    port, token = free_port(), "ui-test-token"
    home = root / ".lab"
    notification = home / "settings" / "@jupyterlab" / "apputils-extension"
    notification.mkdir(parents=True, exist_ok=True)
    (notification / "notification.jupyterlab-settings").write_text('{"fetchNews": "false"}')
    cmd = [
        sys.executable, "-m", "jupyterlab",
        "--no-browser", "--allow-root", "--ip=127.0.0.1", f"--port={port}",
        f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
        "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        f"--LabApp.workspaces_dir={home / 'workspaces'}",
        f"--LabApp.user_settings_dir={home / 'settings'}",
        *extra,
    ]  # fmt: skip
    server = Lab(url=f"http://127.0.0.1:{port}", token=token, root=root)
    return _serve(cmd, server, "jupyterlab", "/api/status")


def start_notebook(root: Path, *extra: str) -> tuple[subprocess.Popen[bytes], Lab]:
    """Start Jupyter Notebook 7 like ``start_lab`` (its app in ``window.jupyterapp``)."""
    port, token = free_port(), "ui-test-token"
    home = root / ".notebook"
    cmd = [
        sys.executable, "-m", "notebook",
        "--no-browser", "--allow-root", "--ip=127.0.0.1", f"--port={port}",
        f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
        "--JupyterNotebookApp.expose_app_in_browser=True",
        f"--JupyterNotebookApp.workspaces_dir={home / 'workspaces'}",
        f"--JupyterNotebookApp.user_settings_dir={home / 'settings'}",
        *extra,
    ]  # fmt: skip
    server = Lab(url=f"http://127.0.0.1:{port}", token=token, root=root)
    return _serve(cmd, server, "notebook", "/api/status")


def start_voila(notebook: Path, *extra: str) -> tuple[subprocess.Popen[bytes], Lab]:
    """Serve one notebook with Voila on a free loopback port: its page (``url``/?token=…)
    runs the notebook in a new kernel each time it is opened."""
    port, token = free_port(), "ui-test-token"
    cmd = [
        sys.executable, "-m", "voila", str(notebook),
        "--no-browser", "--Voila.ip=127.0.0.1", f"--port={port}", f"--token={token}",
        *extra,
    ]  # fmt: skip
    server = Lab(url=f"http://127.0.0.1:{port}", token=token, root=notebook.parent)
    # (no status route: anywidget's labextension, which the widgets need, is asked for)
    return _serve(cmd, server, "voila", "/voila/labextensions/anywidget/package.json")


def _serve(
    cmd: list[str], server: Lab, name: str, ready: str
) -> tuple[subprocess.Popen[bytes], Lab]:
    """Run ``cmd`` in ``server.root`` (output in ``<name>.log``) until ``ready`` answers."""
    log_path = server.root / f"{name}.log"
    proc = subprocess.Popen(
        cmd, cwd=server.root, stdout=log_path.open("wb"), stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(log_path.read_text())
        try:
            urllib.request.urlopen(server.api(ready), timeout=2)
            return proc, server
        except OSError:
            time.sleep(0.3)
    proc.terminate()
    raise RuntimeError(f"{name} did not start within 60 s")


def open_lab(page: Page, lab: Lab) -> None:
    """Open JupyterLab with a fresh workspace and wait for the launcher."""
    page.goto(f"{lab.url}/lab?reset&token={lab.token}")
    page.locator(".jp-Launcher").first.wait_for()


def open_dashboard(page: Page, lab: Lab) -> None:
    """Open JupyterLab and click the launcher's Optuna Dashboard tile."""
    open_lab(page, lab)
    page.locator('.jp-LauncherCard:has-text("Optuna Dashboard")').first.click()
    page.locator(".jp-OptunaDashboard").first.wait_for()


def open_study(page: Page, lab: Lab, storage: str, study: str, artifact_dir: str = "") -> None:
    """From a fresh JupyterLab: the dashboard tile, the storage by path, then the study."""
    open_dashboard(page, lab)
    picker = page.locator(".jp-OptunaDashboard-picker")
    picker.locator('input[name="storage-url"]').fill(storage)
    if artifact_dir:
        picker.locator('input[name="artifact-dir"]').fill(artifact_dir)
    picker.locator('button[type="submit"]').click()
    card = page.locator(f'.jp-OptunaDashboard-card[data-study-name="{study}"]')
    card.locator(".jp-OptunaDashboard-cardMain").click()


def after_pick_guard(page: Page) -> None:
    """Let the compare page's guard against double picks pass before a deliberate next
    pick (a refill can arrive sooner than a person picks again)."""
    page.wait_for_timeout(PICK_QUIET_MS + 100)


def display_name(page: Page, lab: Lab) -> str:
    """Who Jupyter says this browser is: /api/me with the page's cookie and token."""
    me = page.evaluate(
        """async token => {
            const r = await fetch('/api/me', { headers: { Authorization: `token ${token}` } });
            return r.json();
        }""",
        lab.token,
    )
    return str(me["identity"]["display_name"])


def page_in_context(browser: Browser, test_name: str, **context: Any) -> Iterator[Page]:
    """A 1400x900 page in a fresh browser context (``context``: more of its options), with a
    screenshot under ui-tests/output named after the test when it ends."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 900}, **context)
    page = ctx.new_page()
    page.set_default_timeout(30_000)
    yield page
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / f"{test_name}.png"))
    ctx.close()
