"""What a standalone dashboard (``run_server`` and ``wsgi``) serves besides the API: the
storage it was started with, the dashboard and login pages (:func:`front_door`), the
bundled front end and ``get_artifact_path()`` links.
"""

from __future__ import annotations

import html
import sys
from importlib.resources import files
from pathlib import Path
from typing import Any

from optuna.storages import BaseStorage

from jupyterlab_optuna._core.routing import Request
from jupyterlab_optuna._core.storage import StorageEntry, StorageRegistry
from jupyterlab_optuna._core.web_guard import Incoming, Refused, WebGuard

# The page runs only its own bundle; uploaded content never runs as the page (artifacts
# come with their own `sandbox` policy) and no other site may frame it.
PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; media-src 'self' blob:; font-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'self'"
)
PAGE_HEADERS = {
    "Content-Type": "text/html; charset=utf-8",
    "Content-Security-Policy": PAGE_CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}

Answer = tuple[int, list[tuple[str, str]], bytes]


def dashboard_page(storage_id: str, xsrf_cookie: str) -> bytes:
    """The dashboard page, opening the served storage."""
    return f"""<!doctype html>
<html><head><meta charset="utf-8"><title>Optuna Dashboard</title>
<link rel="stylesheet" href="static/standalone.css"></head>
<body style="margin:0;height:100vh">
<div id="jupyterlab-optuna-root" data-api-root="api/" data-storage-id="{html.escape(storage_id)}"
 data-xsrf-cookie="{html.escape(xsrf_cookie)}" style="height:100%"></div>
<script type="module" src="static/standalone.js"></script>
</body></html>""".encode()


def login_page(message: str | None = None) -> bytes:
    """A form asking for the token the server printed at start."""
    notice = f'<p role="alert" style="color:#b00">{html.escape(message)}</p>' if message else ""
    return f"""<!doctype html>
<html><head><meta charset="utf-8"><title>Optuna Dashboard: log in</title></head>
<body style="font-family:system-ui,sans-serif;max-width:32em;margin:4em auto;padding:0 1em">
<h1 style="font-size:1.4em">Optuna Dashboard</h1>
<p>Enter the token that <code>jupyter-optuna</code> (or <code>run_server</code>) printed when
it started, or open the URL it printed.</p>{notice}
<form method="post" action="login">
<label>Token <input type="password" name="token" autocomplete="current-password"
 autofocus required></label> <button type="submit">Log in</button>
</form></body></html>""".encode()


def front_door(
    guard: WebGuard,
    req: Incoming,
    page: str,
    storage_id: str,
    *,
    query_token: str | None = None,
    form_token: str | None = None,
) -> Answer:
    """Answer a request for the dashboard page (``page == ""``) or the login page.

    A valid token (in the query or the login form) is exchanged for the session cookie
    and a redirect to the page, so the token leaves the address bar at once.
    """
    try:
        guard.check_host(req)
        if req.method == "POST":
            guard.check_origin(req)
    except Refused as e:
        return e.status, _headers(), login_page(e.message)
    given = form_token if req.method == "POST" else query_token
    if given is not None:
        if not guard.token_ok(given):
            return 403, _headers(), login_page("Wrong token.")
        return 303, [*_headers(), ("Location", "./"), *_cookies(guard, req, login=True)], b""
    if guard.logged_in(req):
        if page == "login":
            return 303, [*_headers(), ("Location", "./")], b""
        body = dashboard_page(storage_id, guard.cookie_names(req)[1])
        return 200, [*_headers(), *_cookies(guard, req, login=False)], body
    if page == "":
        return 303, [*_headers(), ("Location", "login")], b""
    return 200, _headers(), login_page()


def _headers() -> list[tuple[str, str]]:
    return list(PAGE_HEADERS.items())


def _cookies(guard: WebGuard, req: Incoming, *, login: bool) -> list[tuple[str, str]]:
    return [("Set-Cookie", c) for c in guard.session_cookies(req, login=login)]


STATIC_TYPES = {".js": "text/javascript", ".css": "text/css", ".map": "application/json"}


def static_files() -> dict[str, Path]:
    """The bundled front-end files by name (only these are served; no path is joined)."""
    root = Path(str(files("jupyterlab_optuna") / "static"))
    if not root.is_dir():
        return {}
    return {p.name: p for p in root.iterdir() if p.suffix in STATIC_TYPES and p.is_file()}


def open_served(
    storage: str | BaseStorage, artifact_store: Any, root_dir: str | None = None
) -> tuple[StorageRegistry, StorageEntry]:
    """A registry rooted at ``root_dir`` (default: the working directory), where the page
    may open more storage files, holding the storage the administrator named (trusted: it
    may lie anywhere)."""
    registry = StorageRegistry(root_dir)
    if isinstance(storage, str):
        entry = registry.open(storage, trusted=True)
        if artifact_store is not None:
            entry.artifact_store = artifact_store
    else:
        entry = registry.add(storage, artifact_store, label="storage")
    return registry, entry


def artifact_request(path: str, storage_id: str) -> Request | None:
    """The API request behind a ``get_artifact_path()`` link, if ``path`` is one."""
    parts = path.strip("/").split("/")
    if not parts or parts[0] != "artifacts" or len(parts) not in (3, 4):
        return None
    owner = f"storages/{storage_id}/studies/{parts[1]}"
    if len(parts) == 4:
        owner += f"/trials/{parts[2]}"
    return Request("GET", f"{owner}/artifacts/{parts[-1]}")


def warn_open(where: str) -> None:
    """The loud warning of a server started with authentication off."""
    print(
        f"WARNING: authentication is OFF: anyone and any web page that can reach {where} can "
        "read and change your studies. Leave the token on unless another layer (a proxy "
        "with its own login) guards this server.",
        file=sys.stderr,
    )
