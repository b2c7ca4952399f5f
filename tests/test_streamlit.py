"""The Streamlit helpers in Streamlit's own app-testing harness, on SQLite files."""

from __future__ import annotations

from pathlib import Path

import optuna
import pytest

from jupyterlab_optuna import (
    ChoiceWidget,
    ObjectiveUserAttrRef,
    SliderWidget,
    TextInputWidget,
    register_objective_form_widgets,
    register_user_attr_form_widgets,
    save_note,
)

AppTest = pytest.importorskip("streamlit.testing.v1").AppTest


def rating_app(url: str, mode: str, number: int | None = None) -> None:
    """The app under test: the note and the form of the first running trial (or of trial
    ``number``, whatever its state: an app that lists every trial)."""
    import optuna
    import streamlit as st

    from jupyterlab_optuna.streamlit import (
        render_objective_form_widgets,
        render_trial_note,
        render_user_attr_form_widgets,
    )

    study = optuna.load_study(study_name="rated", storage=url)
    running = study.get_trials(states=[optuna.trial.TrialState.RUNNING])
    trial = running[0] if number is None else study.trials[number]
    render_trial_note(study, trial)
    render = (
        render_objective_form_widgets if mode == "objective" else render_user_attr_form_widgets
    )
    callback = (lambda: st.session_state.update(done=True)) if mode == "callback" else None
    render(study, trial, on_success_callback=callback)


def objective_study(tmp_path: Path) -> tuple[str, optuna.Study]:
    url = f"sqlite:///{tmp_path / 'st.db'}"
    study = optuna.create_study(storage=url, study_name="rated", directions=["maximize"] * 4)
    register_objective_form_widgets(study, [
        ChoiceWidget(choices=["Bad", "Good"], values=[-1, 1], description="Looks"),
        SliderWidget(min=0, max=10, step=1, labels=[(0, "low"), (10, "high")], description="Warmth"),
        TextInputWidget(description="Score"),
        ObjectiveUserAttrRef(key="loss"),
    ])  # fmt: skip
    trial = study.ask()
    trial.suggest_float("x", 0, 1)
    trial.set_user_attr("loss", 0.25)
    save_note(trial, "## A sunset\n<script>alert(1)</script>")
    return url, study


def test_the_objective_form_tells_the_trial(tmp_path: Path) -> None:
    url, study = objective_study(tmp_path)
    at = AppTest.from_function(rating_app, args=(url, "objective"), default_timeout=30).run()
    assert not at.exception
    # The note renders as Markdown, its HTML as text (never run as the app)
    assert "A sunset" in at.markdown[0].value and not at.markdown[0].allow_html
    # Each widget type is there: a choice, a labelled slider, a text input, the user attr
    assert at.radio[0].options == ["Bad", "Good"] and at.radio[0].value is None
    assert at.select_slider[0].options[0] == "low" and at.select_slider[0].options[-1] == "high"
    assert [t.value for t in at.text] == ["loss: 0.25"]
    # Submitting with no choice and no score writes nothing and says what is missing
    at.button[0].click().run()
    assert [e.value for e in at.error] == ["Looks: choose one.", "Score: this answer is required."]
    assert study.trials[0].state == optuna.trial.TrialState.RUNNING
    # A text that is not a number is refused too
    # (a form's inputs reach the app with its submit, in one run)
    at.radio[0].set_value(1)
    at.text_input[0].input("warm")
    at.button[0].click().run()
    assert "Score: a number is needed" in at.error[0].value
    assert study.trials[0].state == optuna.trial.TrialState.RUNNING
    # A full answer completes the trial with one value per widget
    at.radio[0].set_value(1)
    at.select_slider[0].set_value(7)
    at.text_input[0].input("3.5")
    at.button[0].click().run()
    assert not at.exception and at.success[0].value == "Submitted!"
    assert study.trials[0].values == [1.0, 7.0, 3.5, 0.25]


def test_a_trial_rated_meanwhile_is_not_rated_twice(tmp_path: Path) -> None:
    url, study = objective_study(tmp_path)
    at = AppTest.from_function(rating_app, args=(url, "objective", 0), default_timeout=30).run()
    at.radio[0].set_value(-1)
    at.text_input[0].input("1")
    study.tell(0, [1, 1, 1, 1])  # someone in the panel rated it first
    at.button[0].click().run()
    assert "already Complete" in at.warning[0].value and not at.success
    assert study.trials[0].values == [1, 1, 1, 1]


@pytest.mark.parametrize("mode", ["user_attr", "callback"])
def test_the_user_attr_form_saves_the_answers(tmp_path: Path, mode: str) -> None:
    url = f"sqlite:///{tmp_path / 'st.db'}"
    study = optuna.create_study(storage=url, study_name="rated")
    register_user_attr_form_widgets(study, [
        ChoiceWidget(choices=["Bad", "Good"], values=[0, 1], user_attr_key="looks"),
        SliderWidget(min=0.0, max=1.0, step=0.1, user_attr_key="warmth"),
        TextInputWidget(description="Why", user_attr_key="why", optional=True),
    ])  # fmt: skip
    study.ask().suggest_float("x", 0, 1)
    at = AppTest.from_function(rating_app, args=(url, mode), default_timeout=30).run()
    at.radio[0].set_value(1)
    at.slider[0].set_value(0.3)
    at.button[0].click().run()
    assert not at.exception and not at.error
    assert study.trials[0].user_attrs == {"looks": 1, "warmth": 0.3, "why": ""}
    if mode == "callback":
        assert at.session_state["done"] is True and not at.success
    else:
        assert at.success[0].value == "Submitted!"


def test_a_form_of_the_other_mode_or_none_is_a_clear_error(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'st.db'}"
    study = optuna.create_study(storage=url, study_name="rated")
    study.ask()
    at = AppTest.from_function(rating_app, args=(url, "objective"), default_timeout=30).run()
    assert "No form widgets registered" in at.exception[0].value
    register_user_attr_form_widgets(
        study, [ChoiceWidget(choices=["a"], values=[0], user_attr_key="k")]
    )
    at = AppTest.from_function(rating_app, args=(url, "objective"), default_timeout=30).run()
    assert "'output_type' should be 'objective'" in at.exception[0].value
