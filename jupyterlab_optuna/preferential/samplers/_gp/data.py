"""From a study's trials and preferences to the model's data: the distinct compared
points of one search space, encoded, and the comparisons between them.

Notation as in :mod:`.model`: ``X`` (N, D) encoded points, ``comparisons`` (M, 2) rows
``(preferred, other)`` indexing ``X``; ``clicks`` (M,) labels the rows that are one
observation (one click: the same decision, the same worse point).
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
    clicks: np.ndarray


def in_space(trial: FrozenTrial, search_space: dict[str, BaseDistribution]) -> bool:
    """Whether ``trial`` has every parameter of the space, with the same distribution."""
    return all(
        name in trial.params and trial.distributions[name] == dist
        for name, dist in search_space.items()
    )


def compared_points(
    trials: Sequence[FrozenTrial],
    decisions: Sequence[Sequence[tuple[int, int]]],
    search_space: dict[str, BaseDistribution],
    coder: SearchSpaceCoder,
) -> Compared | None:
    """The distinct compared points and the comparisons among them, or None if no
    comparison of two different points of the space remains.

    ``decisions`` holds the stored (better, worse) pairs of trial numbers, one list per
    decision; the pairs of one decision with the same worse point get one label in
    ``Compared.clicks``. A trial repeating another's params is the same point; a pair with a
    trial outside the space (or unknown) is left out.
    """
    row_of: dict[int, int] = {}
    rows: dict[bytes, int] = {}
    points: list[np.ndarray] = []
    for number in sorted({n for decision in decisions for pair in decision for n in pair}):
        if number >= len(trials) or not in_space(trials[number], search_space):
            continue
        x = coder.encode([trials[number].params])[0]
        key = np.round(x, 9).tobytes()
        if key not in rows:
            rows[key] = len(points)
            points.append(x)
        row_of[number] = rows[key]
    kept = [
        (row_of[b], row_of[w], label)
        for label, decision in enumerate(decisions)
        for b, w in decision
        if b in row_of and w in row_of and row_of[b] != row_of[w]
    ]
    if not kept:
        return None
    comparisons = np.array([(b, w) for b, w, _ in kept], dtype=np.int64)
    ids: dict[tuple[int, int], int] = {}
    clicks = np.array([ids.setdefault((label, w), len(ids)) for _, w, label in kept])
    return Compared(np.array(points), comparisons, row_of, clicks)
