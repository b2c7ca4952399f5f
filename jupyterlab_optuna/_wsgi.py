"""``wsgi(storage)``: the whole dashboard (page, API, artifact links) as a WSGI application,
guarded like ``run_server`` (see ``_core/web_guard.py``)."""

from __future__ import annotations

import tempfile
import urllib.parse
from collections.abc import Callable, Iterable
from http import HTTPStatus
from http.cookies import CookieError, SimpleCookie
from typing import Any, BinaryIO

from optuna.storages import BaseStorage

from jupyterlab_optuna._core.answer import answer, error_response
from jupyterlab_optuna._core.encoding import CHUNK_BYTES, Body, chunks, render
from jupyterlab_optuna._core.errors import NotFound, PayloadTooLarge
from jupyterlab_optuna._core.routes import is_upload, make_router
from jupyterlab_optuna._core.routing import MAX_UPLOAD_BYTES, Request, Response, Router
from jupyterlab_optuna._core.storage import StorageRegistry
from jupyterlab_optuna._core.web_guard import Incoming, Refused, WebGuard, resolve_token
from jupyterlab_optuna._site import (
    STATIC_TYPES,
    artifact_request,
    front_door,
    open_served,
    static_files,
    warn_open,
)

API_ROOT = "/api/"
LOGIN_FORM_BYTES = 4096

StartResponse = Callable[[str, list[tuple[str, str]]], Any]


def wsgi(
    storage: str | BaseStorage,
    artifact_store: Any = None,
    *,
    token: str | None = None,
    allow_hosts: Iterable[str] = (),
    max_upload_bytes: int = MAX_UPLOAD_BYTES,
    root_dir: str | None = None,
) -> Callable[..., Iterable[bytes]]:
    """A WSGI application serving the dashboard: its page at ``/``, the API under
    ``/api/`` and ``get_artifact_path()`` links.

    Secure by default, like ``run_server``: a browser logs in once with the token (the
    login page, or ``/?token=…``) and gets a session cookie; scripts send
    ``Authorization: token …``. Every worker must share the token, so none is generated.

    Args:
        token: the token; by default ``$JUPYTERLAB_OPTUNA_TOKEN``. ``""`` turns
            authentication off (only behind a proxy with its own login).
        allow_hosts: the ``Host`` names it answers besides loopback names and IP
            addresses: the public name of the site behind a reverse proxy.
        root_dir: where the page may open more storage files (default: the working
            directory); ``storage`` itself may lie anywhere.
        max_upload_bytes: a larger request body is refused with 413; bodies over 1 MB are
            spooled to a temporary file, never held in memory whole.

    Raises:
        ValueError: no token given and none in the environment.

    Example (gunicorn behind a reverse proxy that keeps the ``Host`` header):
        >>> # main.py
        >>> from jupyterlab_optuna import wsgi
        >>> application = wsgi("sqlite:///db.sqlite3", allow_hosts=["optuna.example.org"])
        >>> # $ JUPYTERLAB_OPTUNA_TOKEN=... gunicorn --workers 4 main:application
    """
    token = resolve_token(token, generate=False)
    if not token:
        warn_open("this WSGI application")
    registry, entry = open_served(storage, artifact_store, root_dir)
    return _WSGIApp(make_router(), registry, entry.storage_id, WebGuard(token, allow_hosts),
                    max_upload_bytes)  # fmt: skip


class _WSGIApp:
    def __init__(
        self,
        router: Router,
        registry: StorageRegistry,
        storage_id: str,
        guard: WebGuard,
        max_upload_bytes: int,
    ) -> None:
        self.router, self.registry, self.storage_id = router, registry, storage_id
        self.guard, self.max_upload_bytes = guard, max_upload_bytes
        self.static = static_files()

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "") or "/"
        method = environ.get("REQUEST_METHOD", "GET").upper()
        query = dict(urllib.parse.parse_qsl(environ.get("QUERY_STRING", "")))
        length = _content_length(environ)
        incoming = _incoming(environ, method, length)
        if path in ("/", "/login"):
            form = None
            if method == "POST":
                raw = environ["wsgi.input"].read(min(length, LOGIN_FORM_BYTES))
                form = urllib.parse.parse_qs(raw.decode("utf-8", "replace")).get("token", [""])[0]
            status, headers, body = front_door(
                self.guard, incoming, path.strip("/"), self.storage_id,
                query_token=query.get("token"), form_token=form,
            )  # fmt: skip
            start_response(f"{status} {HTTPStatus(status).phrase}", headers)
            return [body]
        if path.startswith("/static/"):
            return self._static(path[len("/static/") :], start_response)
        api_path = path[len(API_ROOT) :] if path.startswith(API_ROOT) else None
        upload = api_path is not None and is_upload(method, api_path)
        try:
            self.guard.check_api(incoming, upload=upload)
        except Refused as e:
            return self._error(start_response, e.status, e.message)
        if length > self.max_upload_bytes:
            too_large = PayloadTooLarge(
                f"The body is larger than the {self.max_upload_bytes} bytes allowed."
            )
            return self._send(start_response, render(error_response(too_large), gzip_ok=False))
        if api_path is None:
            request = artifact_request(path, self.storage_id)
            if request is None:
                return self._send(start_response, render(
                    error_response(NotFound(f"No route for {path!r}.")), gzip_ok=False
                ))  # fmt: skip
            return self._send(start_response, answer(self.router, self.registry, request))
        body, stream = _read_body(environ["wsgi.input"], length)
        headers = {"Content-Type": environ.get("CONTENT_TYPE", "")}
        request = Request(method, api_path, query, body, headers, stream)
        try:
            return self._send(start_response, answer(self.router, self.registry, request))
        finally:
            if stream is not None:
                stream.close()

    def _static(self, name: str, start_response: StartResponse) -> Iterable[bytes]:
        file = self.static.get(name)
        if file is None:
            return self._error(start_response, 404, f"No static file {name!r}.")
        start_response("200 OK", [("Content-Type", STATIC_TYPES[file.suffix]),
                                  ("X-Content-Type-Options", "nosniff")])  # fmt: skip
        return [file.read_bytes()]

    def _error(self, start_response: StartResponse, status: int, message: str) -> Any:
        refused = Response(data={"message": message}, status=status)
        return self._send(start_response, render(refused, gzip_ok=False))

    @staticmethod
    def _send(start_response: StartResponse, answered: tuple[int, dict[str, str], Body]) -> Any:
        code, headers, content = answered
        start_response(f"{code} {HTTPStatus(code).phrase}", list(headers.items()))
        return chunks(content)


def _content_length(environ: dict[str, Any]) -> int:
    try:
        return max(int(environ.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


def _incoming(environ: dict[str, Any], method: str, length: int) -> Incoming:
    cookies: dict[str, str] = {}
    try:
        cookies = {k: m.value for k, m in SimpleCookie(environ.get("HTTP_COOKIE", "")).items()}
    except CookieError:
        pass
    host = environ.get("HTTP_HOST") or "{}:{}".format(
        environ.get("SERVER_NAME", ""), environ.get("SERVER_PORT", "")
    )
    return Incoming(
        method=method,
        host=host,
        origin=environ.get("HTTP_ORIGIN"),
        referer=environ.get("HTTP_REFERER"),
        authorization=environ.get("HTTP_AUTHORIZATION"),
        cookies=cookies,
        xsrf_header=environ.get("HTTP_X_XSRFTOKEN"),
        content_type=environ.get("CONTENT_TYPE", ""),
        content_length=length,
        secure=environ.get("wsgi.url_scheme") == "https",
    )


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
