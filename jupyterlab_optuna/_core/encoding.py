"""JSON encoding that yields the GIL, and the rendering of a core Response into bytes.

One ``json.dumps`` of a 10,000-trial study is a single C call of tens of milliseconds that
keeps the GIL, stalling the Jupyter server's event loop even from a worker thread. Encoding
each column on its own keeps every C call short, so the loop keeps answering meanwhile.
"""

from __future__ import annotations

import gzip
import json
import math
from collections.abc import Iterator
from typing import Any, BinaryIO

from jupyterlab_optuna._core.records import wire_float
from jupyterlab_optuna._core.routing import Response

GZIP_MIN_BYTES = 1024
_SPLIT_DEPTH = 3
_SLICE = 1000


def dumps(data: Any, depth: int = _SPLIT_DEPTH) -> str:
    """JSON text of ``data``, split at the dict levels near the top and into slices of long
    lists. Non-finite floats, which JSON lacks and optuna allows (user attrs, constraints,
    system attrs), travel as the strings ``"nan"``, ``"inf"`` and ``"-inf"``, like values."""
    if depth > 0 and isinstance(data, dict) and data:
        items = (f"{json.dumps(str(k))}: {dumps(v, depth - 1)}" for k, v in data.items())
        return "{" + ", ".join(items) + "}"
    if isinstance(data, list) and len(data) > _SLICE:
        parts = (_dumps(data[i : i + _SLICE])[1:-1] for i in range(0, len(data), _SLICE))
        return "[" + ", ".join(parts) + "]"
    return _dumps(data)


def _dumps(data: Any) -> str:
    try:
        return json.dumps(data, allow_nan=False)
    except ValueError:  # rare: only the part holding a non-finite float pays for this
        return json.dumps(_finite(data), allow_nan=False)


def _finite(data: Any) -> Any:
    if isinstance(data, float) and not math.isfinite(data):
        return wire_float(data)
    if isinstance(data, dict):
        return {k: _finite(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [_finite(v) for v in data]
    return data


Body = bytes | BinaryIO
CHUNK_BYTES = 1 << 20


def render(response: Response, gzip_ok: bool) -> tuple[int, dict[str, str], Body]:
    """(status, headers, body) of a core Response; JSON over 1 KB gzipped when accepted.

    The body of a file response is the open file: transports send it in chunks of
    :data:`CHUNK_BYTES` (:func:`chunks`), so a large artifact never sits in memory whole.
    """
    headers = dict(response.headers)
    if response.content is not None:
        body, headers["Content-Type"] = response.content, response.content_type
        return response.status, headers, body
    data = dumps(response.data).encode()
    headers["Content-Type"] = "application/json"
    if gzip_ok and len(data) >= GZIP_MIN_BYTES:
        data = gzip.compress(data, compresslevel=5)
        headers["Content-Encoding"] = "gzip"
        headers["Vary"] = "Accept-Encoding"
    return response.status, headers, data


def chunks(body: Body) -> Iterator[bytes]:
    """The body in chunks of at most :data:`CHUNK_BYTES`; a file is closed at the end."""
    if isinstance(body, bytes):
        yield body
        return
    with body:
        while chunk := body.read(CHUNK_BYTES):
            yield chunk


def whole(body: Body) -> bytes:
    """The body as bytes (where a transport cannot stream, e.g. one comm message)."""
    return b"".join(chunks(body))
