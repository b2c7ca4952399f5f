"""Studies through the route table: list, create, rename, delete, incremental detail."""

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta

import optuna
import pytest
from optuna.trial import TrialState
from studyutil import study_on

from jupyterlab_optuna import ChoiceWidget, register_objective_form_widgets, save_note
from jupyterlab_optuna._core.errors import BadRequest, Conflict, NotFound
from jupyterlab_optuna._core.routes import make_router
from jupyterlab_optuna._core.routing import Request
from jupyterlab_optuna._core.storage import StorageEntry, StorageRegistry

router = make_router()
X = optuna.distributions.FloatDistribution(0, 1)


def call(reg: StorageRegistry, method: str, path: str, body=None, **query):
    data = b"" if body is None else json.dumps(body).encode()
    query = {k: str(v) for k, v in query.items()}
    return router.dispatch(reg, Request(method, path, query, data)).data


def test_list_create_and_delete_studies(registry: StorageRegistry, entry: StorageEntry) -> None:
    sid = entry.storage_id
    # Given a study with two complete trials
    study = study_on(entry, "first")
    study.optimize(lambda t: t.suggest_float("x", 1, 2), n_trials=2)
    # When a second one is created through the API
    created = call(registry, "POST", f"storages/{sid}/studies",
                   {"study_name": "second", "directions": ["maximize", "minimize"]})  # fmt: skip
    # Then both are listed with their facts
    studies = {
        s["study_name"]: s for s in call(registry, "GET", f"storages/{sid}/studies")["studies"]
    }
    assert studies["first"]["n_trials"] == 2
    assert studies["first"]["best_values"] == [study.best_value]
    assert studies["second"]["directions"] == ["maximize", "minimize"]
    assert studies["second"]["best_values"] is None
    assert created["study"]["study_id"] == studies["second"]["study_id"]
    # And a taken name is a conflict, bad directions a bad request, nothing created
    with pytest.raises(Conflict):
        call(
            registry,
            "POST",
            f"storages/{sid}/studies",
            {"study_name": "first", "directions": ["minimize"]},
        )
    with pytest.raises(BadRequest):
        call(
            registry, "POST", f"storages/{sid}/studies", {"study_name": "z", "directions": ["up"]}
        )
    assert len(call(registry, "GET", f"storages/{sid}/studies")["studies"]) == 2
    # When one is deleted, it is gone
    call(registry, "DELETE", f"storages/{sid}/studies/{studies['second']['study_id']}")
    assert [
        s["study_name"] for s in call(registry, "GET", f"storages/{sid}/studies")["studies"]
    ] == ["first"]
    with pytest.raises(NotFound):
        call(registry, "DELETE", f"storages/{sid}/studies/999")


def test_rename_keeps_notes_forms_and_trials(
    registry: StorageRegistry, entry: StorageEntry
) -> None:
    sid = entry.storage_id
    # Given a study with a form, a study note, and a note on a running trial
    study = study_on(entry, "before")
    register_objective_form_widgets(study, [ChoiceWidget(choices=["a", "b"], values=[0, 1])])
    save_note(study, "study note")
    study.optimize(lambda t: t.suggest_float("x", 0, 1), n_trials=2)
    trial = study.ask({"x": optuna.distributions.FloatDistribution(0, 1)})
    save_note(trial, "trial note")
    # When it is renamed
    renamed = call(registry, "POST", f"storages/{sid}/studies/{study._study_id}/rename",
                   {"study_name": "after"})["study"]  # fmt: skip
    # Then everything is there under the new name
    detail = call(registry, "GET", f"storages/{sid}/studies/{renamed['study_id']}")
    assert detail["study_name"] == "after"
    assert detail["note"]["body"] == "study note"
    assert detail["form_widgets"]["widgets"][0]["choices"] == ["a", "b"]
    assert detail["trials"]["state"] == ["Complete", "Complete", "Running"]
    running_id = detail["trials"]["trial_id"][2]
    assert detail["trials"]["notes"][str(running_id)]["body"] == "trial note"
    assert [
        s["study_name"] for s in call(registry, "GET", f"storages/{sid}/studies")["studies"]
    ] == ["after"]


def test_detail_is_incremental(registry: StorageRegistry, entry: StorageEntry) -> None:
    sid = entry.storage_id
    # Given a study with 3 trials completed an hour ago and 1 running
    study = study_on(entry)
    hour_ago = datetime.now() - timedelta(hours=1)
    for i in range(3):
        study.add_trial(optuna.trial.FrozenTrial(
            number=i, state=TrialState.COMPLETE, value=float(i), datetime_start=hour_ago,
            datetime_complete=hour_ago, params={"x": 0.5}, distributions={"x": X},
            user_attrs={}, system_attrs={}, intermediate_values={}, trial_id=i,
        ))  # fmt: skip
    running = study.ask()
    running.suggest_float("x", 0, 1)
    path = f"storages/{sid}/studies/{study._study_id}"
    first = call(registry, "GET", path)
    assert first["n_trials"] == 4
    assert first["trials"]["number"] == [0, 1, 2, 3]
    cursor = first["cursor"]
    assert cursor["after"] == 4
    # When nothing changes, a poll sends only the running trial
    time.sleep(0.01)
    quiet = call(registry, "GET", path, **cursor)
    assert quiet["trials"]["number"] == [3]
    # When the running trial finishes and a new one starts, the next poll has both
    study.tell(running, 0.5)
    study.ask().suggest_float("x", 0, 1)
    later = call(registry, "GET", path, **quiet["cursor"])
    assert later["trials"]["number"] == [3, 4]
    assert later["trials"]["state"] == ["Complete", "Running"]
    assert later["n_trials"] == 5
    assert later["trials"]["values"][0] == [0.5]


def test_detail_encodes_every_kind_of_trial_data(
    registry: StorageRegistry, entry: StorageEntry
) -> None:
    sid = entry.storage_id
    study = study_on(entry, directions=("minimize", "maximize"))
    dists = {
        "f": optuna.distributions.FloatDistribution(1e-3, 1, log=True),
        "i": optuna.distributions.IntDistribution(0, 10, step=2),
        "c": optuna.distributions.CategoricalDistribution(["a", None, 3]),
    }
    study.add_trial(optuna.trial.create_trial(
        params={"f": 0.01, "i": 4, "c": None}, distributions=dists, values=[float("inf"), 2.0],
        intermediate_values={0: 1.0, 1: float("nan")}, user_attrs={"k": [1, "v"]},
        system_attrs={"constraints": [0.5, -1.0]},
    ))  # fmt: skip
    study.set_metric_names(["loss", "acc"])
    detail = call(registry, "GET", f"storages/{sid}/studies/{study._study_id}")
    trials = detail["trials"]
    assert detail["metric_names"] == ["loss", "acc"]
    assert trials["values"] == [["inf", 2.0]]
    assert trials["params"] == {"f": [0.01], "i": [4], "c": [None]}
    assert trials["intermediate_values"] == [[[0, 1], [1.0, "nan"]]]
    assert trials["user_attrs"] == [{"k": [1, "v"]}]
    assert trials["constraints"] == [[0.5, -1.0]]
    assert detail["distributions"]["f"] == {
        "type": "float",
        "low": 0.001,
        "high": 1.0,
        "log": True,
        "step": None,
    }
    assert detail["distributions"]["i"]["step"] == 2
    assert detail["distributions"]["c"]["choices"] == ["a", None, 3]
    json.dumps(detail, allow_nan=False)  # the wire format is strict JSON


def test_constraints_of_both_of_optunas_forms_are_read(
    registry: StorageRegistry, entry: StorageEntry
) -> None:
    # Given trials constrained as constraints_func stores it (a list), by name as
    # Trial.set_constraint does (optuna >= 5), both, and neither
    study = study_on(entry, directions=("minimize", "minimize"))
    x = {"x": X}
    for attrs in (
        {"constraints": [0.5, -1.0]},
        {"constraints:weight": 2.0, "constraints:budget": -3.0},
        {"constraints": [-1.0], "constraints:weight": 0.25},
        {},
    ):
        study.add_trial(optuna.trial.create_trial(
            params={"x": 0.5}, distributions=x, values=[1.0, 2.0], system_attrs=attrs
        ))  # fmt: skip
    # When the panel reads the study
    detail = call(registry, "GET", f"storages/{entry.storage_id}/studies/{study._study_id}")
    # Then every constraint optuna sees is on the wire (named ones by name)
    wire = detail["trials"]["constraints"]
    assert wire == [[0.5, -1.0], [-3.0, 2.0], [-1.0, 0.25], None]
    # And they tell the feasible trials as optuna does
    feasible = [all(v <= 0 for v in t.constraints.values()) for t in study.trials]
    assert [all(v <= 0 for v in c or []) for c in wire] == feasible == [False] * 3 + [True]


def test_fast_sqlite_reader_matches_optuna(registry: StorageRegistry, tmp_path) -> None:
    # Given the same trials in a SQLite file and in memory
    url = f"sqlite:///{tmp_path / 'r.db'}"
    study = optuna.create_study(storage=url, study_name="r", directions=["minimize"])

    def objective(trial: optuna.Trial) -> float:
        x = trial.suggest_float("x", -3, 3)
        trial.suggest_categorical("c", ["p", "q"])
        trial.set_user_attr("u", x * 2)
        trial.report(x, 0)
        if x > 2:
            raise optuna.TrialPruned()
        return x**2

    study.optimize(objective, n_trials=15)
    memory = optuna.create_study(study_name="r")
    memory.add_trials(study.trials)
    # When both are read through the API
    rdb = registry.open(url)
    mem = registry.add(memory._storage)
    a = call(registry, "GET", f"storages/{rdb.storage_id}/studies/{study._study_id}")["trials"]
    b = call(registry, "GET", f"storages/{mem.storage_id}/studies/{memory._study_id}")["trials"]
    # Then the columns agree (ids aside)
    for key in ("number", "state", "values", "params", "intermediate_values", "user_attrs"):
        assert a[key] == b[key], key


def test_unknown_ids_and_bad_queries(registry: StorageRegistry, entry: StorageEntry) -> None:
    sid = entry.storage_id
    study = study_on(entry)
    with pytest.raises(NotFound):
        call(registry, "GET", "storages/unknown/studies")
    with pytest.raises(NotFound):
        call(registry, "GET", f"storages/{sid}/studies/12345")
    with pytest.raises(BadRequest, match="after"):
        call(registry, "GET", f"storages/{sid}/studies/{study._study_id}", after="x")
    with pytest.raises(BadRequest, match="study_id"):
        call(registry, "GET", f"storages/{sid}/studies/abc")


def test_csv_export(registry: StorageRegistry, entry: StorageEntry) -> None:
    import csv
    import io

    study = study_on(entry)
    study.optimize(lambda t: t.suggest_float("x", 0, 1) + (t.set_user_attr("tag", "a") or 0), n_trials=3)
    study.ask()
    path = f"storages/{entry.storage_id}/studies/{study._study_id}/trials.csv"
    response = router.dispatch(registry, Request("GET", path))
    assert response.content_type.startswith("text/csv")
    assert 'filename="s.csv"' in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["state"] for r in rows] == ["Complete"] * 3 + ["Running"]
    assert float(rows[0]["value"]) == study.trials[0].value
    assert rows[0]["params_x"] and rows[0]["user_attrs_tag"] == "a"
    complete = router.dispatch(registry, Request("GET", path, {"states": "complete"}))
    assert complete.content.decode().count("\n") == 4
    with pytest.raises(BadRequest, match="Unknown trial state"):
        router.dispatch(registry, Request("GET", path, {"states": "done"}))
