"""A study lock for writers that reach the database through optuna's gRPC storage proxy.

The proxy offers no transaction, but the database behind it refuses a second study of one
name: holding the lock of study ``s`` is having created the study
``jupyterlab-optuna:lock:{s}``, releasing it is deleting that study. Every writer of this
package takes it, in any process on any machine. The holder writes a lease (a wall-clock
deadline) into the lock study; a waiter breaks a lock whose lease ran out, so a holder
that died blocks the study for at most :data:`LEASE_S` seconds.
"""

from __future__ import annotations

import random
import time

from optuna.exceptions import DuplicatedStudyError
from optuna.storages import BaseStorage
from optuna.study import StudyDirection

from jupyterlab_optuna._core.errors import Unavailable

LOCK_STUDY_PREFIX = "jupyterlab-optuna:lock:"
"""Names of the lock studies (left out of the study list)."""

LEASE_S = 30.0
"""How long a holder may keep the lock; a write under it takes milliseconds."""

_LEASE_KEY = "jupyterlab_optuna:lease_until"


class ProxyStudyLock:
    """The lock of one study of a storage reached through a gRPC proxy."""

    def __init__(self, storage: BaseStorage, study_id: int, timeout: float = 2 * LEASE_S) -> None:
        self.storage, self.timeout = storage, timeout
        self.name = f"{LOCK_STUDY_PREFIX}{study_id}"
        self._held: int | None = None
        self._unleased_since: dict[int, float] = {}

    def acquire(self) -> None:
        deadline = time.monotonic() + self.timeout
        pause = 0.005
        while True:
            try:
                lock_id = self.storage.create_new_study([StudyDirection.MINIMIZE], self.name)
            except DuplicatedStudyError:
                self._break_if_stale()
                if time.monotonic() > deadline:
                    raise Unavailable(
                        "Another writer held this study for too long; try again."
                    ) from None
                time.sleep(pause * random.uniform(0.5, 1.5))
                pause = min(pause * 2, 0.2)
                continue
            self.storage.set_study_system_attr(lock_id, _LEASE_KEY, time.time() + LEASE_S)
            self._held = lock_id
            return

    def release(self) -> None:
        lock_id, self._held = self._held, None
        if lock_id is not None:
            try:
                self.storage.delete_study(lock_id)
            except KeyError:  # broken as stale meanwhile
                pass

    def _break_if_stale(self) -> None:
        try:
            lock_id = self.storage.get_study_id_from_name(self.name)
            lease = self.storage.get_study_system_attrs(lock_id).get(_LEASE_KEY)
        except KeyError:  # released meanwhile
            return
        if lease is None:
            # Created a moment ago, its lease not written yet (or its holder died then).
            first_seen = self._unleased_since.setdefault(lock_id, time.monotonic())
            stale = time.monotonic() - first_seen > LEASE_S
        else:
            stale = time.time() > float(lease)
        if stale:
            try:
                self.storage.delete_study(lock_id)
            except KeyError:
                pass
