"""Preferential optimization: a person compares trials instead of scoring them.

Studies are stored as optuna-dashboard stores them (DESIGN.md §5). The default sampler,
:class:`~jupyterlab_optuna.preferential.samplers.gp.PreferentialGPSampler`, needs the
``preferential`` extra (torch, botorch); it is imported only when used.
"""

from __future__ import annotations

from jupyterlab_optuna.preferential import samplers
from jupyterlab_optuna.preferential._feedback import register_preference_feedback_component
from jupyterlab_optuna.preferential._study import PreferentialStudy, create_study, load_study

__all__ = [
    "PreferentialStudy",
    "create_study",
    "load_study",
    "register_preference_feedback_component",
    "samplers",
]
