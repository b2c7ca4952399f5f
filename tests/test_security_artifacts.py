"""Uploaded content is data, never the application: what artifact downloads answer."""

from __future__ import annotations

import optuna
import pytest
from apiutil import api, open_storage

CASES = [
    ("page.html", "text/html", b"<script>alert(1)</script>", "attachment"),
    ("drawing.svg", "image/svg+xml", b"<svg onload='alert(1)'/>", "attachment"),
    ("data.xml", "application/xml", b"<x/>", "attachment"),
    ("code.js", "text/javascript", b"alert(1)", "attachment"),
    ("blob.bin", "application/x-unknown", b"\0\1", "attachment"),
    ("photo.png", "image/png", b"\x89PNG\r\n\x1a\n", "inline"),
    ("notes.txt", "text/plain", b"<script>alert(1)</script>", "inline"),
    ("sound.wav", "audio/wav", b"RIFF....WAVE", "inline"),
]


@pytest.mark.parametrize(("filename", "mimetype", "payload", "disposition"), CASES,
                         ids=[c[0] for c in CASES])  # fmt: skip
async def test_artifacts_are_served_so_that_they_cannot_run(
    jp_fetch, tmp_path, filename, mimetype, payload, disposition
) -> None:
    # Given an artifact uploaded with a type that can carry script (or not)
    db = tmp_path / "sec.db"
    study = optuna.create_study(storage=f"sqlite:///{db}", study_name="sec")
    sid = await open_storage(jp_fetch, db, tmp_path / "artifacts")
    base = ("storages", sid, "studies", str(study._study_id), "artifacts")
    code, data = await api(jp_fetch, *base, method="POST", body=payload,
                           params={"filename": filename}, headers={"Content-Type": mimetype})  # fmt: skip
    assert code == 201, data
    # When it is downloaded
    r = await jp_fetch("jupyterlab-optuna", "api", *base, data["artifact"]["artifact_id"])
    # Then only plain media and text are inline; nothing is sniffed or runs as our page
    assert r.headers["Content-Disposition"].startswith(disposition)
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Content-Security-Policy"] == "sandbox"
    assert r.body == payload
