"""Human-in-the-loop demo: keep N "sunset colour" trials waiting for a person's rating.

Each trial suggests an RGB colour, renders a small sunset PNG in it, uploads the image as
an artifact, and writes a note showing it; the study registers a ChoiceWidget, so a person
rates each running trial in the dashboard (or in a notebook cell) and the sampler learns.

    python examples/sunset_generator.py demo/sunset.db --artifact-dir demo/artifacts
"""

from __future__ import annotations

import argparse
import struct
import tempfile
import time
import warnings
import zlib
from pathlib import Path

import optuna
from optuna.artifacts import FileSystemArtifactStore, upload_artifact
from optuna.trial import TrialState

from jupyterlab_optuna import ChoiceWidget, register_objective_form_widgets, save_note
from jupyterlab_optuna.artifact import get_artifact_path

WIDTH, HEIGHT = 160, 96


def sunset_png(rgb: tuple[int, int, int]) -> bytes:
    """A small PNG: a sky fading from ``rgb`` to dark blue over a dark sea, with a sun."""
    rows = []
    for y in range(HEIGHT):
        row = bytearray([0])  # PNG filter type "None" for this scanline
        for x in range(WIDTH):
            if y > HEIGHT * 0.7:
                shade = 40 + (y * 3 + x) % 12
                pixel = (shade // 3, shade // 2, shade)
            elif (x - WIDTH / 2) ** 2 + (y - HEIGHT * 0.7) ** 2 < (HEIGHT * 0.18) ** 2:
                pixel = (255, 236, 170)
            else:
                t = y / (HEIGHT * 0.7)
                dusk = (20, 24, 72)
                pixel = tuple(int(c * t + d * (1 - t)) for c, d in zip(rgb, dusk, strict=True))
            row.extend(pixel)
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", WIDTH, HEIGHT, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows)))
        + chunk(b"IEND", b"")
    )


def prepare_study(storage: str, study_name: str) -> optuna.Study:
    """Create (or load) the sunset study and register its rating form."""
    study = optuna.create_study(
        storage=storage, study_name=study_name, direction="maximize", load_if_exists=True
    )
    with warnings.catch_warnings():  # set_metric_names is still "experimental" in optuna
        warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
        study.set_metric_names(["beauty"])
    register_objective_form_widgets(
        study,
        widgets=[
            ChoiceWidget(
                choices=["Bad", "So-so", "Good"],
                values=[-1, 0, 1],
                description="How beautiful is this sunset?",
            )
        ],
    )
    return study


def suggest_and_upload_sunset(
    trial: optuna.Trial, artifact_store: FileSystemArtifactStore
) -> tuple[tuple[int, int, int], str]:
    """Suggest the trial's RGB colour, render its sunset and upload it: (rgb, artifact id)."""
    rgb = (
        trial.suggest_int("red", 0, 255),
        trial.suggest_int("green", 0, 255),
        trial.suggest_int("blue", 0, 255),
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"sunset-{trial.number}.png"
        path.write_bytes(sunset_png(rgb))
        artifact_id = upload_artifact(
            artifact_store=artifact_store, file_path=str(path), study_or_trial=trial
        )
    return rgb, artifact_id


def generate_one(study: optuna.Study, artifact_store: FileSystemArtifactStore) -> None:
    """Ask a trial, render its sunset, upload it and write a note showing it."""
    trial = study.ask()
    rgb, artifact_id = suggest_and_upload_sunset(trial, artifact_store)
    trial.set_user_attr("artifact_id", artifact_id)
    save_note(
        trial,
        f"## Trial {trial.number}: RGB{rgb}\n\n"
        f"![sunset]({get_artifact_path(trial, artifact_id)})",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("storage", help="SQLite file path or storage URL")
    parser.add_argument("--artifact-dir", default="artifacts")
    parser.add_argument("--study-name", default="sunset")
    parser.add_argument("--n-running", type=int, default=4)
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between checks")
    parser.add_argument("--max-trials", type=int, default=0, help="stop after N trials (0: never)")
    args = parser.parse_args()

    storage = args.storage if "://" in args.storage else f"sqlite:///{args.storage}"
    Path(args.artifact_dir).mkdir(parents=True, exist_ok=True)
    artifact_store = FileSystemArtifactStore(args.artifact_dir)
    study = prepare_study(storage, args.study_name)
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    print(f"Keeping {args.n_running} trials of {args.study_name!r} running in {storage}")
    while True:
        trials = study.get_trials(deepcopy=False)
        if args.max_trials and len(trials) >= args.max_trials:
            return
        running = sum(t.state == TrialState.RUNNING for t in trials)
        for _ in range(args.n_running - running):
            generate_one(study, artifact_store)
        time.sleep(args.interval)


if __name__ == "__main__":
    main()
