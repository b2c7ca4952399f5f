"""The sliced JSON encoder gives exactly what json.dumps gives."""

from __future__ import annotations

import json

import pytest

from jupyterlab_optuna._core.encoding import dumps


@pytest.mark.parametrize(
    "data",
    [
        {"trials": {"number": list(range(2500)), "params": {"x": [0.5] * 1001, "y": []}}},
        [{"k": i} for i in range(3001)],
        {"empty": {}, "nested": {"a": {"b": {"c": [1, None, "s"]}}}},
        "text",
    ],
)
def test_dumps_matches_json(data) -> None:
    assert json.loads(dumps(data)) == data


def test_dumps_writes_non_finite_floats_as_strings() -> None:
    data = {"v": [float("nan"), 1.5], "w": {"x": float("-inf")}, "long": [float("inf")] * 1500}
    text = dumps(data)
    assert "NaN" not in text and "Infinity" not in text
    assert json.loads(text) == {"v": ["nan", 1.5], "w": {"x": "-inf"}, "long": ["inf"] * 1500}
