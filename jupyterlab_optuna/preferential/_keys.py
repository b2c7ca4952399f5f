"""Storage keys of a preferential study (DESIGN.md §5) and pure readers of them.

Everything lives in the *study's* system attrs, exactly as optuna-dashboard writes it, so a
study moves between the two tools both ways:

* ``preference:is_preferential`` → ``True``; ``preference:n_generate`` → int;
* ``preference:values{uuid}`` → ``[[better_number, worse_number], ...]`` (``[]`` once undone);
* ``preference:history{uuid}`` → JSON string of one "ChooseWorst" decision (same uuid);
* ``preference:skip_trial:{trial_id}`` → ``True`` (keyed by storage trial id, not number);
* ``preference:component`` → ``{"output_type": "note"}`` or
  ``{"output_type": "artifact", "artifact_key": key}``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Literal, NotRequired, TypedDict

PREFIX = "preference:"
PREFERENTIAL_KEY = "preference:is_preferential"
N_GENERATE_KEY = "preference:n_generate"
PREFERENCE_PREFIX = "preference:values"
HISTORY_PREFIX = "preference:history"
SKIP_PREFIX = "preference:skip_trial:"
COMPONENT_KEY = "preference:component"

COMPONENT_TYPES = ("note", "artifact")


class ChooseWorstHistory(TypedDict):
    mode: Literal["ChooseWorst"]
    id: str
    timestamp: str
    candidates: list[int]
    clicked: int
    preferences: list[list[int]]
    user: NotRequired[str]  # who decided; optuna-dashboard ignores the key


class HistoryEntry(TypedDict):
    history: ChooseWorstHistory
    is_removed: bool


class FeedbackComponent(TypedDict, total=False):
    output_type: Literal["note", "artifact"]
    artifact_key: str


def preference_key(preference_id: str) -> str:
    return PREFERENCE_PREFIX + preference_id


def history_key(preference_id: str) -> str:
    return HISTORY_PREFIX + preference_id


def skip_key(trial_id: int) -> str:
    return f"{SKIP_PREFIX}{trial_id}"


def is_preferential(system_attrs: Mapping[str, Any]) -> bool:
    return bool(system_attrs.get(PREFERENTIAL_KEY, False))


def n_generate(system_attrs: Mapping[str, Any]) -> int:
    return int(system_attrs[N_GENERATE_KEY])


def preferences_by_decision(system_attrs: Mapping[str, Any]) -> list[list[tuple[int, int]]]:
    """The stored (better, worse) pairs of trial numbers, one list per decision (a click
    on the worst of the shown trials stores one pair per other trial); undone decisions
    hold none."""
    return [
        [(int(b), int(w)) for b, w in value]
        for key, value in system_attrs.items()
        if key.startswith(PREFERENCE_PREFIX) and isinstance(value, list) and value
    ]


def preferences(system_attrs: Mapping[str, Any]) -> list[tuple[int, int]]:
    """Every stored (better, worse) pair of trial numbers; undone decisions hold none."""
    return [pair for decision in preferences_by_decision(system_attrs) for pair in decision]


def worse_numbers(system_attrs: Mapping[str, Any]) -> set[int]:
    return {w for _, w in preferences(system_attrs)}


def best_numbers(system_attrs: Mapping[str, Any]) -> set[int]:
    """Trials reported better at least once and never worse (skips not applied)."""
    pairs = preferences(system_attrs)
    return {b for b, _ in pairs} - {w for _, w in pairs}


def skipped_trial_ids(system_attrs: Mapping[str, Any]) -> set[int]:
    ids: set[int] = set()
    for key in system_attrs:
        if key.startswith(SKIP_PREFIX):
            try:
                ids.add(int(key[len(SKIP_PREFIX) :]))
            except ValueError:
                continue
    return ids


def is_removed(system_attrs: Mapping[str, Any], preference_id: str) -> bool:
    """A decision is undone when its values are ``[]`` (or missing)."""
    return len(system_attrs.get(preference_key(preference_id)) or []) == 0


def history(system_attrs: Mapping[str, Any]) -> list[HistoryEntry]:
    """The ChooseWorst decisions, oldest first, each with whether it is undone.

    Entries that are not valid JSON or of another mode are left out rather than failing
    the whole list: a newer optuna-dashboard may add modes.
    """
    entries: list[tuple[datetime, HistoryEntry]] = []
    for key, value in system_attrs.items():
        if not key.startswith(HISTORY_PREFIX):
            continue
        try:
            record = json.loads(value)
            if record.get("mode") != "ChooseWorst":
                continue
            item: ChooseWorstHistory = {
                "mode": "ChooseWorst",
                "id": str(record["id"]),
                "timestamp": str(record["timestamp"]),
                "candidates": [int(n) for n in record["candidates"]],
                "clicked": int(record["clicked"]),
                "preferences": [[int(b), int(w)] for b, w in record["preferences"]],
            }
            if isinstance(record.get("user"), str):
                item["user"] = record["user"]
            when = _naive(datetime.fromisoformat(item["timestamp"]))
        except (TypeError, ValueError, KeyError, AttributeError):
            continue
        entries.append(
            (when, {"history": item, "is_removed": is_removed(system_attrs, item["id"])})
        )
    entries.sort(key=lambda e: e[0])
    return [e for _, e in entries]


def feedback_component(system_attrs: Mapping[str, Any]) -> FeedbackComponent:
    """The registered component, ``{"output_type": "note"}`` when none is."""
    value = system_attrs.get(COMPONENT_KEY)
    if isinstance(value, dict) and value.get("output_type") in COMPONENT_TYPES:
        return value  # type: ignore[return-value]
    return {"output_type": "note"}


def component_value(component_type: str, artifact_key: str | None) -> FeedbackComponent:
    """The stored form of a feedback component; ValueError when it is not a valid one."""
    if component_type not in COMPONENT_TYPES:
        raise ValueError(f"component_type must be 'note' or 'artifact', got {component_type!r}.")
    if component_type == "note":
        return {"output_type": "note"}
    if not isinstance(artifact_key, str) or not artifact_key:
        raise ValueError(
            "component_type='artifact' needs artifact_key: the user attr that holds each "
            "trial's artifact id."
        )
    return {"output_type": "artifact", "artifact_key": artifact_key}


def _naive(when: datetime) -> datetime:
    # optuna-dashboard writes naive local timestamps; compare aware ones in the same frame.
    return when.astimezone().replace(tzinfo=None) if when.tzinfo else when


def active_trials(trials: list[Any], system_attrs: Mapping[str, Any]) -> list[Any]:
    """Trials a person still compares: running or complete, never reported worse, not skipped.

    ``trials`` are FrozenTrials of the study; read ``system_attrs`` *before* them so a trial
    asked in between is not missed.
    """
    from optuna.trial import TrialState

    worse = worse_numbers(system_attrs)
    skipped = skipped_trial_ids(system_attrs)
    return [
        t
        for t in trials
        if t.state in (TrialState.RUNNING, TrialState.COMPLETE)
        and t.number not in worse
        and t._trial_id not in skipped
    ]
