"""Parameters ↔ points of the unit cube the GP works in.

Notation: a search space of P parameters is encoded into D ≥ P columns in [0, 1].

* float: one column, linear in the value (in log(value) when ``log``);
* int / stepped float: one column over ``[low - step/2, high + step/2]`` (log-int likewise
  in log space) so every allowed value owns an equal slice; decoding rounds to the grid;
* categorical with C choices: C one-hot columns (a valid point has exactly one 1).

Arrays are numpy ``float64``: ``encode`` gives ``(n, D)``, ``decode`` takes ``(D,)``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from optuna.distributions import (
    BaseDistribution,
    CategoricalDistribution,
    FloatDistribution,
    IntDistribution,
)


@dataclass(frozen=True)
class _Column:
    name: str
    dist: BaseDistribution
    start: int  # first encoded column
    width: int  # 1, or the number of choices of a categorical
    lo: float = 0.0  # encoded interval of a numeric parameter, before scaling to [0, 1]
    hi: float = 1.0


class SearchSpaceCoder:
    """Encode and decode the parameters of one (fixed) search space."""

    def __init__(self, search_space: dict[str, BaseDistribution]) -> None:
        columns: list[_Column] = []
        start = 0
        for name, dist in sorted(search_space.items()):
            if isinstance(dist, CategoricalDistribution):
                columns.append(_Column(name, dist, start, len(dist.choices)))
                start += len(dist.choices)
                continue
            if not isinstance(dist, (FloatDistribution, IntDistribution)):
                raise TypeError(f"Unsupported distribution {type(dist).__name__} of {name!r}.")
            low, high = float(dist.low), float(dist.high)
            step = None if dist.step is None else float(dist.step)
            if step is not None:
                low, high = low - step / 2, high + step / 2
            if dist.log:
                low, high = math.log(max(low, 1e-300)), math.log(high)
            columns.append(_Column(name, dist, start, 1, low, high))
            start += 1
        self.columns = columns
        self.dim = start
        self.names = [c.name for c in columns]
        # Columns that gradient steps may move (all but the one-hot ones).
        self.continuous = np.array(
            [c.start for c in columns if not isinstance(c.dist, CategoricalDistribution)],
            dtype=int,
        )

    def signature(self) -> tuple[Any, ...]:
        """Equal for equal search spaces (to know when a fitted model still applies)."""
        return tuple((c.name, repr(c.dist)) for c in self.columns)

    def encode(self, params_list: list[dict[str, Any]]) -> np.ndarray:
        out = np.zeros((len(params_list), self.dim))
        for i, params in enumerate(params_list):
            for c in self.columns:
                value = params[c.name]
                if isinstance(c.dist, CategoricalDistribution):
                    out[i, c.start + c.dist.to_internal_repr(value)] = 1.0
                    continue
                v = math.log(value) if c.dist.log else float(value)
                out[i, c.start] = (v - c.lo) / (c.hi - c.lo) if c.hi > c.lo else 0.5
        return np.clip(out, 0.0, 1.0)

    def decode(self, x: np.ndarray) -> dict[str, Any]:
        params: dict[str, Any] = {}
        for c in self.columns:
            if isinstance(c.dist, CategoricalDistribution):
                index = int(np.argmax(x[c.start : c.start + c.width]))
                params[c.name] = c.dist.to_external_repr(index)
                continue
            v = c.lo + float(np.clip(x[c.start], 0.0, 1.0)) * (c.hi - c.lo)
            if c.dist.log:
                v = math.exp(v)
            params[c.name] = _to_grid(c.dist, v)
        return params

    def round(self, x: np.ndarray) -> np.ndarray:
        """The encoding of the parameters ``x`` decodes to (``x`` of shape (n, D))."""
        return self.encode([self.decode(row) for row in x])

    def sample(self, rng: np.random.RandomState, n: int) -> np.ndarray:
        """``n`` uniformly random valid points, shape (n, D)."""
        x = rng.uniform(size=(n, self.dim))
        for c in self.columns:
            if isinstance(c.dist, CategoricalDistribution):
                block = np.zeros((n, c.width))
                block[np.arange(n), rng.randint(c.width, size=n)] = 1.0
                x[:, c.start : c.start + c.width] = block
        return x

    def perturb(
        self, rng: np.random.RandomState, centres: np.ndarray, n: int, scale: np.ndarray
    ) -> np.ndarray:
        """``n`` valid points near random rows of ``centres``: Gaussian steps of ``scale``
        (per column) on numeric columns, each categorical re-drawn with probability 1/P."""
        x = centres[rng.randint(len(centres), size=n)].copy()
        noise = rng.normal(size=(n, self.dim)) * scale
        x[:, self.continuous] = np.clip(
            x[:, self.continuous] + noise[:, self.continuous], 0.0, 1.0
        )
        p_flip = 1.0 / max(len(self.columns), 1)
        for c in self.columns:
            if isinstance(c.dist, CategoricalDistribution):
                flip = rng.uniform(size=n) < p_flip
                block = np.zeros((int(flip.sum()), c.width))
                block[np.arange(len(block)), rng.randint(c.width, size=len(block))] = 1.0
                x[flip, c.start : c.start + c.width] = block
        return x


def _to_grid(dist: FloatDistribution | IntDistribution, v: float) -> Any:
    low, high = dist.low, dist.high
    if dist.step is not None:
        k = round((v - low) / dist.step)
        v = low + k * dist.step
    v = min(max(v, low), high)
    if isinstance(dist, IntDistribution):
        return round(v)
    if dist.step is not None:
        # Snap to the grid in decimal, as optuna does, so 0.1 * 3 is 0.3.
        v = float(np.round(v, 12))
        v = min(max(v, low), high)
    return float(v)
