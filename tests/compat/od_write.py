"""Run by optuna-dashboard's Python: write a HITL study with optuna_dashboard's own API."""

import os
import sys

import optuna
import plotly.graph_objects as go
from optuna.artifacts import FileSystemArtifactStore, upload_artifact
from optuna_dashboard import (
    ChoiceWidget,
    SliderWidget,
    TextInputWidget,
    register_objective_form_widgets,
    save_note,
    save_plotly_graph_object,
)

db, artifact_dir, image = sys.argv[1:4]
os.makedirs(artifact_dir, exist_ok=True)
study = optuna.create_study(
    storage=f"sqlite:///{db}", study_name="od", directions=["maximize"] * 3
)
register_objective_form_widgets(
    study,
    widgets=[
        ChoiceWidget(choices=["Good", "Bad"], values=[1, 0], description="Looks"),
        SliderWidget(min=0, max=10, step=1, labels=[(0, "low"), (10, "high")]),
        TextInputWidget(description="A number"),
    ],
)
save_note(study, "# study note\n" + "x" * 5000)
trial = study.ask()
trial.suggest_int("red", 0, 255)
save_note(trial, "trial note")
artifact_id = upload_artifact(
    artifact_store=FileSystemArtifactStore(artifact_dir), file_path=image, study_or_trial=trial
)
save_plotly_graph_object(study, go.Figure(go.Bar(y=[3, 1, 2])), graph_object_id="bars")
print(artifact_id)
