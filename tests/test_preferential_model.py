"""The preference model finds the posterior mode of the utility, also where BoTorch's
``PairwiseGP`` alone does not."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("botorch")

import torch
from botorch.models.utils.gpytorch_modules import get_covar_module_with_dim_scaled_prior

from jupyterlab_optuna.preferential.samplers._gp.model import covar_module, fit_model

# Recorded from a benchmark run (sunset colour, a noise-free person, 45 clicks; the model
# then had a Matérn-5/2 kernel): the 46 compared points, their 129 preferences, the
# hyperparameters of that ask and its seed.
# From the seeded start, PairwiseGP's fsolve stopped where the gradient of the negative
# log posterior was 7.8.
CASE = Path(__file__).parent / "data" / "pairwise_mode_case.npz"


def fitted(seed: int) -> torch.Tensor:
    case = np.load(CASE)
    X = torch.from_numpy(case["X"])
    kernel = get_covar_module_with_dim_scaled_prior(X.shape[-1], use_rbf_kernel=False)
    module = covar_module(kernel.double())
    module.outputscale = float(case["outputscale"])
    module.base_kernel.lengthscale = torch.from_numpy(case["lengthscale"])
    model = fit_model(X, torch.from_numpy(case["comparisons"]), module, 0, seed)
    with torch.no_grad():
        utility = model.utility.detach()
        gradient = model._grad_posterior_f(utility, model.datapoints, model.D, model.covar_chol)
    assert float(gradient.abs().max()) < 1e-6
    return utility


def test_the_posterior_mode_is_found_from_any_start() -> None:
    recorded = fitted(int(np.load(CASE)["seed"]))
    for seed in range(3):
        torch.testing.assert_close(fitted(seed), recorded, atol=1e-6, rtol=0)


def test_the_mode_solve_minimises_the_function_pairwisegp_differentiates() -> None:
    """The line search's likelihood has PairwiseGP's gradient, and the Newton steps its
    exact Hessian, also for comparisons past PairwiseGP's clamp of z at ±3."""
    from botorch.models.likelihoods.pairwise import PairwiseProbitLikelihood

    from jupyterlab_optuna.preferential.samplers._gp.model import (
        _log_likelihood,
        _negative_log_likelihood_hessian,
    )

    likelihood = PairwiseProbitLikelihood()
    f = torch.tensor([6.0, -1.0, 0.5, 2.0, -4.0], dtype=torch.float64)
    pairs = [(0, 4), (1, 2), (3, 1), (2, 0), (3, 4)]  # 0 over 4 and 2 over 0: past the clamp
    D = torch.zeros(len(pairs), len(f), dtype=torch.float64)
    for row, (winner, loser) in enumerate(pairs):
        D[row, winner], D[row, loser] = 1.0, -1.0
    z = (D @ f) / 2**0.5
    assert float(z.max()) > 3 and float(z.min()) < -3

    x = f.clone().requires_grad_(True)
    (-_log_likelihood(likelihood, x, D)).backward()
    torch.testing.assert_close(x.grad, likelihood.negative_log_gradient_sum(f, D))
    hessian = torch.autograd.functional.hessian(lambda u: -_log_likelihood(likelihood, u, D), f)
    torch.testing.assert_close(_negative_log_likelihood_hessian(likelihood, f, D), hessian)
