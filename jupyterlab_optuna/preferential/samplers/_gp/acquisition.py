"""Acquisition: log noisy expected improvement, and a cheap screen for it.

The score of a candidate x is ``log E[max(0, max(f(x), f(p_1..p_R)) - max_b f(b))]``
under the joint posterior, where the b are the compared points (the incumbent is
uncertain too: "noisy" EI integrates over which of them is best) and the p are trials
already generated but not compared yet. A candidate next to a pending trial adds little,
which keeps the trials shown together apart. It is BoTorch's q-log noisy expected
improvement for one candidate with the p as ``X_pending`` (same smoothing, same baseline
pruning), estimated from Monte Carlo samples of one joint posterior over a whole chunk
of candidates, the pending trials and the baseline: PairwiseGP would otherwise solve its
Laplace system once per candidate. The base draws are fixed by the seed, so the same
chunk of candidates always gets the same scores and an ask is reproducible.

The screen ranks many candidates by the analytic log expected improvement over the best
posterior mean, from marginal posteriors; only the best go to the full score.

Shapes: ``score`` and ``screen`` map candidates ``(B, D)`` to ``(B,)``.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import torch
from botorch.acquisition.utils import prune_inferior_points
from botorch.models.pairwise_gp import PairwiseGP
from botorch.utils.safe_math import fatmax, log_fatplus, logmeanexp
from torch import Tensor

_N_MC = 128
_TAU_RELU = 1e-6  # BoTorch's defaults for qLogNEI
_TAU_MAX = 1e-2
_LOG_SQRT_2PI = 0.5 * math.log(2 * math.pi)
_SQRT_HALF_PI = math.sqrt(math.pi / 2)

Score = Callable[[Tensor], Tensor]


def log_h(u: Tensor) -> Tensor:
    """log(φ(u) + u Φ(u)), the log expected improvement of a unit normal over -u."""
    neg = u < 0
    a = torch.where(neg, -u, torch.zeros_like(u))
    # For u < 0, φ(u) + uΦ(u) = φ(u)(1 - |u| Φ(u)/φ(u)) and Φ(u)/φ(u) = √(π/2) erfcx(|u|/√2):
    # no cancellation of two tiny numbers far in the tail.
    inner = (1 - a * _SQRT_HALF_PI * torch.special.erfcx(a / math.sqrt(2))).clamp_min(1e-300)
    left = -0.5 * u * u - _LOG_SQRT_2PI + torch.log(inner)
    up = torch.where(neg, torch.zeros_like(u), u)
    right = torch.log(torch.exp(-0.5 * up * up - _LOG_SQRT_2PI) + up * torch.special.ndtr(up))
    return torch.where(neg, left, right)


def log_noisy_improvement(
    model: PairwiseGP, baseline: Tensor, pending: Tensor | None, seed: int
) -> Score:
    """The full score of candidates ``(B, D)``; deterministic for a given ``seed``."""
    with torch.random.fork_rng():
        torch.manual_seed(seed)  # the pruning draws its own samples
        baseline = prune_inferior_points(model, baseline, num_samples=512)
    others = baseline if pending is None else torch.cat([pending, baseline])
    n_pending = 0 if pending is None else len(pending)

    def score(x: Tensor) -> Tensor:
        n = len(x)
        posterior = model.posterior(torch.cat([x, others.to(x)]))
        mvn = posterior.distribution
        root = mvn.lazy_covariance_matrix.root_decomposition().root.to_dense()
        generator = torch.Generator().manual_seed(seed)
        base = torch.randn(_N_MC, root.shape[-1], generator=generator, dtype=x.dtype)
        f = mvn.mean + base @ root.transpose(-1, -2)  # (S, B + R + N')
        best = f[:, n + n_pending :].max(dim=-1, keepdim=True).values  # (S, 1)
        gain = log_fatplus(f[:, :n] - best, tau=_TAU_RELU)  # (S, B)
        if n_pending:
            gain_pending = log_fatplus(f[:, n : n + n_pending] - best, tau=_TAU_RELU)
            joint = torch.cat(
                [gain.unsqueeze(-1), gain_pending.unsqueeze(1).expand(-1, n, -1)], dim=-1
            )
            gain = fatmax(joint, dim=-1, tau=_TAU_MAX)
        return logmeanexp(gain, dim=0)

    return score


def screen(model: PairwiseGP, best_mean: float) -> Score:
    """Analytic log expected improvement over ``best_mean``, from marginal posteriors."""

    def score(x: Tensor) -> Tensor:
        posterior = model.posterior(x)
        mean = posterior.mean.reshape(-1)
        sigma = posterior.variance.reshape(-1).clamp_min(1e-12).sqrt()
        return torch.log(sigma) + log_h((mean - best_mean) / sigma)

    return score
