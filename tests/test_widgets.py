"""The widgets' comm protocol: requests in, replies (JSON or bytes) out, storage effects."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import optuna
import pytest
from optuna.artifacts import FileSystemArtifactStore, upload_artifact
from optuna.trial import TrialState

from jupyterlab_optuna import (
    ChoiceWidget,
    CompareTrials,
    Dashboard,
    RateTrials,
    preferential,
    register_objective_form_widgets,
)
from jupyterlab_optuna.hitl import keep_running


class Replies:
    """Captures what a widget sends back over its comm."""

    def __init__(self, widget: Any) -> None:
        self.widget = widget
        self.sent: list[tuple[dict[str, Any], list[bytes]]] = []
        widget.comm.send = lambda data=None, metadata=None, buffers=None: self.sent.append(
            (data["content"], list(buffers or []))
        )

    def request(self, method: str, path: str, body: Any = None, buffers=(), **extra: Any):
        """Deliver a request as the front end does; the widget's reply (content, buffers)."""
        content = {"type": "request", "id": len(self.sent) + 1, "method": method, "path": path,
                   "body": body, **extra}  # fmt: skip
        self.widget._handle_msg(
            {"content": {"data": {"method": "custom", "content": content}}, "buffers": buffers}
        )
        reply, data = self.sent[-1]
        assert reply["id"] == content["id"] and reply["type"] == "response"
        return reply, data


def rated_study(storage: Any = None) -> optuna.Study:
    study = optuna.create_study(storage=storage, direction="maximize")
    register_objective_form_widgets(
        study, widgets=[ChoiceWidget(choices=["Bad", "Good"], values=[-1, 1])]
    )
    for _ in range(3):
        study.ask().suggest_float("x", 0, 1)
    return study


def study_path(widget: Any) -> str:
    return f"storages/{widget.storage['storage_id']}/studies/{widget.study_id}"


def test_rate_an_in_memory_study_over_the_comm() -> None:
    study = rated_study()
    widget = RateTrials(study, layout="grid")
    assert (widget.view, widget.layout_mode, widget.storage["kind"]) == (
        "rate",
        "grid",
        "inmemory",
    )
    # The state the kernel sends to the front end is JSON, the widget's code included
    state = json.loads(json.dumps(widget.get_state()))
    assert "Kernel not available" in state["_esm"]
    comm = Replies(widget)

    reply, _ = comm.request("GET", study_path(widget))
    assert reply["status"] == 200
    detail = reply["data"]
    assert detail["form_widgets"]["widgets"][0]["choices"] == ["Bad", "Good"]
    assert detail["trials"]["state"] == ["Running"] * 3

    trial_id = detail["trials"]["trial_id"][1]
    reply, _ = comm.request(
        "POST", f"{study_path(widget)}/trials/{trial_id}/tell",
        body={"state": "Complete", "values": [1]},
    )  # fmt: skip
    assert reply["status"] == 200
    assert study.trials[1].state == TrialState.COMPLETE and study.trials[1].value == 1


def test_errors_come_back_as_messages_and_change_nothing(tmp_path: Path) -> None:
    study = rated_study(f"sqlite:///{tmp_path / 'rate.db'}")
    comm = Replies(RateTrials(study))
    trial_id = study.trials[0]._trial_id

    reply, _ = comm.request(
        "POST", f"{study_path(comm.widget)}/trials/{trial_id}/tell",
        body={"state": "Complete", "values": ["good"]},
    )  # fmt: skip
    assert reply["status"] == 400 and "finite number" in reply["data"]["message"]
    assert study.trials[0].state == TrialState.RUNNING

    reply, _ = comm.request("GET", "no/such/route")
    assert reply["status"] == 404 and "no/such/route" in reply["data"]["message"]
    reply, _ = comm.request("GET", f"{study_path(comm.widget)}", query={"after": "soon"})
    assert reply["status"] == 400 and "after" in reply["data"]["message"]
    reply, _ = comm.request("PATCH", None)
    assert reply["status"] == 400

    # Messages that are not requests are ignored, not answered
    before = len(comm.sent)
    comm.widget._handle_msg({"content": {"data": {"method": "custom", "content": {"x": 1}}}})
    assert len(comm.sent) == before


class BrokenStorage(optuna.storages.InMemoryStorage):
    """A storage failing the way a lost database connection does."""

    def get_all_trials(self, *args: Any, **kwargs: Any) -> list[Any]:
        raise ConnectionError("database went away")


def test_an_exception_in_the_kernel_is_a_readable_500() -> None:
    study = optuna.create_study(storage=BrokenStorage())
    comm = Replies(Dashboard(study))
    reply, _ = comm.request("GET", study_path(comm.widget))
    assert reply["status"] == 500
    assert reply["data"]["message"] == "ConnectionError: database went away"


def test_artifacts_travel_as_binary_buffers(tmp_path: Path) -> None:
    store = FileSystemArtifactStore(str(tmp_path / "artifacts"))
    (tmp_path / "artifacts").mkdir()
    study = rated_study()
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
    image = tmp_path / "sunset.png"
    image.write_bytes(png)
    trial = study.trials[0]
    artifact_id = upload_artifact(
        artifact_store=store, file_path=str(image), study_or_trial=trial, storage=study._storage
    )
    comm = Replies(RateTrials(study, artifact_key="image", artifact_store=store))
    base = f"{study_path(comm.widget)}/trials/{trial._trial_id}/artifacts"

    reply, data = comm.request("GET", f"{base}/{artifact_id}")
    assert reply["status"] == 200 and reply["content_type"] == "image/png"
    assert data == [png]

    # Upload: the bytes in a buffer, the file name in the query
    reply, _ = comm.request(
        "POST", base, buffers=[b"a,b\n1,2\n"], query={"filename": "t.csv"},
        content_type="text/csv",
    )  # fmt: skip
    assert reply["status"] == 201, reply
    new_id = reply["data"]["artifact"]["artifact_id"]
    reply, data = comm.request("GET", f"{base}/{new_id}")
    assert data == [b"a,b\n1,2\n"] and reply["content_type"].startswith("text/csv")


def test_plotly_js_comes_from_the_kernel() -> None:
    comm = Replies(Dashboard(optuna.create_study()))
    reply, data = comm.request("GET", "static/plotly.min.js")
    assert reply["status"] == 200 and reply["content_type"] == "text/javascript"
    assert b"plotly" in data[0][:2000].lower() and len(data[0]) > 1_000_000


def test_the_terminator_improvement_is_answered_over_the_comm() -> None:
    pytest.importorskip("torch")
    from optuna.terminator import RegretBoundEvaluator

    # Given a dashboard widget of an in-memory study of one objective
    study = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=0))
    study.optimize(lambda t: t.suggest_float("x", -2, 2) ** 2, n_trials=6)
    comm = Replies(Dashboard(study))
    path = f"{study_path(comm.widget)}/terminator"
    # When the front end polls the route, as the panel does over HTTP
    deadline = time.monotonic() + 120
    while True:
        reply, _ = comm.request("GET", path, query={"max_points": "3"})
        assert reply["status"] == 200
        if reply["data"]["status"] != "running":
            break
        assert time.monotonic() < deadline, "the terminator did not finish"
        time.sleep(0.1)
    # Then the kernel answers optuna's regret bound at the evaluated trials
    answer = reply["data"]
    assert answer["status"] == "done" and answer["trial_numbers"] == [0, 2, 5]
    theirs = RegretBoundEvaluator(seed=0).evaluate(study.trials, study.direction)
    assert answer["improvements"][-1] == pytest.approx(theirs, rel=1e-6)


def test_compare_trials_records_preferences(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'pref.db'}"
    study = preferential.create_study(
        n_generate=3, storage=url, sampler=optuna.samplers.RandomSampler(seed=1)
    )
    while study.should_generate():
        study.ask().suggest_float("x", 0, 1)
    comm = Replies(CompareTrials(study))
    reply, _ = comm.request("GET", study_path(comm.widget))
    assert reply["data"]["preference"]["active"] == [0, 1, 2]

    decisions = f"{study_path(comm.widget)}/preference/decisions"
    reply, _ = comm.request("POST", decisions, body={"candidates": [0, 1, 2], "clicked": 1})
    assert reply["status"] == 201
    reloaded = preferential.load_study(
        study_name=study.study_name, storage=url, sampler=optuna.samplers.RandomSampler()
    )
    assert {(b.number, w.number) for b, w in reloaded.preferences} == {(0, 1), (2, 1)}

    # A second widget on the same study sees the same state
    other = Replies(CompareTrials(reloaded))
    reply, _ = other.request("GET", study_path(other.widget))
    assert reply["data"]["preference"]["active"] == [0, 2]


def test_widget_arguments_are_checked(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="preferential"):
        CompareTrials(optuna.create_study())
    with pytest.raises(ValueError, match="layout"):
        RateTrials(optuna.create_study(), layout="list")
    with pytest.raises(ValueError, match="height"):
        Dashboard(optuna.create_study(), height=50)
    with pytest.raises(TypeError, match=r"optuna\.Study"):
        RateTrials("not a study")
    # A storage URL opens the study list of that storage
    optuna.create_study(storage=f"sqlite:///{tmp_path / 's.db'}", study_name="a")
    widget = Dashboard(str(tmp_path / "s.db"))
    assert widget.study_id is None and widget.storage["kind"] == "rdb"
    reply, _ = Replies(widget).request("GET", f"storages/{widget.storage['storage_id']}/studies")
    assert [s["study_name"] for s in reply["data"]["studies"]] == ["a"]


def wait_for(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.02)


def test_keep_running_keeps_n_trials_waiting() -> None:
    study = optuna.create_study()
    runner = keep_running(study, lambda s: s.ask().suggest_float("x", 0, 1), n=3, interval=0.01)
    try:
        running = lambda: len(study.get_trials(states=(TrialState.RUNNING,)))  # noqa: E731
        wait_for(lambda: running() == 3)
        study.tell(study.trials[0].number, 1.0)
        wait_for(lambda: running() == 3 and len(study.trials) == 4)
    finally:
        runner.stop()
    assert not runner.running and runner.error is None and runner.generated == 4


def test_keep_running_stops_on_a_failing_generator() -> None:
    def generate(study: optuna.Study) -> None:
        raise RuntimeError("no GPU")

    runner = keep_running(optuna.create_study(), generate, interval=0.01)
    wait_for(lambda: not runner.running)
    assert isinstance(runner.error, RuntimeError) and "no GPU" in repr(runner)
    with pytest.raises(ValueError, match="n must be"):
        keep_running(optuna.create_study(), generate, n=0)
    with pytest.raises(TypeError, match="generate"):
        keep_running(optuna.create_study(), "generate")


def test_a_change_wait_with_a_malformed_query_is_a_clear_error() -> None:
    study = optuna.create_study()
    comm = Replies(Dashboard(study))
    path = f"storages/{comm.widget.storage['storage_id']}/changes"
    reply, _ = comm.request("GET", path, query=["since"])
    assert reply["status"] == 400 and "query" in reply["data"]["message"]
    reply, _ = comm.request("GET", path, query={"timeout": "nan"})
    assert reply["status"] == 400 and "timeout" in reply["data"]["message"]
