"""The route table machinery: a request is (method, path, query, body), a result a Response.

The tornado handlers, the WSGI app and the widget comm are thin adapters over
:class:`Router.dispatch`; every dashboard feature therefore exists once.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from jupyterlab_optuna._core.errors import BadRequest, NotFound

MAX_UPLOAD_BYTES = 2**30
"""The default largest request body (an artifact upload) a transport accepts."""


@dataclass(frozen=True)
class Request:
    """A transport-neutral request.

    ``path`` is relative to the API root (``storages/abc/studies``), ``query`` maps a name to
    its first value, ``body`` holds the raw bytes (JSON routes call :meth:`json`).
    """

    method: str
    path: str
    query: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)
    stream: BinaryIO | None = None  # a large body the transport spooled instead of ``body``
    user: str | None = None  # who sent it, as the transport knows them; recorded with writes

    def body_file(self) -> BinaryIO:
        """The body as a file to read from (streamed uploads never sit in memory whole)."""
        return self.stream if self.stream is not None else io.BytesIO(self.body)

    def json(self) -> Any:
        """The body parsed as JSON; an empty body is ``{}``; malformed JSON is a BadRequest."""
        if not self.body:
            return {}
        try:
            return json.loads(self.body)
        except RecursionError:
            raise BadRequest("The request body is JSON nested too deeply.") from None
        except ValueError as e:  # malformed, not UTF-8, or an integer of thousands of digits
            raise BadRequest(f"The request body is not valid JSON: {e}") from None

    def json_object(self) -> dict[str, Any]:
        """The body as a JSON object; anything else is a BadRequest."""
        data = self.json()
        if not isinstance(data, dict):
            raise BadRequest("The request body must be a JSON object.")
        return data


@dataclass
class Response:
    """A result: JSON-able ``data``, or raw ``content`` (bytes or an open file, which the
    transport sends in chunks and closes) with a content type."""

    data: Any = None
    status: int = 200
    content: bytes | BinaryIO | None = None  # raw bytes, or a file the transport streams
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)


Handler = Callable[..., Any]
"""A route handler: ``handler(ctx, request, **path_params)`` returning a Response or JSON data."""


@dataclass(frozen=True)
class Route:
    """One entry of the route table: an HTTP method, a path pattern and its handler.

    Patterns use ``{name}`` placeholders matching one path segment.
    """

    method: str
    pattern: str
    handler: Handler

    @property
    def regex(self) -> re.Pattern[str]:
        return compile_pattern(self.pattern)


def compile_pattern(pattern: str) -> re.Pattern[str]:
    """The regex of a route pattern, matching a whole path without its outer slashes."""
    parts = re.split(r"(\{\w+\})", pattern)
    out = "".join(f"(?P<{p[1:-1]}>[^/]+)" if p.startswith("{") else re.escape(p) for p in parts)
    return re.compile(f"^{out}$")


class Router:
    """Dispatches requests to the handlers of a route table."""

    def __init__(self, routes: list[Route]) -> None:
        self.routes = routes
        self._compiled = [(r, compile_pattern(r.pattern)) for r in routes]

    def patterns(self) -> list[str]:
        """The distinct path patterns, in table order (one tornado handler each)."""
        seen: dict[str, None] = {}
        for r in self.routes:
            seen.setdefault(r.pattern, None)
        return list(seen)

    def dispatch(self, ctx: Any, request: Request) -> Response:
        """Run the handler matching ``request``; an unknown path or verb is a NotFound/405."""
        path = request.path.strip("/")
        allowed = False
        for route, regex in self._compiled:
            m = regex.match(path)
            if m is None:
                continue
            if route.method != request.method:
                allowed = True
                continue
            result = route.handler(ctx, request, **m.groupdict())
            return result if isinstance(result, Response) else Response(data=result)
        if allowed:
            raise MethodNotAllowed(f"{request.method} is not allowed on {path!r}.")
        raise NotFound(f"No API route matches {path!r}.")


class MethodNotAllowed(BadRequest):
    """A known path with a verb it does not accept (HTTP 405)."""

    status = 405


def content_disposition(disposition: str, filename: str) -> str:
    """A Content-Disposition header for any file name (RFC 6266): an ASCII ``filename``
    for old clients and the exact UTF-8 name as ``filename*``."""
    from urllib.parse import quote

    fallback = "".join(
        c if c.isascii() and c.isprintable() and c not in '"\\;' else "_" for c in filename
    )
    header = f'{disposition}; filename="{fallback or "download"}"'
    if fallback != filename:
        header += f"; filename*=UTF-8''{quote(filename, safe='')}"
    return header
