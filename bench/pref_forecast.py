"""The forecast check (issue 16, 2026-12-03): measured for PreferentialGPSampler and not
adopted; the variants and their machinery, for prefbench runs such as

    PYTHONPATH=bench .venv/bin/python ../shared/bench/prefbench.py run \\
      --sampler check=pref_forecast:ForecastCheck --problems sunset --sigmas 0.2 ...

The model fitted at one ask is judged on the clicks made after it, before it has seen them
(Dawid's prequential view): for a click on the worst of k shown trials, the probability
that the person it assumes (the posterior utility of the shown trials plus the likelihood's
noise on each) names that trial, against 1/k for a coin. While the log ratios of the last 8
clicks sum to at most -margin, the variant does not follow the model and proposes the
point farthest from every trial so far.

Why it was tried: the clicks of a preferential study are always consistent with the order
in which trials were clicked away (each click's worse trial leaves the screen, its better
ones stay), however noisy the person, so the fit cannot learn the noise from the clicks
alone. On Hartmann-6 with a person of noise 0.2, the default's output scale ran up to
55-93 (a near-steady person) and most runs ended in a flat corner, worse than random search.
bench/preferential.md has the measurements.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Sequence
from typing import Any

import numpy as np
import torch
from optuna.distributions import BaseDistribution
from optuna.trial import FrozenTrial, TrialState
from pref_variants import eubo_score

from jupyterlab_optuna.preferential.samplers._gp.data import compared_points, in_space
from jupyterlab_optuna.preferential.samplers._gp.search_space import SearchSpaceCoder
from jupyterlab_optuna.preferential.samplers.gp import PreferentialGPSampler

_SAMPLES = 1024
_JITTER = 1e-6


def worst_probability(
    model: Any, X: torch.Tensor, slope: float | None, generator: torch.Generator
) -> float | None:
    """Monte-Carlo probability that the model's person names row 0 of ``X`` (k, D) the
    worst of the k; None if the posterior covariance cannot be factored.

    ``slope`` is the choice likelihood's (Gumbel noise of scale 1/slope on each trial), or
    None for PairwiseGP's probit (normal noise of unit variance on each trial).
    """
    k = X.shape[0]
    with torch.no_grad():
        posterior = model.posterior(X)
        mean = posterior.mean.reshape(k)
        cov = posterior.covariance_matrix.reshape(k, k)
        eye = torch.eye(k, dtype=cov.dtype)
        factor, info = torch.linalg.cholesky_ex(cov + _JITTER * eye)
        if int(info):
            return None
        z = torch.randn(_SAMPLES, k, generator=generator, dtype=cov.dtype)
        utility = mean + z @ factor.T
        if slope is None:
            noise = torch.randn(_SAMPLES, k, generator=generator, dtype=cov.dtype)
        else:
            u = torch.rand(_SAMPLES, k, generator=generator, dtype=cov.dtype)
            noise = torch.log(-torch.log(u.clamp(1e-12, 1 - 1e-12))) / slope
        named = (utility + noise).argmin(dim=1) == 0
        return max(float(named.double().mean()), 1.0 / _SAMPLES)


class ClickForecasts:
    """The last model's forecasts of the clicks made since, scored over a window.

    Args:
        window: the number of latest clicks whose log ratios are summed.
        slope: the likelihood the models are fitted with (see :func:`worst_probability`).
        margin: how much worse than a coin (log likelihood ratio) the model may be.
        full: judge only once ``window`` clicks have been scored.
    """

    def __init__(
        self, window: int, slope: float | None, margin: float = 0.0, full: bool = False
    ) -> None:
        self._scores: deque[float] = deque(maxlen=window)
        self._margin = margin
        self._full = full
        self._slope = slope
        self._model: Any = None
        self._seen: set[frozenset[tuple[int, int]]] = set()

    def remember(self, model: Any, decisions: Sequence[Sequence[tuple[int, int]]]) -> None:
        """``model`` was fitted to ``decisions``: it forecasts any later ones."""
        self._model = model
        self._seen = {frozenset(decision) for decision in decisions}

    def score(
        self,
        trials: Sequence[FrozenTrial],
        decisions: Sequence[Sequence[tuple[int, int]]],
        search_space: dict[str, BaseDistribution],
        coder: SearchSpaceCoder,
        seed: int,
    ) -> None:
        """Score the remembered model on the clicks among ``decisions`` it was not fitted to."""
        if self._model is None:
            return
        generator = torch.Generator().manual_seed(seed)
        for decision in decisions:
            if frozenset(decision) in self._seen:
                continue
            worse = {w for _, w in decision}
            if len(worse) != 1:
                continue
            shown = [*worse, *sorted({b for b, _ in decision})]
            if any(n >= len(trials) or not in_space(trials[n], search_space) for n in shown):
                continue
            X = torch.from_numpy(coder.encode([trials[n].params for n in shown]))
            p = worst_probability(self._model, X, self._slope, generator)
            if p is not None:
                self._scores.append(math.log(p * len(shown)))

    def predictive(self) -> bool:
        """False once a coin forecast the scored clicks better than the model did, by a
        likelihood ratio of more than exp(``margin``)."""
        if not self._scores or (self._full and len(self._scores) < self._scores.maxlen):
            return True
        return sum(self._scores) > -self._margin


def _gaps(candidates: np.ndarray, existing: np.ndarray) -> np.ndarray:
    """Each candidate's distance to its nearest ``existing`` point (encoded unit cube)."""
    squared = (
        (candidates**2).sum(axis=1)[:, None]
        + (existing**2).sum(axis=1)[None, :]
        - 2.0 * candidates @ existing.T
    )
    return np.sqrt(np.maximum(squared.min(axis=1), 0.0))


def farthest_point(
    coder: SearchSpaceCoder, rng: np.random.RandomState, existing: np.ndarray, n: int = 2048
) -> np.ndarray | None:
    """Of ``n`` random valid points, the one farthest from every ``existing`` point (in the
    encoded unit cube); None if each of them repeats an existing point (within 1e-6)."""
    candidates = coder.round(coder.sample(rng, n))
    if len(existing) == 0:
        return candidates[0]
    gaps = _gaps(candidates, existing)
    best = int(np.argmax(gaps))
    return candidates[best] if gaps[best] > 1e-6 else None


def random_point(
    coder: SearchSpaceCoder, rng: np.random.RandomState, existing: np.ndarray, n: int = 64
) -> np.ndarray | None:
    """The first of ``n`` random valid points that repeats no ``existing`` point (within
    1e-6 in the encoded unit cube); None if each of them does."""
    candidates = coder.round(coder.sample(rng, n))
    if len(existing) == 0:
        return candidates[0]
    fresh = np.flatnonzero(_gaps(candidates, existing) > 1e-6)
    return candidates[fresh[0]] if len(fresh) else None


def _existing(
    trials: Sequence[FrozenTrial],
    search_space: dict[str, BaseDistribution],
    coder: SearchSpaceCoder,
) -> np.ndarray:
    return coder.encode(
        [
            t.params
            for t in trials
            if t.state in (TrialState.RUNNING, TrialState.COMPLETE) and in_space(t, search_space)
        ]
    )


class ForecastCheck(PreferentialGPSampler):
    """The default with the forecast check: the farthest point while the models forecast
    the last 8 clicks no better than a coin (log likelihood ratio <= 0)."""

    _margin = 0.0
    _window = 8
    _full_window = False
    _onset = 0
    _explore: Any = staticmethod(farthest_point)  # None: never leave the acquisition

    def __init__(self, *, seed: int | None = None, **kwargs: Any) -> None:
        # ``seed`` named: the harness seeds a factory only if its signature has one.
        super().__init__(seed=seed, **kwargs)
        self._forecasts: ClickForecasts | None = None
        self._signature: Any = None
        self._model: Any = None
        self._predictive = True  # the verdict on the forecasts, for the ask in progress

    def _fit(self, *args: Any) -> Any:
        self._model = super()._fit(*args)
        return self._model

    def _propose(
        self,
        trials: Any,
        decisions: Any,
        system_attrs: Any,
        trial: Any,
        search_space: Any,
        seed: int,
    ) -> Any:
        coder = SearchSpaceCoder(search_space)
        if compared_points(trials, decisions, search_space, coder) is None:
            return {}
        if self._forecasts is None or self._signature != coder.signature():
            self._forecasts = ClickForecasts(
                self._window, self._logit_slope, self._margin, self._full_window
            )
            self._signature = coder.signature()
        self._forecasts.score(trials, decisions, search_space, coder, seed)
        predictive = len(decisions) < self._onset or self._forecasts.predictive()
        self._predictive = predictive
        self._model = None
        proposal = super()._propose(trials, decisions, system_attrs, trial, search_space, seed)
        if self._model is None:
            return proposal
        self._forecasts.remember(self._model, decisions)
        if not predictive and self._explore is not None:
            existing = _existing(trials, search_space, coder)
            point = self._explore(coder, np.random.RandomState(seed + 1), existing)
            if point is not None:
                return coder.decode(point)
        return proposal


class ForecastCheckStrong(ForecastCheck):
    """The forecast check, exploring only on strong evidence against the model: a coin
    forecast the last 8 clicks at least 10 times as well (Jeffreys' "strong")."""

    _margin = math.log(10.0)


class ForecastCheckFullWindow(ForecastCheck):
    """The forecast check (margin 0) judging only on a full window: not before the models
    have forecast 8 clicks, so that the first few forecasts alone never decide."""

    _full_window = True


class ForecastCheckLate(ForecastCheck):
    """The forecast check (margin 0) from the 20th click on: before that, poor forecasts
    mean too few clicks rather than a wrong model, and the acquisition explores anyway."""

    _onset = 20


class ForecastCheckLateRandom(ForecastCheckLate):
    """:class:`ForecastCheckLate` exploring with a uniformly random point instead of the
    farthest one: in 6 dimensions the farthest points sit in the cube's corners, where a
    flat utility is worst."""

    _explore = staticmethod(random_point)


class ForecastCheckFrom40(ForecastCheckLateRandom):
    """:class:`ForecastCheckLateRandom` from the 40th click on: up to 40 clicks it runs as
    the default, trial for trial, and only the clicks after can differ."""

    _onset = 40


class TrustedEubo(ForecastCheck):
    """Exploit a model that forecasts well, explore with one that does not: the peer's
    acquisition (EUBO of the new point against the compared trial of highest posterior
    mean) while the models forecast the last 8 clicks better than a coin, the default's
    log noisy expected improvement otherwise; no random points.

    Why: on seeds 36-47 EUBO in the default's model was at or below the peer in all six
    sigma-0.1 cells and far behind at sigma 0.2 (stuck in flat corners), the default the
    other way round; the forecasts say which person the model is facing.
    """

    _explore = None

    def _acquisition(self, model: Any, X: Any, mean: Any, X_pending: Any, seed: int) -> Any:
        if not self._predictive:
            return super()._acquisition(model, X, mean, X_pending, seed)
        return eubo_score(model, X, mean)


class SpaceFillEvery4(PreferentialGPSampler):
    """The default with every fourth trial (by number) the farthest point, whatever the
    forecasts: exploration without a reason."""

    def _propose(
        self,
        trials: Any,
        decisions: Any,
        system_attrs: Any,
        trial: Any,
        search_space: Any,
        seed: int,
    ) -> Any:
        if trial.number % 4 == 0:
            coder = SearchSpaceCoder(search_space)
            far = farthest_point(
                coder, np.random.RandomState(seed), _existing(trials, search_space, coder)
            )
            if far is not None:
                return coder.decode(far)
        return super()._propose(trials, decisions, system_attrs, trial, search_space, seed)
