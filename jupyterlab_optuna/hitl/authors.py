"""Who rated a trial and who last saved a note: the person recorded with each write.

Study system attrs beside optuna-dashboard's own keys, which it does not read, so a study
stays fully usable there. A decision on a preferential study carries its person in its
history record instead (``"user"``, see :mod:`jupyterlab_optuna.preferential._keys`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any, TypedDict


class Stamp(TypedDict):
    user: str
    timestamp: str  # naive local ISO time, like optuna-dashboard's history timestamps


_RATED_BY_KEY = re.compile(r"^dashboard:(\d+):rated_by$")


def stamp(user: str | None) -> Stamp | None:
    """``user`` and the time now; None when the transport does not know the person."""
    return {"user": user, "timestamp": datetime.now().isoformat()} if user else None


def rated_by_key(trial_id: int) -> str:
    """The key of the person who rated (told, or filled the user-attr form of) a trial."""
    return f"dashboard:{trial_id}:rated_by"


def note_by_key(trial_id: int | None) -> str:
    """The key of the person who saved the note's current version (starts like its keys)."""
    return "dashboard:note_by" if trial_id is None else f"dashboard:{trial_id}:note_by"


def stamp_writes(key: str, user: str | None) -> dict[str, Stamp]:
    """The system attr to write for ``user`` (nothing when unknown)."""
    value = stamp(user)
    return {key: value} if value else {}


def read_stamp(system_attrs: Mapping[str, Any], key: str) -> Stamp | None:
    """A stored stamp, or None when absent or not of our shape."""
    value = system_attrs.get(key)
    if isinstance(value, dict) and isinstance(value.get("user"), str):
        return {"user": value["user"], "timestamp": str(value.get("timestamp", ""))}
    return None


def raters(system_attrs: Mapping[str, Any]) -> dict[str, Stamp]:
    """Who rated each trial, by trial id (as a string, like the notes map)."""
    found = {}
    for key in system_attrs:
        if (m := _RATED_BY_KEY.match(key)) and (value := read_stamp(system_attrs, key)):
            found[m.group(1)] = value
    return found
