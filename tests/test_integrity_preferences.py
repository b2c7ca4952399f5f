"""Random interleavings of decide / undo / redo / skip by several raters (Hypothesis).

Each rater acts on what it saw when it last looked, which may be stale, exactly as people
at several screens do. After every step the stored preferences must keep the rules, and
every decision answered 201 must be stored exactly once.
"""

from __future__ import annotations

import shutil
import tempfile

import optuna
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from prefutil import preference_violations

from jupyterlab_optuna._core.errors import DashboardError
from jupyterlab_optuna.preferential import _keys, create_study
from jupyterlab_optuna.preferential._decisions import (
    list_active_candidates,
    list_history,
    redo_decision,
    report_choose_worst,
    skip_trial,
    undo_decision,
)

N_RATERS = 3


class RatersMachine(RuleBasedStateMachine):
    storage_kind = "inmemory"

    @initialize()
    def open_study(self) -> None:
        self.tmp = tempfile.mkdtemp()
        storage = (
            optuna.storages.InMemoryStorage()
            if self.storage_kind == "inmemory"
            else f"sqlite:///{self.tmp}/pref.db"
        )
        self.study = create_study(n_generate=3, storage=storage, study_name="p",
                                  sampler=optuna.samplers.RandomSampler(seed=0))  # fmt: skip
        self.storage, self.sid = self.study._storage, self.study._study_id
        self.generate()
        self.views = [self.look_now() for _ in range(N_RATERS)]
        self.accepted: list[str] = []

    def teardown(self) -> None:
        shutil.rmtree(getattr(self, "tmp", ""), ignore_errors=True)

    def look_now(self) -> tuple[list[int], list[dict]]:
        active = list_active_candidates(self.storage, self.sid)
        return active, list_history(self.storage, self.sid)

    def attempt(self, action) -> object | None:
        try:
            return action()
        except DashboardError as e:
            assert e.status == 409, e.message  # only ever "someone else changed it"
            return None

    @rule()
    def generate(self) -> None:
        while self.study.should_generate():
            self.study.ask().suggest_float("x", 0, 1)

    @rule(rater=st.integers(0, N_RATERS - 1))
    def look(self, rater: int) -> None:
        self.views[rater] = self.look_now()

    @rule(rater=st.integers(0, N_RATERS - 1), pick=st.integers(0, 9))
    def decide(self, rater: int, pick: int) -> None:
        active, _ = self.views[rater]
        if len(active) < 2:
            return
        clicked = active[pick % len(active)]
        entry = self.attempt(lambda: report_choose_worst(self.storage, self.sid, active, clicked))
        if entry is not None:
            self.accepted.append(entry["history"]["id"])  # type: ignore[index]

    @rule(rater=st.integers(0, N_RATERS - 1), pick=st.integers(0, 9), undo=st.booleans())
    def undo_or_redo(self, rater: int, pick: int, undo: bool) -> None:
        _, history = self.views[rater]
        if not history:
            return
        decision_id = history[pick % len(history)]["history"]["id"]
        verb = undo_decision if undo else redo_decision
        self.attempt(lambda: verb(self.storage, self.sid, decision_id))

    @rule(rater=st.integers(0, N_RATERS - 1), pick=st.integers(0, 9))
    def skip(self, rater: int, pick: int) -> None:
        active, _ = self.views[rater]
        if not active:
            return
        number = active[pick % len(active)]
        trial_id = self.storage.get_trial_id_from_study_id_trial_number(self.sid, number)
        self.attempt(lambda: skip_trial(self.storage, self.sid, trial_id))

    @invariant()
    def preferences_keep_the_rules(self) -> None:
        attrs = self.storage.get_study_system_attrs(self.sid)
        assert preference_violations(attrs, self.study.trials) == []

    @invariant()
    def every_accepted_decision_is_stored_once(self) -> None:
        attrs = self.storage.get_study_system_attrs(self.sid)
        stored = [e["history"]["id"] for e in _keys.history(attrs)]
        assert sorted(stored) == sorted(self.accepted)


class SQLiteRatersMachine(RatersMachine):
    storage_kind = "sqlite"


TestRatersInMemory = RatersMachine.TestCase
TestRatersInMemory.settings = settings(
    max_examples=60, stateful_step_count=40, deadline=None, derandomize=True
)
TestRatersOnSQLite = SQLiteRatersMachine.TestCase
TestRatersOnSQLite.settings = settings(
    max_examples=15,
    stateful_step_count=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
