"""Keep N trials waiting for a person, from a background thread of the kernel."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import optuna
from optuna.trial import TrialState

_logger = optuna.logging.get_logger(__name__)


class KeepRunning:
    """The background generator started by :func:`keep_running`; ``stop()`` ends it.

    ``error`` holds the exception that stopped ``generate``, if any; ``generated`` counts
    the calls that returned.
    """

    def __init__(self, study: Any, generate: Callable[[Any], Any], n: int, interval: float):
        self.study, self._generate, self.n, self.interval = study, generate, n, interval
        self.generated = 0
        self.error: BaseException | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="keep_running", daemon=True)
        self._thread.start()

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def stop(self, timeout: float | None = 10.0) -> None:
        """Stop generating (a ``generate`` call under way finishes first)."""
        self._stop.set()
        self._thread.join(timeout)

    def _wanted(self) -> int:
        if hasattr(self.study, "should_generate"):  # a PreferentialStudy: its active trials
            return 1 if self.study.should_generate() else 0
        running = self.study.get_trials(deepcopy=False, states=(TrialState.RUNNING,))
        return max(self.n - len(running), 0)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                for _ in range(self._wanted()):
                    if self._stop.is_set():
                        return
                    self._generate(self.study)
                    self.generated += 1
            except BaseException as e:
                self.error = e
                _logger.error(f"keep_running stopped: generate raised {type(e).__name__}: {e}")
                return
            self._stop.wait(self.interval)

    def __repr__(self) -> str:
        state = (
            "running" if self.running else f"stopped ({self.error!r})" if self.error else "stopped"
        )
        return f"<KeepRunning n={self.n} generated={self.generated} {state}>"


def keep_running(
    study: Any, generate: Callable[[Any], Any], *, n: int = 4, interval: float = 1.0
) -> KeepRunning:
    """Call ``generate(study)`` in a background thread whenever fewer than ``n`` trials run.

    ``generate`` asks a trial and prepares what a person judges (an image, a note) and
    leaves the trial running; a person then rates it (``RateTrials``, the dashboard) or
    compares it (``CompareTrials``; for a ``PreferentialStudy`` its ``n_generate`` active
    trials count, not ``n``). The cell returns at once; the widgets in other cells stay live.

    Example:
        >>> def generate(study):
        ...     trial = study.ask()
        ...     trial.suggest_float("x", 0, 1)
        >>> runner = keep_running(study, generate, n=4)  # doctest: +SKIP
        >>> runner.stop()  # doctest: +SKIP

    Raises:
        ValueError: ``n`` below 1 or a negative ``interval``.
        TypeError: ``generate`` is not callable.
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"n must be an int of at least 1, got {n!r}.")
    if not isinstance(interval, int | float) or interval < 0:
        raise ValueError(f"interval must be seconds >= 0, got {interval!r}.")
    if not callable(generate):
        raise TypeError(f"generate must be a function of the study, got {generate!r}.")
    return KeepRunning(study, generate, n, interval)
