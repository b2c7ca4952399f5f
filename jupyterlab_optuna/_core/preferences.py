"""The preferential part of a study's detail: what the comparison pages show.

Computed from the system attrs and trial records the detail has read already, so a
preferential study costs no extra storage round trip per poll.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from optuna.trial import TrialState

from jupyterlab_optuna._core.records import TrialRecord
from jupyterlab_optuna.preferential import _keys

_COMPARED = (TrialState.RUNNING, TrialState.COMPLETE)


def preference_state(
    system_attrs: Mapping[str, Any], records: list[TrialRecord]
) -> dict[str, Any]:
    """Candidates, history, skips, best trials and feedback component of a study.

    ``active``: trial numbers to compare now (running or complete, never reported worse,
    not skipped). ``best``: reported better at least once and never worse, not skipped —
    the trials the study recommends.
    """
    worse = _keys.worse_numbers(system_attrs)
    winners = _keys.best_numbers(system_attrs)
    skipped_ids = _keys.skipped_trial_ids(system_attrs)
    skipped = sorted(r.number for r in records if r.trial_id in skipped_ids)
    skipped_set = set(skipped)
    compared = [r.number for r in records if r.state in _COMPARED and r.number not in skipped_set]
    return {
        "n_generate": system_attrs.get(_keys.N_GENERATE_KEY),
        "component": _keys.feedback_component(system_attrs),
        "active": [n for n in compared if n not in worse],
        "best": [n for n in compared if n in winners],
        "worse": sorted(worse),
        "skipped": skipped,
        "history": _keys.history(system_attrs),
    }
