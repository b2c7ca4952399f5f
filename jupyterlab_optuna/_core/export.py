"""CSV export of a study's trials (what the dashboard's "Download CSV" serves)."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from typing import Any

from jupyterlab_optuna._core.errors import BadRequest
from jupyterlab_optuna._core.records import STATE_NAMES, TrialRecord
from jupyterlab_optuna._core.routing import Response, content_disposition
from jupyterlab_optuna._core.storage import StorageEntry
from jupyterlab_optuna._core.studies import check_study
from jupyterlab_optuna._core.trial_source import trial_records
from jupyterlab_optuna.hitl.objective_names import metric_names_from_system_attrs


def _time(ms: float | None) -> str:
    return "" if ms is None else datetime.fromtimestamp(ms / 1000).isoformat(sep=" ")


def _text(v: Any) -> Any:
    return v if isinstance(v, str | int | float) or v is None else json.dumps(v)


def trials_csv(entry: StorageEntry, study_id: int, states: str | None) -> Response:
    """All trials (or those in ``states``, comma separated) as CSV, one row per trial."""
    name = check_study(entry, study_id)
    wanted = None
    if states:
        wanted = {s.strip().capitalize() for s in states.split(",") if s.strip()}
        unknown = wanted - set(STATE_NAMES.values())
        if unknown:
            raise BadRequest(f"Unknown trial state(s): {', '.join(sorted(unknown))}.")
    records: list[TrialRecord] = [
        r
        for r in trial_records(entry, study_id)
        if wanted is None or STATE_NAMES[r.state] in wanted
    ]
    n_objectives = len(entry.storage.get_study_directions(study_id))
    names = metric_names_from_system_attrs(entry.storage.get_study_system_attrs(study_id))
    value_columns = names or (
        ["value"] if n_objectives == 1 else [f"values_{i}" for i in range(n_objectives)]
    )
    params = sorted({p for r in records for p in r.params})
    attrs = sorted({a for r in records for a in r.user_attrs})
    out = io.StringIO()
    writer = csv.writer(out)
    header = ["number", "state", *value_columns, "datetime_start", "datetime_complete"]
    header += [f"params_{p}" for p in params] + [f"user_attrs_{a}" for a in attrs]
    writer.writerow(header)
    for r in records:
        values = r.values or [None] * n_objectives
        writer.writerow([r.number, STATE_NAMES[r.state], *values, _time(r.datetime_start),
                         _time(r.datetime_complete), *(_text(r.params.get(p)) for p in params),
                         *(_text(r.user_attrs.get(a)) for a in attrs)])  # fmt: skip
    filename = "".join("_" if c in '/\\:*?"<>|' or not c.isprintable() else c for c in name)
    return Response(
        content=out.getvalue().encode(),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": content_disposition("attachment", f"{filename}.csv")},
    )
