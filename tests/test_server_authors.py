"""Who decided: the Jupyter user is recorded with each decision, rating and note save."""

from __future__ import annotations

import getpass
import json
from pathlib import Path

import optuna
import pytest
from apiutil import api, open_storage
from jupyter_server.auth.identity import IdentityProvider, User
from odutil import needs_optuna_dashboard, od
from test_widgets import Replies, study_path

from jupyterlab_optuna import (
    ChoiceWidget,
    RateTrials,
    preferential,
    register_objective_form_widgets,
    save_note,
)


class AnaIdentity(IdentityProvider):
    """Token authentication as usual; whoever holds the token is Ana (as a hub would say)."""

    def generate_anonymous_user(self, handler) -> User:
        return User(username="ana", name="Ana Lopez", display_name="Ana Lopez")


@pytest.fixture
def jp_server_config() -> dict[str, object]:
    return {
        "ServerApp": {
            "jpserver_extensions": {"jupyterlab_optuna": True},
            "identity_provider_class": AnaIdentity,
        }
    }


@pytest.fixture
def hitl_file(tmp_path: Path) -> Path:
    """A rated study with 3 running trials and a preferential one with 3 running trials."""
    url = f"sqlite:///{tmp_path / 'hitl.db'}"
    study = optuna.create_study(storage=url, study_name="rated", direction="maximize")
    register_objective_form_widgets(study, [ChoiceWidget(choices=["Bad", "Good"], values=[0, 1])])
    for _ in range(3):
        study.ask().suggest_float("x", 0, 1)
    pref = preferential.create_study(n_generate=3, storage=url, study_name="pref")
    for _ in range(3):
        pref.ask().suggest_float("x", 0, 1)
    return tmp_path / "hitl.db"


async def test_decisions_ratings_and_notes_record_the_jupyter_user(
    jp_fetch, hitl_file: Path
) -> None:
    sid = await open_storage(jp_fetch, hitl_file)
    rated, pref = ("storages", sid, "studies", "1"), ("storages", sid, "studies", "2")
    code, detail = await api(jp_fetch, *rated)
    ids = detail["trials"]["trial_id"]

    # When Ana rates one trial, answers the user-attr form of another and saves notes
    trial = (*rated, "trials", str(ids[0]))
    code, _ = await api(jp_fetch, *trial, "tell", method="POST",
                        body={"state": "Complete", "values": [1]})  # fmt: skip
    assert code == 200
    code, _ = await api(jp_fetch, *rated, "trials", str(ids[1]), "user-attrs", method="POST",
                        body={"user_attrs": {"beauty": 3}})  # fmt: skip
    assert code == 200
    code, note = await api(
        jp_fetch, *trial, "note", method="PUT", body={"version": 1, "body": "x"}
    )
    assert code == 200 and note["saved_by"]["user"] == "Ana Lopez"
    code, _ = await api(jp_fetch, *rated, "note", method="PUT", body={"version": 1, "body": "s"})
    # and decides which trial of the preferential study is the worst
    code, data = await api(jp_fetch, *pref, "preference", "decisions", method="POST",
                           body={"candidates": [0, 1, 2], "clicked": 1})  # fmt: skip
    assert code == 201 and data["decision"]["history"]["user"] == "Ana Lopez"

    # Then the study detail says it was Ana, each time
    code, detail = await api(jp_fetch, *rated)
    raters = detail["trials"]["raters"]
    assert sorted(raters) == sorted([str(ids[0]), str(ids[1])])
    assert {r["user"] for r in raters.values()} == {"Ana Lopez"}
    assert detail["trials"]["notes"][str(ids[0])]["saved_by"]["user"] == "Ana Lopez"
    assert detail["note"]["saved_by"]["user"] == "Ana Lopez"
    code, detail = await api(jp_fetch, *pref)
    (entry,) = detail["preference"]["history"]
    assert entry["history"]["user"] == "Ana Lopez"

    # A note saved later where nobody is known (Python's save_note) is nobody's
    study = optuna.load_study(study_name="rated", storage=f"sqlite:///{hitl_file}")
    save_note(study, "edited in a script")
    code, detail = await api(jp_fetch, *rated)
    assert detail["note"]["body"] == "edited in a script" and "saved_by" not in detail["note"]


async def test_a_refused_rating_records_nobody(jp_fetch, hitl_file: Path) -> None:
    sid = await open_storage(jp_fetch, hitl_file)
    rated = ("storages", sid, "studies", "1")
    code, detail = await api(jp_fetch, *rated)
    trial_id = detail["trials"]["trial_id"][2]
    study = optuna.load_study(study_name="rated", storage=f"sqlite:///{hitl_file}")
    study.tell(2, 0.5)  # the generator's own process finished it first
    code, data = await api(jp_fetch, *rated, "trials", str(trial_id), "tell", method="POST",
                           body={"state": "Complete", "values": [1]})  # fmt: skip
    assert code == 409, data
    code, detail = await api(jp_fetch, *rated)
    assert detail["trials"]["raters"] == {}


def test_a_widget_records_the_kernels_user(tmp_path: Path) -> None:
    study = optuna.create_study(storage=f"sqlite:///{tmp_path / 'w.db'}", direction="maximize")
    register_objective_form_widgets(study, [ChoiceWidget(choices=["Bad", "Good"], values=[0, 1])])
    study.ask().suggest_float("x", 0, 1)
    comm = Replies(RateTrials(study))
    reply, _ = comm.request("GET", study_path(comm.widget))
    trial_id = reply["data"]["trials"]["trial_id"][0]
    reply, _ = comm.request("POST", f"{study_path(comm.widget)}/trials/{trial_id}/tell",
                            body={"state": "Complete", "values": [1]})  # fmt: skip
    assert reply["status"] == 200
    reply, _ = comm.request("GET", study_path(comm.widget))
    assert reply["data"]["trials"]["raters"][str(trial_id)]["user"] == getpass.getuser()


@needs_optuna_dashboard
async def test_optuna_dashboard_reads_a_study_with_raters(jp_fetch, hitl_file: Path) -> None:
    # Given decisions, a rating and a note recorded with their person
    sid = await open_storage(jp_fetch, hitl_file)
    rated, pref = ("storages", sid, "studies", "1"), ("storages", sid, "studies", "2")
    _, detail = await api(jp_fetch, *rated)
    trial = (*rated, "trials", str(detail["trials"]["trial_id"][0]))
    await api(jp_fetch, *trial, "tell", method="POST", body={"state": "Complete", "values": [1]})
    await api(jp_fetch, *trial, "note", method="PUT", body={"version": 1, "body": "fine"})
    _, data = await api(jp_fetch, *pref, "preference", "decisions", method="POST",
                        body={"candidates": [0, 1, 2], "clicked": 1})  # fmt: skip
    # When optuna-dashboard 0.21 reads both studies with its own functions
    seen_pref = json.loads(od("od_pref_read.py", hitl_file, "pref"))
    seen = json.loads(od("od_read.py", hitl_file, "rated"))
    # Then it reads them as before: the decision, the preferences and the note
    (entry,) = seen_pref["history"]
    assert entry["history"]["id"] == data["decision"]["history"]["id"]
    assert seen_pref["preferences"] == [[0, 1], [2, 1]]
    assert seen["trial_note"] == {"version": 1, "body": "fine"}
