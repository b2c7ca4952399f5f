"""run_server's tornado app, the WSGI app and the CLI: same routes, token auth, artifact links.
(tests/test_security_modes.py probes their defences.)"""

from __future__ import annotations

import io
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from wsgiref.util import setup_testing_defaults

import optuna
import pytest
from optuna.artifacts import FileSystemArtifactStore
from tornado.httpclient import AsyncHTTPClient
from tornado.httpserver import HTTPServer
from tornado.testing import bind_unused_port

from jupyterlab_optuna import wsgi
from jupyterlab_optuna.artifact import get_artifact_path
from jupyterlab_optuna.standalone import make_app


@pytest.fixture
def hitl_study(tmp_path: Path) -> tuple[str, FileSystemArtifactStore, str]:
    """A SQLite study whose running trial has an image artifact; returns (url, store, link)."""
    url = f"sqlite:///{tmp_path / 's.db'}"
    store = FileSystemArtifactStore(str(tmp_path))
    study = optuna.create_study(storage=url, study_name="s")
    trial = study.ask()
    (tmp_path / "a.png").write_bytes(b"\x89PNGdata")
    artifact_id = optuna.artifacts.upload_artifact(
        artifact_store=store, file_path=str(tmp_path / "a.png"), study_or_trial=trial
    )
    return url, store, get_artifact_path(trial, artifact_id)


async def serve(app) -> tuple[HTTPServer, str]:
    sock, port = bind_unused_port()
    server = HTTPServer(app)
    server.add_sockets([sock])
    return server, f"http://127.0.0.1:{port}"


async def test_run_server_app_needs_its_token(hitl_study) -> None:
    url, store, link = hitl_study
    server, base = await serve(make_app(url, store, token="secret"))
    client = AsyncHTTPClient()
    auth = {"Authorization": "token secret"}
    try:
        refused = await client.fetch(f"{base}/api/storages", raise_error=False)
        assert refused.code == 403 and "token" in json.loads(refused.body)["message"]
        ok = await client.fetch(f"{base}/api/storages", headers=auth)
        (storage,) = json.loads(ok.body)["storages"]
        # the token never works from a URL of the API
        in_query = await client.fetch(
            f"{base}/api/storages/{storage['storage_id']}/studies?token=secret", raise_error=False
        )
        assert in_query.code == 403
        studies = await client.fetch(
            f"{base}/api/storages/{storage['storage_id']}/studies", headers=auth
        )
        assert json.loads(studies.body)["studies"][0]["study_name"] == "s"
        # the live channel is served too, behind the same token
        changes = f"{base}/api/storages/{storage['storage_id']}/changes"
        assert (await client.fetch(changes, raise_error=False)).code == 403
        live = json.loads((await client.fetch(changes, headers=auth)).body)
        assert live["changed"] is True and live["fingerprint"]
        # get_artifact_path() links work on the standalone server too
        image = await client.fetch(f"{base}{link}", headers=auth)
        assert image.body == b"\x89PNGdata" and image.headers["Content-Type"] == "image/png"
        # the page: the login form first, the dashboard once the token was traded for a cookie
        login = await client.fetch(f"{base}/", follow_redirects=False, raise_error=False)
        assert login.code == 303 and login.headers["Location"] == "login"
        traded = await client.fetch(f"{base}/?token=secret", follow_redirects=False,
                                    raise_error=False)  # fmt: skip
        assert traded.code == 303 and traded.headers["Location"] == "./"
        cookies = "; ".join(c.split(";")[0] for c in traded.headers.get_list("Set-Cookie"))
        page = await client.fetch(f"{base}/", headers={"Cookie": cookies})
        assert b"static/standalone.js" in page.body and b"secret" not in page.body
        assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    finally:
        server.stop()


def test_wsgi_app_serves_the_same_routes(hitl_study) -> None:
    url, store, link = hitl_study
    app = wsgi(url, artifact_store=store, token="secret")

    def get(path: str, method: str = "GET", body: bytes = b"") -> tuple[str, dict, bytes]:
        environ: dict = {"PATH_INFO": path.split("?")[0], "REQUEST_METHOD": method,
                         "QUERY_STRING": path.partition("?")[2], "wsgi.input": io.BytesIO(body),
                         "CONTENT_LENGTH": str(len(body)), "CONTENT_TYPE": "application/json",
                         "HTTP_AUTHORIZATION": "token secret"}  # fmt: skip
        setup_testing_defaults(environ)
        captured: dict = {}
        chunks = app(
            environ, lambda status, headers: captured.update(status=status, headers=dict(headers))
        )
        return captured["status"], captured["headers"], b"".join(chunks)

    status, _, body = get("/api/storages")
    sid = json.loads(body)["storages"][0]["storage_id"]
    status, _, body = get(f"/api/storages/{sid}/studies/1")
    assert status.startswith("200") and json.loads(body)["trials"]["state"] == ["Running"]
    status, headers, body = get(link)
    assert headers["Content-Type"] == "image/png" and body == b"\x89PNGdata"
    status, _, body = get("/api/storages/nope/studies")
    assert status.startswith("404") and "message" in json.loads(body)
    status, _, body = get(f"/api/storages/{sid}/studies", "POST", b"{oops")
    assert status.startswith("400")
    status, headers, body = get("/static/standalone.js")
    assert status.startswith("200") and headers["Content-Type"] == "text/javascript"
    status, _, _ = get("/static/../standalone.py")
    assert status.startswith("404")


def test_wsgi_needs_a_token_or_an_explicit_opt_out(hitl_study, monkeypatch, capsys) -> None:
    url, store, _ = hitl_study
    monkeypatch.delenv("JUPYTERLAB_OPTUNA_TOKEN", raising=False)
    with pytest.raises(ValueError, match="token"):
        wsgi(url, artifact_store=store)
    monkeypatch.setenv("JUPYTERLAB_OPTUNA_TOKEN", "from-env")
    assert wsgi(url, artifact_store=store).guard.token == "from-env"
    wsgi(url, artifact_store=store, token="")
    assert "authentication is OFF" in capsys.readouterr().err


def test_cli_serves_a_sqlite_file_with_a_printed_token(hitl_study, tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k != "JUPYTERLAB_OPTUNA_TOKEN"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab_optuna._cli", str(tmp_path / "s.db"), "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
    )  # fmt: skip
    try:
        printed = proc.stdout.readline()  # type: ignore[union-attr]
        token = re.search(r"\?token=(\S+)", printed).group(1)  # type: ignore[union-attr]
        assert len(token) >= 32, printed
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/storages", headers={"Authorization": f"token {token}"}
        )
        for _ in range(100):
            try:
                with urllib.request.urlopen(request, timeout=1) as r:
                    storages = json.loads(r.read())["storages"]
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("the CLI server did not start")
        assert storages[0]["kind"] == "rdb"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_cli_reports_a_missing_file(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "jupyterlab_optuna._cli", str(tmp_path / "missing.db")],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 2
    assert "No such file" in result.stderr


async def test_run_server_streams_uploads_and_refuses_them_past_its_limit(hitl_study) -> None:
    # Given the standalone app with a token and a 64 KB upload limit
    url, store, _ = hitl_study
    server, base = await serve(make_app(url, store, token="secret", max_upload_bytes=65536))
    client = AsyncHTTPClient()
    auth = {"Authorization": "token secret"}
    try:
        storage_id = json.loads((await client.fetch(f"{base}/api/storages", headers=auth))
                                .body)["storages"][0]["storage_id"]  # fmt: skip
        upload = f"{base}/api/storages/{storage_id}/studies/1/artifacts?filename=b.bin"
        body = bytes(range(256)) * 200  # 51,200 bytes, spooled as they arrive
        # When uploaded without the token, Then refused before the body counts
        refused = await client.fetch(upload, method="POST", body=body, raise_error=False)
        assert refused.code == 403
        # When uploaded with it, Then stored whole and downloaded whole
        done = await client.fetch(upload, method="POST", body=body, headers=auth)
        artifact_id = json.loads(done.body)["artifact"]["artifact_id"]
        got = await client.fetch(upload.split("?")[0] + f"/{artifact_id}", headers=auth)
        assert got.body == body
        # And a body over the limit is a 413 with a message
        big = await client.fetch(upload, method="POST", body=body * 2, headers=auth,
                                 raise_error=False)  # fmt: skip
        assert big.code == 413 and "larger than" in json.loads(big.body)["message"]
    finally:
        server.stop()
