"""Tornado adapters over the route table: one handler class per path pattern.

Every request becomes a core ``Request`` dispatched on a thread pool (storage calls block;
the event loop never waits on them); domain errors become ``{"message"}`` JSON with their
status, here and only here.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from concurrent.futures import Executor
from typing import Any

from jupyterlab_optuna._core.answer import answer
from jupyterlab_optuna._core.routing import Request, Router

log = logging.getLogger("jupyterlab_optuna")


def pattern_regex(pattern: str) -> str:
    """A route pattern (``storages/{sid}``) as a tornado URL regex with named groups."""
    return re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", pattern)


class RouteHandlerMixin:
    """Dispatches every verb of one path pattern to the router, off the event loop."""

    router: Router
    context: Any
    executor: Executor
    api_root: str

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
        self._finish(body, headers["Content-Type"])

    def _respond(self, request: Request, gzip_ok: bool) -> tuple[int, dict[str, str], bytes]:
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
    router: Router, context: Any, executor: Executor, api_root: str, handler: type
) -> list[tuple[str, type, dict[str, Any]]]:
    """Tornado URL specs: one per path pattern, plus a JSON 404 for the rest of the API."""
    kwargs = {"router": router, "context": context, "executor": executor, "api_root": api_root}
    specs = [(api_root + pattern_regex(p), handler, kwargs) for p in router.patterns()]
    specs.append((api_root + r".*", handler, kwargs))
    return specs
