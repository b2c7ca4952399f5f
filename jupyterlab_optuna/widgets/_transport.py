"""The dashboard API over a widget comm: the route table, framed as comm messages.

A request from the front end is ``{"type": "request", "id", "method", "path", "query",
"body"}`` with an optional binary buffer (an upload); the answer is ``{"type": "response",
"id", "status", "content_type", "data"}`` with JSON in ``data`` or the raw bytes in one
buffer (artifacts, plotly.js). Errors are answered like the HTTP API: ``{"message"}`` with
a 4xx status, or 500 naming the exception — never left unanswered.
"""

from __future__ import annotations

import getpass
import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jupyterlab_optuna._core.answer import answer, error_response
from jupyterlab_optuna._core.changes import wait_arguments
from jupyterlab_optuna._core.encoding import render, whole
from jupyterlab_optuna._core.errors import BadRequest, DashboardError
from jupyterlab_optuna._core.routes import make_router
from jupyterlab_optuna._core.routing import Request, Response, Router
from jupyterlab_optuna._core.storage import StorageRegistry
from jupyterlab_optuna.widgets._changes import ChangeWaiter

_CHANGES_PATH = re.compile(r"^storages/([^/]+)/changes$")

PLOTLY_PATH = "static/plotly.min.js"
"""plotly.js as the kernel's plotly package ships it: charts work without a CDN or server."""

Reply = tuple[dict[str, Any], list[bytes]]


class CommTransport:
    """Answers the comm requests of the widgets of one kernel, over one storage registry."""

    def __init__(self, registry: StorageRegistry | None = None) -> None:
        self.registry = registry or StorageRegistry()
        self.router: Router = make_router()
        self.waiter = ChangeWaiter()

    def wait_for_change(self, content: Any, send: Callable[[dict[str, Any]], None]) -> bool:
        """Take a change wait (``GET storages/{sid}/changes``): ``send`` gets its answer
        later, from the waiter's thread. False when ``content`` is not one."""
        if not isinstance(content, dict) or content.get("type") != "request":
            return False
        match = _CHANGES_PATH.match(str(content.get("path", "")))
        if content.get("method") != "GET" or match is None:
            return False
        request_id = content.get("id")

        def answer(data: dict[str, Any], status: int = 200) -> None:
            send({"type": "response", "id": request_id, "status": status,
                  "content_type": "application/json", "data": data})  # fmt: skip

        try:
            query = content.get("query") or {}
            if not isinstance(query, dict):
                raise BadRequest("A request's query is a JSON object.")
            entry = self.registry.get(match.group(1))
            since, timeout = wait_arguments({str(k): str(v) for k, v in query.items()})
        except DashboardError as e:
            answer(e.to_json(), e.status)
        else:
            self.waiter.add(entry, since, timeout, answer)
        return True

    def handle(self, content: Any, buffers: list[bytes] | None = None) -> Reply | None:
        """The reply to one comm message, or None when it is not a request."""
        if not isinstance(content, dict) or content.get("type") != "request":
            return None
        request_id = content.get("id")
        try:
            request = self._request(content, buffers or [])
        except DashboardError as e:
            status, headers, body = render(error_response(e), gzip_ok=False)
        else:
            if request.method == "GET" and request.path == PLOTLY_PATH:
                plotly_js = Response(content=_plotly_js(), content_type="text/javascript")
                status, headers, body = render(plotly_js, gzip_ok=False)
            else:
                status, headers, body = answer(
                    self.router, self.registry, request, show_details=True
                )
        body = whole(body)  # one comm message carries the whole answer
        reply: dict[str, Any] = {
            "type": "response",
            "id": request_id,
            "status": status,
            "content_type": headers["Content-Type"],
        }
        if headers["Content-Type"] == "application/json":
            reply["data"] = json.loads(body) if body else None
            return reply, []
        reply["headers"] = {k: v for k, v in headers.items() if k != "Content-Type"}
        return reply, [body]

    def _request(self, content: dict[str, Any], buffers: list[bytes]) -> Request:
        method, path = content.get("method"), content.get("path")
        if not isinstance(method, str) or not isinstance(path, str):
            raise BadRequest("A request needs a method and a path.")
        query = content.get("query") or {}
        body = content.get("body")
        if buffers:
            raw = bytes(buffers[0])
        elif body is None:
            raw = b""
        else:
            raw = json.dumps(body).encode()
        headers = {"Content-Type": content.get("content_type") or "application/json"}
        return Request(
            method=method,
            path=path,
            query={str(k): str(v) for k, v in query.items()},
            body=raw,
            headers=headers,
            user=kernel_user(),
        )


def kernel_user() -> str | None:
    """The person a kernel runs for: JupyterHub's user name, else the OS account's."""
    try:
        return os.environ.get("JUPYTERHUB_USER") or getpass.getuser()
    except (OSError, KeyError):  # no login name and no passwd entry (some containers)
        return None


def _plotly_js() -> bytes:
    import plotly

    return (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_bytes()
