"""A storage-neutral trial record, built from optuna's FrozenTrial or straight from SQL rows."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from optuna.distributions import BaseDistribution, json_to_distribution
from optuna.trial import FrozenTrial, TrialState

from jupyterlab_optuna.hitl.artifacts import artifact_metas

# A trial's constraints: the list `constraints_func` stores, and (optuna >= 5,
# Trial.set_constraint) one system attr per named constraint.
CONSTRAINTS_KEY = "constraints"
CONSTRAINT_PREFIX = "constraints:"

UNFINISHED = (TrialState.RUNNING, TrialState.WAITING)
STATE_NAMES = {s: s.name.capitalize() for s in TrialState}


@dataclass
class TrialRecord:
    """What the dashboard shows of one trial; finished records never change."""

    trial_id: int
    number: int
    state: TrialState
    values: list[float] | None
    datetime_start: float | None  # epoch milliseconds
    datetime_complete: float | None
    params: dict[str, Any] = field(default_factory=dict)  # external representation
    distributions: dict[str, BaseDistribution] = field(default_factory=dict)
    intermediate: dict[int, float] = field(default_factory=dict)
    user_attrs: dict[str, Any] = field(default_factory=dict)
    constraints: list[float] | None = None
    artifacts: list[dict[str, Any]] = field(default_factory=list)

    _wire: tuple[Any, Any] | None = field(default=None, repr=False, compare=False)

    @property
    def finished(self) -> bool:
        return self.state not in UNFINISHED

    def wire(self) -> tuple[Any, Any]:
        """(values, intermediate values) in their wire form; cached once finished.

        Building them anew on every poll of a large study allocates enough small lists to
        trigger full garbage collections, which stall the server's event loop.
        """
        if self._wire is not None:
            return self._wire
        values = None if self.values is None else [wire_float(v) for v in self.values]
        intermediate = None
        if self.intermediate:
            steps = sorted(self.intermediate)
            intermediate = [steps, [wire_float(self.intermediate[s]) for s in steps]]
        if self.finished:
            self._wire = (values, intermediate)
        return values, intermediate


def epoch_ms(d: datetime | None) -> float | None:
    return None if d is None else d.timestamp() * 1000.0


@lru_cache(maxsize=4096)
def parse_distribution(text: str) -> BaseDistribution:
    """Distributions repeat across trials: parse each JSON text once."""
    return json_to_distribution(text)


def is_constraint_key(key: str) -> bool:
    return key == CONSTRAINTS_KEY or key.startswith(CONSTRAINT_PREFIX)


def constraint_values(system_attrs: Mapping[str, Any]) -> list[float] | None:
    """A trial's constraint values as optuna reads them (feasible when all are <= 0): the
    listed ones, then the named ones by name; None when it has none."""
    listed = system_attrs.get(CONSTRAINTS_KEY)
    by_name = {str(i): v for i, v in enumerate(listed or [])}
    for key in sorted(k for k in system_attrs if k.startswith(CONSTRAINT_PREFIX)):
        by_name[key[len(CONSTRAINT_PREFIX) :]] = system_attrs[key]
    return list(by_name.values()) if listed is not None or by_name else None


def record_from_frozen(t: FrozenTrial) -> TrialRecord:
    """A record of a FrozenTrial (the generic path for journal and in-memory storages)."""
    return TrialRecord(
        trial_id=t._trial_id,
        number=t.number,
        state=t.state,
        values=None if t.values is None else list(t.values),
        datetime_start=epoch_ms(t.datetime_start),
        datetime_complete=epoch_ms(t.datetime_complete),
        params=dict(t.params),
        distributions=dict(t.distributions),
        intermediate=dict(t.intermediate_values),
        user_attrs=dict(t.user_attrs),
        constraints=constraint_values(t.system_attrs),
        artifacts=list(artifact_metas(t.system_attrs)),
    )


def wire_float(v: float) -> float | str:
    """JSON has no inf/nan: they travel as the strings "inf", "-inf" and "nan"."""
    if math.isfinite(v):
        return v
    if math.isnan(v):
        return "nan"
    return "inf" if v > 0 else "-inf"
