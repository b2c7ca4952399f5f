"""Fuzzing every route of the route table (Hypothesis): never a 500, always JSON errors.

Paths, queries, bodies, ids and content types are generated, mixing valid ids of a real
SQLite storage (a rated study, a preferential study with decisions, artifacts) with
garbage. The same requests go through each transport: the core's answer(), a real
`jupyter server` process over HTTP, the WSGI app and the widget comm.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import optuna
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from serverutil import Server

from jupyterlab_optuna._core.answer import answer
from jupyterlab_optuna._core.routes import make_router
from jupyterlab_optuna._core.routing import Request
from jupyterlab_optuna._core.storage import StorageRegistry
from jupyterlab_optuna.preferential import create_study
from jupyterlab_optuna.preferential._decisions import report_choose_worst

ROUTES = make_router().routes
FUZZ = settings(
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def build_storage(root: Path) -> dict[str, list[str]]:
    """A SQLite file with a rated and a preferential study; the valid values of each
    path parameter (the storage id is filled in by the transport)."""
    url = f"sqlite:///{root / 'fuzz.db'}"
    study = optuna.create_study(storage=url, study_name="rated")
    study.optimize(lambda t: t.suggest_float("x", 0, 1), n_trials=2)
    running = study.ask()
    running.suggest_float("x", 0, 1)
    pref = create_study(n_generate=3, storage=url, study_name="pref",
                        sampler=optuna.samplers.RandomSampler(seed=0))  # fmt: skip
    while pref.should_generate():
        pref.ask().suggest_float("x", 0, 1)
    decision = report_choose_worst(pref._storage, pref._study_id, [0, 1, 2], 1)
    (root / "artifacts").mkdir()
    ids = [str(t._trial_id) for t in study.trials + pref.trials]
    return {
        "study_id": [str(study._study_id), str(pref._study_id)],
        "trial_id": ids,
        "history_id": [decision["history"]["id"]],
        "artifact_id": ["missing-artifact"],
    }


def segment(valid: list[str]) -> st.SearchStrategy[str]:
    garbage = st.one_of(
        st.text(st.characters(blacklist_characters="/?#%", blacklist_categories=["Cs"]),
                min_size=1, max_size=20),
        st.integers(-(10**25), 10**25).map(str),
        st.sampled_from(["0", "-1", "2147483648", "nan", "1e9", "..", "%00", " 1"]),
    )  # fmt: skip
    return mostly(st.sampled_from(valid), garbage, tenths=7) if valid else garbage


def mostly(usual: st.SearchStrategy[Any], other: st.SearchStrategy[Any], tenths: int) -> Any:
    """``usual`` in ``tenths`` of ten draws, ``other`` in the rest."""
    return st.integers(0, 9).flatmap(lambda k: usual if k < tenths else other)


JSON_LEAF = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**30), 10**30),
    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=30),
)  # fmt: skip
JSON = st.recursive(JSON_LEAF, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)),
    max_leaves=12)  # fmt: skip
PLAUSIBLE = st.fixed_dictionaries({}, optional={
    "state": st.sampled_from(["Complete", "Fail", "Pruned", "Running", "complete", 1]),
    "values": st.one_of(JSON, st.lists(st.floats(), max_size=3)),
    "version": st.one_of(st.integers(-3, 10**20), JSON_LEAF),
    "body": st.one_of(st.text(max_size=50), JSON),
    "candidates": st.one_of(st.lists(st.integers(-2, 8), max_size=5), JSON),
    "clicked": st.one_of(st.integers(-2, 8), JSON_LEAF),
    "user_attrs": JSON,
    "output_type": st.sampled_from(["note", "artifact", "image", None]),
    "artifact_key": JSON_LEAF,
    "previous": JSON,
    "study_name": JSON_LEAF,
    "directions": st.one_of(st.lists(st.sampled_from(["minimize", "maximize", "x"])), JSON),
    # Storage URLs stay on this machine: files and SQLite URLs, never a database host.
    "url": st.sampled_from(["fuzz.db", "sqlite:///fuzz.db", "new.db", "x.log", "/etc/passwd",
                            "../escape.db", "", "sqlite:///:memory:", "a\x00b", "nope://x"]),
    "artifact_dir": st.one_of(st.sampled_from(["artifacts", "", "a\x00b"]), JSON_LEAF),
    "create": st.booleans(),
})  # fmt: skip
BODY = st.one_of(
    PLAUSIBLE.map(lambda d: json.dumps(d).encode()),
    JSON.map(lambda d: json.dumps(d).encode()),
    st.binary(max_size=64),
    st.sampled_from([b"", b"[" * 5000, b'{"version": 1e999}', b"\xff\xfe", b"NaN", b"{}"]),
)
QUERY = st.dictionaries(
    st.sampled_from(["after", "since", "objective", "states", "remove_artifacts", "filename",
                     "dir", "x"]),
    st.one_of(st.text(max_size=12), st.integers(-(10**20), 10**20).map(str)), max_size=3,
)  # fmt: skip
CONTENT_TYPE = st.sampled_from(
    ["application/json", "text/plain", "image/png", "multipart/form-data", ""]
)


@st.composite
def requests(draw: Any, valid: dict[str, list[str]], storage_id: str) -> Request:
    route = draw(st.sampled_from(ROUTES))
    verbs = st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH"])
    method = draw(mostly(st.just(route.method), verbs, tenths=9))
    destructive = method == "DELETE" and route.pattern.count("/") <= 3

    def fill(m: re.Match[str]) -> str:
        name = m.group(1)
        if name == "sid" and not destructive:
            return draw(mostly(st.just(storage_id), segment([]), tenths=9))
        return draw(segment([] if destructive else valid.get(name, [])))

    path = re.sub(r"\{(\w+)\}", fill, route.pattern)
    return Request(method, path, draw(QUERY), draw(BODY),
                   {"Content-Type": draw(CONTENT_TYPE)})  # fmt: skip


def check(status: int, content_type: str, body: bytes, request: Request) -> None:
    assert status < 500, (status, request, body[:300])
    if status >= 400 or content_type.startswith("application/json"):
        data = json.loads(body, parse_constant=lambda t: pytest.fail(f"{t} in JSON"))
        if status >= 400:
            assert isinstance(data["message"], str) and data["message"], data


@pytest.fixture
def fuzz_root(tmp_path: Path) -> tuple[Path, dict[str, list[str]]]:
    return tmp_path, build_storage(tmp_path)


def test_fuzz_the_core_answer(fuzz_root) -> None:
    root, valid = fuzz_root
    registry = StorageRegistry(root_dir=root)
    router = make_router()
    storage_id = registry.open("fuzz.db", "artifacts").storage_id

    @settings(FUZZ, max_examples=400)
    @given(request=requests(valid, storage_id))
    def run(request: Request) -> None:
        status, headers, body = answer(router, registry, request)
        check(status, headers["Content-Type"], body, request)

    run()


def test_fuzz_a_real_jupyter_server(fuzz_root) -> None:
    root, valid = fuzz_root
    server = Server(root, [{"url": "fuzz.db", "artifact_dir": "artifacts"}])
    try:

        @settings(FUZZ, max_examples=120)
        @given(request=requests(valid, server.storage_id))
        def run(request: Request) -> None:
            from urllib.parse import quote, urlencode

            path = "/".join(quote(p, safe="") for p in request.path.split("/"))
            if request.query:
                path += "?" + urlencode(request.query)
            body = request.body if request.method in ("POST", "PUT", "PATCH") else None
            status, headers, raw = server.request(request.method, path, body, request.headers)
            if status == 405 and request.method == "PATCH":
                return  # tornado refuses verbs a handler lacks before we see them
            check(status, headers.get("Content-Type", ""), raw, request)

        run()
    finally:
        server.stop()


def test_fuzz_the_wsgi_app(fuzz_root) -> None:
    from jupyterlab_optuna.standalone import API_ROOT, wsgi

    root, valid = fuzz_root
    from optuna.artifacts import FileSystemArtifactStore

    store = FileSystemArtifactStore(str(root / "artifacts"))
    app = wsgi(f"sqlite:///{root / 'fuzz.db'}", store, token="fuzz", root_dir=str(root))
    storage_id = app.storage_id

    @settings(FUZZ, max_examples=150)
    @given(request=requests(valid, storage_id))
    def run(request: Request) -> None:
        from urllib.parse import urlencode

        environ = {
            "REQUEST_METHOD": request.method,
            "PATH_INFO": API_ROOT + request.path,
            "QUERY_STRING": urlencode(request.query),
            "CONTENT_LENGTH": str(len(request.body)),
            "CONTENT_TYPE": request.headers["Content-Type"],
            "wsgi.input": io.BytesIO(request.body),
            "HTTP_HOST": "127.0.0.1",
            "HTTP_AUTHORIZATION": "token fuzz",
        }
        started: list[Any] = []
        body = b"".join(app(environ, lambda status, headers: started.extend([status, headers])))
        content_type = dict(started[1]).get("Content-Type", "")
        check(int(started[0].split()[0]), content_type, body, request)

    run()


def test_fuzz_the_widget_comm(fuzz_root) -> None:
    from jupyterlab_optuna.widgets._transport import CommTransport

    root, valid = fuzz_root
    transport = CommTransport(StorageRegistry(root_dir=root))
    storage_id = transport.registry.open("fuzz.db", "artifacts").storage_id

    @settings(FUZZ, max_examples=150)
    @given(request=requests(valid, storage_id), as_buffer=st.booleans())
    def run(request: Request, as_buffer: bool) -> None:
        try:
            body = json.loads(request.body)
        except (ValueError, RecursionError):  # not JSON: it can travel only as a buffer
            body, as_buffer = None, True
        message = {"type": "request", "id": "1", "method": request.method, "path": request.path,
                   "query": request.query, "body": None if as_buffer else body,
                   "content_type": request.headers["Content-Type"]}  # fmt: skip
        reply, _ = transport.handle(message, [request.body] if as_buffer else [])
        assert reply["status"] < 500, (reply, request)
        if reply["status"] >= 400:
            assert reply["data"]["message"], reply
        json.dumps(reply, allow_nan=False)  # what the comm sends is strict JSON

    run()
