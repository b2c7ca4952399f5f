"""Which component the comparison page shows for each trial: its note or an artifact."""

from __future__ import annotations

from typing import Literal

from jupyterlab_optuna.hitl._targets import study_target
from jupyterlab_optuna.preferential import _keys


def register_preference_feedback_component(
    study: object,
    component_type: Literal["note", "artifact"] = "note",
    artifact_key: str | None = None,
) -> None:
    """Choose what the "Which trial is the worst?" page shows for each trial.

    ``"note"`` (the default) shows the trial's Markdown note; ``"artifact"`` shows the
    artifact whose id the trial keeps in the user attr named ``artifact_key``.

    Example:
        >>> import optuna
        >>> from jupyterlab_optuna.preferential import (
        ...     create_study, register_preference_feedback_component)
        >>> study = create_study(n_generate=4, sampler=optuna.samplers.RandomSampler())
        >>> register_preference_feedback_component(study, "artifact", "image_id")

    Raises:
        ValueError: an unknown ``component_type``, or ``"artifact"`` without
            ``artifact_key``. Nothing is written then.
    """
    value = _keys.component_value(component_type, artifact_key)
    storage, study_id = study_target(study)
    storage.set_study_system_attr(study_id, _keys.COMPONENT_KEY, value)
