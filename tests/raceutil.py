"""Real races: several threads or processes doing a write at the same instant, round by round.

Each worker opens the storage itself (as a separate server would) and runs a *work*
function once per round; a barrier releases all workers of a round together. Work
functions live in this module so that spawned processes can import them.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import threading
from collections.abc import Callable
from typing import Any

import optuna

from jupyterlab_optuna._core.routes import make_router
from jupyterlab_optuna._core.routing import Request
from jupyterlab_optuna._core.storage import StorageRegistry

Work = Callable[..., Any]


def race(mode: str, n_workers: int, n_rounds: int, work: Work, *args: Any) -> list[list[Any]]:
    """Run ``work(api, worker, round, barrier, *args)`` in ``n_workers`` threads or
    processes (``mode``), ``n_rounds`` times each; results as ``[round][worker]``.

    ``work`` calls ``barrier.wait()`` right before its racing write.
    """
    if mode == "thread":
        barrier: Any = threading.Barrier(n_workers, timeout=60)
        out: Any = _ThreadQueue()
        workers = [
            threading.Thread(target=_loop, args=(work, i, n_rounds, barrier, out, args))
            for i in range(n_workers)
        ]
    else:
        ctx = multiprocessing.get_context("spawn")
        barrier = ctx.Barrier(n_workers, timeout=60)
        out = ctx.Queue()
        workers = [
            ctx.Process(target=_loop, args=(work, i, n_rounds, barrier, out, args))
            for i in range(n_workers)
        ]
    for w in workers:
        w.start()
    results: list[list[Any]] = [[None] * n_workers for _ in range(n_rounds)]
    for _ in range(n_workers * n_rounds):
        worker, round_, result = out.get(timeout=180)
        if isinstance(result, BaseException):
            raise result
        results[round_][worker] = result
    for w in workers:
        w.join(timeout=60)
    return results


class _ThreadQueue:
    def __init__(self) -> None:
        import queue

        self._q: queue.Queue[Any] = queue.Queue()

    def put(self, item: Any) -> None:
        self._q.put(item)

    def get(self, timeout: float) -> Any:
        return self._q.get(timeout=timeout)


def _loop(work: Work, worker: int, n_rounds: int, barrier: Any, out: Any, args: tuple) -> None:
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    api = Api(args[0])
    for round_ in range(n_rounds):
        try:
            result: Any = work(api, worker, round_, barrier, *args[1:])
        except BaseException as e:  # report it to the test instead of hanging it
            barrier.abort()
            result = RuntimeError(f"worker {worker}, round {round_}: {e!r}")
        out.put((worker, round_, result))


class Api:
    """The dashboard API over one storage URL, as one server of its own answers it."""

    def __init__(self, url: str) -> None:
        self.registry = StorageRegistry(root_dir=os.path.dirname(url) or ".")
        self.router = make_router()
        self.entry = self.registry.open(url, trusted=True)
        self.storage = self.entry.storage
        self.base = f"storages/{self.entry.storage_id}/studies"

    def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        """(status, JSON) of one request; domain errors become their status like in HTTP."""
        from jupyterlab_optuna._core.errors import DashboardError

        raw = b"" if body is None else json.dumps(body).encode()
        try:
            response = self.router.dispatch(self.registry, Request(method, path, {}, raw))
        except DashboardError as e:
            return e.status, e.to_json()
        return response.status, response.data


# --- work functions ----------------------------------------------------------------------


def save_note(api: Api, worker: int, round_: int, barrier: Any, study_id: int, length: int):
    """Every worker saves its own body on the version it read: (status, body sent)."""
    path = f"{api.base}/{study_id}/note"
    barrier.wait()  # the previous round is over for everyone
    version = api.call("GET", f"{api.base}/{study_id}")[1]["note"]["version"]
    body = (f"w{worker}r{round_}-" * length)[:length]
    barrier.wait()
    status, _ = api.call("PUT", path, {"version": version + 1, "body": body})
    return status, body


def tell(api: Api, worker: int, round_: int, barrier: Any, study_id: int, trial_ids: list[int]):
    """Every worker tells the round's running trial, Complete or Fail by turns."""
    state = "Complete" if worker % 2 == 0 else "Fail"
    body = {"state": state, "values": [float(worker)]} if state == "Complete" else {"state": state}
    barrier.wait()
    status, _ = api.call("POST", f"{api.base}/{study_id}/trials/{trial_ids[round_]}/tell", body)
    return status, state, worker


def generate(api: Api, study_id: int, seed: int) -> Any:
    """Ask trials until the preferential study has its n_generate to compare; the study."""
    from jupyterlab_optuna.preferential import load_study

    study = load_study(
        study_name=api.storage.get_study_name_from_id(study_id),
        storage=api.storage,
        sampler=optuna.samplers.RandomSampler(seed=seed),
    )
    while study.should_generate():
        study.ask().suggest_float("x", 0, 1)
    return study


def release_together(calls: list[Callable[[], Any]]) -> list[Any]:
    """Run the calls in threads released at the same instant; their results in order."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(i: int) -> None:
        barrier.wait()
        results[i] = calls[i]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def decide(api: Api, worker: int, round_: int, barrier: Any, study_id: int, seed: int):
    """A rater: on the candidates it sees, picks the worst, or undoes/redoes/skips."""
    import random

    rng = random.Random(seed * 1000 + worker * 100 + round_)
    prefix = f"{api.base}/{study_id}/preference"
    if worker == 0:  # the generator keeps the candidates coming
        generate(api, study_id, round_)
    barrier.wait()
    active = api.call("GET", f"{prefix}/candidates")[1]["active"]
    history = api.call("GET", f"{prefix}/decisions")[1]["history"]
    barrier.wait()
    roll = rng.random()
    if roll < 0.15 and history:
        entry = rng.choice(history)
        verb = "redo" if entry["is_removed"] else "undo"
        status, data = api.call("POST", f"{prefix}/decisions/{entry['history']['id']}/{verb}")
        return verb, status, entry["history"]["id"]
    if roll < 0.2 and active:
        trial_id = api.storage.get_trial_id_from_study_id_trial_number(study_id, active[0])
        status, _ = api.call("POST", f"{api.base}/{study_id}/trials/{trial_id}/skip")
        return "skip", status, active[0]
    if len(active) < 2:
        return "none", 0, None
    shown = active[:4]
    status, data = api.call(
        "POST", f"{prefix}/decisions", {"candidates": shown, "clicked": rng.choice(shown)}
    )
    return "decide", status, data["decision"]["history"]["id"] if status == 201 else None


def report_from_kernel(api: Api, worker: int, round_: int, barrier: Any, study_id: int, seed: int):
    """Worker 0 reports through the Python API, as a notebook kernel does; others decide."""
    if worker != 0:
        return decide(api, worker, round_, barrier, study_id, seed)
    study = generate(api, study_id, round_)
    barrier.wait()
    active = api.call("GET", f"{api.base}/{study_id}/preference/candidates")[1]["active"]
    barrier.wait()
    if len(active) < 2:
        return "none", 0, None
    trials = study.get_trials(deepcopy=False)
    try:
        study.report_preference(trials[active[0]], trials[active[1]])
    except ValueError:
        return "kernel", 409, None
    return "kernel", 201, None
