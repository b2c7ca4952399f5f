"""optuna.terminator's improvement (and error) curve of a study, computed in the background.

Each point is optuna's ``RegretBoundEvaluator`` (seed 0) on the complete trials up to a
trial number, as ``optuna.visualization.plot_terminator_improvement`` computes it; the
error is ``CrossValidationErrorEvaluator``'s when every complete trial reported its
cross-validation scores (``optuna.terminator.report_cross_validation_scores``). A point
fits a Gaussian process, so a study is evaluated at most at ``max_points`` trial numbers
spread over its history (the last one always), by one thread per study that no request
waits on: each request answers the progress so far, and a study that changed starts over.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from optuna.study import StudyDirection
from optuna.trial import FrozenTrial, TrialState

from jupyterlab_optuna._core.errors import BadRequest
from jupyterlab_optuna._core.storage import StorageEntry
from jupyterlab_optuna._core.studies import check_study
from jupyterlab_optuna._core.trial_source import trial_records

# One Gaussian-process fit at a time in this process, whatever the number of studies or
# requests: a burst of requests (each with its own max_points) cannot fill the CPUs.
_ONE_FIT = threading.Lock()

DEFAULT_POINTS = 30
MAX_POINTS = 200
_CV_KEY = "terminator:cv_scores"


@dataclass
class _Job:
    key: tuple[Any, ...]
    total: int
    numbers: list[int] = field(default_factory=list)
    improvements: list[float] = field(default_factory=list)
    errors: list[float] | None = None
    message: str | None = None
    done: bool = False
    cancelled: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, number: int, improvement: float, error: float | None) -> None:
        with self.lock:
            self.numbers.append(number)
            self.improvements.append(improvement)
            if self.errors is not None and error is not None:
                self.errors.append(error)

    def answer(self) -> dict[str, Any]:
        with self.lock:
            return self._answer()

    def _answer(self) -> dict[str, Any]:
        status = "failed" if self.message else ("done" if self.done else "running")
        return {
            "status": status,
            "message": self.message,
            "done": len(self.numbers),
            "total": self.total,
            "trial_numbers": list(self.numbers),
            "improvements": list(self.improvements),
            "errors": None if self.errors is None else list(self.errors),
        }


def evaluation_numbers(trials: list[FrozenTrial], max_points: int) -> list[int]:
    """The trial numbers to evaluate at: from the first complete trial on, at most
    ``max_points`` of them evenly spread, the last trial always among them."""
    first = next((t.number for t in trials if t.state == TrialState.COMPLETE), None)
    if first is None:
        return []
    numbers = [t.number for t in trials if t.number >= first]
    if len(numbers) <= max_points:
        return numbers
    step = (len(numbers) - 1) / (max_points - 1)
    return sorted({numbers[round(i * step)] for i in range(max_points)})


def improvement_point(
    complete: list[FrozenTrial], direction: StudyDirection, with_error: bool
) -> tuple[float, float | None]:
    """optuna's regret bound (and error) of the given complete trials."""
    from optuna.terminator import CrossValidationErrorEvaluator, RegretBoundEvaluator

    improvement = RegretBoundEvaluator(seed=0).evaluate(complete, direction)
    error = CrossValidationErrorEvaluator().evaluate(complete, direction) if with_error else None
    return float(improvement), error if error is None else float(error)


def terminator_improvement(entry: StorageEntry, study_id: int, max_points: int) -> dict[str, Any]:
    """The study's improvement curve so far: ``{status, message, done, total,
    trial_numbers, improvements, errors}``; starts (or restarts) its computation."""
    if not 2 <= max_points <= MAX_POINTS:
        raise BadRequest(f"max_points must be between 2 and {MAX_POINTS}.")
    check_study(entry, study_id)
    directions = entry.storage.get_study_directions(study_id)
    if len(directions) != 1:
        raise BadRequest("The terminator's improvement is for studies with one objective.")
    # A poll while the curve is computed reads the per-study cache, not every trial.
    records = trial_records(entry, study_id)
    complete = [r.number for r in records if r.state == TrialState.COMPLETE]
    key = (len(records), len(complete), complete[-1] if complete else -1, max_points)
    with entry.lock:
        job: _Job | None = entry.cache.setdefault("terminator", {}).get(study_id)
        if job is not None and job.key == key:
            return job.answer()
    trials = entry.storage.get_all_trials(study_id, deepcopy=False)
    with entry.lock:
        jobs = entry.cache["terminator"]
        job = jobs.get(study_id)
        if job is None or job.key != key:
            if job is not None:
                job.cancelled = True
            job = _Job(key, 0)
            jobs[study_id] = job
            _start(job, trials, directions[0])
        return job.answer()


def _start(job: _Job, trials: list[FrozenTrial], direction: StudyDirection) -> None:
    numbers = evaluation_numbers(trials, job.key[-1])
    job.total = len(numbers)
    with_error = bool(numbers) and all(
        _CV_KEY in t.system_attrs for t in trials if t.state == TrialState.COMPLETE
    )
    job.errors = [] if with_error else None

    def run() -> None:
        try:
            for number in numbers:
                complete = [
                    t for t in trials if t.state == TrialState.COMPLETE and t.number <= number
                ]
                with _ONE_FIT:
                    if job.cancelled:
                        return
                    job.add(number, *improvement_point(complete, direction, with_error))
        except ImportError as e:
            job.message = f"The terminator needs torch: pip install torch ({e})."
        except Exception as e:  # a GP that cannot be fitted: say it, keep the server up
            job.message = f"The improvement could not be computed: {e}"
        finally:
            job.done = True

    if not numbers:
        job.done = True
        return
    threading.Thread(target=run, name="jupyterlab-optuna-terminator", daemon=True).start()
