"""Tornado adapters over the route table: one handler class per path pattern.

Every request becomes a core ``Request`` dispatched on a thread pool (storage calls block;
the event loop never waits on them); domain errors become ``{"message"}`` JSON with their
status, here and only here.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import logging
import re
from concurrent.futures import Executor
from typing import Any

from jupyterlab_optuna._core.errors import DashboardError
from jupyterlab_optuna._core.routing import Request, Response, Router

log = logging.getLogger("jupyterlab_optuna")
GZIP_MIN_BYTES = 1024


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
        loop = asyncio.get_running_loop()
        try:
            response = await loop.run_in_executor(
                self.executor, self.router.dispatch, self.context, core_request
            )
        except DashboardError as e:
            response = Response(data=e.to_json(), status=e.status)
        except Exception as e:
            log.exception("jupyterlab-optuna: %s %s failed", request.method, request.path)
            response = Response(
                data={"message": f"Internal error: {type(e).__name__}"}, status=500
            )
        self._write(response)

    def _write(self, response: Response) -> None:
        handler: Any = self
        handler.set_status(response.status)
        if response.content is not None:
            body, content_type = response.content, response.content_type
        else:
            body = json.dumps(response.data, allow_nan=False).encode()
            content_type = "application/json"
        handler.set_header("Content-Type", content_type)
        for key, value in response.headers.items():
            handler.set_header(key, value)
        accepts = "gzip" in handler.request.headers.get("Accept-Encoding", "")
        if (
            content_type == "application/json"
            and len(body) >= GZIP_MIN_BYTES
            and accepts
            and "Content-Encoding" not in response.headers
        ):
            body = gzip.compress(body, compresslevel=5)
            handler.set_header("Content-Encoding", "gzip")
            handler.set_header("Vary", "Accept-Encoding")
        self._finish(body, content_type)

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
