"""Large artifacts stream through a real Jupyter server with bounded memory."""

from __future__ import annotations

import threading
import time
import urllib.request
from pathlib import Path

import optuna
import psutil
from serverutil import TOKEN, Server

SIZE = 200 * 2**20


def peak_rss_during(pid: int, action) -> tuple[int, int, object]:
    """(RSS before, peak RSS while ``action`` runs, its result) of process ``pid``."""
    process = psutil.Process(pid)
    before = process.memory_info().rss
    peak = [before]
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], process.memory_info().rss)
            time.sleep(0.01)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        result = action()
    finally:
        done.set()
        watcher.join()
    return before, peak[0], result


def test_a_200_mb_artifact_streams_in_and_out_with_bounded_memory(tmp_path: Path) -> None:
    # Given a server with a study and an artifact directory, and a 200 MB file to upload
    optuna.create_study(storage=f"sqlite:///{tmp_path / 'big.db'}", study_name="big")
    big = tmp_path / "big.bin"
    with big.open("wb") as f:
        for i in range(SIZE // 2**20):
            f.write(bytes([i % 251]) * 2**20)
    server = Server(tmp_path, [{"url": "big.db", "artifact_dir": "artifacts"}])
    try:
        path = server.study(1) + "/artifacts?filename=big.bin"
        # When it is uploaded from a file (sent in blocks, with its length)
        def upload():
            with big.open("rb") as f:
                return server.request("POST", path, f, {"Content-Length": str(SIZE),
                                                        "Content-Type": "application/x-big"})  # fmt: skip

        before, peak, (status, _, raw) = peak_rss_during(server.process.pid, upload)
        # Then it is stored whole, and the server's memory grew far less than the file
        assert status == 201, raw
        assert peak - before < 64 * 2**20, f"upload: RSS grew {(peak - before) >> 20} MB"
        artifact_id = __import__("json").loads(raw)["artifact"]["artifact_id"]
        assert (tmp_path / "artifacts" / artifact_id).stat().st_size == SIZE

        # When it is downloaded, Then it streams out whole with bounded memory too
        def download() -> int:
            url = f"http://127.0.0.1:{server.port}/jupyterlab-optuna/api/{server.study(1)}"
            request = urllib.request.Request(f"{url}/artifacts/{artifact_id}")
            request.add_header("Authorization", f"token {TOKEN}")
            n = 0
            with urllib.request.urlopen(request, timeout=120) as r:
                while chunk := r.read(2**20):
                    n += len(chunk)
            return n

        before, peak, n = peak_rss_during(server.process.pid, download)
        assert n == SIZE
        assert peak - before < 64 * 2**20, f"download: RSS grew {(peak - before) >> 20} MB"
    finally:
        server.stop()


def test_an_upload_over_the_limit_is_413_and_writes_nothing(tmp_path: Path) -> None:
    optuna.create_study(storage=f"sqlite:///{tmp_path / 'small.db'}", study_name="small")
    server = Server(tmp_path, [{"url": "small.db", "artifact_dir": "artifacts"}],
                    max_upload_bytes=1000)  # fmt: skip
    try:
        path = server.study(1) + "/artifacts?filename=a.bin"
        status, _, raw = server.request("POST", path, b"x" * 1001)
        assert status == 413 and b"larger than the 1000 bytes" in raw, raw
        assert list((tmp_path / "artifacts").iterdir()) == []
        status, _, raw = server.request("POST", path, b"x" * 1000)
        assert status == 201, raw
    finally:
        server.stop()


class Zeros:
    """A request body of ``size`` bytes that exists only as it is read."""

    def __init__(self, size: int) -> None:
        self.left = size

    def read(self, n: int = -1) -> bytes:
        n = self.left if n < 0 else min(n, self.left)
        self.left -= n
        return b"\0" * n


def test_the_wsgi_app_spools_uploads_and_streams_downloads(tmp_path: Path) -> None:
    import json
    import tracemalloc

    from optuna.artifacts import FileSystemArtifactStore

    from jupyterlab_optuna.standalone import wsgi

    # Given the WSGI app on a study, with a 16 MB upload limit
    optuna.create_study(storage=f"sqlite:///{tmp_path / 'w.db'}", study_name="w")
    (tmp_path / "artifacts").mkdir()
    store = FileSystemArtifactStore(str(tmp_path / "artifacts"))
    app = wsgi(f"sqlite:///{tmp_path / 'w.db'}", store, token="t", max_upload_bytes=16 * 2**20)

    def call(method: str, path: str, size: int = 0, query: str = "") -> tuple[str, bytes]:
        started: list = []
        environ = {"REQUEST_METHOD": method, "PATH_INFO": f"/api/{path}",
                   "QUERY_STRING": query, "CONTENT_LENGTH": str(size),
                   "CONTENT_TYPE": "application/octet-stream", "wsgi.input": Zeros(size),
                   "HTTP_HOST": "127.0.0.1", "HTTP_AUTHORIZATION": "token t"}  # fmt: skip
        body = app(environ, lambda status, headers: started.append(status))
        n, head = 0, b""
        for chunk in body:  # as a WSGI server sends it, chunk by chunk
            n += len(chunk)
            head = head or chunk[:300]
        return started[0], head if n < 300 else str(n).encode()

    base = f"storages/{app.storage_id}/studies/1/artifacts"
    # When 12 MB are uploaded and downloaded, Then memory holds a few chunks, never the file
    tracemalloc.start()
    status, raw = call("POST", base, 12 * 2**20, "filename=z.bin")
    artifact_id = json.loads(raw)["artifact"]["artifact_id"]
    status_down, size = call("GET", f"{base}/{artifact_id}")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert status.startswith("201") and status_down.startswith("200")
    assert int(size) == 12 * 2**20
    assert peak < 5 * 2**20, f"peak {peak >> 20} MB"
    # And a body over the limit is a 413 with a message, nothing stored
    status, raw = call("POST", base, 17 * 2**20, "filename=big.bin")
    assert status.startswith("413") and b"larger than" in raw
    assert len(list((tmp_path / "artifacts").iterdir())) == 1
