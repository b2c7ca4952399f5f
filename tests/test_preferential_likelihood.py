"""The choice likelihood: a click on the worst of k trials as one observation of a choice,
not k - 1 comparisons (an option of the preference model, off by default)."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("botorch")

import optuna
import torch
from optuna.distributions import FloatDistribution
from optuna.trial import TrialState, create_trial

from jupyterlab_optuna.preferential import create_study
from jupyterlab_optuna.preferential.samplers._gp.data import compared_points
from jupyterlab_optuna.preferential.samplers._gp.likelihood import (
    LOGIT_SLOPE,
    WorstOfChoiceLikelihood,
)
from jupyterlab_optuna.preferential.samplers._gp.model import (
    _log_likelihood,
    _negative_log_likelihood_hessian,
)
from jupyterlab_optuna.preferential.samplers._gp.search_space import SearchSpaceCoder
from jupyterlab_optuna.preferential.samplers.gp import PreferentialGPSampler


def clicks_matrix(
    n: int, clicks: list[tuple[int, list[int]]]
) -> tuple[torch.Tensor, torch.Tensor]:
    """D (one row per other trial of a click) and the click label of each row."""
    rows, labels = [], []
    for label, (worst, others) in enumerate(clicks):
        for other in others:
            row = torch.zeros(n, dtype=torch.float64)
            row[other], row[worst] = 1.0, -1.0
            rows.append(row)
            labels.append(label)
    return torch.stack(rows), torch.tensor(labels)


def test_a_click_is_a_luce_choice_of_the_worst() -> None:
    f = torch.tensor([0.3, -1.2, 2.0, 0.1, 40.0], dtype=torch.float64)
    shown = [0, 1, 2, 3]
    probabilities = []
    for worst in shown:
        D, labels = clicks_matrix(len(f), [(worst, [o for o in shown if o != worst])])
        probabilities.append(float(WorstOfChoiceLikelihood(labels).p(f, D).sum()))
    expected = torch.softmax(-LOGIT_SLOPE * f[shown], dim=0)
    np.testing.assert_allclose(probabilities, expected.numpy(), rtol=1e-12)

    # Two trials shown: the logit comparison; far apart: no overflow.
    D, labels = clicks_matrix(len(f), [(1, [2]), (0, [4])])
    log_p = WorstOfChoiceLikelihood(labels).log_p(f, D)
    z = torch.tensor([3.2, 39.7], dtype=torch.float64)
    torch.testing.assert_close(log_p, torch.nn.functional.logsigmoid(LOGIT_SLOPE * z))


def test_it_is_a_person_with_unit_variance_noise_on_each_trial() -> None:
    # PairwiseGP's probit: each trial perceived with normal noise of variance 1. Here: a
    # person perceiving each of the shown trials with Gumbel noise of variance 1 and
    # naming the one that looks worst.
    f = np.array([0.3, -1.2, 2.0, 0.1])
    rng = np.random.default_rng(0)
    noise = rng.gumbel(scale=1 / LOGIT_SLOPE, size=(200_000, len(f)))
    assert abs(noise.var() - 1) < 0.01
    named = np.argmin(f - noise, axis=1)
    frequencies = np.bincount(named, minlength=len(f)) / len(named)

    D, labels = clicks_matrix(len(f), [(w, [o for o in range(4) if o != w]) for w in range(4)])
    likelihood = WorstOfChoiceLikelihood(labels)
    probabilities = likelihood.p(torch.from_numpy(f), D).numpy()
    np.testing.assert_allclose(frequencies, probabilities, atol=0.004)


def test_its_gradient_and_hessian_are_those_of_its_log_likelihood() -> None:
    f = torch.tensor([6.0, -1.0, 0.5, 2.0, -4.0, 0.0], dtype=torch.float64)
    # Two clicks of four (one against the model), one of two, one of three.
    D, labels = clicks_matrix(len(f), [(4, [0, 1, 2]), (0, [1, 3, 5]), (2, [1]), (5, [3, 4])])
    likelihood = WorstOfChoiceLikelihood(labels * 7)  # any labels

    x = f.clone().requires_grad_(True)
    (-_log_likelihood(likelihood, x, D)).backward()
    torch.testing.assert_close(x.grad, likelihood.negative_log_gradient_sum(f, D))
    hessian = torch.autograd.functional.hessian(lambda u: -_log_likelihood(likelihood, u, D), f)
    torch.testing.assert_close(_negative_log_likelihood_hessian(likelihood, f, D), hessian)
    assert float(torch.linalg.eigvalsh(hessian).min()) > -1e-12


def test_pairs_of_one_decision_and_worse_trial_are_one_click() -> None:
    space = {"x": FloatDistribution(0, 1)}
    trials = [
        create_trial(params={"x": x}, distributions=space, state=TrialState.RUNNING)
        for x in (0.1, 0.2, 0.3, 0.4, 0.2)
    ]
    # decision 0: 3 worst of 0, 1, 2; decision 1 names two worse trials (two clicks);
    # trial 4 repeats trial 1's point.
    decisions = [[(0, 3), (1, 3), (2, 3)], [(0, 1), (0, 2), (3, 1), (3, 2)], [(4, 0)]]
    data = compared_points(trials, decisions, space, SearchSpaceCoder(space))
    assert data is not None
    groups: dict[int, list[tuple[int, int]]] = {}
    for (better, worse), click in zip(
        data.comparisons.tolist(), data.clicks.tolist(), strict=True
    ):
        groups.setdefault(click, []).append((better, worse))
    rows = data.row_of
    assert sorted(groups.values()) == sorted(
        [
            [(rows[0], rows[3]), (rows[1], rows[3]), (rows[2], rows[3])],
            [(rows[0], rows[1]), (rows[3], rows[1])],
            [(rows[0], rows[2]), (rows[3], rows[2])],
            [(rows[4], rows[0])],
        ]
    )
    assert rows[4] == rows[1]


class ChoiceSampler(PreferentialGPSampler):
    _logit_slope = LOGIT_SLOPE


def proposals(sampler: PreferentialGPSampler, clicks: int) -> list[float]:
    """The x a noise-free person, clicking the trial farthest from 0.3, was shown."""
    study = create_study(n_generate=3, sampler=sampler)
    made: list[float] = []
    for _ in range(clicks):
        while study.should_generate():
            made.append(study.ask().suggest_float("x", 0, 1))
        worse = {w.number for _, w in study.get_preferences(deepcopy=False)}
        shown = [
            t
            for t in study.trials
            if t.number not in worse and t.state == optuna.trial.TrialState.RUNNING
        ]
        worst = max(shown, key=lambda t: abs(t.params["x"] - 0.3))
        study.report_preference([t for t in shown if t is not worst], worst)
    return made


def test_a_sampler_on_the_choice_likelihood_proposes_from_it() -> None:
    choice = proposals(ChoiceSampler(seed=0), clicks=8)
    assert all(0 <= x <= 1 for x in choice)
    # the same seed and clicks: the first 3 are the independent sampler's, then the models'
    pairs = proposals(PreferentialGPSampler(seed=0), clicks=8)
    assert choice[:3] == pairs[:3]
    assert choice[3:] != pairs[3:]
    assert abs(choice[-1] - 0.3) < 0.1
