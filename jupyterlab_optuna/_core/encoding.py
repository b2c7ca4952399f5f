"""JSON encoding that yields the GIL: big answers are encoded piece by piece.

One ``json.dumps`` of a 10,000-trial study is a single C call of tens of milliseconds that
keeps the GIL, stalling the Jupyter server's event loop even from a worker thread. Encoding
each column on its own keeps every C call short, so the loop keeps answering meanwhile.
"""

from __future__ import annotations

import json
from typing import Any

_SPLIT_DEPTH = 3
_SLICE = 1000


def dumps(data: Any, depth: int = _SPLIT_DEPTH) -> str:
    """``json.dumps(data, allow_nan=False)``, split at the dict levels near the top and
    into slices of long lists."""
    if depth > 0 and isinstance(data, dict) and data:
        items = (f"{json.dumps(str(k))}: {dumps(v, depth - 1)}" for k, v in data.items())
        return "{" + ", ".join(items) + "}"
    if isinstance(data, list) and len(data) > _SLICE:
        parts = (
            json.dumps(data[i : i + _SLICE], allow_nan=False)[1:-1]
            for i in range(0, len(data), _SLICE)
        )
        return "[" + ", ".join(parts) + "]"
    return json.dumps(data, allow_nan=False)
