"""Variants of PreferentialGPSampler for prefbench experiments (issue 16), e.g.:

    PYTHONPATH=bench .venv/bin/python ../shared/bench/prefbench.py run \\
      --sampler earlier=pref_variants:Earlier --problems sunset --sigmas 0.1 ...

Not part of the package; bench/preferential.md has their measurements.
"""

from __future__ import annotations

import math
from typing import Any, ClassVar

import gpytorch
from botorch.models.utils.gpytorch_modules import get_covar_module_with_dim_scaled_prior

from jupyterlab_optuna.preferential.samplers._gp.likelihood import LOGIT_SLOPE
from jupyterlab_optuna.preferential.samplers._gp.model import covar_module, default_kernel
from jupyterlab_optuna.preferential.samplers.gp import PreferentialGPSampler


def _wide_noise_prior() -> Any:
    return gpytorch.priors.LogNormalPrior(math.log(0.05), 1.5)


class NarrowPrior(PreferentialGPSampler):
    """The default until 2026-12-02 (third session), and the base of the variants measured
    against it: Matérn-5/2 under BoTorch's dimension-scaled lengthscale prior, the output
    scale under a narrow prior on the person's noise (log-normal, median 0.05, log-sd 0.5),
    every stored pair one probit comparison."""

    _logit_slope = None

    def __init__(self, *, seed: int | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("noise_prior", gpytorch.priors.LogNormalPrior(math.log(0.05), 0.5))
        super().__init__(seed=seed, **kwargs)

    def _new_module(self, dim: int) -> Any:
        if self._kernel is not None:
            return super()._new_module(dim)
        kernel = get_covar_module_with_dim_scaled_prior(max(dim, 1), use_rbf_kernel=False)
        return covar_module(kernel.double(), self._noise_prior)


class Sparse(NarrowPrior):
    """3 warm L-BFGS-B steps only once the preferences grew by a tenth since the last fit."""

    _refit_growth = 1.1
    _fit_iters_warm = 3


class Refit5(NarrowPrior):
    """5 warm steps (instead of 10) at every ask with new preferences."""

    _fit_iters_warm = 5


class WideRefit(NarrowPrior):
    """The default's refits under the earlier, wide noise prior (log-sd 1.5)."""

    def __init__(self, *, seed: int | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("noise_prior", _wide_noise_prior())
        super().__init__(seed=seed, **kwargs)


class Earlier(WideRefit):
    """The default before 2026-12-02: the wide noise prior and sparse refits."""

    _refit_growth = 1.1
    _fit_iters_warm = 3


class ColdRefit(NarrowPrior):
    """Hyperparameters fitted from the prior's start at every ask (as the peer does)."""

    def _fit(self, coder: Any, X: Any, comparisons: Any, likelihood: Any, seed: int) -> Any:
        self._state = None
        return super()._fit(coder, X, comparisons, likelihood, seed)


class WideSearch(NarrowPrior):
    """4x the random and local candidates screened, 2x the candidates scored fully."""

    _search_options: ClassVar[dict[str, int]] = {"n_raw": 4096, "n_local": 4096, "n_screened": 64}


class NoisierPrior(NarrowPrior):
    """The default with the noise prior's median at 0.15 instead of 0.05 (same log-sd)."""

    def __init__(self, *, seed: int | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("noise_prior", gpytorch.priors.LogNormalPrior(math.log(0.15), 0.5))
        super().__init__(seed=seed, **kwargs)


def eubo_score(model: Any, X: Any, mean: Any) -> Any:
    """The peer's acquisition as a score of candidates (B, D): analytic EUBO of the pair
    (candidate, the compared point of highest posterior ``mean``)."""
    from botorch.acquisition.preference import AnalyticExpectedUtilityOfBestOption

    winner = X[int(mean.argmax())].unsqueeze(0)
    eubo = AnalyticExpectedUtilityOfBestOption(pref_model=model, previous_winner=winner)
    return lambda x: eubo(x.unsqueeze(1))


class Eubo(NarrowPrior):
    """The default's model with the peer's acquisition: analytic EUBO of a pair (the new
    point, the compared trial of highest posterior mean)."""

    def _acquisition(self, model: Any, X: Any, mean: Any, X_pending: Any, seed: int) -> Any:
        return eubo_score(model, X, mean)


class EuboNoisy(Eubo):
    """The peer's pairing of a model that assumes a noisy person (noise prior median 0.4,
    output scale about 1-7, as the peer's box of 1-4) with EUBO, in our model."""

    def __init__(self, *, seed: int | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("noise_prior", gpytorch.priors.LogNormalPrior(math.log(0.4), 0.5))
        super().__init__(seed=seed, **kwargs)


class EuboMid(Eubo):
    """EUBO with the noise prior's median at 0.15 (between the default's 0.05 and 0.4)."""

    def __init__(self, *, seed: int | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("noise_prior", gpytorch.priors.LogNormalPrior(math.log(0.15), 0.5))
        super().__init__(seed=seed, **kwargs)


def _peer_module(dim: int) -> Any:
    """PairwiseGP's default kernel module (BoTorch 0.18): RBF with ARD under Gamma(2.4, 2.7)
    lengthscale priors, output scale under a smoothed box on [0.01, 100], starting at 1 —
    the package's default since 2026-12-02 (third session)."""
    return covar_module(default_kernel(dim))


class PeerModel(Eubo):
    """The peer's model (kernel, priors, starting point) and acquisition, with our mode
    solver, warm refits and candidate search."""

    def _new_module(self, dim: int) -> Any:
        return _peer_module(dim)


class Pairs(PreferentialGPSampler):
    """The default, named for the runs that compare it with the choice likelihood: every
    stored pair one probit comparison (a click on the worst of k counted as k - 1
    independent comparisons), PairwiseGP's likelihood."""

    _logit_slope = None


class ChoiceUnitVariance(PreferentialGPSampler):
    """A click on the worst of k trials one Luce choice, with Gumbel noise of variance 1
    on each trial (logit slope π/√6), as PairwiseGP's probit has normal noise of
    variance 1."""

    _logit_slope = LOGIT_SLOPE


class ChoiceUnitSlope(PreferentialGPSampler):
    """The choice likelihood with logit slope 1: Gumbel noise of sd 1.28 on each trial."""

    _logit_slope = 1.0


class ChoiceSteepSlope(PreferentialGPSampler):
    """The choice likelihood with logit slope 1.702: Gumbel noise of sd 0.75 on each trial."""

    _logit_slope = 1.702


class PeerModelNei(Pairs):
    """The peer's model with our acquisition (log noisy EI with the pending trials): the
    default since 2026-12-02 (third session), kept under this name for the runs that use it."""


class ColdPeerModel(ColdRefit, PeerModel):
    """``PeerModel`` with the hyperparameters fitted from the prior's start at every ask
    (as the peer does)."""
