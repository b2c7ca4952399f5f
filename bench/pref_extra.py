"""prefbench.py on problems that are not in the shared harness.

The preferential sampler was developed against the harness's two problems (the sunset
colour and Branin). This runs the same simulated person on two more, to check that what
was learnt there holds elsewhere:

* ``hartmann6``: six floats in [0, 1]; the utility is the Hartmann 6-D function
  (maximum 3.32237), a standard multimodal test function in more dimensions.
* ``mixed``: the knobs of an image generator: a log-scaled float, an int, a stepped float
  and a categorical (4 choices), with a smooth utility and a best choice per category.
  optuna-dashboard can neither enumerate this space nor search its categorical
  continuously (it warns and keeps going).

The shared harness is imported from ``../shared/bench`` beside the checkout. Usage (from
the repository root; arguments as ``prefbench.py run``):

    .venv/bin/python bench/pref_extra.py run --problems hartmann6,mixed \\
      --sampler ours=jupyterlab_optuna.preferential.samplers.gp:PreferentialGPSampler ...
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "shared" / "bench"))

import prefbench

_HARTMANN_A = np.array(
    [
        [10, 3, 17, 3.5, 1.7, 8],
        [0.05, 10, 17, 0.1, 8, 14],
        [3, 3.5, 1.7, 10, 17, 8],
        [17, 8, 0.05, 10, 0.1, 14],
    ]
)
_HARTMANN_P = 1e-4 * np.array(
    [
        [1312, 1696, 5569, 124, 8283, 5886],
        [2329, 4135, 8307, 3736, 1004, 9991],
        [2348, 1451, 3522, 2883, 3047, 6650],
        [4047, 8828, 8732, 5743, 1091, 381],
    ]
)
_HARTMANN_ALPHA = np.array([1.0, 1.2, 3.0, 3.2])
_HARTMANN_ARGMAX = [0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573]


class Hartmann6(prefbench.Problem):
    name = "hartmann6"
    description = "x0..x5 float [0,1]; u = Hartmann-6 (max 3.32237, known)"
    names = tuple(f"x{i}" for i in range(6))

    def suggest(self, trial: Any) -> dict[str, Any]:
        return {name: trial.suggest_float(name, 0.0, 1.0) for name in self.names}

    def utility_batch(self, cols: dict[str, np.ndarray]) -> np.ndarray:
        x = np.stack([np.asarray(cols[name], float) for name in self.names], axis=-1)
        inner = ((x[:, None, :] - _HARTMANN_P) ** 2 * _HARTMANN_A).sum(-1)
        return (_HARTMANN_ALPHA * np.exp(-inner)).sum(-1)

    def random_cols(self, rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
        return {name: rng.uniform(0.0, 1.0, n) for name in self.names}

    def extra_points(self) -> list[dict[str, Any]]:
        return [dict(zip(self.names, _HARTMANN_ARGMAX, strict=True))]

    def known_max(self) -> float | None:
        return 3.32237


_SCHEDULERS = ["euler", "ddim", "dpm", "heun"]
_SCHEDULER_BONUS = {"euler": 0.0, "ddim": -0.3, "dpm": 0.4, "heun": 0.1}


class Mixed(prefbench.Problem):
    name = "mixed"
    description = (
        "lr log-float [1e-4,1], steps int [1,64], guidance float step 0.5 [1,15], "
        "scheduler categorical (4); smooth utility, a bonus per scheduler"
    )

    def suggest(self, trial: Any) -> dict[str, Any]:
        return {
            "lr": trial.suggest_float("lr", 1e-4, 1.0, log=True),
            "steps": trial.suggest_int("steps", 1, 64),
            "guidance": trial.suggest_float("guidance", 1.0, 15.0, step=0.5),
            "scheduler": trial.suggest_categorical("scheduler", _SCHEDULERS),
        }

    def utility_batch(self, cols: dict[str, np.ndarray]) -> np.ndarray:
        lr = np.log10(np.asarray(cols["lr"], float))
        steps = np.asarray(cols["steps"], float)
        guidance = np.asarray(cols["guidance"], float)
        bonus = np.array([_SCHEDULER_BONUS[s] for s in np.asarray(cols["scheduler"])])
        return (
            -((lr + 2.3) ** 2) / 2
            - ((steps - 37) / 24) ** 2
            - ((guidance - 7.5) / 5) ** 2
            + 0.3 * np.sin(3 * lr) * np.cos(guidance / 3)
            + bonus
        )

    def known_max(self) -> float | None:
        # lr and guidance interact, steps (best 37) and the scheduler add on: a fine grid
        # in log10(lr) by every allowed guidance finds the maximum to about 1e-8.
        lr = np.linspace(-4.0, 0.0, 20001)[:, None]
        guidance = (np.arange(29) * 0.5 + 1.0)[None, :]
        coupled = (
            -((lr + 2.3) ** 2) / 2
            - ((guidance - 7.5) / 5) ** 2
            + 0.3 * np.sin(3 * lr) * np.cos(guidance / 3)
        )
        return float(coupled.max()) + max(_SCHEDULER_BONUS.values())

    def random_cols(self, rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
        return {
            "lr": 10 ** rng.uniform(-4, 0, n),
            "steps": rng.integers(1, 65, n),
            "guidance": rng.integers(0, 29, n) * 0.5 + 1.0,
            "scheduler": rng.choice(_SCHEDULERS, n),
        }


prefbench.PROBLEMS["hartmann6"] = Hartmann6
prefbench.PROBLEMS["mixed"] = Mixed

if __name__ == "__main__":
    sys.exit(prefbench.main())
