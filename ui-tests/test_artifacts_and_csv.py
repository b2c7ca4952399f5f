"""Uploading and deleting a trial's artifact in the panel, and the CSV download link."""

from __future__ import annotations

import csv
import io

import optuna
from labutil import Lab, open_study, screenshot
from optuna.artifacts import FileSystemArtifactStore, upload_artifact
from playwright.sync_api import Page, expect


def test_upload_delete_artifact_and_download_csv(page: Page, lab: Lab) -> None:
    # Given a study with a running trial, opened with an artifact directory
    study = optuna.create_study(storage=f"sqlite:///{lab.root / 'art.db'}", study_name="art")
    study.optimize(lambda t: t.suggest_float("x", 0, 1), n_trials=2)
    study.ask().suggest_float("x", 0, 1)
    open_study(page, lab, "art.db", "art", artifact_dir="artifacts")
    detail = page.locator('.jp-OptunaDashboard-trialDetail[data-trial-number="2"]')

    # When the user uploads a text file to the running trial
    detail.get_by_label("Upload artifact").set_input_files(
        files=[{"name": "log.txt", "mimeType": "text/plain", "buffer": b"epoch 1: ok"}]
    )
    # Then it is listed with a preview, and stored as optuna's artifact metadata
    expect(detail.locator(".jp-OptunaDashboard-artifact figcaption")).to_have_text("log.txt")
    expect(detail.locator(".jp-OptunaDashboard-textPreview")).to_have_text("epoch 1: ok")
    attrs = study.trials[2].system_attrs
    assert any(k.startswith("artifacts:") for k in attrs)

    # A CSV file shows as a table
    detail.get_by_label("Upload artifact").set_input_files(
        files=[
            {
                "name": "scores.csv",
                "mimeType": "text/csv",
                "buffer": b'step,loss\n1,"0.5"\n2,0.25\n',
            }
        ]
    )
    table = detail.locator('[data-preview="csv"] table')
    expect(table.locator("th")).to_have_text(["step", "loss"])
    expect(table.locator("tbody tr")).to_have_count(2)
    screenshot(detail, "trial-artifacts")
    detail.get_by_role("button", name="Delete scores.csv").click()
    detail.get_by_role("button", name="Delete scores.csv?").click()

    # When it is deleted (asked, then confirmed), it is gone
    detail.get_by_role("button", name="Delete log.txt").click()
    detail.get_by_role("button", name="Delete log.txt?").click()
    expect(detail.locator(".jp-OptunaDashboard-artifact")).to_have_count(0)

    # And a finished trial offers no upload (optuna cannot change its system attrs)
    page.locator('.jp-OptunaDashboard-trialTable tr[data-trial-number="0"]').click()
    finished = page.locator('.jp-OptunaDashboard-trialDetail[data-trial-number="0"]')
    expect(finished).to_contain_text("Files can be attached while a trial runs")
    expect(finished.get_by_label("Upload artifact")).to_have_count(0)

    # And the CSV link downloads every trial
    href = page.get_by_role("link", name="Download CSV").get_attribute("href")
    assert href is not None
    response = page.request.get(href if href.startswith("http") else f"{lab.url}{href}")
    rows = list(csv.DictReader(io.StringIO(response.text())))
    assert [r["state"] for r in rows] == ["Complete", "Complete", "Running"]


def test_a_storage_opened_without_artifact_directory_says_why_artifacts_are_missing(
    page: Page, lab: Lab
) -> None:
    # Given a study whose trial holds an artifact
    study = optuna.create_study(storage=f"sqlite:///{lab.root / 'img.db'}", study_name="img")
    store = FileSystemArtifactStore(str(lab.root / "artifacts"))
    (lab.root / "artifacts").mkdir()
    (lab.root / "a.txt").write_text("hello")
    trial = study.ask()
    upload_artifact(artifact_store=store, file_path=str(lab.root / "a.txt"), study_or_trial=trial)

    # When it is opened without an artifact directory, the page says so
    open_study(page, lab, "img.db", "img")
    expect(page.locator(".jp-OptunaDashboard-notice")).to_contain_text(
        "opened without an artifact directory"
    )

    # And with one, it does not
    page.get_by_text("← Studies").click()
    open_study(page, lab, "img.db", "img", artifact_dir="artifacts")
    expect(page.locator(".jp-OptunaDashboard-trialDetail figcaption")).to_have_text("a.txt")
    expect(page.locator(".jp-OptunaDashboard-notice")).to_have_count(0)
