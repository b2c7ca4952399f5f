"""Serve the dashboard without Jupyter: ``run_server`` (tornado) and ``wsgi`` (any WSGI server).

Both use the same route table as the Jupyter server extension, under ``/api/``; the
dashboard page is served at ``/``. ``get_artifact_path()`` links (``/artifacts/…``) resolve
against the storage given here.
"""

from __future__ import annotations

import asyncio
import hmac
import tempfile
import urllib.parse
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from http import HTTPStatus
from importlib.resources import files
from typing import Any, BinaryIO

from optuna.storages import BaseStorage
from tornado import web

from jupyterlab_optuna._core.answer import answer, error_response
from jupyterlab_optuna._core.encoding import CHUNK_BYTES, Body, chunks, render
from jupyterlab_optuna._core.errors import NotFound, PayloadTooLarge
from jupyterlab_optuna._core.routes import make_router
from jupyterlab_optuna._core.routing import MAX_UPLOAD_BYTES, Request, Router
from jupyterlab_optuna._core.storage import StorageEntry, StorageRegistry
from jupyterlab_optuna.server.handlers import (
    RouteHandlerMixin,
    StreamedUploadMixin,
    route_specs,
)

API_ROOT = "/api/"


def _registry(
    storage: str | BaseStorage, artifact_store: Any
) -> tuple[StorageRegistry, StorageEntry]:
    registry = StorageRegistry()
    if isinstance(storage, str):
        entry = registry.open(storage)
        if artifact_store is not None:
            entry.artifact_store = artifact_store
    else:
        entry = registry.add(storage, artifact_store, label="storage")
    return registry, entry


def page_html(storage_id: str) -> bytes:
    """The dashboard page, opening the served storage."""
    return f"""<!doctype html>
<html><head><meta charset="utf-8"><title>Optuna Dashboard</title>
<link rel="stylesheet" href="static/standalone.css"></head>
<body style="margin:0;height:100vh">
<div id="jupyterlab-optuna-root" data-api-root="api/" data-storage-id="{storage_id}"
 style="height:100%"></div>
<script type="module" src="static/standalone.js"></script>
</body></html>""".encode()


def artifact_request(path: str, storage_id: str) -> Request | None:
    """The API request behind a ``get_artifact_path()`` link, if ``path`` is one."""
    parts = path.strip("/").split("/")
    if not parts or parts[0] != "artifacts" or len(parts) not in (3, 4):
        return None
    owner = f"storages/{storage_id}/studies/{parts[1]}"
    if len(parts) == 4:
        owner += f"/trials/{parts[2]}"
    return Request("GET", f"{owner}/artifacts/{parts[-1]}")


def _token_ok(token: str | None, header: str | None, query_token: str | None) -> bool:
    if token is None:
        return True
    given = query_token or ""
    if header and header.lower().startswith("token "):
        given = header[6:].strip()
    return hmac.compare_digest(given.encode(), token.encode())


class _TokenMixin:
    token: str | None = None

    def prepare(self) -> None:
        handler: Any = self
        header = handler.request.headers.get("Authorization")
        if not _token_ok(self.token, header, handler.get_query_argument("token", None)):
            raise web.HTTPError(403, reason="Forbidden: a valid token is required")


def _handler_classes(token: str | None, max_upload_bytes: int) -> tuple[type, ...]:
    class APIHandler(_TokenMixin, RouteHandlerMixin, web.RequestHandler):
        async def get(self, **_: str) -> None:
            await self._dispatch()

        post = put = delete = get

    APIHandler.token = token

    @web.stream_request_body
    class UploadHandler(StreamedUploadMixin, APIHandler):
        def prepare(self) -> None:
            super().prepare()  # the token, before any byte is read
            if self.request.method == "POST":
                self.max_upload_bytes = max_upload_bytes
                self.start_upload()

        async def post(self, **_: str) -> None:
            self.rewind_upload()
            await self._dispatch()

    class ArtifactHandler(_TokenMixin, RouteHandlerMixin, web.RequestHandler):
        storage_id = ""

        async def get(self, path: str) -> None:
            request = artifact_request("artifacts/" + path, self.storage_id)
            if request is None:
                raise web.HTTPError(404)
            await self._send(request)

    ArtifactHandler.token = token

    class PageHandler(_TokenMixin, web.RequestHandler):
        html = b""

        def get(self) -> None:
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.finish(self.html)

    PageHandler.token = None  # the page itself carries no data; its API calls are checked
    return APIHandler, UploadHandler, ArtifactHandler, PageHandler


def make_app(
    storage: str | BaseStorage,
    artifact_store: Any = None,
    token: str | None = None,
    max_upload_bytes: int = MAX_UPLOAD_BYTES,
) -> web.Application:
    """The tornado application of ``run_server`` (exposed for embedding and tests).

    Artifact uploads stream to a temporary file; one over ``max_upload_bytes`` is a 413.
    """
    registry, entry = _registry(storage, artifact_store)
    executor = ThreadPoolExecutor(4, thread_name_prefix="jupyterlab-optuna")
    router = make_router()
    api, upload, artifact, page = _handler_classes(token, max_upload_bytes)
    artifact.storage_id = entry.storage_id
    page.html = page_html(entry.storage_id)
    kwargs = {"router": router, "context": registry, "executor": executor, "api_root": API_ROOT}
    static = str(files("jupyterlab_optuna") / "static")
    return web.Application(
        [
            (r"/", page),
            (r"/static/(.*)", web.StaticFileHandler, {"path": static}),
            (r"/artifacts/(.*)", artifact, kwargs),
            *route_specs(router, registry, executor, API_ROOT, api, upload),
        ]
    )


def run_server(
    storage: str | BaseStorage,
    host: str = "localhost",
    port: int = 8080,
    artifact_store: Any = None,
    *,
    token: str | None = None,
) -> None:
    """Serve the dashboard of ``storage`` at ``http://host:port/`` until interrupted.

    Args:
        storage: a storage URL, a SQLite/journal file path, or an optuna storage object.
        artifact_store: an optuna artifact store (e.g. ``FileSystemArtifactStore``).
        token: when set, every API request needs ``Authorization: token …`` or ``?token=…``.

    Example:
        >>> from jupyterlab_optuna import run_server
        >>> run_server("sqlite:///db.sqlite3", port=8080)  # doctest: +SKIP
    """
    app = make_app(storage, artifact_store, token)

    async def serve() -> None:
        app.listen(port, address=host)
        suffix = f"?token={token}" if token else ""
        print(f"Optuna dashboard at http://{host}:{port}/{suffix}  (Ctrl+C to stop)")
        await asyncio.Event().wait()

    try:
        asyncio.run(serve())
    except KeyboardInterrupt:
        pass


StartResponse = Callable[[str, list[tuple[str, str]]], Any]


def wsgi(
    storage: str | BaseStorage,
    artifact_store: Any = None,
    *,
    max_upload_bytes: int = MAX_UPLOAD_BYTES,
) -> Callable[..., Iterable[bytes]]:
    """A WSGI application serving the dashboard API (``/api/…``) and artifact links.

    Request bodies over 1 MB are spooled to a temporary file, so an artifact upload never
    sits in memory whole; one over ``max_upload_bytes`` is refused with 413.

    Example (gunicorn):
        >>> # main.py
        >>> from jupyterlab_optuna import wsgi
        >>> application = wsgi("sqlite:///db.sqlite3")  # doctest: +SKIP
        >>> # $ gunicorn --workers 4 main:application
    """
    registry, entry = _registry(storage, artifact_store)
    router = make_router()
    return _WSGIApp(router, registry, entry.storage_id, max_upload_bytes)


class _WSGIApp:
    def __init__(
        self, router: Router, registry: StorageRegistry, storage_id: str, max_upload_bytes: int
    ) -> None:
        self.router, self.registry, self.storage_id = router, registry, storage_id
        self.max_upload_bytes = max_upload_bytes

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        query = dict(urllib.parse.parse_qsl(environ.get("QUERY_STRING", "")))
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > self.max_upload_bytes:
            too_large = PayloadTooLarge(
                f"The body is larger than the {self.max_upload_bytes} bytes allowed."
            )
            return self._send(start_response, render(error_response(too_large), gzip_ok=False))
        body, stream = _read_body(environ["wsgi.input"], length)
        headers = {"Content-Type": environ.get("CONTENT_TYPE", "")}
        if path.startswith(API_ROOT):
            request: Request | None = Request(
                environ["REQUEST_METHOD"], path[len(API_ROOT) :], query, body, headers, stream
            )
        else:
            request = artifact_request(path, self.storage_id)
        if request is None:
            code, headers, content = render(
                error_response(NotFound(f"No route for {path!r}.")), gzip_ok=False
            )
        else:
            code, headers, content = answer(self.router, self.registry, request)
        if stream is not None:
            stream.close()
        return self._send(start_response, (code, headers, content))

    @staticmethod
    def _send(start_response: StartResponse, answered: tuple[int, dict[str, str], Body]) -> Any:
        code, headers, content = answered
        start_response(f"{code} {HTTPStatus(code).phrase}", list(headers.items()))
        return chunks(content)


def _read_body(source: Any, length: int) -> tuple[bytes, BinaryIO | None]:
    """A small body as bytes; a larger one spooled to a temporary file in chunks."""
    if length <= 0:
        return b"", None
    if length <= CHUNK_BYTES:
        return source.read(length), None
    spool = tempfile.SpooledTemporaryFile(max_size=CHUNK_BYTES)
    left = length
    while left > 0 and (chunk := source.read(min(CHUNK_BYTES, left))):
        spool.write(chunk)
        left -= len(chunk)
    spool.seek(0)
    return b"", spool  # type: ignore[return-value]
