"""Tell a waiting view, within a fraction of a second, that its storage changed.

A view (the panel, a widget) waits for the storage's *fingerprint* to differ from the one
it last saw, then fetches the incremental study detail. The fingerprint is cheap to take
and involves no storage work while nothing changes:

- SQLite and journal files: size and modification time of the file (and of SQLite's
  ``-wal`` and ``-journal`` files) — no query at all;
- PostgreSQL: the cluster's current transaction snapshot (``xmin:xmax:in-progress``),
  which moves whenever a write transaction starts or ends — no table is read;
- in-memory storages (in a kernel): the identity of every trial object (each change of a
  trial replaces it) and the studies' system attrs;
- other databases: ``None`` — the view keeps polling.

A fingerprint may change when the view's study did not (another study, another database
of the cluster): the view then fetches a detail that holds nothing new. Two writes to a
file within one tick of the filesystem's clock that leave every size equal can go
unnoticed; views also poll now and then for that.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import time
from collections.abc import Callable
from typing import Any

from optuna.storages import InMemoryStorage, RDBStorage

from jupyterlab_optuna._core.errors import BadRequest
from jupyterlab_optuna._core.storage import StorageEntry

log = logging.getLogger("jupyterlab_optuna")

PROBE_INTERVAL_S = 0.1
"""How often a storage is fingerprinted while somebody waits (never while nobody does)."""

MAX_WAIT_S = 60.0
"""The longest a request may wait for a change (proxies close idle connections)."""


def fingerprint(entry: StorageEntry) -> str | None:
    """The storage's fingerprint now; None where it cannot be taken cheaply."""
    if entry.file_path is not None:
        return _file_fingerprint(entry.file_path)
    storage = entry.storage
    if isinstance(storage, InMemoryStorage):
        return _in_memory_fingerprint(storage)
    if isinstance(storage, RDBStorage) and storage.engine.dialect.name == "postgresql":
        with storage.engine.connect() as connection:
            return str(connection.exec_driver_sql("SELECT txid_current_snapshot()").scalar())
    return None


def _file_fingerprint(path: str) -> str:
    parts = []
    for name in (path, path + "-wal", path + "-journal"):
        try:
            st = os.stat(name)
        except OSError:
            parts.append("-")
        else:
            parts.append(f"{st.st_ino}.{st.st_size}.{st.st_mtime_ns}")
    return ":".join(parts)


def _in_memory_fingerprint(storage: InMemoryStorage) -> str:
    parts = []
    for study in storage.get_all_studies():
        trials = storage.get_all_trials(study._study_id, deepcopy=False)
        parts.append(f"{study._study_id}.{hash(tuple(id(t) for t in trials))}")
        parts.append(json.dumps(study.system_attrs, sort_keys=True, default=repr))
    return str(hash(tuple(parts)))


def wait_arguments(query: dict[str, str]) -> tuple[str | None, float]:
    """``since`` (the fingerprint the caller holds, if any) and ``timeout`` seconds."""
    since = query.get("since") or None
    try:
        timeout = float(query.get("timeout", "25"))
    except ValueError:
        raise BadRequest("timeout must be a number of seconds.") from None
    if not 0 <= timeout <= MAX_WAIT_S:
        raise BadRequest(f"timeout must be between 0 and {MAX_WAIT_S:g} seconds.")
    return since, timeout


class ChangeFeed:
    """Waits for storages to change; one fingerprint per storage per probe interval,
    shared by every request waiting on it."""

    def __init__(self, run: Callable[[Callable[[], Any]], Any]) -> None:
        """``run(fn)`` runs a blocking call off the event loop and returns an awaitable."""
        self._run = run
        self._latest: dict[str, tuple[float, str | None]] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def fingerprint(self, entry: StorageEntry) -> str | None:
        lock = self._locks.setdefault(entry.storage_id, asyncio.Lock())
        async with lock:
            taken = self._latest.get(entry.storage_id)
            if taken is None or time.monotonic() - taken[0] >= PROBE_INTERVAL_S:
                try:
                    value = await self._run(lambda: fingerprint(entry))
                except Exception as e:  # the database is down: the view's polls will say so
                    log.warning("jupyterlab-optuna: no fingerprint of %s: %s", entry.label, e)
                    value = None
                taken = (time.monotonic(), value)
                self._latest[entry.storage_id] = taken
            return taken[1]

    async def wait(
        self,
        entry: StorageEntry,
        since: str | None,
        timeout: float,
        stopped: Callable[[], bool] = lambda: False,
    ) -> dict[str, Any]:
        """``{"fingerprint", "changed"}`` once the fingerprint differs from ``since`` (at
        once when ``since`` is None or fingerprints cannot be taken), else after
        ``timeout`` seconds or once ``stopped()`` (the caller went away)."""
        deadline = time.monotonic() + timeout
        while True:
            value = await self.fingerprint(entry)
            changed = value != since
            if value is None or changed or time.monotonic() >= deadline or stopped():
                return {"fingerprint": value, "changed": changed}
            await asyncio.sleep(PROBE_INTERVAL_S)
