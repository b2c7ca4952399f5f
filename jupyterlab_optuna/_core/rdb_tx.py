"""Check-then-write on an RDB storage: one transaction that first locks the study's row.

SQLite takes its database write lock when the transaction opens with a write (pysqlite
begins a transaction only at the first write, so a read-first transaction would check
outside it); PostgreSQL and MySQL take a row lock with ``SELECT … FOR UPDATE``. Writes go
through optuna's own models, so values, datetimes and JSON are stored as optuna stores them.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, TypeVar

from optuna.storages import RDBStorage
from optuna.storages._rdb import models
from optuna.trial import TrialState
from sqlalchemy import exc, orm, select, update

from jupyterlab_optuna._core.atomic import StudyTx, TrialRow
from jupyterlab_optuna._core.errors import NotFound

T = TypeVar("T")

MAX_ATTEMPTS = 6


def run_in_transaction(storage: RDBStorage, study_id: int, fn: Callable[[StudyTx], T]) -> T:
    """Run ``fn`` in one transaction holding the study's lock; retried on a transient
    error, whose last occurrence is raised (:mod:`~jupyterlab_optuna._core.answer` says it
    in words)."""
    for attempt in range(MAX_ATTEMPTS):
        try:
            with orm.Session(storage.engine) as session, session.begin():
                return fn(_RDBTx(session, study_id))
        except (exc.IntegrityError, exc.OperationalError) as e:
            if attempt == MAX_ATTEMPTS - 1 or not is_transient(e):
                raise
            time.sleep(random.uniform(0.005, 0.02) * 2**attempt)
    raise AssertionError("unreachable")


def is_transient(error: BaseException) -> bool:
    """Whether running the transaction again may succeed: the database was busy or
    deadlocked, or a writer that takes no lock inserted the same key meanwhile."""
    if isinstance(error, exc.IntegrityError):
        return True
    text = str(getattr(error, "orig", error)).lower()
    return any(
        s in text for s in ("locked", "busy", "deadlock", "could not serialize", "lock wait")
    )


class _RDBTx(StudyTx):
    def __init__(self, session: Any, study_id: int) -> None:
        self._session = session
        self.study_id = study_id
        studies = models.StudyModel.__table__
        if session.get_bind().dialect.name == "sqlite":
            # Opening with a write takes SQLite's database write lock for the transaction.
            session.execute(
                update(studies)
                .where(studies.c.study_id == study_id)
                .values(study_name=studies.c.study_name)
            )
        found = session.execute(
            select(studies.c.study_id).where(studies.c.study_id == study_id).with_for_update()
        ).first()
        if found is None:
            raise NotFound(f"No study with id {study_id} in this storage.")

    def system_attrs(self, prefix: str = "") -> dict[str, Any]:
        model = models.StudySystemAttributeModel
        query = self._session.query(model.key, model.value_json).filter(
            model.study_id == self.study_id
        )
        if prefix:
            query = query.filter(model.key.startswith(prefix, autoescape=True))
        # LIKE is case-blind on SQLite: keep the exact prefix only.
        return {key: json.loads(value) for key, value in query if key.startswith(prefix)}

    def trials(self) -> list[TrialRow]:
        model = models.TrialModel
        rows = (
            self._session.query(model.trial_id, model.number, model.state)
            .filter(model.study_id == self.study_id)
            .order_by(model.number)
        )
        return [TrialRow(*row) for row in rows]

    def trial(self, trial_id: int) -> TrialRow | None:
        model = models.TrialModel
        row = (
            self._session.query(model.trial_id, model.number, model.state)
            .filter(model.trial_id == trial_id, model.study_id == self.study_id)
            .one_or_none()
        )
        return None if row is None else TrialRow(*row)

    def set_system_attrs(self, attrs: Mapping[str, Any]) -> None:
        model = models.StudySystemAttributeModel
        self._upsert(model, model.study_id, self.study_id, attrs)

    def finish_trial(
        self, trial_id: int, state: TrialState, values: Sequence[float] | None
    ) -> bool:
        trial = self._running_trial(trial_id)
        if trial is None:
            return False
        value_model = models.TrialValueModel
        self._session.query(value_model).filter(value_model.trial_id == trial_id).delete()
        for objective, value in enumerate(values or ()):
            stored, value_type = value_model.value_to_stored_repr(value)
            self._session.add(
                value_model(
                    trial_id=trial_id, objective=objective, value=stored, value_type=value_type
                )
            )
        trial.state = state
        trial.datetime_complete = datetime.now()
        return True

    def set_trial_user_attrs(self, trial_id: int, attrs: Mapping[str, Any]) -> bool:
        model = models.TrialUserAttributeModel
        return self._set_trial_attrs(model, trial_id, attrs)

    def set_trial_system_attrs(self, trial_id: int, attrs: Mapping[str, Any]) -> bool:
        model = models.TrialSystemAttributeModel
        return self._set_trial_attrs(model, trial_id, attrs)

    def _set_trial_attrs(self, model: Any, trial_id: int, attrs: Mapping[str, Any]) -> bool:
        if self._running_trial(trial_id) is None:
            return False
        self._upsert(model, model.trial_id, trial_id, attrs)
        return True

    def _running_trial(self, trial_id: int) -> Any:
        model = models.TrialModel
        trial = (
            self._session.query(model)
            .filter(model.trial_id == trial_id, model.study_id == self.study_id)
            .with_for_update()
            .one_or_none()
        )
        return trial if trial is not None and trial.state == TrialState.RUNNING else None

    def _upsert(self, model: Any, owner_column: Any, owner: int, attrs: Mapping[str, Any]) -> None:
        if not attrs:
            return
        existing = {
            row.key: row
            for row in self._session.query(model).filter(
                owner_column == owner, model.key.in_(list(attrs))
            )
        }
        for key, value in attrs.items():
            text = json.dumps(value)
            if key in existing:
                existing[key].value_json = text
            else:
                row = model(key=key, value_json=text)
                setattr(row, owner_column.key, owner)
                self._session.add(row)
        self._session.flush()
