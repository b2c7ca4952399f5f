"""Optuna's dashboard and human-in-the-loop optimization, native to Jupyter.

The names below follow optuna-dashboard's, so a script written for it runs with
``import jupyterlab_optuna as optuna_dashboard``; studies written by either tool open
in the other.
"""

from __future__ import annotations

from typing import Any

from jupyterlab_optuna import artifact, preferential
from jupyterlab_optuna._version import __version__
from jupyterlab_optuna.hitl import (
    ChoiceWidget,
    ObjectiveUserAttrRef,
    SliderWidget,
    TextInputWidget,
    dict_to_form_widget,
    get_note,
    register_objective_form_widgets,
    register_user_attr_form_widgets,
    save_note,
    save_plotly_graph_object,
    set_objective_names,
)
from jupyterlab_optuna.hitl.forms import (
    ObjectiveChoiceWidget,
    ObjectiveSliderWidget,
    ObjectiveTextInputWidget,
)
from jupyterlab_optuna.preferential import register_preference_feedback_component

_LAZY = {
    "run_server": "jupyterlab_optuna.standalone",
    "wsgi": "jupyterlab_optuna._wsgi",
    "show_dashboard": "jupyterlab_optuna.widgets",
    "Dashboard": "jupyterlab_optuna.widgets",
    "RateTrials": "jupyterlab_optuna.widgets",
    "CompareTrials": "jupyterlab_optuna.widgets",
}


def __getattr__(name: str) -> Any:
    # The servers and widgets pull in tornado's app machinery or anywidget: import them
    # only when asked for.
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'jupyterlab_optuna' has no attribute {name!r}")


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    return [{"src": "labextension", "dest": "jupyterlab-optuna"}]


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": "jupyterlab_optuna"}]


def _load_jupyter_server_extension(server_app: Any) -> None:
    from jupyterlab_optuna.server import load_extension

    load_extension(server_app)


__all__ = [
    "ChoiceWidget",
    "CompareTrials",
    "Dashboard",
    "ObjectiveChoiceWidget",
    "ObjectiveSliderWidget",
    "ObjectiveTextInputWidget",
    "ObjectiveUserAttrRef",
    "RateTrials",
    "SliderWidget",
    "TextInputWidget",
    "__version__",
    "artifact",
    "dict_to_form_widget",
    "get_note",
    "preferential",
    "register_objective_form_widgets",
    "register_preference_feedback_component",
    "register_user_attr_form_widgets",
    "run_server",
    "save_note",
    "save_plotly_graph_object",
    "set_objective_names",
    "show_dashboard",
    "wsgi",
]
