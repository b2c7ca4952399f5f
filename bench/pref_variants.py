"""Variants of PreferentialGPSampler for prefbench experiments (issue 16), e.g.:

    .venv/bin/python ../shared/bench/prefbench.py run \\
      --sampler eubo=pref_variants:EUBO --problems sunset --sigmas 0.1 ...

(run with ``PYTHONPATH=bench``). Not part of the package.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jupyterlab_optuna.preferential.samplers._gp.acquisition import log_best_option_gain
from jupyterlab_optuna.preferential.samplers.gp import PreferentialGPSampler


class EUBO(PreferentialGPSampler):
    """Expected gain of the best option on the next screen over the incumbent and pending."""

    def _acquisition(self, model: Any, X: Any, mean: np.ndarray, X_pending: Any, seed: int) -> Any:
        return log_best_option_gain(model, X[int(np.argmax(mean))].unsqueeze(0), X_pending, seed)


class Refit(PreferentialGPSampler):
    """Hyperparameters refitted (10 warm L-BFGS-B steps) at every ask."""

    _refit_growth = 1.0
    _fit_iters_warm = 10


class EUBORefit(EUBO):
    _refit_growth = 1.0
    _fit_iters_warm = 10
