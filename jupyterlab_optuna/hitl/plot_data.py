"""Plotly figures saved with a study, shown by the dashboard beside its own plots."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from typing import Any, TypedDict

from jupyterlab_optuna._core.atomic import atomically
from jupyterlab_optuna.hitl._chunks import chunk_writes, read_chunks
from jupyterlab_optuna.hitl._targets import study_target

PLOT_DATA_PREFIX = "dashboard:plot_data:"
_VALID_ID = re.compile(r"[A-Za-z0-9_.:-]+")


class GraphObjectJSON(TypedDict):
    id: str
    graph_object: str


def save_plotly_graph_object(study: Any, figure: Any, graph_object_id: str | None = None) -> str:
    """Save a plotly figure with the study; the same id replaces it. Returns the id.

    Example:
        >>> import optuna, plotly.graph_objects as go
        >>> from jupyterlab_optuna import save_plotly_graph_object
        >>> study = optuna.create_study()
        >>> save_plotly_graph_object(study, go.Figure(go.Bar(y=[1, 3, 2])), "bars")
        'bars'
    """
    if not hasattr(figure, "to_json"):
        raise TypeError(f"Expected a plotly figure, got {type(figure).__name__}.")
    if graph_object_id is None:
        graph_object_id = str(uuid.uuid4())
    elif not isinstance(graph_object_id, str) or not _VALID_ID.fullmatch(graph_object_id):
        raise ValueError(
            "graph_object_id must be a non-empty string of letters, digits, '-', '_', ':' "
            f"and '.' (it becomes an HTML id), got {graph_object_id!r}."
        )
    storage, study_id = study_target(study)
    text = figure.to_json()
    prefix = f"{PLOT_DATA_PREFIX}{graph_object_id}:"
    atomically(
        storage,
        study_id,
        lambda tx: tx.set_system_attrs(chunk_writes(prefix, text, tx.system_attrs(prefix))),
    )
    return graph_object_id


def plotly_graph_objects_from_system_attrs(
    system_attrs: Mapping[str, Any],
) -> list[GraphObjectJSON]:
    """Every saved figure as its JSON text, in the order they were first saved."""
    ids: dict[str, None] = {}
    for key in system_attrs:
        if key.startswith(PLOT_DATA_PREFIX):
            ids.setdefault(key[len(PLOT_DATA_PREFIX) :].rsplit(":", 1)[0], None)
    out: list[GraphObjectJSON] = []
    for graph_id in ids:
        text = read_chunks(f"{PLOT_DATA_PREFIX}{graph_id}:", system_attrs)
        out.append({"id": graph_id, "graph_object": text})
    return out
