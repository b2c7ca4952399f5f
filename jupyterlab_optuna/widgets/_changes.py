"""The widgets' live channel: change waits answered from one kernel thread.

A widget asks ``GET storages/{sid}/changes?since=&timeout=`` over its comm like the panel
does over HTTP; the answer comes later, from a daemon thread that fingerprints each
waited-on storage once per probe interval (see :mod:`jupyterlab_optuna._core.changes`),
only while some widget waits. The kernel's own cells never wait for it.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from jupyterlab_optuna._core.changes import PROBE_INTERVAL_S, fingerprint
from jupyterlab_optuna._core.storage import StorageEntry

log = logging.getLogger("jupyterlab_optuna")

Answer = Callable[[dict[str, Any]], None]


@dataclass
class _Wait:
    entry: StorageEntry
    since: str | None
    deadline: float
    answer: Answer


class ChangeWaiter:
    """Holds the pending waits of a kernel's widgets and answers each once its storage
    changed or its time ran out."""

    def __init__(self) -> None:
        self._waits: list[_Wait] = []
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def add(self, entry: StorageEntry, since: str | None, timeout: float, answer: Answer) -> None:
        with self._lock:
            self._waits.append(_Wait(entry, since, time.monotonic() + timeout, answer))
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="jupyterlab-optuna-changes", daemon=True
                )
                self._thread.start()

    def _run(self) -> None:
        while True:
            with self._lock:
                waits = list(self._waits)
                if not waits:
                    self._thread = None
                    return
            taken: dict[str, str | None] = {}
            for wait in waits:
                sid = wait.entry.storage_id
                if sid not in taken:
                    taken[sid] = _fingerprint(wait.entry)
                value = taken[sid]
                if value is None or value != wait.since or time.monotonic() >= wait.deadline:
                    with self._lock:
                        self._waits.remove(wait)
                    _answer(wait, {"fingerprint": value, "changed": value != wait.since})
            time.sleep(PROBE_INTERVAL_S)


def _fingerprint(entry: StorageEntry) -> str | None:
    try:
        return fingerprint(entry)
    except Exception as e:  # a database gone away: the widget's polls will say so
        log.warning("jupyterlab-optuna: no fingerprint of %s: %s", entry.label, e)
        return None


def _answer(wait: _Wait, data: dict[str, Any]) -> None:
    try:
        wait.answer(data)
    except Exception as e:  # the widget was closed meanwhile
        log.debug("jupyterlab-optuna: a change wait found no widget: %s", e)
