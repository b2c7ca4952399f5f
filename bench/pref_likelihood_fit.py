"""What the two likelihoods learn from the same clicks (bench/preferential.md, 2026-12-03).

A simulated person clicks the worst of 4 Branin trials 40 times (the default sampler
proposing); both models are then fitted cold to the stored decisions — each pair a probit
comparison, and each click one choice (logit slope π/√6) — and their output scales,
lengthscales and the rank agreement of their posterior means are printed.

    .venv/bin/python bench/pref_likelihood_fit.py
"""

from __future__ import annotations

import warnings

import numpy as np
import optuna
import torch
from scipy.stats import spearmanr

from jupyterlab_optuna.preferential import PreferentialStudy, _keys, create_study
from jupyterlab_optuna.preferential.samplers._gp.data import compared_points
from jupyterlab_optuna.preferential.samplers._gp.likelihood import LOGIT_SLOPE, click_likelihood
from jupyterlab_optuna.preferential.samplers._gp.model import (
    covar_module,
    default_kernel,
    fit_model,
)
from jupyterlab_optuna.preferential.samplers._gp.search_space import SearchSpaceCoder
from jupyterlab_optuna.preferential.samplers.gp import PreferentialGPSampler

ACTIVE = (optuna.trial.TrialState.RUNNING, optuna.trial.TrialState.COMPLETE)


def utility(p: dict[str, float]) -> float:
    """Minus Branin, scaled to a range of about 1."""
    x1, x2 = p["x1"], p["x2"]
    branin = (
        (x2 - 5.1 / (4 * np.pi**2) * x1**2 + 5 / np.pi * x1 - 6) ** 2
        + 10 * (1 - 1 / (8 * np.pi)) * np.cos(x1)
        + 10
    )
    return -branin / 300


def clicked_study(sigma: float, seed: int, clicks: int = 40) -> PreferentialStudy:
    rng = np.random.default_rng(seed)
    study = create_study(n_generate=4, sampler=PreferentialGPSampler(seed=seed))
    for _ in range(clicks):
        while study.should_generate():
            trial = study.ask()
            trial.suggest_float("x1", -5, 10)
            trial.suggest_float("x2", 0, 15)
        worse = {w.number for _, w in study.get_preferences(deepcopy=False)}
        shown = [t for t in study.trials if t.number not in worse and t.state in ACTIVE]
        perceived = [utility(t.params) + sigma * rng.normal() for t in shown]
        worst = shown[int(np.argmin(perceived))]
        study.report_preference([t for t in shown if t is not worst], worst)
    return study


def main() -> None:
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    warnings.simplefilter("ignore")
    for sigma in (0.0, 0.1, 0.2):
        for seed in range(3):
            study = clicked_study(sigma, seed)
            decisions = _keys.preferences_by_decision(study.system_attrs)
            space = study.trials[0].distributions
            coder = SearchSpaceCoder(space)
            data = compared_points(study.trials, decisions, space, coder)
            assert data is not None
            X, clicks = torch.from_numpy(data.X), torch.from_numpy(data.clicks)
            fits = {}
            for name, slope in (("pairs", None), ("choice", LOGIT_SLOPE)):
                module = covar_module(default_kernel(X.shape[1]))
                model = fit_model(
                    X, torch.from_numpy(data.comparisons), module, 50, 0,
                    likelihood=click_likelihood(clicks, slope),
                )  # fmt: skip
                with torch.no_grad():
                    mean = model.posterior(X).mean.reshape(-1).numpy()
                scale = float(module.outputscale.detach())
                lengths = module.base_kernel.lengthscale.detach().reshape(-1).numpy()
                fits[name] = (scale, np.round(lengths, 2), mean)
            rho = spearmanr(fits["pairs"][2], fits["choice"][2]).statistic
            print(
                f"sigma {sigma} seed {seed}: output scale pairs {fits['pairs'][0]:.2f}, "
                f"choice {fits['choice'][0]:.2f}; lengthscales pairs {fits['pairs'][1]}, "
                f"choice {fits['choice'][1]}; Spearman of the means {rho:.3f}"
            )


if __name__ == "__main__":
    main()
