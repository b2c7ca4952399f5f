"""The wire format (docs/api.md; mirrored in src/types.ts): summaries and trial columns."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, TypedDict

from optuna.distributions import (
    BaseDistribution,
    CategoricalDistribution,
    FloatDistribution,
    IntDistribution,
)
from optuna.study import StudyDirection
from optuna.study._frozen import FrozenStudy

from jupyterlab_optuna._core.records import STATE_NAMES, TrialRecord, wire_float
from jupyterlab_optuna.hitl.objective_names import metric_names_from_system_attrs

PREFERENTIAL_KEY = "preference:is_preferential"
N_GENERATE_KEY = "preference:n_generate"


class TrialColumns(TypedDict):
    number: list[int]
    trial_id: list[int]
    state: list[str]
    values: list[list[float | str] | None]
    datetime_start: list[float | None]
    datetime_complete: list[float | None]
    params: dict[str, list[Any]]
    intermediate_values: list[list[list[Any]] | None]
    user_attrs: list[dict[str, Any] | None]
    constraints: list[list[float] | None]
    notes: dict[str, Any]
    raters: dict[str, Any]
    artifacts: dict[str, list[dict[str, Any]]]


def direction_name(d: StudyDirection) -> str:
    return "minimize" if d == StudyDirection.MINIMIZE else "maximize"


def distribution_json(d: BaseDistribution) -> dict[str, Any]:
    """A distribution as the front end reads it."""
    if isinstance(d, FloatDistribution):
        return {"type": "float", "low": d.low, "high": d.high, "log": d.log, "step": d.step}
    if isinstance(d, IntDistribution):
        return {"type": "int", "low": d.low, "high": d.high, "log": d.log, "step": d.step}
    if isinstance(d, CategoricalDistribution):
        return {"type": "categorical", "choices": list(d.choices)}
    raise TypeError(f"Unknown distribution {type(d).__name__}")


def study_summary(
    study: FrozenStudy, n_trials: int, best_values: list[float] | None
) -> dict[str, Any]:
    """One study of the study list."""
    return {
        "study_id": study._study_id,
        "study_name": study.study_name,
        "directions": [direction_name(d) for d in study.directions],
        "metric_names": metric_names_from_system_attrs(study.system_attrs),
        "best_values": None if best_values is None else [wire_float(v) for v in best_values],
        "n_trials": n_trials,
        "is_preferential": bool(study.system_attrs.get(PREFERENTIAL_KEY, False)),
        "user_attrs": study.user_attrs,
        "datetime_start": None,
    }


def trial_columns(records: Sequence[TrialRecord], param_names: Iterable[str]) -> TrialColumns:
    """Trials in columns (index i of every list is one trial); ``notes`` left empty."""
    params: dict[str, list[Any]] = {name: [] for name in param_names}
    cols: TrialColumns = {
        "number": [],
        "trial_id": [],
        "state": [],
        "values": [],
        "datetime_start": [],
        "datetime_complete": [],
        "params": params,
        "intermediate_values": [],
        "user_attrs": [],
        "constraints": [],
        "notes": {},
        "raters": {},
        "artifacts": {},
    }
    for r in records:
        cols["number"].append(r.number)
        cols["trial_id"].append(r.trial_id)
        cols["state"].append(STATE_NAMES[r.state])
        values, intermediate = r.wire()
        cols["values"].append(values)
        cols["datetime_start"].append(r.datetime_start)
        cols["datetime_complete"].append(r.datetime_complete)
        for name, column in params.items():
            column.append(r.params.get(name))
        cols["intermediate_values"].append(intermediate)
        cols["user_attrs"].append(r.user_attrs or None)
        cols["constraints"].append(r.constraints)
        if r.artifacts:
            cols["artifacts"][str(r.trial_id)] = r.artifacts
    return cols
