"""Tornado adapters over the route table: one handler class per path pattern.

Every request becomes a core ``Request`` dispatched on a thread pool (storage calls block;
the event loop never waits on them); domain errors become ``{"message"}`` JSON with their
status, here and only here.
"""

from __future__ import annotations

import asyncio
import json
import re
import tempfile
from concurrent.futures import Executor
from typing import Any, BinaryIO

from tornado import web

from jupyterlab_optuna._core.answer import answer
from jupyterlab_optuna._core.changes import ChangeFeed, wait_arguments
from jupyterlab_optuna._core.encoding import CHUNK_BYTES, Body
from jupyterlab_optuna._core.errors import DashboardError
from jupyterlab_optuna._core.routes import UPLOAD_PATTERNS
from jupyterlab_optuna._core.routing import Request, Router

CHANGES_PATTERN = "storages/{sid}/changes"
"""``GET …?since=&timeout=``: answers once the storage changed (a long poll, see
:mod:`jupyterlab_optuna._core.changes`); waits on the event loop, holding no thread."""


def pattern_regex(pattern: str) -> str:
    """A route pattern (``storages/{sid}``) as a tornado URL regex with named groups."""
    return re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", pattern)


class RouteHandlerMixin:
    """Dispatches every verb of one path pattern to the router, off the event loop."""

    router: Router
    context: Any
    executor: Executor
    api_root: str
    body_stream: BinaryIO | None = None  # set by handlers that spool the body to a file

    def initialize(self, router: Router, context: Any, executor: Executor, api_root: str) -> None:
        self.router, self.context, self.executor, self.api_root = (
            router,
            context,
            executor,
            api_root,
        )

    async def _dispatch(self) -> None:
        handler: Any = self
        request = handler.request
        path = request.path[len(self.api_root) :] if request.path.startswith(self.api_root) else ""
        core_request = Request(
            method=request.method,
            path=path,
            query={k: handler.get_query_argument(k) for k in request.query_arguments},
            body=request.body or b"",
            headers={k: v for k, v in request.headers.get_all()},
            stream=self.body_stream,
            user=self.user_name(),
        )
        await self._send(core_request)

    async def _send(self, core_request: Request) -> None:
        """Answer ``core_request``: dispatch and rendering run on the executor."""
        handler: Any = self
        gzip_ok = "gzip" in handler.request.headers.get("Accept-Encoding", "")
        loop = asyncio.get_running_loop()
        status, headers, body = await loop.run_in_executor(
            self.executor, self._respond, core_request, gzip_ok
        )
        handler.set_status(status)
        for key, value in headers.items():
            handler.set_header(key, value)
        if not isinstance(body, bytes):
            await self._stream(body)
            body = b""
        self._finish(body, headers["Content-Type"])

    async def _stream(self, body: BinaryIO) -> None:
        """Send a file in chunks read on the executor, never holding it whole."""
        handler: Any = self
        loop = asyncio.get_running_loop()
        try:
            while chunk := await loop.run_in_executor(self.executor, body.read, CHUNK_BYTES):
                handler.write(chunk)
                await handler.flush()
        finally:
            body.close()

    def user_name(self) -> str | None:
        """Who sends the request, recorded with the decisions, ratings and notes it writes."""
        return None

    def _respond(self, request: Request, gzip_ok: bool) -> tuple[int, dict[str, str], Body]:
        """Dispatch and render the answer, all on the executor (encoding big JSON is CPU work)."""
        return answer(self.router, self.context, request, gzip_ok)

    def _finish(self, body: bytes, content_type: str) -> None:
        handler: Any = self
        handler.finish(body)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """Errors raised by tornado itself (e.g. 403 for a missing token) as JSON too."""
        handler: Any = self
        handler.set_header("Content-Type", "application/json")
        reason = handler._reason or "Error"
        handler.finish(json.dumps({"message": f"{status_code}: {reason}"}))


def route_specs(
    router: Router,
    context: Any,
    executor: Executor,
    api_root: str,
    handler: type,
    upload_handler: type | None = None,
) -> list[tuple[str, type, dict[str, Any]]]:
    """Tornado URL specs: one per path pattern, plus a JSON 404 for the rest of the API.

    The patterns of :data:`UPLOAD_PATTERNS` get ``upload_handler`` (a streaming one) if given.
    """
    kwargs = {"router": router, "context": context, "executor": executor, "api_root": api_root}
    feed = ChangeFeed(lambda fn: asyncio.get_running_loop().run_in_executor(executor, fn))

    def handler_for(pattern: str) -> type:
        return upload_handler if upload_handler and pattern in UPLOAD_PATTERNS else handler

    specs = [(api_root + pattern_regex(CHANGES_PATTERN), changes_handler(handler, feed), kwargs)]
    specs += [(api_root + pattern_regex(p), handler_for(p), kwargs) for p in router.patterns()]
    specs.append((api_root + r".*", handler, kwargs))
    return specs


def changes_handler(handler: type, feed: ChangeFeed) -> type:
    """``handler`` (with its authentication) answering GET ``storages/{sid}/changes`` with
    ``{"fingerprint", "changed"}`` once the storage changed, or on time-out."""

    class ChangesHandler(handler):  # type: ignore[valid-type, misc]
        _gone = False  # the client closed the connection

        def on_connection_close(self) -> None:
            self._gone = True
            super().on_connection_close()

        async def _dispatch(self) -> None:
            if self.request.method != "GET":
                raise web.HTTPError(405)
            query = {k: self.get_query_argument(k) for k in self.request.query_arguments}
            try:
                entry = self.context.get(self.path_kwargs["sid"])
                since, timeout = wait_arguments(query)
            except DashboardError as e:
                self.set_status(e.status)
                self._finish(json.dumps(e.to_json()).encode(), "application/json")
                return
            result = await feed.wait(entry, since, timeout, lambda: self._gone)
            if not self._gone:
                self.set_header("Cache-Control", "no-store")
                self._finish(json.dumps(result).encode(), "application/json")

    return ChangesHandler


class StreamedUploadMixin:
    """Spools an uploaded body to a temporary file as it arrives (use with
    ``@tornado.web.stream_request_body``): memory stays bounded whatever the size, and a
    body over ``max_upload_bytes`` is refused with 413 before it is read."""

    max_upload_bytes: int

    def start_upload(self) -> None:
        handler: Any = self
        length = int(handler.request.headers.get("Content-Length") or 0)
        if length > self.max_upload_bytes:
            raise web.HTTPError(
                413, reason=f"The file is larger than the {self.max_upload_bytes} bytes allowed"
            )
        handler.request.connection.set_max_body_size(self.max_upload_bytes)
        handler.body_stream = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY_BYTES)

    def data_received(self, chunk: bytes) -> None:
        stream = getattr(self, "body_stream", None)
        if stream is not None:
            stream.write(chunk)

    def rewind_upload(self) -> None:
        stream = getattr(self, "body_stream", None)
        if stream is not None:
            stream.seek(0)

    def on_finish(self) -> None:
        stream = getattr(self, "body_stream", None)
        if stream is not None:
            stream.close()
        super().on_finish()  # type: ignore[misc]


SPOOL_IN_MEMORY_BYTES = 1 << 20
