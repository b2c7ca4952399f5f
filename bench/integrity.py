"""Integrity under races, through real Jupyter servers: nothing lost, doubled or spliced.

For a SQLite file and a PostgreSQL database (and two servers on the PostgreSQL one), HTTP
clients in threads released at the same instant, round after round:
- notes: 2 writers save the study note on the same version (20 and 5,000 characters);
- tell: 4 clients tell the same running trial (all Complete, all Fail, or mixed);
- decisions: 8 raters pick the worst of what they see, undo, redo and skip at random.
It counts the answers (200/201, 409, 5xx), the lost updates (a save answered 200 whose note
is not stored), spliced notes (stored text that no writer sent), doubled tells (a trial
told twice with 200), contradicting trials (stored state or values not the winner's), and
violations of the preference rules; meanwhile it polls Jupyter's ``/api/status`` every
20 ms and reports its p99.

    python bench/integrity.py --postgres postgresql+psycopg://optuna:optuna@127.0.0.1/optuna_test

Writes ``bench/results/integrity.json`` and prints the Markdown table of bench/integrity.md.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import optuna

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from api import free_port, wait_until_up
from prefutil import preference_violations
from raceutil import release_together

from jupyterlab_optuna.hitl.notes import note_from_system_attrs
from jupyterlab_optuna.preferential import _keys, create_study

TOKEN = "integrity"


class Server:
    """A `jupyter server` process with our extension and one storage open."""

    def __init__(self, workdir: Path, storage_url: str) -> None:
        workdir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        config = workdir / f"config-{self.port}.json"
        config.write_text(json.dumps({"OptunaDashboard": {"storages": [storage_url]}}))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "jupyter", "server", "--no-browser", "--allow-root",
             "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={self.port}",
             f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={workdir}",
             f"--config={config}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_until_up(self.url(f"api/status?token={TOKEN}"), self.process)
        self.storage_id = self.call("GET", "storages")[1]["storages"][0]["storage_id"]

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}/{path}"

    def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        data = json.dumps(body).encode() if body is not None else None
        if data is None and method in ("POST", "PUT"):
            data = b"{}"
        request = urllib.request.Request(
            self.url(f"jupyterlab-optuna/api/{path}"), data=data, method=method
        )
        request.add_header("Authorization", f"token {TOKEN}")
        request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=120) as r:
                return r.status, json.loads(r.read() or b"{}")
        except urllib.error.HTTPError as e:
            raw = e.read()
            try:
                return e.code, json.loads(raw or b"{}")
            except json.JSONDecodeError:
                return e.code, {"message": raw.decode(errors="replace")}

    def study(self, study_id: int) -> str:
        return f"storages/{self.storage_id}/studies/{study_id}"

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


class StatusProbe:
    """Polls Jupyter's /api/status every 20 ms from a process of its own (so the clients'
    work in this one cannot delay it); the p99 of its latency."""

    def __init__(self, server: Server) -> None:
        ctx = multiprocessing.get_context("spawn")
        self._stop, self._ready = ctx.Event(), ctx.Event()
        self._result = ctx.Queue()
        self._process = ctx.Process(
            target=_probe,
            args=(server.url("api/status"), self._stop, self._ready, self._result),
        )
        self.samples: list[float] = []

    def __enter__(self) -> StatusProbe:
        self._process.start()
        self._ready.wait(timeout=60)  # polling before the scenario starts
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self.samples = self._result.get(timeout=60)
        self._process.join(timeout=60)

    def p99_ms(self) -> float:
        s = sorted(self.samples)
        return 1000 * s[int(0.99 * (len(s) - 1))] if s else float("nan")


def _probe(url: str, stop: Any, ready: Any, result: Any) -> None:
    request = urllib.request.Request(url)
    request.add_header("Authorization", f"token {TOKEN}")
    samples = []
    while not stop.is_set():
        start = time.perf_counter()
        with urllib.request.urlopen(request, timeout=60) as r:
            r.read()
        samples.append(time.perf_counter() - start)
        ready.set()
        time.sleep(0.02)
    result.put(samples)


def new_study(url: str) -> optuna.Study:
    return optuna.create_study(storage=url, study_name=f"integrity-{uuid.uuid4().hex[:8]}")


def notes(servers: list[Server], url: str, writers: int, rounds: int, length: int) -> dict:
    study = new_study(url)
    counts: Counter[str] = Counter(lost=0, spliced=0)
    for round_ in range(rounds):
        version = servers[0].call("GET", servers[0].study(study._study_id))[1]["note"]["version"]
        bodies = [(f"w{i}r{round_}-" * length)[:length] for i in range(writers)]

        def save(i: int, version: int = version, bodies: list[str] = bodies) -> int:
            server = servers[i % len(servers)]
            path = server.study(study._study_id) + "/note"
            return server.call("PUT", path, {"version": version + 1, "body": bodies[i]})[0]

        statuses = release_together([lambda i=i: save(i) for i in range(writers)])
        counts.update(_status_counts(statuses))
        attrs = study._storage.get_study_system_attrs(study._study_id)
        stored = note_from_system_attrs(attrs, None)["body"]
        if stored not in bodies:
            counts["spliced"] += 1
        won = [b for s, b in zip(statuses, bodies, strict=True) if s == 200]
        counts["lost"] += sum(1 for b in won if b != stored)
    return dict(counts)


def tells(servers: list[Server], url: str, clients: int, rounds: int, mode: str) -> dict:
    study = new_study(url)
    counts: Counter[str] = Counter(doubled=0, contradicting=0)
    for _ in range(rounds):
        trial = study.ask()
        trial.suggest_float("x", 0, 1)
        bodies = [
            {"state": "Complete", "values": [float(i)]}
            if mode == "complete" or (mode == "mixed" and i % 2 == 0)
            else {"state": "Fail"}
            for i in range(clients)
        ]

        def tell(i: int, trial_id: int = trial._trial_id, bodies: list = bodies) -> int:
            server = servers[i % len(servers)]
            path = f"{server.study(study._study_id)}/trials/{trial_id}/tell"
            return server.call("POST", path, bodies[i])[0]

        statuses = release_together([lambda i=i: tell(i) for i in range(clients)])
        counts.update(_status_counts(statuses))
        winners = [b for s, b in zip(statuses, bodies, strict=True) if s == 200]
        counts["doubled"] += max(0, len(winners) - 1)
        stored = study._storage.get_trial(trial._trial_id)
        agrees = any(
            stored.state.name == w["state"].upper() and stored.values == w.get("values")
            for w in winners
        )
        if not agrees:
            counts["contradicting"] += 1
    return dict(counts)


def decisions(servers: list[Server], url: str, raters: int, rounds: int, seed: int) -> dict:
    rng = random.Random(seed)
    study = create_study(n_generate=4, storage=url, study_name=f"integrity-{uuid.uuid4().hex[:8]}",
                         sampler=optuna.samplers.RandomSampler(seed=seed))  # fmt: skip
    counts: Counter[str] = Counter()
    accepted: list[str] = []
    for _ in range(rounds):
        while study.should_generate():
            study.ask().suggest_float("x", 0, 1)
        views = release_together([lambda i=i: _look(servers[i % len(servers)], study._study_id)
                      for i in range(raters)])  # fmt: skip
        actions = [_action(servers[i % len(servers)], study._study_id, views[i], rng)
                   for i in range(raters)]  # fmt: skip
        results = release_together(actions)
        for kind, status, decision_id in results:
            if kind == "none":
                continue
            counts.update(_status_counts([status]))
            if kind == "decide" and status == 201:
                accepted.append(decision_id)
    attrs = study._storage.get_study_system_attrs(study._study_id)
    counts["violations"] = len(preference_violations(attrs, study.trials))
    stored = Counter(e["history"]["id"] for e in _keys.history(attrs))
    counts["decisions_not_stored_once"] = sum(1 for d in accepted if stored[d] != 1)
    counts["stored_without_201"] = len(set(stored) - set(accepted))
    return dict(counts)


def _look(server: Server, study_id: int) -> tuple[list[int], list[dict]]:
    prefix = server.study(study_id) + "/preference"
    active = server.call("GET", f"{prefix}/candidates")[1]["active"]
    return active, server.call("GET", f"{prefix}/decisions")[1]["history"]


def _action(server: Server, study_id: int, view: tuple, rng: random.Random) -> Any:
    active, history = view
    prefix = server.study(study_id) + "/preference"
    roll = rng.random()
    if roll < 0.2 and history:
        entry = rng.choice(history)
        verb = "redo" if entry["is_removed"] else "undo"
        path = f"{prefix}/decisions/{entry['history']['id']}/{verb}"
        return lambda: (verb, server.call("POST", path)[0], None)
    if roll < 0.25 and active:
        number = rng.choice(active)

        def skip() -> tuple[str, int, None]:
            detail = server.call("GET", server.study(study_id))[1]
            trial_id = detail["trials"]["trial_id"][detail["trials"]["number"].index(number)]
            path = f"{server.study(study_id)}/trials/{trial_id}/skip"
            return "skip", server.call("POST", path)[0], None

        return skip
    if len(active) < 2:
        return lambda: ("none", 0, None)
    body = {"candidates": active, "clicked": rng.choice(active)}

    def decide() -> tuple[str, int, str | None]:
        status, data = server.call("POST", f"{prefix}/decisions", body)
        return "decide", status, data["decision"]["history"]["id"] if status == 201 else None

    return decide


def _status_counts(statuses: list[int]) -> Counter[str]:
    return Counter("2xx" if s < 300 else "409" if s == 409 else "5xx" if s >= 500 else str(s)
                   for s in statuses)  # fmt: skip


SCENARIOS = [
    ("notes, 2 writers x 50, 20 chars", lambda s, u: notes(s, u, 2, 50, 20)),
    ("notes, 2 writers x 50, 5,000 chars", lambda s, u: notes(s, u, 2, 50, 5000)),
    ("tell, 4 clients x 50, Complete", lambda s, u: tells(s, u, 4, 50, "complete")),
    ("tell, 4 clients x 50, Fail", lambda s, u: tells(s, u, 4, 50, "fail")),
    ("tell, 4 clients x 50, mixed", lambda s, u: tells(s, u, 4, 50, "mixed")),
    ("decisions, 8 raters x 100, undo/redo/skip", lambda s, u: decisions(s, u, 8, 100, 1)),
]


def run(label: str, servers: list[Server], url: str, only: str) -> list[dict[str, Any]]:
    rows = []
    for name, scenario in SCENARIOS:
        if only not in name:
            continue
        with StatusProbe(servers[0]) as probe:
            start = time.perf_counter()
            counts = scenario(servers, url)
        rows.append({"storage": label, "scenario": name, "counts": counts,
                     "status_p99_ms": probe.p99_ms(),
                     "seconds": time.perf_counter() - start})  # fmt: skip
        print(f"{label:28} {name:42} {counts} p99 {probe.p99_ms():.1f} ms", flush=True)
    return rows


def markdown(rows: list[dict[str, Any]]) -> str:
    head = (
        "| storage | scenario | 2xx | 409 | 5xx | lost | spliced | doubled | contradicting "
        "| rule violations | /api/status p99 |\n" + "|---" * 11 + "|"
    )
    lines = [head]
    for r in rows:
        c = r["counts"]
        broken = c.get("violations", 0) + c.get("decisions_not_stored_once", 0)
        broken += c.get("stored_without_201", 0)
        violations = str(broken) if "violations" in c else ""
        lines.append(
            f"| {r['storage']} | {r['scenario']} | {c.get('2xx', 0)} | {c.get('409', 0)} "
            f"| {c.get('5xx', 0)} | {c.get('lost', '')} | {c.get('spliced', '')} "
            f"| {c.get('doubled', '')} | {c.get('contradicting', '')} | {violations} "
            f"| {r['status_p99_ms']:.1f} ms |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--postgres", default="", help="a PostgreSQL URL (skipped if empty)")
    parser.add_argument("--out", default="bench/results/integrity.json")
    parser.add_argument("--only", default="", help="run the scenarios whose name has this")
    args = parser.parse_args()
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        setups = [("SQLite, 1 server", f"sqlite:///{work / 'integrity.db'}", 1)]
        if args.postgres:
            setups += [("PostgreSQL, 1 server", args.postgres, 1),
                       ("PostgreSQL, 2 servers", args.postgres, 2)]  # fmt: skip
        for label, url, n_servers in setups:
            optuna.storages.RDBStorage(url)  # tables before the servers start
            servers = [Server(work / f"s{i}", url) for i in range(n_servers)]
            try:
                rows += run(label, servers, url, args.only)
            finally:
                for s in servers:
                    s.stop()
    Path(args.out).write_text(json.dumps(rows, indent=1))
    print(markdown(rows))


if __name__ == "__main__":
    main()
