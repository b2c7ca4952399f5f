"""``PreferentialGPSampler``: Bayesian optimization from "which trial is worse" answers.

The sampler only orchestrates: it gathers the compared trials and their preferences,
fits BoTorch's ``PairwiseGP`` (:mod:`._gp.model`; hyperparameters warm-started from the
last fit and refitted whenever new preferences arrive), and maximises the log noisy expected
improvement (:mod:`._gp.acquisition`, pending trials included) with :mod:`._gp.optim`.
torch, gpytorch and botorch are needed (``pip install "jupyterlab-optuna[preferential]"``)
and imported when this module is.
"""

from __future__ import annotations

import copy
import warnings
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import optuna
from optuna.distributions import BaseDistribution
from optuna.samplers import BaseSampler, RandomSampler
from optuna.search_space import IntersectionSearchSpace
from optuna.study import Study
from optuna.trial import FrozenTrial, TrialState

from jupyterlab_optuna.preferential import _keys

try:
    import botorch  # noqa: F401
    import gpytorch  # noqa: F401
    import torch
    from linear_operator.utils.warnings import NumericalWarning
except ImportError as e:  # pragma: no cover - exercised where torch is missing
    raise ImportError(
        f"PreferentialGPSampler needs torch, gpytorch and botorch ({e}). Install them with "
        '`pip install "jupyterlab-optuna[preferential]"`.'
    ) from e

try:
    # torch imports this (and sympy) on the first torch.broadcast_shapes, which gpytorch
    # calls when the first kernel is built: 0.7-0.9 s that would fall on the first ask.
    import torch.fx.experimental.symbolic_shapes
except ImportError:  # pragma: no cover - a torch without it pays at the first ask
    pass

from jupyterlab_optuna.preferential.samplers._gp.acquisition import (
    log_noisy_improvement,
    screen,
)
from jupyterlab_optuna.preferential.samplers._gp.data import compared_points, in_space
from jupyterlab_optuna.preferential.samplers._gp.likelihood import (
    DEFAULT_SLOPE,
    WorstOfChoiceLikelihood,
    click_likelihood,
)
from jupyterlab_optuna.preferential.samplers._gp.model import (
    covar_module,
    default_kernel,
    fit_model,
    one_torch_thread,
)
from jupyterlab_optuna.preferential.samplers._gp.optim import maximize
from jupyterlab_optuna.preferential.samplers._gp.search_space import SearchSpaceCoder

_logger = optuna.logging.get_logger(__name__)

# L-BFGS-B iterations on the hyperparameters: a full first fit from the prior, then, at
# every ask that finds new preferences, a few more starting where the last fit stopped.
# With no new preference the model is rebuilt with the hyperparameters kept (one Laplace
# solve). Refitting only once the preferences grew by a tenth (3 steps) made asks 5-10
# times faster but, with a noisy person (sd 0.2 of the utility range), left the regret
# after 40 clicks nearly twice as high; 5 steps at every ask was in between
# (bench/preferential.md).
_FIT_ITERS_COLD = 50
_FIT_ITERS_WARM = 10
_REFIT_GROWTH = 1.0
# A wall-clock limit on a fit, so that an ask stays under about 2 s on a busy machine or
# with hundreds of preferences (a first fit of 200 took 1.5 s beside another job on 2
# cores). A fit cut short goes on from where it stopped at the next refit.
_FIT_SECONDS = 1.0


@dataclass
class _State:
    """What one ask leaves to the next for a given search space."""

    signature: tuple[Any, ...]
    module: Any  # the ScaleKernel whose hyperparameters carry over
    n_fitted: int = 0  # preferences the hyperparameters were last fitted to


class PreferentialGPSampler(BaseSampler):
    """Sampler for preferential studies: a GP of the person's utility, learnt from
    comparisons, proposes the trial expected to improve most on the best seen so far.

    Float (linear, log, stepped), int and categorical parameters, in any mix; spaces too
    large to enumerate are searched, never enumerated. Until the first preference — and
    for parameters outside the space all compared trials share — ``independent_sampler``
    draws the values. A numerical failure of the model falls back to it too, with a
    logged warning; ``ask()`` never raises because of the model.

    Args:
        kernel: a gpytorch kernel over the encoded unit cube (one column per numeric
            parameter, one per choice of a categorical). Default: BoTorch's for
            ``PairwiseGP``, RBF with ARD under Gamma(2.4, 2.7) lengthscale priors (see
            :func:`._gp.model.default_kernel`). It is wrapped in a ``ScaleKernel``
            unless it is one.
        noise_prior: a gpytorch prior on the variance of the person's perceived
            difference of two trials, relative to a unit-variance utility (it becomes
            the prior of the output scale's reciprocal). Default: none; the output scale
            is under ``PairwiseGP``'s smoothed box on [0.01, 100], starting at 1 (see
            :func:`._gp.model.covar_module`).
        independent_sampler: defaults to ``RandomSampler``.
        seed: makes the proposals reproducible, unless a hyperparameter fit reaches its
            time limit (1 s; on a busy machine or with hundreds of preferences).

    Example:
        >>> from jupyterlab_optuna.preferential import create_study
        >>> from jupyterlab_optuna.preferential.samplers.gp import PreferentialGPSampler
        >>> study = create_study(n_generate=4, sampler=PreferentialGPSampler(seed=0))
    """

    _refit_growth = _REFIT_GROWTH
    _fit_iters_warm = _FIT_ITERS_WARM
    _logit_slope: float | None = DEFAULT_SLOPE
    _search_options: ClassVar[dict[str, int]] = {}

    def __init__(
        self,
        *,
        kernel: Any | None = None,
        noise_prior: Any | None = None,
        independent_sampler: BaseSampler | None = None,
        seed: int | None = None,
    ) -> None:
        self._rng = np.random.RandomState(seed)
        self._kernel = kernel
        self._noise_prior = noise_prior
        self._independent_sampler = independent_sampler or RandomSampler(
            seed=int(self._rng.randint(2**31))
        )
        self._search_space = IntersectionSearchSpace()
        self._state: _State | None = None
        self._warned: set[str] = set()

    def reseed_rng(self) -> None:
        self._rng.seed()
        self._independent_sampler.reseed_rng()

    def infer_relative_search_space(
        self, study: Study, trial: FrozenTrial
    ) -> dict[str, BaseDistribution]:
        return {
            name: dist
            for name, dist in self._search_space.calculate(study).items()
            if not dist.single()
        }

    def sample_relative(
        self, study: Study, trial: FrozenTrial, search_space: dict[str, BaseDistribution]
    ) -> dict[str, Any]:
        if not search_space:
            return {}
        system_attrs = study._storage.get_study_system_attrs(study._study_id)
        decisions = _keys.preferences_by_decision(system_attrs)
        if not decisions:
            return {}
        trials = study.get_trials(deepcopy=False)
        seed = int(self._rng.randint(2**31))
        try:
            with warnings.catch_warnings(), one_torch_thread():
                # Jitter added to a near-singular posterior covariance is routine here.
                warnings.simplefilter("ignore", NumericalWarning)
                return self._propose(trials, decisions, system_attrs, trial, search_space, seed)
        # torch, gpytorch, botorch and scipy raise many kinds of numerical errors; none of
        # them may fail an ask: the independent sampler takes over for this trial.
        except Exception as e:
            _logger.warning(
                f"PreferentialGPSampler fell back to {type(self._independent_sampler).__name__} "
                f"for trial {trial.number}: {e}"
            )
            self._state = None
            return {}

    def _propose(
        self,
        trials: list[FrozenTrial],
        decisions: list[list[tuple[int, int]]],
        system_attrs: dict[str, Any],
        trial: FrozenTrial,
        search_space: dict[str, BaseDistribution],
        seed: int,
    ) -> dict[str, Any]:
        coder = SearchSpaceCoder(search_space)
        data = compared_points(trials, decisions, search_space, coder)
        if data is None:
            return {}
        X = torch.from_numpy(data.X)
        likelihood = click_likelihood(torch.from_numpy(data.clicks), self._logit_slope)
        model = self._fit(coder, X, torch.from_numpy(data.comparisons), likelihood, seed)
        with torch.no_grad():
            mean = model.posterior(X).mean.reshape(-1).numpy()

        def usable(t: FrozenTrial) -> bool:
            return in_space(t, search_space)

        # Trials generated but not compared yet are about to be shown beside this one.
        pending = [
            t
            for t in _keys.active_trials(trials, system_attrs)
            if t.state == TrialState.RUNNING and t.number != trial.number and usable(t)
        ]
        X_pending = (
            torch.from_numpy(coder.encode([t.params for t in pending])) if pending else None
        )
        score = self._acquisition(model, X, mean, X_pending, seed)

        existing = coder.encode(
            [
                t.params
                for t in trials
                if t.state in (TrialState.RUNNING, TrialState.COMPLETE) and usable(t)
            ]
        )
        centres = data.X[np.argsort(-mean)[:5]]
        best = maximize(
            score,
            screen(model, float(mean.max())),
            coder,
            np.random.RandomState(seed),
            centres,
            existing,
            **self._search_options,
        )
        return {} if best is None else coder.decode(best)

    def _acquisition(
        self, model: Any, X: torch.Tensor, mean: np.ndarray, X_pending: Any, seed: int
    ) -> Any:
        """The score a proposal maximises (see :mod:`._gp.acquisition`)."""
        return log_noisy_improvement(model, X, X_pending, seed)

    def _fit(
        self,
        coder: SearchSpaceCoder,
        X: torch.Tensor,
        comparisons: torch.Tensor,
        likelihood: WorstOfChoiceLikelihood | None,
        seed: int,
    ) -> Any:
        signature = coder.signature()
        state = self._state if self._state and self._state.signature == signature else None
        if state is None:
            state = _State(signature, self._new_module(coder.dim))
            iters = _FIT_ITERS_COLD
        elif len(comparisons) > state.n_fitted and (
            len(comparisons) >= self._refit_growth * state.n_fitted
        ):
            iters = self._fit_iters_warm
        else:
            iters = 0
        model = fit_model(X, comparisons, state.module, iters, seed, _FIT_SECONDS, likelihood)
        if iters:
            state.n_fitted = len(comparisons)
        self._state = state
        return model

    def _new_module(self, dim: int) -> Any:
        """The kernel module, before any fit, for a space of ``dim`` encoded columns."""
        kernel = (
            copy.deepcopy(self._kernel).double()
            if self._kernel is not None
            else default_kernel(dim)
        )
        return covar_module(kernel, self._noise_prior)

    def sample_independent(
        self,
        study: Study,
        trial: FrozenTrial,
        param_name: str,
        param_distribution: BaseDistribution,
    ) -> Any:
        if param_name not in self._warned and any(
            t.state == TrialState.COMPLETE for t in study.get_trials(deepcopy=False)
        ):
            self._warned.add(param_name)
            _logger.info(
                f"Parameter {param_name!r} is not shared by every compared trial: "
                f"{type(self._independent_sampler).__name__} samples it."
            )
        return self._independent_sampler.sample_independent(
            study, trial, param_name, param_distribution
        )

    def before_trial(self, study: Study, trial: FrozenTrial) -> None:
        self._independent_sampler.before_trial(study, trial)

    def after_trial(
        self,
        study: Study,
        trial: FrozenTrial,
        state: TrialState,
        values: list[float] | None,
    ) -> None:
        self._independent_sampler.after_trial(study, trial, state, values)
