"""The three ways the dashboard is served over HTTP, each a real server on a real port,
probed with raw requests (any method, header, cookie and Host) as a browser or an attacker
would send them."""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, make_server

from serverutil import TOKEN, Server

Answer = tuple[int, dict[str, str], bytes]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def raw(
    port: int, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
) -> Answer:
    """One HTTP request, headers sent exactly as given (Host included); no redirect followed."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = dict(headers or {})
    headers.setdefault("Host", f"127.0.0.1:{port}")
    conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
    for key, value in headers.items():
        conn.putheader(key, value)
    if body or method in ("POST", "PUT"):
        conn.putheader("Content-Length", str(len(body)))
    conn.endheaders(body or None)
    r = conn.getresponse()
    answer_headers: dict[str, str] = {}
    for key, value in r.getheaders():
        key = key.lower()
        answer_headers[key] = f"{answer_headers[key]}\n{value}" if key in answer_headers else value
    data = r.read()
    conn.close()
    return r.status, answer_headers, data


def cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def set_cookies(headers: dict[str, str]) -> dict[str, str]:
    cookie: SimpleCookie = SimpleCookie()
    for line in headers.get("set-cookie", "").split("\n"):
        if line:
            cookie.load(line)
    return {k: m.value for k, m in cookie.items()}


class Target:
    """A dashboard served in one mode, with a SQLite study in its root."""

    mode: str
    port: int
    api: str  # the API root path, e.g. /jupyterlab-optuna/api/
    root: Path
    storage_id: str

    def request(
        self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> Answer:
        return raw(self.port, method, self.api + path, body, headers)

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def token_headers(self) -> dict[str, str]:
        """What a script sends: the token in a header."""
        return {"Authorization": f"token {TOKEN}"}

    def browser_session(self) -> tuple[dict[str, str], str]:
        """Log in as a browser does (the URL with the token); (cookies, XSRF cookie name)."""
        raise NotImplementedError

    def browser_headers(self, *, xsrf: bool = True, origin: str | None = None) -> dict[str, str]:
        """What the dashboard page sends on a write: cookies, XSRF header, same Origin."""
        cookies, xsrf_name = self.browser_session()
        headers = {
            "Cookie": cookie_header(cookies),
            "Origin": origin or self.origin,
            "Content-Type": "application/json",
        }
        if xsrf:
            headers["X-XSRFToken"] = cookies[xsrf_name]
        return headers

    def call(
        self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> tuple[int, dict]:
        data = b"" if body is None else json.dumps(body).encode()
        status, _, raw_body = self.request(
            method,
            path,
            data,
            {"Content-Type": "application/json", **(headers or self.token_headers())},
        )
        return status, json.loads(raw_body or b"{}")

    def stop(self) -> None:
        raise NotImplementedError


class ExtensionTarget(Target):
    mode = "extension"

    def __init__(self, root: Path, db: Path, **settings: Any) -> None:
        self.server = Server(root, [str(db)], **settings)
        self.port, self.api, self.root = self.server.port, "/jupyterlab-optuna/api/", root
        self.storage_id = self.server.storage_id

    def browser_session(self) -> tuple[dict[str, str], str]:
        _, headers, _ = raw(self.port, "GET", f"/api/status?token={TOKEN}")
        cookies = set_cookies(headers)
        _, headers, _ = raw(self.port, "GET", "/lab", headers={"Cookie": cookie_header(cookies)})
        cookies.update(set_cookies(headers))
        assert "_xsrf" in cookies, headers
        return cookies, "_xsrf"

    def log(self) -> str:
        return (self.root / f"server-{self.port}.log").read_text()

    def stop(self) -> None:
        self.server.stop()


class StandaloneTarget(Target):
    """``jupyter-optuna`` in a subprocess, with a token from the environment."""

    mode = "standalone"

    def __init__(self, root: Path, db: Path) -> None:
        self.port, self.api, self.root = free_port(), "/api/", root
        env = {**os.environ, "JUPYTERLAB_OPTUNA_TOKEN": TOKEN}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "jupyterlab_optuna._cli", str(db), "--port", str(self.port),
             "--root-dir", str(root)],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        self.printed = self.process.stdout.readline()  # type: ignore[union-attr]
        self.storage_id = self._wait()

    def _wait(self) -> str:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                status, data = self.call("GET", "storages")
                if status == 200:
                    return data["storages"][0]["storage_id"]
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"jupyter-optuna did not start: {self.printed}")

    def browser_session(self) -> tuple[dict[str, str], str]:
        status, headers, _ = raw(self.port, "GET", f"/?token={TOKEN}")
        assert status == 303 and headers["location"] == "./", (status, headers)
        cookies = set_cookies(headers)
        return cookies, f"jupyterlab-optuna-xsrf-{self.port}"

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


class WSGITarget(StandaloneTarget):
    """``wsgi()`` under wsgiref's server in a thread of this process."""

    mode = "wsgi"

    def __init__(self, root: Path, db: Path) -> None:
        from jupyterlab_optuna import wsgi

        self.api, self.root = "/api/", root
        app = wsgi(f"sqlite:///{db}", token=TOKEN, root_dir=str(root))
        self.httpd = make_server("127.0.0.1", 0, app, handler_class=_QuietHandler)
        self.port = self.httpd.server_port
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.storage_id = self._wait()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def query(**params: str) -> str:
    return "?" + urllib.parse.urlencode(params)
