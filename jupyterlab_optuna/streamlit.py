"""Rate trials in a Streamlit app, with optuna-dashboard's Streamlit helpers' signatures.

The forms are the study's registered form widgets and write what the dashboard writes: a
form filled in Streamlit shows as answered in the panel and the other way round. Each
submit is checked and written in one atomic step, so a trial someone rated meanwhile is
refused with a warning instead of rated twice. Needs the ``streamlit`` extra::

    pip install "jupyterlab-optuna[streamlit]"

Example (``streamlit run app.py``)::

    import optuna
    import streamlit as st
    from jupyterlab_optuna.streamlit import render_objective_form_widgets, render_trial_note

    study = optuna.load_study(study_name="sunset", storage="sqlite:///sunset.db")
    running = study.get_trials(states=[optuna.trial.TrialState.RUNNING])
    if running:
        render_trial_note(study, running[0])
        render_objective_form_widgets(study, running[0], on_success_callback=st.rerun)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from optuna.trial import FrozenTrial, TrialState

from jupyterlab_optuna._core.errors import Conflict
from jupyterlab_optuna._core.trials import finish_running_trial, set_running_trial_user_attrs
from jupyterlab_optuna.hitl._targets import study_target
from jupyterlab_optuna.hitl.forms import form_widgets_from_system_attrs
from jupyterlab_optuna.hitl.notes import note_from_system_attrs

__all__ = [
    "render_objective_form_widgets",
    "render_trial_note",
    "render_user_attr_form_widgets",
]


def _streamlit() -> Any:
    try:
        import streamlit
    except ImportError:
        raise ImportError(
            "jupyterlab_optuna.streamlit needs Streamlit: "
            'pip install "jupyterlab-optuna[streamlit]"'
        ) from None
    return streamlit


def render_trial_note(study: Any, trial: FrozenTrial) -> None:
    """Show the trial's note as Markdown (raw HTML in it is shown as text, never run).

    Args:
        study: the trial's study.
        trial: the trial whose note to show.
    """
    st = _streamlit()
    storage, study_id = study_target(study)
    note = note_from_system_attrs(storage.get_study_system_attrs(study_id), trial._trial_id)
    st.markdown(note["body"])


def render_objective_form_widgets(
    study: Any, trial: FrozenTrial, on_success_callback: Callable[[], None] | None = None
) -> None:
    """Show the study's objective form; a submit completes the trial with the answers.

    Every answer is one objective value (a choice's value, a slider's position, a number
    typed in, or the trial's user attr a ``user_attr`` widget names).

    Args:
        study: the study whose objective form widgets to show.
        trial: the running trial the answers rate.
        on_success_callback: called after a successful submit (default: a success message).

    Raises:
        ValueError: the study has no form widgets, or they are in user-attr mode.
    """
    widgets = _widgets(study, "objective")
    answers = _form(widgets, trial)
    if answers is None:
        return
    st = _streamlit()
    values = []
    for widget, answer in zip(widgets, answers, strict=True):
        number = _number(answer)
        if number is None:
            st.error(f"{_label(widget, len(values))}: a number is needed, got {answer!r}.")
            return
        values.append(number)
    storage, study_id = study_target(study)
    _write(
        lambda: finish_running_trial(
            storage, study_id, trial._trial_id, TrialState.COMPLETE, values, _user()
        ),
        on_success_callback,
    )


def render_user_attr_form_widgets(
    study: Any, trial: FrozenTrial, on_success_callback: Callable[[], None] | None = None
) -> None:
    """Show the study's user-attr form; a submit saves the answers as the trial's user
    attrs (each widget's ``user_attr_key``).

    Args:
        study: the study whose user-attr form widgets to show.
        trial: the running trial the answers belong to.
        on_success_callback: called after a successful submit (default: a success message).

    Raises:
        ValueError: the study has no form widgets, or they are in objective mode.
    """
    widgets = _widgets(study, "user_attr")
    answers = _form(widgets, trial)
    if answers is None:
        return
    attrs = {
        widget["user_attr_key"]: answer
        for widget, answer in zip(widgets, answers, strict=True)
        if widget.get("user_attr_key")
    }
    storage, study_id = study_target(study)
    _write(
        lambda: set_running_trial_user_attrs(storage, study_id, trial._trial_id, attrs, _user()),
        on_success_callback,
    )


def _widgets(study: Any, output_type: str) -> list[Mapping[str, Any]]:
    storage, study_id = study_target(study)
    form = form_widgets_from_system_attrs(storage.get_study_system_attrs(study_id))
    if form is None:
        raise ValueError("No form widgets registered.")
    if form["output_type"] != output_type:
        raise ValueError(
            f"'output_type' should be {output_type!r}, but the study's form widgets are "
            f"{form['output_type']!r}."
        )
    return list(form["widgets"])


def _form(widgets: Sequence[Mapping[str, Any]], trial: FrozenTrial) -> list[Any] | None:
    """Draw the form; the answers once submitted and complete, else None (the problems
    shown as errors)."""
    st = _streamlit()
    answers: list[Any] = []
    with st.form(f"jupyterlab_optuna_form_{trial._trial_id}"):
        for i, widget in enumerate(widgets):
            answers.append(_input(st, widget, i, trial))
        submitted = st.form_submit_button("Submit")
    if not submitted:
        return None
    problems = [
        f"{_label(widget, i)}: {problem}"
        for i, (widget, answer) in enumerate(zip(widgets, answers, strict=True))
        if (problem := _missing(widget, answer, trial))
    ]
    for problem in problems:
        st.error(problem)
    return None if problems else answers


def _input(st: Any, widget: Mapping[str, Any], i: int, trial: FrozenTrial) -> Any:
    label, key = _label(widget, i), f"jupyterlab_optuna_{trial._trial_id}_{i}"
    kind = widget["type"]
    if kind == "choice":
        labels = dict(zip(widget["values"], widget["choices"], strict=True))
        return st.radio(label, widget["values"], index=None, format_func=labels.__getitem__,
                        horizontal=True, key=key)  # fmt: skip
    if kind == "slider":
        labels = {item["value"]: item["label"] for item in widget.get("labels") or []}
        if not labels:
            return st.slider(label, min_value=widget["min"], max_value=widget["max"],
                             step=widget["step"], key=key)  # fmt: skip
        steps = round((widget["max"] - widget["min"]) / widget["step"])
        options = [round(widget["min"] + k * widget["step"], 12) for k in range(steps + 1)]
        return st.select_slider(label, options, format_func=lambda v: labels.get(v, f"{v:g}"),
                                key=key)  # fmt: skip
    if kind == "text":
        return st.text_input(label, key=key)
    if kind == "user_attr":
        value = trial.user_attrs.get(widget["key"])
        st.text(f"{label}: {value!r}")  # plain text: a user attr is never read as Markdown
        return value
    raise ValueError(f"Unknown form widget type {kind!r}.")


def _missing(widget: Mapping[str, Any], answer: Any, trial: FrozenTrial) -> str | None:
    if widget["type"] == "choice" and answer is None:
        return "choose one."
    if widget["type"] == "text" and answer == "" and not widget.get("optional"):
        return "this answer is required."
    if widget["type"] == "user_attr" and widget["key"] not in trial.user_attrs:
        return f"trial {trial.number} has no user attr {widget['key']!r}."
    return None


def _label(widget: Mapping[str, Any], i: int) -> str:
    if widget["type"] == "user_attr":
        return str(widget["key"])
    return widget.get("description") or widget.get("user_attr_key") or f"Objective {i}"


def _number(answer: Any) -> float | None:
    try:
        number = float(answer)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def _write(write: Callable[[], None], on_success_callback: Callable[[], None] | None) -> None:
    st = _streamlit()
    try:
        write()
    except Conflict as e:
        st.warning(f"{e} Nothing was written.")
        return
    if on_success_callback is None:
        st.success("Submitted!")
    else:
        on_success_callback()


def _user() -> str | None:
    """The signed-in Streamlit user's name or email (None without Streamlit's login)."""
    try:
        user = _streamlit().user
        if user.get("is_logged_in"):
            return user.get("name") or user.get("email")
    except Exception:  # Streamlit without authentication configured, or an older one
        return None
    return None
