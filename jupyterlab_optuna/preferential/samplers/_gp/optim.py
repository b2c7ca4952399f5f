"""Maximise a score over a mixed search space without enumerating it.

1. Screen many points with a cheap score: uniform random ones and Gaussian
   perturbations of the best points seen so far (categoricals re-drawn now and then).
2. Round the best of them to valid parameters and score them fully; score small steps
   around the few best too (a gradient-free polish: a few chunked posterior calls cost
   less than the many single evaluations of a gradient method).
3. Keep the best that does not repeat an existing trial.

Shapes: points are numpy (n, D) in the encoded unit cube; ``score`` maps a torch
(B, D) tensor to (B,).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch
from torch import Tensor

from jupyterlab_optuna.preferential.samplers._gp.search_space import SearchSpaceCoder

Score = Callable[[Tensor], Tensor]


def _evaluate(score: Score, x: np.ndarray, chunk: int = 64) -> np.ndarray:
    with torch.no_grad():
        out = [score(torch.from_numpy(x[i : i + chunk])) for i in range(0, len(x), chunk)]
    values = torch.cat(out).numpy()
    return np.where(np.isfinite(values), values, -np.inf)


def maximize(
    score: Score,
    screen: Score,
    coder: SearchSpaceCoder,
    rng: np.random.RandomState,
    centres: np.ndarray,
    existing: np.ndarray,
    *,
    n_raw: int = 1024,
    n_local: int = 1024,
    n_screened: int = 32,
    n_starts: int = 4,
    n_refine: int = 128,
) -> np.ndarray | None:
    """The best valid encoded point found (D,), or None if no candidate scored finite.

    ``screen`` is a cheap stand-in for ``score`` that ranks the random candidates; only
    the ``n_screened`` best of them are scored, and ``n_refine`` small steps around the
    ``n_starts`` best are scored too.
    """
    raw = [coder.sample(rng, n_raw)]
    if len(centres) and n_local:
        scales = rng.choice([0.01, 0.04, 0.15], size=(n_local, 1))
        raw.append(coder.perturb(rng, centres, n_local, scales))
    candidates = np.concatenate(raw)
    screen_values = _evaluate(screen, candidates, chunk=128)
    order = np.argsort(-screen_values)[:n_screened]
    screened = coder.round(candidates[order])
    values = _evaluate(score, screened)
    starts = screened[np.argsort(-values)[:n_starts]]
    # Step lengths over two decades and a half: a continuous parameter is refined well
    # below the spacing of the screened points.
    steps = rng.choice([0.0003, 0.001, 0.003, 0.01, 0.03], size=(n_refine, 1))
    refined = coder.round(coder.perturb(rng, starts, n_refine, steps))
    pool = np.concatenate([screened, refined])
    pool_values = np.concatenate([values, _evaluate(score, refined, chunk=n_refine)])
    for i in np.argsort(-pool_values):
        if not np.isfinite(pool_values[i]):
            break
        if len(existing) == 0 or np.abs(existing - pool[i]).max(axis=1).min() > 1e-9:
            return pool[i]
    return None
