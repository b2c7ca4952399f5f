"""The preference model's utility, as the Analytics page shows it.

The default model of :class:`~jupyterlab_optuna.preferential.samplers.gp.PreferentialGPSampler`
(:mod:`.samplers._gp.model`) is fitted to a study's preferences, and its posterior of the
utility ``f`` is reported:

* at the *recommended* trial — the compared trial (not skipped) of highest posterior mean —,
  at the best trials (reported better, never worse, not skipped) and at the candidates;
* along a 1-D slice through the recommended point for every parameter of the model's
  search space, with the compared trials' values of that parameter (a rug);
* over a grid of the two numeric parameters of shortest lengthscale (the most relevant).

The search space is the intersection of the compared trials' distributions, single-valued
ones dropped (as the sampler infers it). Means and standard deviations are marginal, in
the model's units: the person perceives each trial's utility with noise of standard
deviation 1, so of two trials whose utilities differ by 1 the better is preferred about
3 times in 4 (Φ(1/√2) ≈ 0.76).

The fit (up to :data:`FIT_ITERS` L-BFGS-B steps; 1 to 3 s for 80 decisions on a busy
2-core machine) is cached in the storage entry per study and per state of the
preferences, so polling costs a few posterior evaluations. torch, gpytorch and botorch
are imported on first use; without them the answer is a :class:`UtilityUnavailable` error
naming the extra to install.
"""

from __future__ import annotations

import threading
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
from optuna.distributions import (
    BaseDistribution,
    CategoricalDistribution,
    FloatDistribution,
    IntDistribution,
)

from jupyterlab_optuna._core.errors import BadRequest, DashboardError, NotFound
from jupyterlab_optuna._core.preferences import preference_state
from jupyterlab_optuna._core.records import TrialRecord
from jupyterlab_optuna._core.serializers import distribution_json
from jupyterlab_optuna._core.storage import StorageEntry
from jupyterlab_optuna._core.studies import check_study
from jupyterlab_optuna._core.trial_source import trial_records
from jupyterlab_optuna.preferential import _keys
from jupyterlab_optuna.preferential.samplers._gp.data import Compared, compared_points, in_space
from jupyterlab_optuna.preferential.samplers._gp.search_space import SearchSpaceCoder

GRID = 50
"""Points of a numeric slice (fewer when the parameter has fewer values)."""
CONTOUR_GRID = 25
"""Points per axis of the 2-D grid."""
FIT_ITERS = 50
SEED = 0

NO_PREFERENCES = "Compare a few trials first: the preference model learns from your choices."
NO_SHARED_SPACE = (
    "The compared trials share no parameter with more than one value, so the preference "
    "model has nothing to plot."
)
_INSTALL = 'pip install "jupyterlab-optuna[preferential]"'

_CACHE = "preference-utility"
_FIT_LOCK = "preference-utility-fit-lock"


class UtilityUnavailable(DashboardError):
    """The utility cannot be computed here (HTTP 422): torch, gpytorch or botorch are not
    installed on the server, or the model could not be fitted to these preferences.

    Retrying does not help until the server's packages or the preferences change.
    """

    status = 422


@dataclass(frozen=True)
class _Model:
    """A fitted model with what depends on it alone (recommendation, slices, contour)."""

    coder: SearchSpaceCoder
    gp: Any  # botorch PairwiseGP
    summary: dict[str, Any]

    def posterior(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Marginal posterior mean and standard deviation of ``f`` at encoded ``X`` (n, D)."""
        with _numerical_errors():
            return _posterior(self.gp, X)


def preference_utility(entry: StorageEntry, study_id: int) -> dict[str, Any]:
    """The posterior of the person's utility in a preferential study.

    Returns ``{"model": None, "message": str}`` while there is nothing to model (no
    preference yet, or no shared search space), else ``{"model": {...}, "message": None}``
    with the ``recommended`` trial number, the model's ``params`` (its search space, most
    relevant first), ``n_preferences`` and ``n_compared`` (what it learnt from), ``trials``
    (``{number, roles, mean, sd}`` of the recommended trial, the best trials and the
    candidates; roles among ``"recommended"``, ``"best"``, ``"candidate"``), ``slices`` and
    ``contour`` (docs/api.md has their shape). Trials outside the search space are left out.

    Raises:
        NotFound: no such study. BadRequest: the study is not preferential.
        UtilityUnavailable: the ``preferential`` extra is missing, or the fit failed.
    """
    name = check_study(entry, study_id)
    try:
        # The system attrs before the trials, so a trial asked in between is not missed.
        system_attrs = entry.storage.get_study_system_attrs(study_id)
    except KeyError:
        raise NotFound(f"No study with id {study_id} in this storage.") from None
    if not _keys.is_preferential(system_attrs):
        raise BadRequest(f"Study {name!r} is not a preferential study.")
    records = trial_records(entry, study_id)
    decisions = _keys.preferences_by_decision(system_attrs)
    if not decisions:
        return {"model": None, "message": NO_PREFERENCES}
    _require_extra()
    state = preference_state(system_attrs, records)
    model = _cached_model(entry, study_id, records, decisions, set(state["skipped"]))
    if model is None:
        return {"model": None, "message": NO_SHARED_SPACE}
    roles = _roles(model.summary["recommended"], state["best"], state["active"])
    return {
        "model": {**model.summary, "trials": _estimates(model, records, roles)},
        "message": None,
    }


def _require_extra() -> None:
    try:
        import botorch  # noqa: F401
        import gpytorch  # noqa: F401
        import torch  # noqa: F401
    except ImportError as e:
        raise UtilityUnavailable(
            f"The preference model needs torch, gpytorch and botorch on the server ({e}). "
            f"Install them with `{_INSTALL}` and restart the server."
        ) from None


def _cached_model(
    entry: StorageEntry,
    study_id: int,
    records: list[TrialRecord],
    decisions: list[list[tuple[int, int]]],
    skipped: set[int],
) -> _Model | None:
    """The model of the study's current preferences: fitted once per state of them.

    One fit per study at a time; a request arriving meanwhile waits and takes its result.
    """
    key = _state_key(records, decisions, skipped)
    with entry.lock:
        lock = entry.cache.setdefault((_FIT_LOCK, study_id), threading.Lock())
    with lock:
        with entry.lock:
            cached = entry.cache.get((_CACHE, study_id))
        if cached is not None and cached[0] == key:
            return cast("_Model | None", cached[1])
        with _numerical_errors():
            model = _fit(records, decisions, skipped)
        with entry.lock:
            entry.cache[(_CACHE, study_id)] = (key, model)
    return model


def _state_key(
    records: list[TrialRecord], decisions: list[list[tuple[int, int]]], skipped: set[int]
) -> tuple[Any, ...]:
    """What the model depends on: the decisions, the skips, and which stored trials the compared
    numbers are (their storage ids change if the study is deleted and made anew)."""
    compared = sorted({n for decision in decisions for pair in decision for n in pair})
    ids = tuple(records[n].trial_id if n < len(records) else None for n in compared)
    clicks = tuple(sorted(tuple(sorted(decision)) for decision in decisions))
    return clicks, tuple(sorted(skipped)), ids


def _fit(
    records: list[TrialRecord], decisions: list[list[tuple[int, int]]], skipped: set[int]
) -> _Model | None:
    """Fit the model, pick the recommended trial, and evaluate its slices and contour."""
    numbers = sorted({n for decision in decisions for pair in decision for n in pair})
    compared = [records[n] for n in numbers if n < len(records)]
    space = intersection_space(compared)
    coder = SearchSpaceCoder(space)
    data = compared_points(cast(Any, records), decisions, space, coder)
    if data is None:
        return None
    gp, lengthscales = _fit_gp(data)

    def posterior(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return _posterior(gp, X)

    mean, _ = posterior(data.X)
    eligible = sorted(n for n in data.row_of if n not in skipped) or sorted(data.row_of)
    recommended = max(eligible, key=lambda n: mean[data.row_of[n]])  # the first of ties
    point = records[recommended].params
    relevance = {
        c.name: float(lengthscales[c.start : c.start + c.width].min()) for c in coder.columns
    }
    names = sorted(space, key=lambda name: relevance[name])
    rug = [records[n] for n in sorted(data.row_of)]
    numeric = [n for n in names if not isinstance(space[n], CategoricalDistribution)]
    summary = {
        "recommended": recommended,
        "params": names,
        "n_preferences": len(data.comparisons),
        "n_compared": len(data.row_of),
        "slices": [_slice(posterior, coder, point, space[n], n, relevance[n], rug) for n in names],
        "contour": _contour(posterior, coder, point, space, numeric[:2]),
    }
    return _Model(coder, gp, summary)


def _fit_gp(data: Compared) -> tuple[Any, np.ndarray]:
    """The fitted PairwiseGP and its lengthscales (one per encoded column)."""
    import torch

    from jupyterlab_optuna.preferential.samplers._gp.likelihood import (
        DEFAULT_SLOPE,
        click_likelihood,
    )
    from jupyterlab_optuna.preferential.samplers._gp.model import (
        covar_module,
        default_kernel,
        fit_model,
        one_torch_thread,
    )

    module = covar_module(default_kernel(data.X.shape[1]))
    with one_torch_thread():
        X, comparisons = torch.from_numpy(data.X), torch.from_numpy(data.comparisons)
        likelihood = click_likelihood(torch.from_numpy(data.clicks), DEFAULT_SLOPE)
        gp = fit_model(X, comparisons, module, FIT_ITERS, SEED, likelihood=likelihood)
    return gp, module.base_kernel.lengthscale.detach().reshape(-1).numpy()


def _posterior(gp: Any, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Marginal posterior mean and sd of ``f`` at encoded ``X`` (n, D); ValueError if any
    is not finite."""
    import torch

    from jupyterlab_optuna.preferential.samplers._gp.model import one_torch_thread

    with one_torch_thread(), torch.no_grad(), warnings.catch_warnings():
        # Jitter added to a near-singular covariance is routine here, as in the sampler.
        warnings.simplefilter("ignore")
        # A batch of n one-point posteriors: no n-by-n covariance is formed.
        posterior = gp.posterior(torch.from_numpy(X).unsqueeze(-2))
        mean = posterior.mean.reshape(-1).numpy().astype(float)
        sd = posterior.variance.reshape(-1).clamp_min(0.0).sqrt().numpy().astype(float)
    if not (np.isfinite(mean).all() and np.isfinite(sd).all()):
        raise ValueError("the posterior of the utility is not finite")
    return mean, sd


@contextmanager
def _numerical_errors() -> Iterator[None]:
    """Numerical failures inside as a :class:`UtilityUnavailable` with words."""
    try:
        yield
    # Linear algebra in torch, gpytorch and scipy fails in many ways (ModelFitError is a
    # RuntimeError); each means the same to the person: these preferences cannot be
    # modelled as they are.
    except (RuntimeError, ValueError, ArithmeticError) as e:
        raise UtilityUnavailable(
            f"The preference model could not be fitted to these preferences ({e}). "
            "It is tried again after the next decision."
        ) from None


def intersection_space(trials: Sequence[TrialRecord]) -> dict[str, BaseDistribution]:
    """The parameters every trial has with the same distribution, single-valued ones
    dropped (optuna's ``IntersectionSearchSpace`` over these trials)."""
    if not trials:
        return {}
    space = dict(trials[0].distributions)
    for trial in trials[1:]:
        space = {k: d for k, d in space.items() if trial.distributions.get(k) == d}
    return {k: d for k, d in space.items() if not d.single()}


def grid(dist: BaseDistribution, n: int) -> list[Any]:
    """Values of a parameter to evaluate the model at: every choice of a categorical; every
    value of a stepped or int parameter when there are at most ``n``; else ``n`` values
    evenly spaced on the parameter's scale (log or linear), snapped to its step."""
    if isinstance(dist, CategoricalDistribution):
        return list(dist.choices)
    if not isinstance(dist, (FloatDistribution, IntDistribution)):
        raise TypeError(f"Unsupported distribution {type(dist).__name__}.")
    low, high, step = dist.low, dist.high, dist.step
    if step is not None and (high - low) / step < n:
        values = [low + k * step for k in range(round((high - low) / step) + 1)]
    else:
        values = list((np.geomspace if dist.log else np.linspace)(low, high, n))
    return list(dict.fromkeys(_snap(dist, v) for v in values))


def _snap(dist: FloatDistribution | IntDistribution, value: float) -> float | int:
    if dist.step is not None:
        value = dist.low + round((value - dist.low) / dist.step) * dist.step
    value = min(max(value, dist.low), dist.high)
    if isinstance(dist, IntDistribution):
        return round(value)
    # Decimal rounding, as optuna does, so 0.1 * 3 is 0.3.
    return float(np.round(value, 12)) if dist.step is not None else float(value)


Posterior = Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]


def _slice(
    posterior: Posterior,
    coder: SearchSpaceCoder,
    point: Mapping[str, Any],
    dist: BaseDistribution,
    name: str,
    lengthscale: float,
    rug: list[TrialRecord],
) -> dict[str, Any]:
    """The utility along ``name`` with the other parameters at ``point``."""
    values = grid(dist, GRID)
    mean, sd = posterior(coder.encode([{**point, name: v} for v in values]))
    return {
        "param": name,
        "distribution": distribution_json(dist),
        "lengthscale": lengthscale,
        "values": values,
        "mean": mean.tolist(),
        "sd": sd.tolist(),
        "rug": {"numbers": [t.number for t in rug], "values": [t.params[name] for t in rug]},
    }


def _contour(
    posterior: Posterior,
    coder: SearchSpaceCoder,
    point: Mapping[str, Any],
    space: Mapping[str, BaseDistribution],
    names: list[str],
) -> dict[str, Any] | None:
    """The posterior mean over two numeric parameters (rows follow ``y``), or None."""
    if len(names) < 2:
        return None
    x_name, y_name = names
    xs, ys = grid(space[x_name], CONTOUR_GRID), grid(space[y_name], CONTOUR_GRID)
    mean, _ = posterior(coder.encode([{**point, x_name: x, y_name: y} for y in ys for x in xs]))
    return {
        "x_param": x_name,
        "y_param": y_name,
        "x": xs,
        "y": ys,
        "mean": mean.reshape(len(ys), len(xs)).tolist(),
    }


def _roles(recommended: int, best: list[int], active: list[int]) -> dict[int, list[str]]:
    roles: dict[int, list[str]] = {}
    for role, numbers in (("recommended", [recommended]), ("best", best), ("candidate", active)):
        for n in numbers:
            roles.setdefault(n, []).append(role)
    return roles


def _estimates(
    model: _Model, records: list[TrialRecord], roles: Mapping[int, list[str]]
) -> list[dict[str, Any]]:
    """``{number, roles, mean, sd}`` of each trial with a role and in the space, by number."""
    space = {c.name: c.dist for c in model.coder.columns}
    numbers = [
        n for n in sorted(roles) if n < len(records) and in_space(cast(Any, records[n]), space)
    ]
    if not numbers:
        return []
    mean, sd = model.posterior(model.coder.encode([records[n].params for n in numbers]))
    return [
        {"number": n, "roles": roles[n], "mean": float(m), "sd": float(s)}
        for n, m, s in zip(numbers, mean, sd, strict=True)
    ]
