"""``PreferentialStudy``: an optuna study whose results are pairwise comparisons.

A generator keeps ``n_generate`` trials *active* (running or complete, never reported
worse, not skipped); a person compares them and reports which is worse. The study is
stored as optuna-dashboard stores it, so either tool can continue it.
"""

from __future__ import annotations

import copy
from collections.abc import Container, Iterable
from typing import Any

import optuna
from optuna.distributions import BaseDistribution
from optuna.samplers import BaseSampler
from optuna.storages import BaseStorage
from optuna.trial import FrozenTrial, TrialState

from jupyterlab_optuna._core.atomic import StudyTx, atomically
from jupyterlab_optuna.preferential import _keys
from jupyterlab_optuna.preferential._graph import contradiction
from jupyterlab_optuna.preferential._writes import (
    check_trials_of_study,
    new_preference_id,
    record_preferences,
)


def default_sampler() -> BaseSampler:
    """A new :class:`PreferentialGPSampler`; ImportError saying what to install if it can't."""
    try:
        from jupyterlab_optuna.preferential.samplers.gp import PreferentialGPSampler

        return PreferentialGPSampler()
    except ImportError as e:
        raise ImportError(
            f"{e} Or pass another sampler to the preferential study, e.g. "
            "sampler=optuna.samplers.RandomSampler()."
        ) from e


class PreferentialStudy:
    """A study-like object for preferential optimization; make one with :func:`create_study`.

    Example:
        >>> from jupyterlab_optuna.preferential import create_study
        >>> import optuna
        >>> study = create_study(n_generate=2, sampler=optuna.samplers.RandomSampler(seed=0))
        >>> while study.should_generate():
        ...     trial = study.ask()
        ...     _ = trial.suggest_float("x", 0, 1)
        >>> a, b = study.trials
        >>> study.report_preference(better_trials=a, worse_trials=b)
        >>> [t.number for t in study.best_trials]
        [0]
    """

    def __init__(self, study: optuna.Study) -> None:
        self._study = study

    # The storage and id, as on optuna.Study, so the HITL helpers (notes, forms) take us too.
    @property
    def _storage(self) -> BaseStorage:
        return self._study._storage

    @property
    def _study_id(self) -> int:
        return self._study._study_id

    @property
    def study_name(self) -> str:
        return self._study.study_name

    @property
    def trials(self) -> list[FrozenTrial]:
        """All trials (deep copies), by number."""
        return self._study.trials

    @property
    def best_trials(self) -> list[FrozenTrial]:
        """Trials reported better at least once and never worse, not skipped, by number.

        The same set optuna-dashboard calls best trials; their order carries no ranking.
        """
        system_attrs = self.system_attrs  # before the trials: see _keys.active_trials
        winners = _keys.best_numbers(system_attrs)
        skipped = _keys.skipped_trial_ids(system_attrs)
        trials = self._study.get_trials(deepcopy=False)
        return [
            copy.deepcopy(trials[n])
            for n in sorted(winners)
            if n < len(trials)
            and trials[n]._trial_id not in skipped
            and trials[n].state in (TrialState.RUNNING, TrialState.COMPLETE)
        ]

    @property
    def user_attrs(self) -> dict[str, Any]:
        return self._study.user_attrs

    @property
    def system_attrs(self) -> dict[str, Any]:
        return self._storage.get_study_system_attrs(self._study_id)

    @property
    def n_generate(self) -> int:
        """How many trials the generator keeps active."""
        return _keys.n_generate(self.system_attrs)

    @property
    def preferences(self) -> list[tuple[FrozenTrial, FrozenTrial]]:
        """(better, worse) pairs of trials; see :meth:`get_preferences`."""
        return self.get_preferences(deepcopy=True)

    def get_trials(
        self, deepcopy: bool = True, states: Container[TrialState] | None = None
    ) -> list[FrozenTrial]:
        """Trials, optionally of some states only (as ``optuna.Study.get_trials``)."""
        return self._study.get_trials(deepcopy=deepcopy, states=states)

    def ask(self, fixed_distributions: dict[str, BaseDistribution] | None = None) -> optuna.Trial:
        """A new running trial to suggest parameters on (as ``optuna.Study.ask``)."""
        return self._study.ask(fixed_distributions)

    def add_trial(self, trial: FrozenTrial) -> None:
        self._study.add_trial(trial)

    def add_trials(self, trials: Iterable[FrozenTrial]) -> None:
        self._study.add_trials(trials)

    def enqueue_trial(
        self,
        params: dict[str, Any],
        user_attrs: dict[str, Any] | None = None,
        skip_if_exists: bool = False,
    ) -> None:
        """Have the next :meth:`ask` use these parameter values."""
        self._study.enqueue_trial(params, user_attrs, skip_if_exists)

    def report_preference(
        self,
        better_trials: FrozenTrial | optuna.Trial | list[FrozenTrial | optuna.Trial],
        worse_trials: FrozenTrial | optuna.Trial | list[FrozenTrial | optuna.Trial],
    ) -> None:
        """Record that each of ``better_trials`` is better than each of ``worse_trials``.

        The compared trials that are still running are completed (values all 0).

        Raises:
            ValueError: a trial is not of this study, is both better and worse, or a pair
                contradicts the stored preferences. Nothing is written then.
        """
        better = better_trials if isinstance(better_trials, list) else [better_trials]
        worse = worse_trials if isinstance(worse_trials, list) else [worse_trials]
        n_objectives = len(self._study.directions)

        def report(tx: StudyTx) -> None:
            trials = tx.trials()
            b_numbers = check_trials_of_study(better, trials, "better_trials")
            w_numbers = check_trials_of_study(worse, trials, "worse_trials")
            both = sorted(set(b_numbers) & set(w_numbers))
            if both:
                raise ValueError(f"Trial {both[0]} is in both better_trials and worse_trials.")
            pairs = [(b, w) for b in b_numbers for w in w_numbers]
            clash = contradiction(_keys.preferences(tx.system_attrs(_keys.PREFIX)), pairs)
            if clash is not None:
                raise ValueError(
                    f"Trial {clash[0]} better than trial {clash[1]} contradicts the stored "
                    f"preferences: trial {clash[1]} is already better than trial {clash[0]}."
                )
            if pairs:
                record_preferences(tx, new_preference_id(), pairs, trials, n_objectives)

        atomically(self._storage, self._study_id, report)

    def get_preferences(self, *, deepcopy: bool = True) -> list[tuple[FrozenTrial, FrozenTrial]]:
        """Every recorded (better, worse) pair of trials, undone decisions left out."""
        pairs = _keys.preferences(self.system_attrs)  # before the trials
        trials = self._study.get_trials(deepcopy=deepcopy)
        return [(trials[b], trials[w]) for b, w in pairs]

    def set_user_attr(self, key: str, value: Any) -> None:
        self._study.set_user_attr(key, value)

    def should_generate(self) -> bool:
        """Whether fewer than ``n_generate`` trials are active: then ask for a new one."""
        system_attrs = self.system_attrs
        trials = self._study.get_trials(
            deepcopy=False, states=(TrialState.RUNNING, TrialState.COMPLETE)
        )
        return len(_keys.active_trials(trials, system_attrs)) < _keys.n_generate(system_attrs)


def _check_n_generate(n_generate: Any) -> int:
    if isinstance(n_generate, bool) or not isinstance(n_generate, int):
        raise ValueError(f"n_generate must be an int, got {n_generate!r}.")
    if n_generate < 2:
        raise ValueError(
            f"n_generate must be at least 2 (a person compares the active trials), "
            f"got {n_generate}."
        )
    return n_generate


def create_study(
    *,
    n_generate: int,
    storage: str | BaseStorage | None = None,
    sampler: BaseSampler | None = None,
    study_name: str | None = None,
    load_if_exists: bool = False,
) -> PreferentialStudy:
    """Create a preferential study (like ``optuna.create_study``).

    Args:
        n_generate: how many trials to keep active for a person to compare (at least 2).
        storage: a storage URL or object; in-memory when ``None``.
        sampler: defaults to
            :class:`~jupyterlab_optuna.preferential.samplers.gp.PreferentialGPSampler`,
            which needs ``pip install "jupyterlab-optuna[preferential]"`` (torch, botorch):
            an ImportError says so when they are missing. Most optuna samplers ignore
            preferences; ``optuna.samplers.RandomSampler`` is a fine dependency-free choice.
        study_name: a unique name is made when ``None``.
        load_if_exists: load the preferential study of that name if it exists (its stored
            ``n_generate`` is kept) instead of raising ``DuplicatedStudyError``.

    Raises:
        ValueError: ``n_generate`` is below 2, or ``load_if_exists`` found a study that is
            not preferential.
    """
    _check_n_generate(n_generate)
    sampler = sampler if sampler is not None else default_sampler()
    try:
        study = optuna.create_study(storage=storage, sampler=sampler, study_name=study_name)
    except optuna.exceptions.DuplicatedStudyError:
        if not load_if_exists:
            raise
        return load_study(study_name=study_name, storage=storage, sampler=sampler)  # type: ignore[arg-type]
    study._storage.set_study_system_attr(study._study_id, _keys.PREFERENTIAL_KEY, True)
    study._storage.set_study_system_attr(study._study_id, _keys.N_GENERATE_KEY, n_generate)
    return PreferentialStudy(study)


def load_study(
    *,
    study_name: str | None,
    storage: str | BaseStorage,
    sampler: BaseSampler | None = None,
) -> PreferentialStudy:
    """Load a preferential study (like ``optuna.load_study``).

    ``study_name=None`` loads the only study of the storage. ``sampler`` defaults as in
    :func:`create_study`.

    Raises:
        ValueError: the study is not preferential (an ordinary optuna study).
        KeyError: no study of that name.
    """
    storage_obj = optuna.storages.get_storage(storage)
    if study_name is None:
        studies = storage_obj.get_all_studies()
        if len(studies) != 1:
            raise ValueError(f"study_name is needed: the storage holds {len(studies)} studies.")
        study_name = studies[0].study_name
    study_id = storage_obj.get_study_id_from_name(study_name)
    if not _keys.is_preferential(storage_obj.get_study_system_attrs(study_id)):
        raise ValueError(
            f"Study {study_name!r} is not a preferential study; open it with "
            "optuna.load_study, or make one with jupyterlab_optuna.preferential.create_study."
        )
    sampler = sampler if sampler is not None else default_sampler()
    return PreferentialStudy(
        optuna.load_study(study_name=study_name, storage=storage_obj, sampler=sampler)
    )
