"""Calling the dashboard API of the pytest-jupyter server, as the panel does."""

from __future__ import annotations

import json
from pathlib import Path

from tornado.httpclient import HTTPClientError


async def api(jp_fetch, *path: str, method: str = "GET", body=None, **kwargs):
    """Call our API (token added by jp_fetch); returns (status, parsed JSON or raw bytes)."""
    data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body))
    if data is None and method in ("POST", "PUT"):
        data = "{}"
    try:
        r = await jp_fetch("jupyterlab-optuna", "api", *path, method=method, body=data,
                           raise_error=False, **kwargs)  # fmt: skip
    except HTTPClientError as e:  # older pytest-jupyter ignores raise_error
        r = e.response
    content = r.body
    if r.headers.get("Content-Type", "").startswith("application/json"):
        content = json.loads(content) if content else {}
    return r.code, content


async def open_storage(jp_fetch, db: Path, artifacts: Path | None = None) -> str:
    body = {"url": str(db)}
    if artifacts is not None:
        body["artifact_dir"] = str(artifacts)
    code, data = await api(jp_fetch, "storages", method="POST", body=body)
    assert code == 200, data
    return data["storage_id"]
