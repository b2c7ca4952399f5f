"""The notebook widgets: the dashboard, rating and comparing trials, right in a cell.

They are anywidget widgets whose front end reaches the study through the widget comm
(:class:`~jupyterlab_optuna.widgets._transport.CommTransport`), never through a server
URL: they work where no server extension runs (Colab, VS Code) and on in-memory studies.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import anywidget
import traitlets
from optuna.storages import BaseStorage

from jupyterlab_optuna._core.storage import StorageEntry
from jupyterlab_optuna.hitl._targets import study_target
from jupyterlab_optuna.widgets._transport import CommTransport

STATIC = Path(__file__).parents[1] / "static"

_transport: CommTransport | None = None


def transport() -> CommTransport:
    """The kernel's one transport: every widget shares its open storages."""
    global _transport
    if _transport is None:
        _transport = CommTransport()
    return _transport


def _check_bundle(path: Path) -> None:
    if not path.exists():
        raise RuntimeError(
            f"The widget front end {path} is missing: this is a source checkout without a "
            "build. Run `npm run build` (or `pip install .`) first."
        )


class _DashboardWidget(anywidget.AnyWidget):
    """Base of the widgets: one study (or storage) and the comm requests about it."""

    _esm = STATIC / "widget.js"
    _css = STATIC / "widget.css"

    view = traitlets.Unicode("dashboard").tag(sync=True)
    storage = traitlets.Dict().tag(sync=True)
    study_id = traitlets.Int(None, allow_none=True).tag(sync=True)
    height = traitlets.Int(600).tag(sync=True)
    refresh_interval_ms = traitlets.Int(2000).tag(sync=True)

    def __init__(self, entry: StorageEntry, study_id: int | None, **traits: Any) -> None:
        _check_bundle(STATIC / "widget.js")
        super().__init__(
            storage=entry.info(),
            study_id=study_id,
            **traits,
        )
        self.on_msg(self._on_request)

    def _on_request(self, _widget: Any, content: Any, buffers: list[bytes]) -> None:
        if transport().wait_for_change(content, self.send):
            return
        reply = transport().handle(content, buffers)
        if reply is not None:
            self.send(*reply)


def _study_entry(study: Any, artifact_store: Any) -> tuple[StorageEntry, int]:
    storage, study_id = study_target(study)
    entry = transport().registry.add(storage, artifact_store)
    if artifact_store is not None:
        entry.artifact_store = artifact_store
    return entry, study_id


def _check_refresh(refresh_interval: float) -> int:
    if not isinstance(refresh_interval, int | float) or refresh_interval < 0:
        raise ValueError(f"refresh_interval must be seconds >= 0, got {refresh_interval!r}.")
    return int(refresh_interval * 1000)


class Dashboard(_DashboardWidget):
    """The whole dashboard of a study (or of every study in a storage) in a cell.

    ``show_dashboard`` displays one; make one yourself to keep a handle on it.

    Args:
        study_or_storage: an ``optuna.Study``, a ``PreferentialStudy``, an optuna storage
            object, or a storage URL / SQLite or journal file path (then the study list).
        height: of the widget in pixels.
        artifact_store: where the study's artifacts are (e.g. a ``FileSystemArtifactStore``).
        artifact_dir: the same as a directory path, for a storage given as a URL.
        refresh_interval: changes show within a fraction of a second (the kernel watches
            the storage); this is the seconds between polls where it cannot (a database
            other than SQLite or PostgreSQL). 0: only on demand.
    """

    def __init__(
        self,
        study_or_storage: Any,
        *,
        height: int = 600,
        artifact_store: Any = None,
        artifact_dir: str | None = None,
        refresh_interval: float = 2.0,
    ) -> None:
        if isinstance(height, bool) or not isinstance(height, int) or height < 200:
            raise ValueError(f"height must be an int of at least 200 pixels, got {height!r}.")
        registry = transport().registry
        study_id: int | None = None
        if isinstance(study_or_storage, str | Path):
            entry = registry.open(str(study_or_storage), artifact_dir, trusted=True)
        elif isinstance(study_or_storage, BaseStorage):
            entry = registry.add(study_or_storage, artifact_store)
        else:
            entry, study_id = _study_entry(study_or_storage, artifact_store)
        super().__init__(
            entry,
            study_id,
            view="dashboard",
            height=height,
            refresh_interval_ms=_check_refresh(refresh_interval),
        )


def show_dashboard(study_or_storage: Any, *, height: int = 600, **kwargs: Any) -> None:
    """Show the dashboard of a study (or a storage's study list) in the cell's output.

    Example:
        >>> import optuna
        >>> from jupyterlab_optuna import show_dashboard
        >>> study = optuna.create_study()
        >>> show_dashboard(study, height=500)  # doctest: +SKIP

    Takes the arguments of :class:`Dashboard` (``artifact_store``, ``artifact_dir``,
    ``refresh_interval``). Works without the server extension, e.g. in Colab.
    """
    from IPython.display import display

    display(Dashboard(study_or_storage, height=height, **kwargs))


class RateTrials(_DashboardWidget):
    """Rate the running trials of a study with its registered form widgets, in a cell.

    Each running trial shows its note, or the artifact named by ``artifact_key`` (a user
    attr holding the artifact id), and the study's form. Submitting tells the trial
    (objective forms) or saves its user attrs (user-attr forms). Number keys choose,
    Enter submits, arrow keys move between trials.

    Example:
        >>> from jupyterlab_optuna import RateTrials
        >>> RateTrials(study, layout="grid")  # doctest: +SKIP

    Args:
        study: an ``optuna.Study`` with form widgets registered
            (``register_objective_form_widgets`` or ``register_user_attr_form_widgets``).
        layout: ``"single"`` (one trial at a time) or ``"grid"`` (all running trials).
        artifact_key: a user attr naming each trial's artifact to show instead of its note.
        artifact_store: where the artifacts are (e.g. a ``FileSystemArtifactStore``).
        refresh_interval: new trials show within a fraction of a second; this is the
            seconds between polls where the storage cannot be watched (0: on demand).
    """

    layout_mode = traitlets.Unicode("single").tag(sync=True)
    artifact_key = traitlets.Unicode(None, allow_none=True).tag(sync=True)

    def __init__(
        self,
        study: Any,
        *,
        layout: str = "single",
        artifact_key: str | None = None,
        artifact_store: Any = None,
        refresh_interval: float = 1.0,
    ) -> None:
        if layout not in ("single", "grid"):
            raise ValueError(f"layout must be 'single' or 'grid', got {layout!r}.")
        if artifact_key is not None and not isinstance(artifact_key, str):
            raise TypeError(f"artifact_key must be a str, got {type(artifact_key).__name__}.")
        entry, study_id = _study_entry(study, artifact_store)
        super().__init__(
            entry,
            study_id,
            view="rate",
            layout_mode=layout,
            artifact_key=artifact_key,
            refresh_interval_ms=_check_refresh(refresh_interval),
        )


class CompareTrials(_DashboardWidget):
    """Preferential feedback in a cell: pick the worst of the active trials.

    The active trials show side by side with the study's feedback component (see
    ``register_preference_feedback_component``); click a trial or press its number to
    report it as the worst, skip a trial, undo the last choice. Preferences are stored as
    the dashboard stores them, so the study's sampler learns from them.

    Example:
        >>> from jupyterlab_optuna import CompareTrials
        >>> CompareTrials(preferential_study)  # doctest: +SKIP

    Args:
        study: a ``PreferentialStudy`` (or an ``optuna.Study`` made preferential).
        artifact_store: where the artifacts of an artifact feedback component are.
        refresh_interval: new trials show within a fraction of a second; this is the
            seconds between polls where the storage cannot be watched (0: on demand).
    """

    def __init__(
        self, study: Any, *, artifact_store: Any = None, refresh_interval: float = 1.0
    ) -> None:
        entry, study_id = _study_entry(study, artifact_store)
        if not entry.storage.get_study_system_attrs(study_id).get("preference:is_preferential"):
            raise ValueError(
                "CompareTrials needs a preferential study: make it with "
                "jupyterlab_optuna.preferential.create_study(n_generate=...)."
            )
        super().__init__(
            entry,
            study_id,
            view="compare",
            refresh_interval_ms=_check_refresh(refresh_interval),
        )
