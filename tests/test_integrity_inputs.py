"""Data optuna accepts and input a client sends never break the API (a real Jupyter server).

Non-finite numbers anywhere, malformed or hostile request bodies and ids, Unicode names,
compressed files: each gets a sensible answer, a 4xx with a message when it is wrong.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import unquote

import optuna
import pytest
from apiutil import api, open_storage


def strict_json(raw: bytes) -> object:
    """Parse as JSON allows it: NaN and Infinity tokens are refused."""

    def refuse(token: str) -> None:
        raise ValueError(f"{token} is not JSON")

    return json.loads(raw, parse_constant=refuse)


async def test_non_finite_numbers_everywhere_are_served_as_strings(jp_fetch, tmp_path) -> None:
    # Given a study holding NaN and infinities wherever optuna allows them
    db = tmp_path / "nan.db"
    study = optuna.create_study(storage=f"sqlite:///{db}", study_name="nan")
    trial = study.ask()
    trial.suggest_float("x", 0, 1)
    trial.set_user_attr("loss", float("nan"))
    trial.set_user_attr("nested", {"a": [float("inf"), 1.5]})
    trial.report(float("nan"), 0)
    trial.storage.set_trial_system_attr(trial._trial_id, "constraints", [float("nan"), -1.0])
    study.tell(trial, float("inf"))
    study.set_user_attr("best", float("-inf"))
    study._storage.set_study_system_attr(study._study_id, "custom", float("nan"))
    sid = await open_storage(jp_fetch, db)
    # When the study list and the detail are fetched
    code, studies = await api(jp_fetch, "storages", sid, "studies")
    assert code == 200 and studies["studies"][0]["best_values"] == ["inf"]
    assert studies["studies"][0]["user_attrs"] == {"best": "-inf"}
    detail_path = ("storages", sid, "studies", str(study._study_id))
    r = await jp_fetch("jupyterlab-optuna", "api", *detail_path)
    # Then they are valid JSON, and non-finite numbers are the strings "nan", "inf", "-inf"
    detail = strict_json(r.body)
    trials = detail["trials"]
    assert trials["values"] == [["inf"]]
    assert trials["user_attrs"] == [{"loss": "nan", "nested": {"a": ["inf", 1.5]}}]
    assert trials["intermediate_values"] == [[[0], ["nan"]]]
    assert trials["constraints"] == [["nan", -1.0]]
    assert detail["user_attrs"] == {"best": "-inf"}
    # And the CSV has them as numbers a spreadsheet reads
    r = await jp_fetch("jupyterlab-optuna", "api", *detail_path, "trials.csv")
    assert "inf" in r.body.decode() and "nan" in r.body.decode()


@pytest.fixture
def inputs_study(tmp_path: Path):
    """A SQLite study whose trial 0 is complete and trial 1 running."""
    db = tmp_path / "inputs.db"
    study = optuna.create_study(storage=f"sqlite:///{db}", study_name="inputs")
    study.optimize(lambda t: t.suggest_float("x", 0, 1), n_trials=1)
    running = study.ask()
    running.suggest_float("x", 0, 1)
    return db, study, running


async def opened(jp_fetch, inputs_study):
    """The study's storage opened through the API: (storage id, study, running trial)."""
    db, study, running = inputs_study
    return await open_storage(jp_fetch, db, db.parent / "artifacts"), study, running


BAD_REQUESTS = [
    ("deep JSON", "tell", b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    ("5,000-digit integer", "tell", b'{"state": "Complete", "values": [' + b"9" * 5000 + b"]}",
     "not valid JSON"),
    ("400-digit value", "tell", json.dumps({"state": "Complete", "values": [10**400]}).encode(),
     "finite number"),
    ("state as a list", "tell", json.dumps({"state": ["Complete"]}).encode(), "state must be"),
    ("NaN value", "tell", b'{"state": "Complete", "values": [NaN]}', "finite number"),
    ("not UTF-8", "note", b'{"version": 1, "body": "\xff\xfe"}', "not valid JSON"),
    ("version as a float", "note", b'{"version": 1.0, "body": "x"}', "version must be"),
    ("body as a list", "note", b'{"version": 1, "body": ["x"]}', "body must be"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "target", "body", "message"), BAD_REQUESTS,
                         ids=[c[0] for c in BAD_REQUESTS])  # fmt: skip
async def test_malformed_bodies_are_400_with_a_message(
    jp_fetch, inputs_study, case, target, body, message
) -> None:
    sid, study, running = await opened(jp_fetch, inputs_study)
    base = ("storages", sid, "studies", str(study._study_id), "trials", str(running._trial_id))
    method, path = ("POST", (*base, "tell")) if target == "tell" else ("PUT", (*base, "note"))
    code, data = await api(jp_fetch, *path, method=method, body=body)
    assert code == 400 and message in data["message"], (code, data)
    # And nothing was written: the trial still runs, its note is empty
    assert study._storage.get_trial(running._trial_id).state.name == "RUNNING"


@pytest.mark.parametrize("bad_id", ["99999999999999999999", "2147483648", "-1", "1e3", "٣"])
async def test_ids_out_of_range_are_400(jp_fetch, inputs_study, bad_id) -> None:
    sid, study, _ = await opened(jp_fetch, inputs_study)
    code, data = await api(jp_fetch, "storages", sid, "studies", bad_id)
    assert code == 400 and "study_id" in data["message"], (code, data)
    path = ("storages", sid, "studies", str(study._study_id), "trials", bad_id, "tell")
    code, data = await api(jp_fetch, *path, method="POST", body={"state": "Fail"})
    assert code == 400 and "trial_id" in data["message"], (code, data)


async def test_storage_paths_with_nul_are_400(jp_fetch, tmp_path) -> None:
    for body in ({"url": "a\x00.db"}, {"url": str(tmp_path / "x.db"), "artifact_dir": "a\x00b"}):
        code, data = await api(jp_fetch, "storages", method="POST", body=body)
        assert code == 400 and "NUL" in data["message"], (code, data)


@pytest.mark.parametrize("filename", ["😀.png", "图像.png", 'quote"semi;colon.png'])
async def test_unicode_artifact_names_download_under_their_name(jp_fetch, inputs_study, filename):
    # Given an artifact uploaded under a name that is not plain ASCII
    sid, study, running = await opened(jp_fetch, inputs_study)
    base = ("storages", sid, "studies", str(study._study_id), "trials", str(running._trial_id),
            "artifacts")  # fmt: skip
    png = b"\x89PNG\r\n\x1a\n" + bytes(64)
    code, data = await api(jp_fetch, *base, method="POST", body=png,
                           params={"filename": filename}, headers={"Content-Type": "image/png"})  # fmt: skip
    assert code == 201, data
    # When it is downloaded
    r = await jp_fetch("jupyterlab-optuna", "api", *base, data["artifact"]["artifact_id"])
    # Then the bytes are whole and the header names the file exactly (RFC 6266)
    assert r.body == png
    disposition = r.headers["Content-Disposition"]
    assert disposition.isascii()
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == filename


async def test_a_study_with_a_cjk_name_downloads_as_csv(jp_fetch, tmp_path) -> None:
    db = tmp_path / "cjk.db"
    study = optuna.create_study(storage=f"sqlite:///{db}", study_name="日没の研究")
    study.optimize(lambda t: t.suggest_float("x", 0, 1), n_trials=2)
    sid = await open_storage(jp_fetch, db)
    r = await jp_fetch("jupyterlab-optuna", "api", "storages", sid, "studies",
                       str(study._study_id), "trials.csv")  # fmt: skip
    assert r.body.decode().startswith("number,state,value")
    name = unquote(r.headers["Content-Disposition"].split("filename*=UTF-8''")[1])
    assert name == "日没の研究.csv"


async def test_a_tar_gz_artifact_keeps_its_own_type(jp_fetch, inputs_study) -> None:
    # Given a .tar.gz uploaded to the study
    sid, study, _ = await opened(jp_fetch, inputs_study)
    base = ("storages", sid, "studies", str(study._study_id), "artifacts")
    payload = bytes(range(256)) * 8
    code, data = await api(jp_fetch, *base, method="POST", body=payload,
                           params={"filename": "run.tar.gz"})  # fmt: skip
    assert code == 201
    # When downloaded, Then it is served as a gzip file, not as a gzip-encoded tar
    r = await jp_fetch("jupyterlab-optuna", "api", *base, data["artifact"]["artifact_id"],
                       decompress_response=False)  # fmt: skip
    assert r.headers["Content-Type"] == "application/gzip"
    assert "Content-Encoding" not in r.headers
    assert r.body == payload
