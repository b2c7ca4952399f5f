"""Human-in-the-loop helpers: notes, rating forms, artifacts and saved plotly figures."""

from jupyterlab_optuna.hitl.forms import (
    ChoiceWidget,
    ObjectiveUserAttrRef,
    SliderWidget,
    TextInputWidget,
    dict_to_form_widget,
    register_objective_form_widgets,
    register_user_attr_form_widgets,
)
from jupyterlab_optuna.hitl.notes import get_note, save_note
from jupyterlab_optuna.hitl.objective_names import set_objective_names
from jupyterlab_optuna.hitl.plot_data import save_plotly_graph_object
from jupyterlab_optuna.hitl.running import KeepRunning, keep_running

__all__ = [
    "ChoiceWidget",
    "KeepRunning",
    "ObjectiveUserAttrRef",
    "SliderWidget",
    "TextInputWidget",
    "dict_to_form_widget",
    "get_note",
    "keep_running",
    "register_objective_form_widgets",
    "register_user_attr_form_widgets",
    "save_note",
    "save_plotly_graph_object",
    "set_objective_names",
]
