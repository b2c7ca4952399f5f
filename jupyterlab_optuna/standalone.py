"""Serve the dashboard without Jupyter: ``run_server`` (tornado) and ``wsgi`` (any WSGI server).

Both use the same route table as the Jupyter server extension, under ``/api/``; the
dashboard page is served at ``/``. ``get_artifact_path()`` links (``/artifacts/…``) resolve
against the storage given here. Both are secure by default (see ``_core/web_guard.py``):
a token, a session cookie, a Host allow-list and same-origin JSON writes.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from optuna.storages import BaseStorage
from tornado import web

from jupyterlab_optuna._core.routes import make_router
from jupyterlab_optuna._core.routing import MAX_UPLOAD_BYTES
from jupyterlab_optuna._core.web_guard import (
    XSRF_HEADER,
    Incoming,
    Refused,
    WebGuard,
    resolve_token,
)
from jupyterlab_optuna._site import (
    STATIC_TYPES,
    artifact_request,
    front_door,
    open_served,
    static_files,
    warn_open,
)
from jupyterlab_optuna._wsgi import wsgi
from jupyterlab_optuna.server.handlers import (
    RouteHandlerMixin,
    StreamedUploadMixin,
    route_specs,
)

__all__ = ["make_app", "run_server", "wsgi"]

API_ROOT = "/api/"


class _GuardedMixin:
    """Runs the guard before a handler reads anything (uploads: before their body)."""

    guard: WebGuard
    upload = False

    def incoming(self) -> Incoming:
        handler: Any = self
        r = handler.request
        length = int(r.headers.get("Content-Length") or 0) or len(r.body or b"")
        if "Transfer-Encoding" in r.headers:
            length = max(length, 1)
        return Incoming(
            method=r.method,
            host=r.headers.get("Host", ""),
            origin=r.headers.get("Origin"),
            referer=r.headers.get("Referer"),
            authorization=r.headers.get("Authorization"),
            cookies={k: m.value for k, m in r.cookies.items()},
            xsrf_header=r.headers.get(XSRF_HEADER),
            content_type=r.headers.get("Content-Type", ""),
            content_length=length,
            secure=r.protocol == "https",
        )

    def prepare(self) -> None:
        handler: Any = self
        try:
            self.guard.check_api(self.incoming(), upload=self.upload)
        except Refused as e:
            handler.set_status(e.status)
            handler.set_header("Content-Type", "application/json")
            handler.finish(json.dumps({"message": e.message}))


def _handler_classes(guard: WebGuard, storage_id: str, max_upload_bytes: int) -> tuple[type, ...]:
    class APIHandler(_GuardedMixin, RouteHandlerMixin, web.RequestHandler):
        async def get(self, **_: str) -> None:
            await self._dispatch()

        post = put = delete = get

    @web.stream_request_body
    class UploadHandler(StreamedUploadMixin, APIHandler):
        def prepare(self) -> None:
            self.upload = self.request.method == "POST"
            super().prepare()  # the guard, before any byte is read
            if self.upload and not self._finished:
                self.max_upload_bytes = max_upload_bytes
                self.start_upload()

        async def post(self, **_: str) -> None:
            self.rewind_upload()
            await self._dispatch()

    class ArtifactHandler(_GuardedMixin, RouteHandlerMixin, web.RequestHandler):
        async def get(self, path: str) -> None:
            request = artifact_request("artifacts/" + path, storage_id)
            if request is None:
                raise web.HTTPError(404)
            await self._send(request)

    class PageHandler(_GuardedMixin, web.RequestHandler):
        def prepare(self) -> None:
            pass  # front_door() checks

        def get(self, page: str) -> None:
            form = self.get_body_argument("token", None) if self.request.method == "POST" else None
            status, headers, body = front_door(
                guard,
                self.incoming(),
                page,
                storage_id,
                query_token=self.get_query_argument("token", None),
                form_token=form,
            )
            self.set_status(status)
            for key, value in headers:
                if key == "Set-Cookie":
                    self.add_header(key, value)
                else:
                    self.set_header(key, value)
            self.finish(body)

        post = get

    class StaticHandler(web.RequestHandler):
        known = static_files()

        def get(self, name: str) -> None:
            path = self.known.get(name)
            if path is None:
                raise web.HTTPError(404)
            self.set_header("Content-Type", STATIC_TYPES[path.suffix])
            self.set_header("X-Content-Type-Options", "nosniff")
            self.finish(path.read_bytes())

    for cls in (APIHandler, ArtifactHandler, PageHandler):
        cls.guard = guard
    return APIHandler, UploadHandler, ArtifactHandler, PageHandler, StaticHandler


def make_app(
    storage: str | BaseStorage,
    artifact_store: Any = None,
    token: str | None = None,
    max_upload_bytes: int = MAX_UPLOAD_BYTES,
    *,
    allow_hosts: Iterable[str] = (),
    root_dir: str | None = None,
) -> web.Application:
    """The tornado application of ``run_server`` (exposed for embedding and tests).

    ``token``: see :func:`run_server` (``None`` reads ``$JUPYTERLAB_OPTUNA_TOKEN`` or makes
    one: ``app.settings["token"]``). Uploads stream to a temporary file; one over
    ``max_upload_bytes`` is a 413.
    """
    token = resolve_token(token, generate=True)
    guard = WebGuard(token, allow_hosts)
    registry, entry = open_served(storage, artifact_store, root_dir)
    executor = ThreadPoolExecutor(4, thread_name_prefix="jupyterlab-optuna")
    router = make_router()
    api, upload, artifact, page, static = _handler_classes(
        guard, entry.storage_id, max_upload_bytes
    )
    kwargs = {"router": router, "context": registry, "executor": executor, "api_root": API_ROOT}
    return web.Application(
        [
            (r"/(|login)", page),
            (r"/static/([^/]+)", static),
            (r"/artifacts/(.*)", artifact, kwargs),
            *route_specs(router, registry, executor, API_ROOT, api, upload),
        ],
        token=token,
    )


def run_server(
    storage: str | BaseStorage,
    host: str = "localhost",
    port: int = 8080,
    artifact_store: Any = None,
    *,
    token: str | None = None,
    allow_hosts: Iterable[str] = (),
    root_dir: str | None = None,
) -> None:
    """Serve the dashboard of ``storage`` at ``http://host:port/`` until interrupted.

    Secure by default: the URL printed at start carries a token that the browser trades for
    a session cookie; scripts send ``Authorization: token …``.

    Args:
        storage: a storage URL, a SQLite/journal file path, or an optuna storage object.
        artifact_store: an optuna artifact store (e.g. ``FileSystemArtifactStore``).
        token: the token to require; by default ``$JUPYTERLAB_OPTUNA_TOKEN`` or a random
            one. ``""`` turns authentication off (with a loud warning).
        allow_hosts: ``Host`` names to answer besides ``host``, the loopback names and IP
            addresses (e.g. the name a reverse proxy forwards); ``"*"`` answers any.
        root_dir: where the page may open more storage files (default: the working
            directory); ``storage`` itself may lie anywhere.

    Example:
        >>> from jupyterlab_optuna import run_server
        >>> run_server("sqlite:///db.sqlite3", port=8080)  # doctest: +SKIP
    """
    app = make_app(
        storage, artifact_store, token, allow_hosts=[host, *allow_hosts], root_dir=root_dir
    )
    token = app.settings["token"]
    where = f"http://{'localhost' if host in ('', '0.0.0.0', '::') else host}:{port}/"

    async def serve() -> None:
        app.listen(port, address=host)
        if token:
            print(f"Optuna dashboard at {where}?token={token}  (Ctrl+C to stop)", flush=True)
        else:
            warn_open(where)
            print(f"Optuna dashboard at {where}  (Ctrl+C to stop)", flush=True)
        await asyncio.Event().wait()

    try:
        asyncio.run(serve())
    except KeyboardInterrupt:
        pass
