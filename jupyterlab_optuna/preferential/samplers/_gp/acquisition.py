"""Acquisition: BoTorch's q-log noisy expected improvement, and a cheap screen for it.

The score of a candidate x is ``log E[max(0, max(f(x), f(p_1..p_R)) - max_b f(b))]``
under the joint posterior, where the b are the compared points (the incumbent is
uncertain too: "noisy" EI integrates over which of them is best) and the p are trials
already generated but not compared yet (BoTorch's ``X_pending``). A candidate next to a
pending trial adds little, which keeps the trials shown together apart.

PairwiseGP evaluates a q-batch per candidate, which is slow for thousands of them; the
screen ranks many candidates by the analytic log expected improvement over the best
posterior mean, from one joint posterior call, and only the best go to the full score.

Shapes: ``score`` and ``screen`` map candidates ``(B, D)`` to ``(B,)``.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import torch
from botorch.acquisition.logei import qLogNoisyExpectedImprovement
from botorch.models.pairwise_gp import PairwiseGP
from botorch.sampling.normal import SobolQMCNormalSampler
from torch import Tensor

_N_MC = 128
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


def expected_gain(model: PairwiseGP, baseline: Tensor, pending: Tensor | None, seed: int) -> Score:
    """The full score of candidates ``(B, D)``; deterministic for a given ``seed``."""
    with torch.random.fork_rng():
        torch.manual_seed(seed)  # prune_baseline draws its own samples
        acqf = qLogNoisyExpectedImprovement(
            model,
            X_baseline=baseline,
            sampler=SobolQMCNormalSampler(torch.Size([_N_MC]), seed=seed),
            X_pending=pending,
            prune_baseline=True,
            cache_root=False,
        )

    def score(x: Tensor) -> Tensor:
        return acqf(x.unsqueeze(-2))

    return score


def screen(model: PairwiseGP, best_mean: float) -> Score:
    """Analytic log expected improvement over ``best_mean``, from marginal posteriors."""

    def score(x: Tensor) -> Tensor:
        posterior = model.posterior(x)
        mean = posterior.mean.reshape(-1)
        sigma = posterior.variance.reshape(-1).clamp_min(1e-12).sqrt()
        return torch.log(sigma) + log_h((mean - best_mean) / sigma)

    return score
