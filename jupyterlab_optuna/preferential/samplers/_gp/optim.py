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
import scipy.optimize
import torch
from torch import Tensor

from jupyterlab_optuna.preferential.samplers._gp.search_space import SearchSpaceCoder

Score = Callable[[Tensor], Tensor]


def _evaluate(score: Score, x: np.ndarray, chunk: int = 64, alone: bool = False) -> np.ndarray:
    """Scores of the points ``x``, in chunks; ``alone``: each point in a posterior of its
    own (see :mod:`.acquisition`)."""
    with torch.no_grad():
        out = []
        for i in range(0, len(x), chunk):
            part = torch.from_numpy(x[i : i + chunk])
            out.append(score(part.unsqueeze(1) if alone else part))
    values = torch.cat(out).numpy()
    return np.where(np.isfinite(values), values, -np.inf)


def _polish(score: Score, coder: SearchSpaceCoder, starts: np.ndarray, iters: int) -> np.ndarray:
    """``starts`` moved uphill on ``score`` by L-BFGS-B over their numeric columns (each
    start scored alone, so their gradients are independent), then rounded to valid
    parameters. Returns ``starts`` unchanged where the score has no usable gradient."""
    cols = torch.from_numpy(coder.continuous)
    if not len(cols) or not len(starts):
        return starts
    fixed = torch.from_numpy(starts)
    shape = (len(starts), len(cols))

    def objective(flat: np.ndarray) -> tuple[float, np.ndarray]:
        moved = torch.from_numpy(flat).reshape(shape).requires_grad_(True)
        x = fixed.index_put((slice(None), cols), moved)
        total = -score(x.unsqueeze(1)).sum()
        if not bool(torch.isfinite(total)):
            raise FloatingPointError("non-finite acquisition")
        total.backward()
        return float(total), moved.grad.numpy().ravel()

    try:
        result = scipy.optimize.minimize(
            objective,
            starts[:, coder.continuous].ravel(),
            jac=True,
            method="L-BFGS-B",
            bounds=[(0.0, 1.0)] * (shape[0] * shape[1]),
            options={"maxiter": iters},
        )
    except (FloatingPointError, RuntimeError, ValueError):
        return starts
    polished = starts.copy()
    polished[:, coder.continuous] = np.clip(result.x.reshape(shape), 0.0, 1.0)
    return coder.round(polished)


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
    polish_iters: int = 0,
    alone: bool = False,
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
    values = _evaluate(score, screened, alone=alone)
    starts = screened[np.argsort(-values)[:n_starts]]
    if polish_iters:
        polished = _polish(score, coder, starts, polish_iters)
        screened = np.concatenate([screened, polished])
        values = np.concatenate([values, _evaluate(score, polished, alone=alone)])
        starts = screened[np.argsort(-values)[:n_starts]]
    # Step lengths over two decades and a half: a continuous parameter is refined well
    # below the spacing of the screened points.
    steps = rng.choice([0.0003, 0.001, 0.003, 0.01, 0.03], size=(n_refine, 1))
    refined = coder.round(coder.perturb(rng, starts, n_refine, steps))
    pool = np.concatenate([screened, refined])
    pool_values = np.concatenate(
        [values, _evaluate(score, refined, chunk=n_refine, alone=alone)]
    )
    for i in np.argsort(-pool_values):
        if not np.isfinite(pool_values[i]):
            break
        if len(existing) == 0 or np.abs(existing - pool[i]).max(axis=1).min() > 1e-9:
            return pool[i]
    return None
