"""The Python HITL API: notes, form widgets, artifacts and plotly figures in real storages."""

from __future__ import annotations

import json

import optuna
import plotly.graph_objects as go
import pytest
from optuna.artifacts import FileSystemArtifactStore

from jupyterlab_optuna import (
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
)
from jupyterlab_optuna._core.errors import Conflict, NotFound
from jupyterlab_optuna.artifact import get_artifact_path
from jupyterlab_optuna.hitl import artifacts
from jupyterlab_optuna.hitl._chunks import CHUNK_LENGTH
from jupyterlab_optuna.hitl.forms import FORM_WIDGETS_KEY, form_widgets_from_system_attrs
from jupyterlab_optuna.hitl.plot_data import plotly_graph_objects_from_system_attrs


def test_long_notes_round_trip_and_shrink(storage) -> None:
    study = optuna.create_study(storage=storage)
    long = "".join(chr(0x41 + i % 26) for i in range(CHUNK_LENGTH * 3 + 7))
    save_note(study, long)
    assert get_note(study) == long
    # A shorter note replaces it entirely: no leftover of the longer one
    save_note(study, "short")
    assert get_note(study) == "short"
    attrs = storage.get_study_system_attrs(study._study_id)
    assert attrs["dashboard:note_ver"] == 2
    assert attrs["dashboard:note_str:1"] == ""


def test_trial_notes_are_keyed_by_trial_id(storage) -> None:
    study = optuna.create_study(storage=storage)

    def objective(trial: optuna.Trial) -> float:
        save_note(trial, f"note of {trial.number}")
        assert get_note(trial) == f"note of {trial.number}"
        return 0.0

    study.optimize(objective, n_trials=2)
    attrs = storage.get_study_system_attrs(study._study_id)
    for t in study.trials:
        assert attrs[f"dashboard:{t._trial_id}:note_str:0"] == f"note of {t.number}"
    with pytest.raises(TypeError):
        save_note(study.trials[0], "a FrozenTrial has no study")
    with pytest.raises(TypeError):
        save_note(study, 42)  # type: ignore[arg-type]


def test_objective_form_widgets(storage) -> None:
    study = optuna.create_study(storage=storage, directions=["maximize", "minimize"])
    widgets = [
        ChoiceWidget(choices=["Good", "Bad"], values=[1, -1], description="Looks"),
        SliderWidget(min=0, max=10, step=1, labels=[(0, "none"), (10, "lots")]),
    ]
    register_objective_form_widgets(study, widgets)
    stored = form_widgets_from_system_attrs(storage.get_study_system_attrs(study._study_id))
    assert stored["output_type"] == "objective"
    assert [dict_to_form_widget(w) for w in stored["widgets"]] == widgets
    assert stored["widgets"][1]["labels"] == [
        {"value": 0, "label": "none"},
        {"value": 10, "label": "lots"},
    ]
    with pytest.raises(ValueError, match="2 objective"):
        register_objective_form_widgets(study, widgets[:1])
    with pytest.warns(UserWarning, match="user_attr_key"):
        register_objective_form_widgets(
            study, [TextInputWidget(user_attr_key="x"), ObjectiveUserAttrRef(key="loss")]
        )
    before = storage.get_study_system_attrs(study._study_id)
    with pytest.raises(ValueError, match="optional must be False"):
        register_objective_form_widgets(
            study, [TextInputWidget(optional=True), ObjectiveUserAttrRef(key="loss")]
        )
    assert storage.get_study_system_attrs(study._study_id) == before


def test_user_attr_form_validation_writes_nothing(storage) -> None:
    study = optuna.create_study(storage=storage)
    for bad, message in [
        ([ChoiceWidget(choices=["a"], values=[1])], "not specified"),
        (
            [TextInputWidget(user_attr_key="k"), SliderWidget(min=0, max=1, user_attr_key="k")],
            "unique",
        ),
        ([ObjectiveUserAttrRef(key="k")], "objective forms only"),
    ]:
        with pytest.raises(ValueError, match=message):
            register_user_attr_form_widgets(study, bad)  # type: ignore[arg-type]
    assert FORM_WIDGETS_KEY not in storage.get_study_system_attrs(study._study_id)
    register_user_attr_form_widgets(study, [TextInputWidget(user_attr_key="why", optional=True)])
    stored = form_widgets_from_system_attrs(storage.get_study_system_attrs(study._study_id))
    assert stored == {"output_type": "user_attr", "widgets": [
        {"type": "text", "description": None, "optional": True, "user_attr_key": "why"}]}  # fmt: skip


def test_widget_fields_take_optuna_dashboards_positions() -> None:
    assert TextInputWidget("Why?", "why") == TextInputWidget(
        description="Why?", user_attr_key="why", optional=False
    )
    assert ChoiceWidget(["a"], [1], "d", "k").user_attr_key == "k"
    assert SliderWidget(0, 1, 0.5, None, "d", "k").user_attr_key == "k"


def test_widget_arguments_are_checked() -> None:
    with pytest.raises(ValueError, match="one value per choice"):
        ChoiceWidget(choices=["a", "b"], values=[1])
    with pytest.raises(ValueError, match="min < max"):
        SliderWidget(min=3, max=1)
    with pytest.raises(ValueError, match="Unknown form widget"):
        dict_to_form_widget({"type": "dial"})
    with pytest.raises(ValueError, match="Unknown form widget"):
        dict_to_form_widget({"type": ["choice"]})
    with pytest.raises(ValueError, match="needs 'values'"):
        dict_to_form_widget({"type": "choice", "choices": ["a"]})
    study = optuna.create_study()
    for register in (register_objective_form_widgets, register_user_attr_form_widgets):
        with pytest.raises(TypeError, match=r"widgets\[0\] is a dict"):
            register(study, [{"type": "choice"}])  # type: ignore[list-item]


def test_legacy_form_keys_are_read_as_objective_forms() -> None:
    widget = ChoiceWidget(choices=["a"], values=[0]).to_dict()
    assert form_widgets_from_system_attrs({"dashboard:objective_form_widgets:v1": [widget]}) == {
        "output_type": "objective", "widgets": [widget]}  # fmt: skip
    legacy = {"dashboard:objective_form_widgets": json.dumps([widget])}
    assert form_widgets_from_system_attrs(legacy)["widgets"] == [widget]


def test_artifacts_written_by_optuna_are_listed_found_and_deleted(storage, tmp_path) -> None:
    store = FileSystemArtifactStore(str(tmp_path))
    study = optuna.create_study(storage=storage)
    trial = study.ask()
    path = tmp_path / "img.png"
    path.write_bytes(b"png")
    # Given an artifact uploaded with optuna's own API and one with ours
    optuna_id = optuna.artifacts.upload_artifact(
        artifact_store=store, file_path=str(path), study_or_trial=trial
    )
    ours = artifacts.upload_artifact(
        store, storage, study._study_id, trial._trial_id, "b.txt", b"hi"
    )
    # Then both are listed with their metadata
    attrs = storage.get_trial_system_attrs(trial._trial_id)
    listed = artifacts.trial_artifacts_from_system_attrs({}, attrs, trial._trial_id)
    assert {a["filename"] for a in listed} == {"img.png", "b.txt"}
    assert ours["mimetype"] == "text/plain"
    meta = artifacts.find_artifact_meta(storage, study._study_id, trial._trial_id, optuna_id)
    assert meta["mimetype"] == "image/png"
    assert (
        get_artifact_path(trial, optuna_id)
        == f"/artifacts/{study._study_id}/{trial._trial_id}/{optuna_id}"
    )
    assert get_artifact_path(study, "x") == f"/artifacts/{study._study_id}/x"
    # When one is deleted, its file and listing are gone
    artifacts.delete_artifact(store, storage, study._study_id, trial._trial_id, optuna_id)
    with pytest.raises(NotFound):
        artifacts.find_artifact_meta(storage, study._study_id, trial._trial_id, optuna_id)
    assert not (tmp_path / optuna_id).exists()
    with pytest.raises(ValueError, match="plain file name"):
        artifacts.upload_artifact(store, storage, study._study_id, None, "../x", b"")


def test_a_finished_trials_artifacts_cannot_change_and_nothing_is_written(
    storage, tmp_path
) -> None:
    store = FileSystemArtifactStore(str(tmp_path))
    study = optuna.create_study(storage=storage)
    trial = study.ask()
    kept = artifacts.upload_artifact(
        store, storage, study._study_id, trial._trial_id, "a.txt", b"a"
    )
    study.tell(trial, 1.0)
    files = sorted(p.name for p in tmp_path.iterdir())
    # When a file is added to, or one deleted from, the finished trial
    with pytest.raises(Conflict, match="has finished"):
        artifacts.upload_artifact(store, storage, study._study_id, trial._trial_id, "b.txt", b"b")
    with pytest.raises(Conflict, match="has finished"):
        artifacts.delete_artifact(
            store, storage, study._study_id, trial._trial_id, kept["artifact_id"]
        )
    # Then no file was written or removed, and the artifact is still there
    assert sorted(p.name for p in tmp_path.iterdir()) == files
    artifacts.find_artifact_meta(storage, study._study_id, trial._trial_id, kept["artifact_id"])


def test_plotly_graph_objects_round_trip(storage) -> None:
    study = optuna.create_study(storage=storage)
    big = go.Figure(go.Scatter(y=list(range(2000))))
    save_plotly_graph_object(study, big, "big")
    save_plotly_graph_object(study, go.Figure(go.Bar(y=[1])), "small")
    save_plotly_graph_object(study, go.Figure(go.Bar(y=[2])), "big")  # replaces, shorter
    stored = plotly_graph_objects_from_system_attrs(
        storage.get_study_system_attrs(study._study_id)
    )
    assert [g["id"] for g in stored] == ["big", "small"]
    assert go.Figure(json.loads(stored[0]["graph_object"])).data[0].y == (2,)
    with pytest.raises(TypeError):
        save_plotly_graph_object(study, {"data": []})
    assert save_plotly_graph_object(study, go.Figure(), "history:v2.1") == "history:v2.1"
    before = storage.get_study_system_attrs(study._study_id)
    for bad in ["", "a b", "<script>"]:
        with pytest.raises(ValueError, match="graph_object_id must be"):
            save_plotly_graph_object(study, go.Figure(), bad)
    assert storage.get_study_system_attrs(study._study_id) == before


def test_set_objective_names_is_deprecated_but_works(storage) -> None:
    from jupyterlab_optuna import set_objective_names
    from jupyterlab_optuna.hitl.objective_names import metric_names_from_system_attrs

    study = optuna.create_study(storage=storage, directions=["minimize", "maximize"])
    with pytest.warns(FutureWarning, match="set_metric_names"):
        set_objective_names(study, ["loss", "acc"])
    assert study.metric_names == ["loss", "acc"]
    assert metric_names_from_system_attrs({"dashboard:objective_names": ["a"]}) == ["a"]
