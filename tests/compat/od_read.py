"""Run by optuna-dashboard's Python: read a study with optuna_dashboard's functions, print JSON."""

import json
import sys

import optuna
from optuna_dashboard._custom_plot_data import get_plotly_graph_objects
from optuna_dashboard._form_widget import get_form_widgets_json
from optuna_dashboard._note import get_note_from_system_attrs
from optuna_dashboard.artifact._backend import list_trial_artifacts

db, name = sys.argv[1:3]
storage = optuna.storages.RDBStorage(f"sqlite:///{db}")
study = optuna.load_study(study_name=name, storage=storage)
attrs = storage.get_study_system_attrs(study._study_id)
trial = study.trials[0]
print(
    json.dumps(
        {
            "study_note": get_note_from_system_attrs(attrs, None),
            "trial_note": get_note_from_system_attrs(attrs, trial._trial_id),
            "form_widgets": get_form_widgets_json(attrs),
            "plots": get_plotly_graph_objects(attrs),
            "artifacts": list_trial_artifacts(attrs, trial.system_attrs, trial),
        }
    )
)
