"""What a person does on the comparison page, as plain functions over a storage.

Transport-neutral: the HTTP routes and the widgets call these and translate the errors of
:mod:`jupyterlab_optuna._core.errors` (BadRequest 400, NotFound 404, Conflict 409).

Each write checks the stored state and writes in one atomic step
(:func:`jupyterlab_optuna._core.atomic.atomically`), so when two people click at once, in
one server or in two on the same database, the second sees a Conflict instead of a decision
applied twice.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from optuna.storages import BaseStorage

from jupyterlab_optuna._core.atomic import StudyTx, TrialRow, atomically, read_trials
from jupyterlab_optuna._core.errors import BadRequest, Conflict, NotFound
from jupyterlab_optuna.preferential import _keys
from jupyterlab_optuna.preferential._graph import contradiction
from jupyterlab_optuna.preferential._writes import new_preference_id, record_preferences


def report_choose_worst(
    storage: BaseStorage, study_id: int, candidates: Any, clicked: Any, user: str | None = None
) -> _keys.HistoryEntry:
    """Record "``clicked`` is the worst of ``candidates``" (trial numbers), decided by
    ``user`` if known.

    Every other candidate is recorded better than ``clicked``; running candidates are
    completed (values all 0); the decision joins the history. Atomic wherever the storage
    is shared: of two decisions on the same trials, one is recorded and the other refused.

    Raises:
        BadRequest: malformed candidates/clicked, an unknown trial number, or a study that
            is not preferential.
        NotFound: no such study.
        Conflict: a candidate is no longer active (reported worse, skipped, or neither
            running nor complete) — typically someone else decided first. Carries the
            ``active`` trial numbers. Nothing is written then.
    """
    numbers = _check_candidates(candidates, clicked)
    n_objectives = _n_objectives(storage, study_id)

    def decide(tx: StudyTx) -> _keys.HistoryEntry:
        system_attrs = _preferential_attrs(tx)
        trials = tx.trials()
        unknown = [n for n in numbers if n >= len(trials)]
        if unknown:
            raise BadRequest(f"Trial {unknown[0]} does not exist in this study.")
        active = {t.number for t in _keys.active_trials(trials, system_attrs)}
        stale = [n for n in numbers if n not in active]
        if stale:
            raise Conflict(
                f"Trial {stale[0]} is no longer among the trials to compare "
                f"({_why_inactive(trials[stale[0]], system_attrs)}). Refresh and choose again.",
                active=sorted(active),
            )
        pairs = [(n, clicked) for n in numbers if n != clicked]
        preference_id = new_preference_id()
        record: _keys.ChooseWorstHistory = {
            "mode": "ChooseWorst",
            "id": preference_id,
            # Naive local time, as optuna-dashboard writes and sorts it.
            "timestamp": datetime.now().isoformat(),
            "candidates": numbers,
            "clicked": clicked,
            "preferences": [[b, w] for b, w in pairs],
        }
        if user:
            record["user"] = user
        history = {_keys.history_key(preference_id): json.dumps(record)}
        record_preferences(tx, preference_id, pairs, trials, n_objectives, history)
        return {"history": record, "is_removed": False}

    return atomically(storage, study_id, decide)


def undo_decision(storage: BaseStorage, study_id: int, history_id: str) -> _keys.HistoryEntry:
    """Withdraw a decision's preferences (its history stays, marked removed).

    Raises:
        NotFound: no such study or decision. BadRequest: the study is not preferential.
        Conflict: the decision is already undone (carries it as ``decision``).
    """

    def undo(tx: StudyTx) -> _keys.HistoryEntry:
        system_attrs = _preferential_attrs(tx)
        record = _history_record(system_attrs, history_id)
        if _keys.is_removed(system_attrs, history_id):
            raise Conflict(
                "This decision is already undone.",
                decision={"history": record, "is_removed": True},
            )
        tx.set_system_attrs({_keys.preference_key(history_id): []})
        return {"history": record, "is_removed": True}

    return atomically(storage, study_id, undo)


def redo_decision(storage: BaseStorage, study_id: int, history_id: str) -> _keys.HistoryEntry:
    """Restore an undone decision's preferences, if they still agree with the others.

    Raises:
        NotFound: no such study or decision. BadRequest: the study is not preferential.
        Conflict: the decision is in effect already, or restoring it would report a trial
            worse twice, repeat a pair, or contradict a later decision (the message names
            the trial). Nothing is written then.
    """

    def redo(tx: StudyTx) -> _keys.HistoryEntry:
        system_attrs = _preferential_attrs(tx)
        record = _history_record(system_attrs, history_id)
        if not _keys.is_removed(system_attrs, history_id):
            raise Conflict(
                "This decision is already in effect.",
                decision={"history": record, "is_removed": False},
            )
        problem = _redo_problem(system_attrs, record)
        if problem:
            raise Conflict(
                f"This decision cannot be restored: {problem}",
                decision={"history": record, "is_removed": True},
            )
        tx.set_system_attrs({_keys.preference_key(history_id): record["preferences"]})
        return {"history": record, "is_removed": False}

    return atomically(storage, study_id, redo)


def _redo_problem(system_attrs: Mapping[str, Any], record: _keys.ChooseWorstHistory) -> str:
    """Why restoring ``record``'s pairs would break the preferences, or "" if it would not."""
    in_effect = _keys.preferences(system_attrs)
    worse = {w for _, w in in_effect}
    restored = [(b, w) for b, w in record["preferences"]]
    for _, w in restored:  # a repeated pair too: its worse trial is worse elsewhere
        if w in worse:
            return f"trial {w} has since been reported worse in another decision."
    clash = contradiction(in_effect, restored)
    if clash is not None:
        b, w = clash
        return f"trial {w} has since been judged better than trial {b}."
    return ""


def skip_trial(storage: BaseStorage, study_id: int, trial_id: int) -> None:
    """Leave a trial out of the comparisons (and of the best trials) for good.

    Raises:
        NotFound: no such study, or the trial is not one of its trials.
        BadRequest: the study is not preferential.
        Conflict: the trial is skipped already.
    """

    def skip(tx: StudyTx) -> None:
        system_attrs = _preferential_attrs(tx)
        trial = tx.trial(trial_id)
        if trial is None:
            raise NotFound(f"Trial id {trial_id} is not a trial of study {study_id}.")
        if trial_id in _keys.skipped_trial_ids(system_attrs):
            raise Conflict(f"Trial {trial.number} is skipped already.")
        tx.set_system_attrs({_keys.skip_key(trial_id): True})

    atomically(storage, study_id, skip)


def get_feedback_component(storage: BaseStorage, study_id: int) -> _keys.FeedbackComponent:
    """The component the comparison page shows per trial (a note unless one is registered)."""
    return _keys.feedback_component(_study_attrs(storage, study_id))


def put_feedback_component(
    storage: BaseStorage, study_id: int, body: Mapping[str, Any]
) -> _keys.FeedbackComponent:
    """Store ``{"output_type": "note"}`` or ``{"output_type": "artifact", "artifact_key": k}``.

    With ``previous`` (the component the person saw), the write happens only if that is
    still the stored one.

    Raises:
        BadRequest: another output_type, or "artifact" without an artifact_key.
        NotFound: no such study.
        Conflict: ``previous`` is not the stored component (carries it as ``component``).
    """
    if not isinstance(body, Mapping):
        raise BadRequest("The feedback component is a JSON object with output_type.")
    value = _component(body)
    previous = _component(body["previous"]) if body.get("previous") is not None else None

    def put(tx: StudyTx) -> _keys.FeedbackComponent:
        stored = _keys.feedback_component(tx.system_attrs(_keys.COMPONENT_KEY))
        if previous is not None and previous != stored:
            raise Conflict(
                "Someone else changed what the comparison page shows meanwhile.",
                component=stored,
            )
        tx.set_system_attrs({_keys.COMPONENT_KEY: value})
        return value

    return atomically(storage, study_id, put)


def _component(body: Any) -> _keys.FeedbackComponent:
    if not isinstance(body, Mapping):
        raise BadRequest("A feedback component is a JSON object with output_type.")
    try:
        return _keys.component_value(body.get("output_type"), body.get("artifact_key"))  # type: ignore[arg-type]
    except ValueError as e:
        raise BadRequest(str(e)) from None


def list_history(storage: BaseStorage, study_id: int) -> list[_keys.HistoryEntry]:
    """The decisions, oldest first, each with ``is_removed`` (undone)."""
    return _keys.history(_require_preferential(_study_attrs(storage, study_id), study_id))


def list_active_candidates(storage: BaseStorage, study_id: int) -> list[int]:
    """Numbers of the trials to compare now: running or complete, never worse, not skipped."""
    # The system attrs before the trials, so a trial asked in between is not missed.
    system_attrs = _require_preferential(_study_attrs(storage, study_id), study_id)
    trials = read_trials(storage, study_id)
    return [t.number for t in _keys.active_trials(trials, system_attrs)]


def _check_candidates(candidates: Any, clicked: Any) -> list[int]:
    def is_int(v: Any) -> bool:
        return isinstance(v, int) and not isinstance(v, bool)

    if not isinstance(candidates, list) or not all(is_int(n) and n >= 0 for n in candidates):
        raise BadRequest("candidates must be a list of trial numbers.")
    if len(set(candidates)) != len(candidates):
        raise BadRequest("candidates must not repeat a trial.")
    if len(candidates) < 2:
        raise BadRequest("A decision compares at least 2 candidates.")
    if not is_int(clicked) or clicked not in candidates:
        raise BadRequest("clicked must be the number of one of the candidates.")
    return list(candidates)


def _study_attrs(storage: BaseStorage, study_id: int) -> dict[str, Any]:
    try:
        return storage.get_study_system_attrs(study_id)
    except KeyError:
        raise NotFound(f"Study {study_id} does not exist.") from None


def _n_objectives(storage: BaseStorage, study_id: int) -> int:
    try:
        return len(storage.get_study_directions(study_id))
    except KeyError:
        raise NotFound(f"Study {study_id} does not exist.") from None


def _preferential_attrs(tx: StudyTx) -> dict[str, Any]:
    """The study's ``preference:`` system attrs; BadRequest if it is not preferential."""
    return _require_preferential(tx.system_attrs(_keys.PREFIX), tx.study_id)


def _require_preferential(system_attrs: dict[str, Any], study_id: int) -> dict[str, Any]:
    if not _keys.is_preferential(system_attrs):
        raise BadRequest(f"Study {study_id} is not a preferential study.")
    return system_attrs


def _history_record(system_attrs: Mapping[str, Any], history_id: str) -> _keys.ChooseWorstHistory:
    for entry in _keys.history(system_attrs):
        if entry["history"]["id"] == history_id:
            return entry["history"]
    raise NotFound(f"No preference decision with id {history_id!r}.")


def _why_inactive(trial: TrialRow, system_attrs: Mapping[str, Any]) -> str:
    if trial.number in _keys.worse_numbers(system_attrs):
        return "already reported worse"
    if trial._trial_id in _keys.skipped_trial_ids(system_attrs):
        return "skipped"
    return f"it is {trial.state.name.lower()}"
