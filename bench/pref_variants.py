"""Variants of PreferentialGPSampler for prefbench experiments (issue 16), e.g.:

    PYTHONPATH=bench .venv/bin/python ../shared/bench/prefbench.py run \\
      --sampler earlier=pref_variants:Earlier --problems sunset --sigmas 0.1 ...

Not part of the package; bench/preferential.md has their measurements.
"""

from __future__ import annotations

import math
from typing import Any

import gpytorch

from jupyterlab_optuna.preferential.samplers.gp import PreferentialGPSampler


def _wide_noise_prior() -> Any:
    return gpytorch.priors.LogNormalPrior(math.log(0.05), 1.5)


class WideRefit(PreferentialGPSampler):
    """The current refit policy under the earlier, wide noise prior (log-sd 1.5)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("noise_prior", _wide_noise_prior())
        super().__init__(**kwargs)


class Earlier(WideRefit):
    """The default before 2026-12-02: the wide noise prior, and 3 warm L-BFGS-B steps only
    once the preferences grew by a tenth since the last fit (in between, none)."""

    _fit_iters_warm = 3

    def _fit(self, coder: Any, X: Any, comparisons: Any, seed: int) -> Any:
        state = self._state
        if state is not None and state.signature == coder.signature():
            if len(comparisons) < 1.1 * state.n_fitted:
                n_fitted, state.n_fitted = state.n_fitted, len(comparisons)
                model = super()._fit(coder, X, comparisons, seed)  # no refit
                state.n_fitted = n_fitted
                return model
        return super()._fit(coder, X, comparisons, seed)


class ColdRefit(PreferentialGPSampler):
    """Hyperparameters fitted from the prior's start at every ask (as the peer does)."""

    def _fit(self, coder: Any, X: Any, comparisons: Any, seed: int) -> Any:
        self._state = None
        return super()._fit(coder, X, comparisons, seed)
