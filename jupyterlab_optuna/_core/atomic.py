"""Check-then-write on one study, atomic wherever the storage is shared.

A use case that reads stored state and writes depending on it (a note's version, "the
trial still runs", "these candidates are still active") hands a function to
:func:`atomically`. The function reads and writes only through the :class:`StudyTx` it is
given and runs under the lock the storage needs:

* RDB storages (SQLite, PostgreSQL, MySQL): one database transaction that first locks the
  study's row: SQLite's write lock (the transaction opens with a write), a row lock
  (``SELECT … FOR UPDATE``) elsewhere. It holds across threads, processes and machines,
  and every write of the function commits together or not at all.
* JournalFileStorage: a file lock beside the log, ``{log}.jupyterlab-optuna.lock``, that
  every writer of this package takes, in any process.
* optuna's gRPC storage proxy: a lock study that every writer of this package creates and
  deletes through the proxy (:mod:`jupyterlab_optuna._core.proxy_lock`), on any machine.
* Other storages (in memory): a lock of this process.

A lock of this process is taken first in every case, so threads of one process queue
instead of contending for the database. Transient database errors (SQLite busy, a deadlock,
a key inserted meanwhile by a writer that takes no lock) roll the transaction back and run
the function again, so it must act only through the transaction.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from typing import Any, TypeVar

import optuna
from optuna.storages import BaseStorage, RDBStorage
from optuna.trial import TrialState

from jupyterlab_optuna._core.errors import NotFound

T = TypeVar("T")

JOURNAL_LOCK_SUFFIX = ".jupyterlab-optuna"


@dataclass(frozen=True)
class TrialRow:
    """What a check needs of a trial: its storage id, number and state."""

    trial_id: int
    number: int
    state: TrialState

    @property
    def _trial_id(self) -> int:
        # FrozenTrial's name for it, so the pure readers take either.
        return self.trial_id


class StudyTx:
    """Reads and writes of one study inside :func:`atomically`.

    Reads see everything committed before the lock was taken and nothing written by others
    until the function returns.
    """

    study_id: int

    def system_attrs(self, prefix: str = "") -> dict[str, Any]:
        """The study's system attrs (only the keys starting with ``prefix``, if given)."""
        raise NotImplementedError

    def trials(self) -> list[TrialRow]:
        """Every trial of the study, by number."""
        raise NotImplementedError

    def trial(self, trial_id: int) -> TrialRow | None:
        """The trial with this storage id if it belongs to the study, else None."""
        raise NotImplementedError

    def set_system_attrs(self, attrs: Mapping[str, Any]) -> None:
        """Set study system attrs (JSON values), in the given order."""
        raise NotImplementedError

    def finish_trial(
        self, trial_id: int, state: TrialState, values: Sequence[float] | None
    ) -> bool:
        """Finish a running trial; False (and nothing written) when it is not running."""
        raise NotImplementedError

    def set_trial_user_attrs(self, trial_id: int, attrs: Mapping[str, Any]) -> bool:
        """Set user attrs of a running trial; False (nothing written) when it is not."""
        raise NotImplementedError

    def set_trial_system_attrs(self, trial_id: int, attrs: Mapping[str, Any]) -> bool:
        """Set system attrs of a running trial; False (nothing written) when it is not."""
        raise NotImplementedError


def atomically(storage: BaseStorage, study_id: int, fn: Callable[[StudyTx], T]) -> T:
    """Run ``fn`` on the study under the lock its storage needs, and return its result.

    Raises:
        NotFound: no such study.
        The database's own error when it stayed busy or unreachable through every attempt
        (:func:`jupyterlab_optuna._core.answer.answer` says it in words, as a 503).
        Whatever ``fn`` raises (nothing it wrote is kept on an RDB storage).
    """
    backend = _unwrap(storage)
    with _PROCESS_LOCKS.get(backend, study_id):
        if isinstance(backend, RDBStorage):
            from jupyterlab_optuna._core.rdb_tx import run_in_transaction

            return run_in_transaction(backend, study_id, fn)
        with _journal_lock(backend), _proxy_lock(backend, study_id):
            return fn(_StorageTx(backend, study_id))


@contextmanager
def exclusive(storage: BaseStorage, study_id: int) -> Iterator[None]:
    """Hold, without a transaction, the locks :func:`atomically` takes on a non-RDB storage.

    For writes that cannot be expressed through :class:`StudyTx` (renaming a study by
    copying it). On an RDB storage only the process lock is held.
    """
    backend = _unwrap(storage)
    with (
        _PROCESS_LOCKS.get(backend, study_id),
        _journal_lock(backend),
        _proxy_lock(backend, study_id),
    ):
        yield


def read_trials(storage: BaseStorage, study_id: int) -> list[TrialRow]:
    """Every trial of the study as a :class:`TrialRow`, without a lock.

    On an RDB storage one light query instead of optuna's loading of whole trials.
    """
    backend = _unwrap(storage)
    if not isinstance(backend, RDBStorage):
        return _StorageTx(backend, study_id).trials()
    from optuna.storages._rdb import models
    from sqlalchemy import select

    t = models.TrialModel.__table__
    query = (
        select(t.c.trial_id, t.c.number, t.c.state)
        .where(t.c.study_id == study_id)
        .order_by(t.c.number)
    )
    with backend.engine.connect() as conn:
        return [TrialRow(*row) for row in conn.execute(query)]


def _unwrap(storage: BaseStorage) -> BaseStorage:
    # optuna.create_study(storage=url) wraps an RDBStorage in a _CachedStorage, which
    # caches only finished trials: writing under it is safe.
    from optuna.storages._cached_storage import _CachedStorage

    return storage._backend if isinstance(storage, _CachedStorage) else storage


class _ProcessLocks:
    """One re-entrant lock per (storage, study) in this process.

    RDB storages are keyed by URL, so separate storage objects over one database share it;
    others by the storage object.
    """

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._by_url: dict[tuple[str, int], threading.RLock] = {}
        self._by_object: weakref.WeakKeyDictionary[Any, dict[int, threading.RLock]] = (
            weakref.WeakKeyDictionary()
        )

    def get(self, backend: BaseStorage, study_id: int) -> threading.RLock:
        with self._guard:
            if isinstance(backend, RDBStorage):
                return self._by_url.setdefault((str(backend.url), study_id), threading.RLock())
            locks = self._by_object.setdefault(backend, {})
            return locks.setdefault(study_id, threading.RLock())


# Process-wide by nature: the locks exist to be shared by every caller in the process.
_PROCESS_LOCKS = _ProcessLocks()


def _journal_lock(backend: BaseStorage) -> Any:
    from optuna.storages.journal import (
        JournalFileBackend,
        JournalFileOpenLock,
        JournalFileSymlinkLock,
        JournalStorage,
    )

    if not isinstance(backend, JournalStorage):
        return nullcontext()
    log = getattr(backend, "_backend", None)
    if not isinstance(log, JournalFileBackend):
        return nullcontext()
    path = log._file_path + JOURNAL_LOCK_SUFFIX
    # The same kind of lock as the log's own, so it works on the same file systems.
    own = getattr(log, "_lock", None)
    if isinstance(own, JournalFileOpenLock):
        return _held(JournalFileOpenLock(path))
    return _held(JournalFileSymlinkLock(path))


def _proxy_lock(backend: BaseStorage, study_id: int) -> Any:
    if not isinstance(backend, optuna.storages.GrpcStorageProxy):
        return nullcontext()
    from jupyterlab_optuna._core.proxy_lock import ProxyStudyLock

    return _held(ProxyStudyLock(backend, study_id))


@contextmanager
def _held(lock: Any) -> Iterator[None]:
    lock.acquire()
    try:
        yield
    finally:
        lock.release()


# --- any storage, through its own API, under the locks ---------------------------------


class _StorageTx(StudyTx):
    def __init__(self, storage: BaseStorage, study_id: int) -> None:
        self._storage = storage
        self.study_id = study_id
        try:
            storage.get_study_name_from_id(study_id)
        except KeyError:
            raise NotFound(f"No study with id {study_id} in this storage.") from None

    def system_attrs(self, prefix: str = "") -> dict[str, Any]:
        attrs = self._storage.get_study_system_attrs(self.study_id)
        return {k: v for k, v in attrs.items() if k.startswith(prefix)}

    def trials(self) -> list[TrialRow]:
        return [
            TrialRow(t._trial_id, t.number, t.state)
            for t in self._storage.get_all_trials(self.study_id, deepcopy=False)
        ]

    def trial(self, trial_id: int) -> TrialRow | None:
        try:
            t = self._storage.get_trial(trial_id)
            owner = self._storage.get_trial_id_from_study_id_trial_number(self.study_id, t.number)
        except KeyError:
            return None
        return TrialRow(trial_id, t.number, t.state) if owner == trial_id else None

    def set_system_attrs(self, attrs: Mapping[str, Any]) -> None:
        for key, value in attrs.items():
            self._storage.set_study_system_attr(self.study_id, key, value)

    def finish_trial(
        self, trial_id: int, state: TrialState, values: Sequence[float] | None
    ) -> bool:
        if self._storage.get_trial(trial_id).state != TrialState.RUNNING:
            return False
        try:
            return self._storage.set_trial_state_values(trial_id, state, values)
        except optuna.exceptions.UpdateFinishedTrialError:
            return False

    def set_trial_user_attrs(self, trial_id: int, attrs: Mapping[str, Any]) -> bool:
        return self._set_trial_attrs(self._storage.set_trial_user_attr, trial_id, attrs)

    def set_trial_system_attrs(self, trial_id: int, attrs: Mapping[str, Any]) -> bool:
        return self._set_trial_attrs(self._storage.set_trial_system_attr, trial_id, attrs)

    def _set_trial_attrs(
        self, setter: Callable[[int, str, Any], None], trial_id: int, attrs: Mapping[str, Any]
    ) -> bool:
        if self._storage.get_trial(trial_id).state != TrialState.RUNNING:
            return False
        try:
            for key, value in attrs.items():
                setter(trial_id, key, value)
        except optuna.exceptions.UpdateFinishedTrialError:
            return False
        return True
