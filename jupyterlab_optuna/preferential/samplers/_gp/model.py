"""The preference model: BoTorch's ``PairwiseGP`` (Laplace approximation), with its probit
likelihood per comparison or a choice likelihood per click (:mod:`.likelihood`).

Notation (shapes):

* ``X`` (N, D): the distinct compared points, encoded in [0, 1]^D;
* ``comparisons`` (M, 2): row m says point ``comparisons[m, 0]`` was preferred to
  ``comparisons[m, 1]``;
* utility ``f ~ GP(0, c·k)``, likelihood of row m ``Φ((f_a - f_b) / √2)``: the person's
  noise is fixed at unit scale, so the output scale ``c`` says how many noise standard
  deviations the utility spans — large for a steady person, small for a hesitant one.

The posterior mode of ``f`` is found by damped Newton steps (``_SteadyPairwiseGP``).
Hyperparameters (lengthscales, ``c``) maximise the Laplace evidence plus their log
priors with a few L-BFGS-B steps. The kernel module is kept by the sampler between asks,
so every fit starts from the last one (warm start) and may stop early; within a fit, each
mode solve starts from the previous one's.
"""

from __future__ import annotations

import math
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, ClassVar

import gpytorch
import numpy as np
import torch
from botorch.models.pairwise_gp import PairwiseGP, PairwiseLaplaceMarginalLogLikelihood
from botorch.optim.fit import fit_gpytorch_mll_scipy
from torch import Tensor

from jupyterlab_optuna.preferential.samplers._gp.likelihood import WorstOfChoiceLikelihood

# torch's thread count is process-wide: two threads saving and restoring it in turn would
# leave it at 1. The models here (the sampler's, the Analytics page's) therefore run torch
# one at a time in a process; a fitted model is not safe to use from two threads anyway.
_TORCH_LOCK = threading.RLock()


@contextmanager
def one_torch_thread() -> Iterator[None]:
    """Run torch on one thread inside (one such block at a time in the process), restoring
    the setting after.

    The matrices here are at most a few hundred wide: threads gain nothing on them, and
    on a busy machine (a notebook kernel beside a browser and other kernels) contended
    threads made every ask several times slower.
    """
    with _TORCH_LOCK:
        threads = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            yield
        finally:
            torch.set_num_threads(threads)


class ModelFitError(RuntimeError):
    """The model could not be fitted or used (numerically); callers fall back."""


class _ReciprocalPrior(gpytorch.priors.Prior):
    """The prior of ``1 / v`` when ``v`` follows ``prior`` (for the output scale ``c``).

    Lets a user state a prior on the *noise* variance of a comparison relative to a
    unit-variance utility, which is ``1 / c`` in PairwiseGP's parametrisation.
    """

    arg_constraints: ClassVar[dict[str, Any]] = {}
    support = torch.distributions.constraints.positive

    def __init__(self, prior: Any) -> None:
        super().__init__(validate_args=False)
        self.noise_prior = prior

    def log_prob(self, c: Tensor) -> Tensor:
        # density of c = 1/v: p_v(1/c) · |d(1/c)/dc| = p_v(1/c) / c²
        return self.noise_prior.log_prob(1.0 / c) - 2.0 * torch.log(c)


def default_kernel(dim: int) -> gpytorch.kernels.Kernel:
    """BoTorch's default for ``PairwiseGP``: RBF with one lengthscale per encoded column,
    under a Gamma(2.4, 2.7) prior and starting at its mode (0.52).

    Short lengthscales keep the model from extrapolating a noisy person's answers far
    from the compared trials: on the benchmark it learns much faster from a noisy person
    than a Matérn-5/2 under BoTorch's long, dimension-scaled lengthscales with a narrow
    prior on the person's noise did, and as fast from a steady one
    (``bench/preferential.md``).
    """
    kernel = gpytorch.kernels.RBFKernel(
        ard_num_dims=max(dim, 1), lengthscale_prior=gpytorch.priors.GammaPrior(2.4, 2.7)
    )
    kernel.lengthscale = (2.4 - 1.0) / 2.7
    return kernel.double()


def covar_module(
    kernel: gpytorch.kernels.Kernel, noise_prior: Any | None = None
) -> gpytorch.kernels.Kernel:
    """``ScaleKernel(kernel)``; a kernel that is already a ``ScaleKernel`` is used as it is.

    The output scale ``c`` is the utility's variance in units of the person's noise.
    Without ``noise_prior`` it is PairwiseGP's default: a smoothed box on [0.01, 100],
    starting at 1 (a person as noisy as the utility is spread) and free to grow as the
    answers agree. With one, ``1 / c`` (the noise variance relative to a unit-variance
    utility) follows ``noise_prior``, and ``c`` starts at its median when it has one.
    """
    if isinstance(kernel, gpytorch.kernels.ScaleKernel):
        return kernel.double()
    if noise_prior is None:
        module = gpytorch.kernels.ScaleKernel(
            kernel,
            outputscale_prior=gpytorch.priors.SmoothedBoxPrior(a=1e-2, b=1e2),
            outputscale_constraint=gpytorch.constraints.Interval(5e-3, 2e2),
        )
        module.outputscale = 1.0
        return module.double()
    module = gpytorch.kernels.ScaleKernel(
        kernel,
        outputscale_prior=_ReciprocalPrior(noise_prior),
        outputscale_constraint=gpytorch.constraints.Interval(1e-2, 1e4),
    )
    loc = getattr(noise_prior, "loc", None)
    module.outputscale = min(max(math.exp(-float(loc)) if loc is not None else 20.0, 0.1), 1e3)
    return module.double()


@contextmanager
def _seeded(seed: int) -> Iterator[None]:
    """Seed torch and numpy's global generators inside, restore them after.

    PairwiseGP starts its utility search from numpy's global generator.
    """
    state = np.random.get_state()
    np.random.seed(seed)
    try:
        with torch.random.fork_rng():
            torch.manual_seed(seed)
            yield
    finally:
        np.random.set_state(state)


def _probit_terms(likelihood: Any, f: Tensor, D: Tensor) -> tuple[Tensor, Tensor, Tensor, Tensor]:
    """Per comparison: ``z = (f_a - f_b) / √2``, ``z`` clamped as PairwiseGP clamps it, and
    ``log Φ`` and its slope ``φ / Φ`` at the clamped ``z``."""
    z = (D @ f) / math.sqrt(2)
    clamped = z.clamp(-likelihood._zlim, likelihood._zlim)
    _, log_cdf, slope = likelihood._calc_z_derived(clamped)
    return z, clamped, log_cdf, slope


def _log_likelihood(likelihood: Any, f: Tensor, D: Tensor) -> Tensor:
    """The log-likelihood of the comparisons whose gradient and Hessian PairwiseGP uses.

    PairwiseGP's probit likelihood evaluates its gradient at ``z`` clamped to
    ``[-3, 3]`` (``z = (f_a - f_b) / √2``), while its ``log_p`` is flat beyond the clamp.
    The mode PairwiseGP defines is the root of that gradient, so the function it
    maximises is ``log Φ(z)`` continued linearly, with the clamped slope, beyond ±3:
    concave, and the line search on it agrees with the Newton steps.
    A choice likelihood (:mod:`.likelihood`) is smooth and used as it is.
    """
    if isinstance(likelihood, WorstOfChoiceLikelihood):
        return likelihood.log_p(f, D).sum()
    z, clamped, log_cdf, slope = _probit_terms(likelihood, f, D)
    return (log_cdf + slope * (z - clamped)).sum()


def _negative_log_likelihood_hessian(likelihood: Any, f: Tensor, D: Tensor) -> Tensor:
    """The Hessian of ``-_log_likelihood`` in ``f`` (n, n): PairwiseGP's, except that a
    comparison beyond the clamp adds nothing (the function is linear there).

    PairwiseGP's Hessian counts those comparisons as if at ``z = ±3``; Newton steps with
    it approach the mode only linearly (a dozen steps per solve, most of a fit's time).
    """
    if isinstance(likelihood, WorstOfChoiceLikelihood):
        return likelihood.negative_log_hessian_sum(f, D)
    z, clamped, _, slope = _probit_terms(likelihood, f, D)
    curvature = torch.where(z == clamped, slope * (slope + clamped) / 2, torch.zeros_like(z))
    return (D.transpose(-1, -2) * curvature) @ D


class _SteadyPairwiseGP(PairwiseGP):
    """``PairwiseGP`` whose posterior mode is found by damped Newton iterations.

    PairwiseGP alone solves for the mode with ``scipy.optimize.fsolve`` from a randomly
    perturbed start. In 4 of 958 fits of 12 benchmark runs it stopped short (gradient
    0.01 to 7.8), and the wrong model then steered the next proposals; whether it did
    depended on the random start. Here the mode is found from the prior mean by Newton
    steps, each halved until the negative log posterior decreases; fsolve is not called,
    and the covariance is built once per update (PairwiseGP's own update builds it again
    and calls fsolve even from the mode: a third of a fit's time). The two Newton steps
    that carry the hyperparameters' gradients run as in PairwiseGP.
    """

    _NEWTON_ITERS = 100
    _TOL = 1e-9
    _last_a: Tensor | None = None  # the last mode's weights, within one fit

    def _update(self, datapoints: Tensor, **kwargs: Any) -> None:
        if self.batch_shape:
            super()._update(datapoints, **kwargs)
            return
        self._update_covar(datapoints)
        f = self._mode(datapoints)
        self.likelihood_hess = self.likelihood.negative_log_hessian_sum(utility=f, D=self.D)
        self.pred_cov_fac_need_update = True
        self.hlcov_eye = torch.empty(self.likelihood_hess.shape)  # filled lazily, as in PairwiseGP
        self.utility = self._util_newton_updates(
            dp=datapoints, x0=f.clone().requires_grad_(True), max_iter=2
        )

    def _mode(self, datapoints: Tensor) -> Tensor:
        likelihood, D = self.likelihood, self.D
        with torch.no_grad():
            K = self.covar.detach()
            m = self._prior_mean(datapoints).detach().expand(K.shape[-1])
            eye = torch.eye(len(K), dtype=K.dtype)

            def loss(a: Tensor, f: Tensor) -> float:
                # -log p(D | f) + ½ (f - m)ᵀ K⁻¹ (f - m), with f = m + K a
                return float(-_log_likelihood(likelihood, f, D) + 0.5 * a @ (f - m))

            # Within one fit the data stay and only the hyperparameters move: the last
            # mode's weights a (f = m + K a) start the next solve close to its answer.
            last = self._last_a
            a = last if last is not None and last.shape == m.shape else torch.zeros_like(m)
            f = m + K @ a
            current = loss(a, f)
            if last is not None and current > loss(torch.zeros_like(m), m):
                a, f = torch.zeros_like(m), m.clone()
                current = loss(a, f)
            for _ in range(self._NEWTON_ITERS):
                W = _negative_log_likelihood_hessian(likelihood, f, D)
                gradient = -likelihood.negative_log_gradient_sum(f, D)
                step = torch.linalg.solve(eye + W @ K, W @ (f - m) + gradient) - a
                t = 1.0
                while t > 1e-6:
                    a_new = a + t * step
                    f_new = m + K @ a_new
                    new = loss(a_new, f_new)
                    if new <= current:
                        break
                    t /= 2
                else:
                    break
                moved = float((f_new - f).abs().max())
                a, f, current = a_new, f_new, new
                if moved < self._TOL * (1.0 + float(f.abs().max())):
                    break
            self._last_a = a
        return f


def fit_model(
    X: Tensor,
    comparisons: Tensor,
    module: gpytorch.kernels.Kernel,
    max_iter: int,
    seed: int,
    max_seconds: float | None = None,
    likelihood: WorstOfChoiceLikelihood | None = None,
) -> PairwiseGP:
    """A PairwiseGP over ``X``, its hyperparameters (in ``module``, updated in place)
    fitted with at most ``max_iter`` L-BFGS-B iterations from their current values, and
    for at most ``max_seconds`` (the fit then stops where it is; results that hit the
    limit depend on the machine's speed).

    With a :class:`.likelihood.WorstOfChoiceLikelihood`, the comparisons of one click are
    one observation of a choice; without, each comparison is one probit observation
    (PairwiseGP's likelihood).

    When the fit fails, the hyperparameters it started from are restored.

    Raises:
        ModelFitError: the model cannot even be built with the current hyperparameters.
    """
    backup = {k: v.clone() for k, v in module.state_dict().items()}

    def build() -> PairwiseGP:
        try:
            return _SteadyPairwiseGP(
                X, comparisons, likelihood=likelihood, covar_module=module, jitter=1e-6
            )
        except (RuntimeError, ValueError) as e:
            raise ModelFitError(f"PairwiseGP failed: {e}") from e

    with _seeded(seed), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # BoTorch's numerical warnings are handled here
        model = build()
        if max_iter > 0:
            mll = PairwiseLaplaceMarginalLogLikelihood(model.likelihood, model)
            model.train()
            try:
                fit_gpytorch_mll_scipy(
                    mll,
                    options={"maxiter": max_iter, "maxfun": max_iter + 2},
                    timeout_sec=max_seconds,
                )
                ok = all(bool(torch.isfinite(p).all()) for p in module.parameters())
            except (RuntimeError, ValueError):
                ok = False
            if not ok:
                module.load_state_dict(backup)
            model.eval()
            model = build()  # the posterior mode for the final hyperparameters
        model.eval()
    for p in module.parameters():
        p.requires_grad_(True)
    if model.utility is None or not bool(torch.isfinite(model.utility).all()):
        raise ModelFitError("The posterior mode of the utility is not finite.")
    return model
