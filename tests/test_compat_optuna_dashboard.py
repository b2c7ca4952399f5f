"""Studies written by optuna-dashboard 0.21 open here, and ours open there.

optuna-dashboard runs in its own virtual environment (never beside this package): its
Python is ``$OPTUNA_DASHBOARD_PYTHON`` (scripts/test.sh creates it).
"""

from __future__ import annotations

import json
from pathlib import Path

import optuna
import plotly.graph_objects as go
from odutil import needs_optuna_dashboard, od
from optuna.artifacts import FileSystemArtifactStore, upload_artifact

from jupyterlab_optuna import (
    ChoiceWidget,
    SliderWidget,
    TextInputWidget,
    register_objective_form_widgets,
    save_note,
    save_plotly_graph_object,
)
from jupyterlab_optuna._core.encoding import whole
from jupyterlab_optuna._core.routes import make_router
from jupyterlab_optuna._core.routing import Request
from jupyterlab_optuna._core.storage import StorageRegistry

pytestmark = needs_optuna_dashboard


def test_a_study_written_by_optuna_dashboard_is_served_here(tmp_path: Path) -> None:
    # Given a study written with optuna-dashboard's API
    image = tmp_path / "sunset.png"
    image.write_bytes(b"\x89PNG sunset")
    artifact_id = od("od_write.py", tmp_path / "od.db", tmp_path / "artifacts", image)
    # When our API serves it
    registry = StorageRegistry(root_dir=tmp_path)
    sid = registry.open("od.db", "artifacts").storage_id
    router = make_router()
    detail = router.dispatch(registry, Request("GET", f"storages/{sid}/studies/1")).data
    # Then notes, form widgets, plots and artifacts are all there
    assert detail["note"]["body"] == "# study note\n" + "x" * 5000
    trial_id = detail["trials"]["trial_id"][0]
    assert detail["trials"]["notes"][str(trial_id)]["body"] == "trial note"
    widgets = detail["form_widgets"]["widgets"]
    assert [w["type"] for w in widgets] == ["choice", "slider", "text"]
    assert widgets[1]["labels"] == [{"value": 0, "label": "low"}, {"value": 10, "label": "high"}]
    assert json.loads(detail["plotly_graph_objects"][0]["graph_object"])["data"][0]["y"] == [
        3,
        1,
        2,
    ]
    (meta,) = detail["trials"]["artifacts"][str(trial_id)]
    assert meta["artifact_id"] == artifact_id and meta["mimetype"] == "image/png"
    download = router.dispatch(registry, Request(
        "GET", f"storages/{sid}/studies/1/trials/{trial_id}/artifacts/{artifact_id}"))  # fmt: skip
    assert whole(download.content) == b"\x89PNG sunset"  # a file, streamed by transports
    # And a person's rating (tell) continues it where optuna-dashboard left it
    router.dispatch(registry, Request("POST", f"storages/{sid}/studies/1/trials/{trial_id}/tell",
                                      body=b'{"state": "Complete", "values": [1, 5, 2.5]}'))  # fmt: skip
    study = optuna.load_study(study_name="od", storage=f"sqlite:///{tmp_path / 'od.db'}")
    assert study.trials[0].values == [1, 5, 2.5]


def test_a_study_written_here_is_read_by_optuna_dashboard(tmp_path: Path) -> None:
    # Given a study written with our API
    db = tmp_path / "ours.db"
    study = optuna.create_study(
        storage=f"sqlite:///{db}", study_name="ours", directions=["maximize"] * 3
    )
    widgets = [
        ChoiceWidget(choices=["Good", "Bad"], values=[1, 0], description="Looks"),
        SliderWidget(min=0, max=10, step=1, labels=[(0, "low"), (10, "high")]),
        TextInputWidget(description="A number"),
    ]
    register_objective_form_widgets(study, widgets)
    save_note(study, "# study note\n" + "y" * 5000)
    trial = study.ask()
    trial.suggest_int("red", 0, 255)
    save_note(trial, "trial note")
    (tmp_path / "a.png").write_bytes(b"png")
    artifact_id = upload_artifact(artifact_store=FileSystemArtifactStore(str(tmp_path)),
                                  file_path=str(tmp_path / "a.png"), study_or_trial=trial)  # fmt: skip
    save_plotly_graph_object(study, go.Figure(go.Bar(y=[3, 1, 2])), "bars")
    # When optuna-dashboard reads it with its own functions
    seen = json.loads(od("od_read.py", db, "ours"))
    # Then it sees exactly what we wrote
    assert seen["study_note"] == {"version": 1, "body": "# study note\n" + "y" * 5000}
    assert seen["trial_note"] == {"version": 1, "body": "trial note"}
    assert seen["form_widgets"] == {
        "output_type": "objective",
        "widgets": [w.to_dict() for w in widgets],
    }
    assert json.loads(seen["plots"]["bars"])["data"][0]["y"] == [3, 1, 2]
    assert [a["artifact_id"] for a in seen["artifacts"]] == [artifact_id]


# Not offered here: optuna-dashboard's LLM helpers (`llm`) and its own artifact backends
# (`artifact.upload_artifact`, `artifact.exceptions`), which it deprecates in favour of
# optuna.artifacts; `annotations` is its `from __future__ import` leaking into dir().
NOT_OFFERED = {"llm", "artifact.exceptions", "artifact.upload_artifact", "preferential.annotations"}


def test_every_public_name_of_optuna_dashboard_is_here() -> None:
    import importlib

    missing = []
    for module, names in json.loads(od("od_names.py")).items():
        ours = importlib.import_module("jupyterlab_optuna" + (f".{module}" if module else ""))
        for name in names:
            qualified = f"{module}.{name}" if module else name
            if qualified not in NOT_OFFERED and not hasattr(ours, name):
                missing.append(qualified)
    assert missing == []
