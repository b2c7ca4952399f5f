"""Benchmark of the dashboard API on a large SQLite study, side by side with optuna-dashboard.

Measures, on one SQLite file with N trials (default 10,000):
- study detail, cold (first request after the server started) and incremental (a poll with
  the cursor, and a poll after a writer process added trials), with the payload size raw and
  gzipped;
- parameter importances, cold;
- the latency of Jupyter's own ``/api/status`` while dashboard requests run (p50/p99/max),
  against the same figure with no dashboard load, in the same run.
The same figures for optuna-dashboard 0.21's server on the same file (its study detail and
importances), when ``--od-python`` names a Python that has optuna-dashboard installed
(it is never installed beside this package).

    python bench/api.py --od-python .venv-optuna-dashboard/bin/python --out bench/results/api.json
"""

from __future__ import annotations

import argparse
import gzip
import json
import multiprocessing
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

STUDY = "bench"


def make_study(path: Path, n_trials: int) -> None:
    """A study of ``n_trials`` complete trials: 5 params of every kind, 3 intermediate values."""
    import optuna
    from optuna.distributions import CategoricalDistribution as Cat
    from optuna.distributions import FloatDistribution as Float
    from optuna.distributions import IntDistribution as Int

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    rng = random.Random(0)
    dists = {
        "x": Float(-10, 10), "y": Float(-10, 10), "lr": Float(1e-5, 1e-1, log=True),
        "layers": Int(1, 100), "optimizer": Cat(["adam", "sgd", "rmsprop"]),
    }  # fmt: skip
    trials = []
    for i in range(n_trials):
        params = {
            "x": rng.uniform(-10, 10), "y": rng.uniform(-10, 10), "lr": 10 ** rng.uniform(-5, -1),
            "layers": rng.randint(1, 100), "optimizer": rng.choice(["adam", "sgd", "rmsprop"]),
        }  # fmt: skip
        value = params["x"] ** 2 + params["y"] ** 2 + (params["optimizer"] == "sgd")
        trials.append(
            optuna.trial.create_trial(
                params=params, distributions=dists, value=value,
                intermediate_values={s: value * (3 - s) for s in range(3)},
                user_attrs={"index": i},
            )
        )  # fmt: skip
    study = optuna.create_study(storage=f"sqlite:///{path}", study_name=STUDY)
    study.add_trials(trials)


def add_trials(path: Path, n: int) -> None:
    """Add ``n`` trials from another process, as a generator loop would."""
    code = (
        "import optuna,sys;optuna.logging.set_verbosity(optuna.logging.WARNING);"
        f"s=optuna.load_study(study_name={STUDY!r},storage='sqlite:///{path}');"
        f"s.optimize(lambda t:t.suggest_float('x',-10,10)**2,n_trials={n})"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_up(url: str, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


def fetch(url: str, data: Any = None, method: str | None = None) -> tuple[float, bytes, int]:
    """(seconds, decompressed body, bytes on the wire) of one request accepting gzip."""
    body = None if data is None else json.dumps(data).encode()
    req = urllib.request.Request(url, data=body, method=method)
    req.add_header("Accept-Encoding", "gzip")
    if body is not None:
        req.add_header("Content-Type", "application/json")
    start = time.perf_counter()
    with urllib.request.urlopen(req, timeout=300) as r:
        raw = r.read()
        gzipped = r.headers.get("Content-Encoding") == "gzip"
    elapsed = time.perf_counter() - start
    return elapsed, gzip.decompress(raw) if gzipped else raw, len(raw)


def _load_loop(urls: list[str], stop: Any) -> None:
    while not stop.is_set():
        for u in urls:
            fetch(u)


def latency_under(
    load_urls: list[str] | None, status_url: str, seconds: float
) -> dict[str, float]:
    """Poll ``status_url`` every 20 ms for ``seconds`` while another process GETs ``load_urls``.

    The load runs in its own process so that its decoding work cannot delay this one's
    measurements (the figure is the server's, not the client's).
    """
    ctx = multiprocessing.get_context("spawn")
    stop = ctx.Event()
    proc = None
    if load_urls:
        proc = ctx.Process(target=_load_loop, args=(load_urls, stop), daemon=True)
        proc.start()
        time.sleep(1.0)  # let the load get going
    samples = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        samples.append(fetch(status_url)[0])
        time.sleep(0.02)
    stop.set()
    if proc is not None:
        proc.join(timeout=60)
    samples.sort()
    return {
        "p50_ms": 1000 * statistics.median(samples),
        "p99_ms": 1000 * samples[int(0.99 * (len(samples) - 1))],
        "max_ms": 1000 * samples[-1],
        "n": len(samples),
    }


def bench_ours(db: Path, workdir: Path, seconds: float) -> dict[str, Any]:
    port, token = free_port(), "bench"
    base = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "server", "--no-browser", "--allow-root",
         "--ip=127.0.0.1", f"--port={port}", f"--IdentityProvider.token={token}",
         f"--ServerApp.root_dir={workdir}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_until_up(f"{base}/api/status?token={token}", proc)
        api = f"{base}/jupyterlab-optuna/api"

        def url(path: str, **query: Any) -> str:
            q = "&".join(f"{k}={v}" for k, v in {**query, "token": token}.items())
            return f"{api}/{path}?{q}"

        _, body, _ = fetch(url("storages"), {"url": str(db)}, "POST")
        sid = json.loads(body)["storage_id"]
        _, body, _ = fetch(url(f"storages/{sid}/studies"))
        study_id = json.loads(body)["studies"][0]["study_id"]
        detail = f"storages/{sid}/studies/{study_id}"

        cold, body, wire = fetch(url(detail))
        cursor = json.loads(body)["cursor"]
        polls = sorted(fetch(url(detail, **cursor))[0] for _ in range(20))
        add_trials(db, 10)
        after_write, _, _ = fetch(url(detail, **cursor))
        importances, _, _ = fetch(url(f"{detail}/param-importances"))
        status = f"{base}/api/status?token={token}"
        idle = latency_under(None, status, seconds)
        # The full study again and again (10k trials serialized), and importances.
        load = [url(detail), url(f"{detail}/param-importances", objective=0)]
        busy = latency_under(load, status, seconds)
        return {
            "detail_cold_s": cold,
            "detail_bytes": len(body),
            "detail_wire_bytes": wire,
            "poll_median_s": statistics.median(polls),
            "poll_max_s": polls[-1],
            "poll_after_write_s": after_write,
            "importances_cold_s": importances,
            "status_idle": idle,
            "status_during_dashboard_load": busy,
        }
    finally:
        proc.terminate()
        proc.wait(timeout=30)


OD_SERVER = """
import sys, optuna_dashboard
optuna_dashboard.run_server(sys.argv[1], host="127.0.0.1", port=int(sys.argv[2]))
"""


@contextmanager
def optuna_dashboard_server(od_python: str, db: Path) -> Iterator[str]:
    """optuna-dashboard serving ``db`` in its own Python; yields its base URL."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen(
        [od_python, "-c", OD_SERVER, f"sqlite:///{db}", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_until_up(f"{base}/api/studies", proc)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def bench_optuna_dashboard(od_python: str, db: Path) -> dict[str, Any]:
    with optuna_dashboard_server(od_python, db) as base:
        _, body, _ = fetch(f"{base}/api/studies")
        study_id = json.loads(body)["study_summaries"][0]["study_id"]
        cold, body, wire = fetch(f"{base}/api/studies/{study_id}?after=0")
        n = len(json.loads(body)["trials"])
        warm, _, _ = fetch(f"{base}/api/studies/{study_id}?after={n}")
        time.sleep(11)  # its in-memory cache lives 10 s: a poll at its refresh interval is stale
        stale, _, _ = fetch(f"{base}/api/studies/{study_id}?after={n}")
        importances, _, _ = fetch(f"{base}/api/studies/{study_id}/param_importances")
        return {
            "detail_cold_s": cold,
            "detail_bytes": len(body),
            "detail_wire_bytes": wire,
            "poll_warm_cache_s": warm,
            "poll_stale_cache_s": stale,
            "importances_cold_s": importances,
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=10_000)
    parser.add_argument("--od-python", help="a Python with optuna-dashboard 0.21 installed")
    parser.add_argument("--seconds", type=float, default=10, help="latency sampling window")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()

    cache = Path(__file__).parent / "results" / f"api-{args.trials}.db"
    if not cache.exists():
        print(f"creating a {args.trials}-trial study in {cache} …", file=sys.stderr)
        cache.parent.mkdir(parents=True, exist_ok=True)
        make_study(cache, args.trials)
    with tempfile.TemporaryDirectory() as tmp:
        results: dict[str, Any] = {"trials": args.trials}
        for name in ("ours", "optuna_dashboard"):
            if name == "optuna_dashboard" and not args.od_python:
                continue
            db = Path(tmp) / f"{name}.db"  # a fresh copy each: same data, no shared caches
            db.write_bytes(cache.read_bytes())
            if name == "ours":
                results[name] = bench_ours(db, Path(tmp), args.seconds)
            else:
                results[name] = bench_optuna_dashboard(args.od_python, db)
    if "optuna_dashboard" in results:
        ours, od = results["ours"], results["optuna_dashboard"]
        results["ratios_ours_over_od"] = {
            "detail_cold": ours["detail_cold_s"] / od["detail_cold_s"],
            "detail_bytes": ours["detail_bytes"] / od["detail_bytes"],
            "detail_wire_bytes": ours["detail_wire_bytes"] / od["detail_wire_bytes"],
            "poll_vs_od_stale": ours["poll_median_s"] / od["poll_stale_cache_s"],
            "importances_cold": ours["importances_cold_s"] / od["importances_cold_s"],
        }
    text = json.dumps(results, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n")


if __name__ == "__main__":
    main()
