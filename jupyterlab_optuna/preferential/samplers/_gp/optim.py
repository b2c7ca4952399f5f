"""Maximise a score over a mixed search space without enumerating it.

1. Screen many points with a cheap score: uniform random ones and Gaussian
   perturbations of the best points seen so far (categoricals re-drawn now and then).
2. Score the best of them fully; polish the few best with L-BFGS-B over the numeric
   columns (one-hot columns held).
3. Round to valid parameters and keep the best that does not repeat an existing trial.

Shapes: points are numpy (n, D) in the encoded unit cube; ``score`` maps a torch
(B, D) tensor to (B,).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import scipy.optimize
import torch
from torch import Tensor

from jupyterlab_optuna.preferential.samplers._gp.search_space import SearchSpaceCoder

Score = Callable[[Tensor], Tensor]


def _evaluate(score: Score, x: np.ndarray, chunk: int = 64) -> np.ndarray:
    with torch.no_grad():
        out = [score(torch.from_numpy(x[i : i + chunk])) for i in range(0, len(x), chunk)]
    values = torch.cat(out).numpy()
    return np.where(np.isfinite(values), values, -np.inf)


def _polish(score: Score, starts: np.ndarray, columns: np.ndarray, maxiter: int) -> np.ndarray:
    """L-BFGS-B on the ``columns`` of every start at once (their scores are summed)."""
    if len(columns) == 0 or maxiter <= 0:
        return starts
    base = torch.from_numpy(starts.copy())
    cols = torch.from_numpy(columns)

    def f(flat: np.ndarray) -> tuple[float, np.ndarray]:
        free = torch.from_numpy(flat.reshape(len(starts), len(columns))).requires_grad_(True)
        x = base.clone()
        x[:, cols] = free
        values = score(x)
        total = -values[torch.isfinite(values)].sum()
        if not total.requires_grad:
            return 0.0, np.zeros_like(flat)
        total.backward()
        grad = free.grad.numpy().ravel()  # type: ignore[union-attr]
        return float(total.detach()), np.nan_to_num(grad)

    x0 = starts[:, columns].ravel()
    try:
        result = scipy.optimize.minimize(
            f, x0, jac=True, method="L-BFGS-B", bounds=[(0.0, 1.0)] * len(x0),
            options={"maxiter": maxiter},
        )  # fmt: skip
        polished = starts.copy()
        polished[:, columns] = np.clip(result.x.reshape(len(starts), len(columns)), 0, 1)
        return polished
    except (ValueError, RuntimeError, np.linalg.LinAlgError):
        return starts


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
    n_starts: int = 3,
    maxiter: int = 25,
) -> np.ndarray | None:
    """The best valid encoded point found (D,), or None if no candidate scored finite.

    ``screen`` is a cheap stand-in for ``score`` that ranks the random candidates; only
    the ``n_screened`` best of them are scored, and the ``n_starts`` best polished.
    """
    raw = [coder.sample(rng, n_raw)]
    if len(centres) and n_local:
        scales = rng.choice([0.01, 0.04, 0.15], size=(n_local, 1))
        raw.append(coder.perturb(rng, centres, n_local, scales))
    candidates = np.concatenate(raw)
    screened = candidates[np.argsort(-_evaluate(screen, candidates, chunk=256))[:n_screened]]
    values = _evaluate(score, screened)
    starts = screened[np.argsort(-values)[:n_starts]]
    polished = coder.round(_polish(score, starts, coder.continuous, maxiter))
    pool = np.concatenate([polished, coder.round(screened)])
    pool_values = _evaluate(score, pool)
    for i in np.argsort(-pool_values):
        if not np.isfinite(pool_values[i]):
            break
        if len(existing) == 0 or np.abs(existing - pool[i]).max(axis=1).min() > 1e-9:
            return pool[i]
    return None
