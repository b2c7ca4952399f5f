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
