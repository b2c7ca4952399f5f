"""From a study's trials and preferences to the model's data: the distinct compared
points of one search space, encoded, and the comparisons between them.

Notation as in :mod:`.model`: ``X`` (N, D) encoded points, ``comparisons`` (M, 2) rows
``(preferred, other)`` indexing ``X``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from optuna.distributions import BaseDistribution
from optuna.trial import FrozenTrial

from jupyterlab_optuna.preferential.samplers._gp.search_space import SearchSpaceCoder


@dataclass(frozen=True)
class Compared:
    """The model's data, with the row of ``X`` each compared trial number maps to."""

    X: np.ndarray
    comparisons: np.ndarray
    row_of: dict[int, int]


def in_space(trial: FrozenTrial, search_space: dict[str, BaseDistribution]) -> bool:
    """Whether ``trial`` has every parameter of the space, with the same distribution."""
    return all(
        name in trial.params and trial.distributions[name] == dist
        for name, dist in search_space.items()
    )


def compared_points(
    trials: Sequence[FrozenTrial],
    pairs: Sequence[tuple[int, int]],
    search_space: dict[str, BaseDistribution],
    coder: SearchSpaceCoder,
) -> Compared | None:
    """The distinct compared points and the comparisons among them, or None if no
    comparison of two different points of the space remains.

    A trial repeating another's params is the same point; a pair with a trial outside the
    space (or unknown) is left out.
    """
    row_of: dict[int, int] = {}
    rows: dict[bytes, int] = {}
    points: list[np.ndarray] = []
    for number in sorted({n for pair in pairs for n in pair}):
        if number >= len(trials) or not in_space(trials[number], search_space):
            continue
        x = coder.encode([trials[number].params])[0]
        key = np.round(x, 9).tobytes()
        if key not in rows:
            rows[key] = len(points)
            points.append(x)
        row_of[number] = rows[key]
    kept = [(row_of[b], row_of[w]) for b, w in pairs if b in row_of and w in row_of]
    kept = [(b, w) for b, w in kept if b != w]
    if not kept:
        return None
    return Compared(np.array(points), np.array(kept, dtype=np.int64), row_of)
