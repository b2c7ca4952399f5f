"""The likelihood of a click: the person saw k trials and named the worst of them.

A click on "the worst of k" is stored as k - 1 pairs (every other trial preferred to the
clicked one). Read as k - 1 independent comparisons, one click counts k - 1 times and its
noise is never shared: a person who misjudged the clicked trial misjudged it against all
the others at once. Here the click is one observation of a Luce choice (logit noise on
each trial's perceived utility):

    P(w is the worst of S) = exp(-c f_w) / Σ_{j ∈ S} exp(-c f_j)
                           = 1 / (1 + Σ_{m} exp(-c z_m)),   z_m = f_{o_m} - f_w,

where the o_m are the other trials of the click; for k = 2 it is the logit comparison
logistic(c z). It is the choice of a person who perceives each trial's utility with Gumbel noise
of scale 1/c. PairwiseGP's probit says the noise on each trial is normal with unit
variance; with c = π/√6 the Gumbel noise has unit variance too, so the utility's scale
(and the prior on the output scale) mean the same person as there.

Notation as in :mod:`.model`: ``D`` (M, n) has one row per stored pair (+1 for the
preferred point, -1 for the other) and ``clicks`` (M,) says which click each row is of;
rows of one click share their "other" (worse) point.
"""

from __future__ import annotations

import math

import torch
from botorch.models.likelihoods.pairwise import PairwiseLikelihood
from torch import Tensor

# Gumbel noise of unit variance on each trial's perceived utility, as PairwiseGP's probit.
LOGIT_SLOPE = math.pi / math.sqrt(6)
# The slope of the sampler's and the Analytics page's model; None: PairwiseGP's probit per
# pair. The choice likelihood (slopes 1, π/√6, 1.702) learnt no better than the probit pairs
# on the preferential benchmark and is not the default (bench/preferential.md).
DEFAULT_SLOPE: float | None = None


class WorstOfChoiceLikelihood(PairwiseLikelihood):
    """Luce choice likelihood of the clicks behind the rows of ``D``.

    Args:
        clicks: (M,) integer tensor, the click of each comparison row (any labels).
        slope: ``c``, the reciprocal of the Gumbel noise's scale.
    """

    def __init__(self, clicks: Tensor, slope: float = LOGIT_SLOPE) -> None:
        super().__init__()
        self.slope = slope
        _, self.clicks = torch.unique(clicks.reshape(-1), return_inverse=True)
        self.n_clicks = int(self.clicks.max()) + 1 if len(self.clicks) else 0

    def _terms(self, utility: Tensor, D: Tensor) -> tuple[Tensor, Tensor]:
        """Per click the log-likelihood (G,), and per row its weight ``q_m`` (M,): the
        probability that the choice went to the row's preferred point instead."""
        if utility.dim() != 1:
            raise ValueError("WorstOfChoiceLikelihood supports unbatched utilities only.")
        if D.shape[0] != len(self.clicks):
            raise ValueError(f"D has {D.shape[0]} rows for {len(self.clicks)} click labels.")
        neg_z = -self.slope * (D.to(utility) @ utility)
        # log(1 + Σ exp(-z)) per click, shifted by the click's largest term for stability
        top = torch.zeros(self.n_clicks, dtype=utility.dtype).scatter_reduce(
            0, self.clicks, neg_z.detach(), reduce="amax", include_self=True
        )
        terms = torch.exp(neg_z - top[self.clicks])
        total = torch.exp(-top).index_add(0, self.clicks, terms)
        return -(top + torch.log(total)), terms / total[self.clicks]

    def log_p(self, utility: Tensor, D: Tensor) -> Tensor:
        return self._terms(utility, D)[0]

    def p(self, utility: Tensor, D: Tensor) -> Tensor:
        return torch.exp(self.log_p(utility, D))

    def negative_log_gradient_sum(self, utility: Tensor, D: Tensor) -> Tensor:
        _, q = self._terms(utility, D)
        return -self.slope * (q @ D.to(utility))

    def negative_log_hessian_sum(self, utility: Tensor, D: Tensor) -> Tensor:
        # Per click, the Hessian in z of log(1 + Σ exp(-c z)) is c² (diag(q) - q qᵀ).
        _, q = self._terms(utility, D)
        D = D.to(utility)
        per_click = torch.zeros(self.n_clicks, D.shape[1], dtype=utility.dtype).index_add(
            0, self.clicks, q.unsqueeze(-1) * D
        )
        hessian = (D.transpose(-1, -2) * q) @ D - per_click.transpose(-1, -2) @ per_click
        return self.slope**2 * hessian


def click_likelihood(clicks: Tensor, slope: float | None) -> WorstOfChoiceLikelihood | None:
    """The likelihood :func:`.model.fit_model` takes for comparisons labelled by ``clicks``:
    a choice per click of the given ``slope``, or None (each pair one probit comparison)."""
    return None if slope is None else WorstOfChoiceLikelihood(clicks, slope)
