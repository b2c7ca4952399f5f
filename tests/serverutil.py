"""A real `jupyter server` process with our extension, called over HTTP from any thread."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, BinaryIO

TOKEN = "test-token"


class Server:
    """A `jupyter server` process with the dashboard extension and the given storages open."""

    def __init__(
        self, root: Path, storages: list[Any], ready_storages: int | None = None, **settings: Any
    ) -> None:
        root.mkdir(parents=True, exist_ok=True)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        config = root / f"config-{self.port}.json"
        config.write_text(json.dumps({"OptunaDashboard": {"storages": storages, **settings}}))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "jupyter", "server", "--no-browser", "--allow-root",
             "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={self.port}",
             f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={root}",
             f"--config={config}"],
            stdout=subprocess.DEVNULL, stderr=(root / f"server-{self.port}.log").open("w"),
        )  # fmt: skip
        self.storage_ids = self._wait_ready(
            len(storages) if ready_storages is None else ready_storages
        )

    def _wait_ready(self, n_storages: int) -> list[str]:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("jupyter server exited")
            try:
                status, data = self.call("GET", "storages")
                if status == 200 and len(data["storages"]) == n_storages:
                    return [s["storage_id"] for s in data["storages"]]
            except (urllib.error.URLError, ConnectionError):
                pass
            time.sleep(0.2)
        raise RuntimeError("jupyter server did not start")

    @property
    def storage_id(self) -> str:
        return self.storage_ids[0]

    def request(
        self,
        method: str,
        path: str,
        body: bytes | BinaryIO | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        """(status, headers, raw body) of one request to our API, with the token."""
        url = f"http://127.0.0.1:{self.port}/jupyterlab-optuna/api/{path}"
        request = urllib.request.Request(url, data=body, method=method)  # type: ignore[arg-type]
        request.add_header("Authorization", f"token {TOKEN}")
        for key, value in (headers or {}).items():
            request.add_header(key, value)
        try:
            with urllib.request.urlopen(request, timeout=60) as r:
                return r.status, dict(r.headers), r.read()
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read()

    def call(self, method: str, path: str, body: object = None) -> tuple[int, dict]:
        """(status, JSON) of a JSON request to our API."""
        data = None if body is None else json.dumps(body).encode()
        if data is None and method in ("POST", "PUT"):
            data = b"{}"
        status, _, raw = self.request(method, path, data, {"Content-Type": "application/json"})
        return status, json.loads(raw or b"{}")

    def study(self, study_id: int) -> str:
        return f"storages/{self.storage_id}/studies/{study_id}"

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
