"""Artifact helpers with optuna-dashboard's names."""

from __future__ import annotations

from typing import Any

import optuna

from jupyterlab_optuna.hitl._targets import study_target


def get_artifact_path(study_or_trial: Any, artifact_id: str) -> str:
    """A link to an artifact for notes: ``/artifacts/{study_id}/{trial_id}/{artifact_id}``.

    The dashboard (the JupyterLab panel, a notebook cell, or ``run_server``) resolves these
    links to its own artifact URLs, whatever the server's base URL.

    Example:
        >>> from jupyterlab_optuna import save_note
        >>> from jupyterlab_optuna.artifact import get_artifact_path
        >>> def objective(trial):  # doctest: +SKIP
        ...     artifact_id = optuna.artifacts.upload_artifact(
        ...         artifact_store=store, file_path="out.png", study_or_trial=trial
        ...     )
        ...     save_note(trial, f"![output]({get_artifact_path(trial, artifact_id)})")
    """
    if isinstance(study_or_trial, optuna.Trial):
        study_id = study_or_trial.study._study_id
        return f"/artifacts/{study_id}/{study_or_trial._trial_id}/{artifact_id}"
    _, study_id = study_target(study_or_trial)
    return f"/artifacts/{study_id}/{artifact_id}"
