"""Preferential demo: a person picks the worst of 4 sunset colours; a GP proposes better ones.

A generator keeps ``n_generate`` trials active, each with a sunset PNG artifact whose id is
the user attr ``rgb_image``; the study shows that image on the "Which trial is the worst?"
page, and its PreferentialGPSampler learns from every choice.

    python examples/preferential_sunset.py demo/sunset.db --artifact-dir demo/artifacts
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import optuna
from optuna.artifacts import FileSystemArtifactStore
from sunset_generator import suggest_and_upload_sunset

from jupyterlab_optuna.preferential import (
    PreferentialStudy,
    create_study,
    register_preference_feedback_component,
)


def prepare_study(storage: str, study_name: str, sampler: str) -> PreferentialStudy:
    """Create (or load) the preferential study and show each trial's image on its card."""
    chosen = optuna.samplers.RandomSampler() if sampler == "random" else None
    study = create_study(
        n_generate=4, storage=storage, study_name=study_name, sampler=chosen, load_if_exists=True
    )
    register_preference_feedback_component(study, "artifact", "rgb_image")
    return study


def generate_one(study: PreferentialStudy, artifact_store: FileSystemArtifactStore) -> None:
    """Ask a trial, render its sunset and upload it as the trial's ``rgb_image``."""
    trial = study.ask()
    _, artifact_id = suggest_and_upload_sunset(trial, artifact_store)
    trial.set_user_attr("rgb_image", artifact_id)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("storage", help="SQLite file path or storage URL")
    parser.add_argument("--artifact-dir", default="artifacts")
    parser.add_argument("--study-name", default="sunset-preferential")
    parser.add_argument("--sampler", choices=("gp", "random"), default="gp")
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between checks")
    args = parser.parse_args()

    storage = args.storage if "://" in args.storage else f"sqlite:///{args.storage}"
    Path(args.artifact_dir).mkdir(parents=True, exist_ok=True)
    artifact_store = FileSystemArtifactStore(args.artifact_dir)
    study = prepare_study(storage, args.study_name, args.sampler)
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    print(f"Keeping 4 trials of {args.study_name!r} to compare in {storage}")
    while True:
        while study.should_generate():
            generate_one(study, artifact_store)
        time.sleep(args.interval)


if __name__ == "__main__":
    main()
