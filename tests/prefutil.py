"""The rules stored preferences must keep, checked independently of the code under test."""

from __future__ import annotations

import graphlib
from collections import Counter
from typing import Any

from jupyterlab_optuna.preferential import _keys


def preference_violations(system_attrs: dict[str, Any], trials: list[Any]) -> list[str]:
    """Every way the stored preferences break the rules of the comparison page: a duplicated
    pair, a trial reported worse by two decisions in effect, a contradiction or cycle, a
    pair naming no trial."""
    problems = []
    pairs = _keys.preferences(system_attrs)
    if len(pairs) != len(set(pairs)):
        problems.append(f"duplicated pairs: {[p for p, n in Counter(pairs).items() if n > 1]}")
    in_effect = [e["history"] for e in _keys.history(system_attrs) if not e["is_removed"]]
    clicked = Counter(h["clicked"] for h in in_effect)
    if any(n > 1 for n in clicked.values()):
        problems.append(f"reported worse twice: {[t for t, n in clicked.items() if n > 1]}")
    if has_cycle(pairs):
        problems.append("a contradiction or cycle")
    numbers = {t.number for t in trials}
    if not {n for pair in pairs for n in pair} <= numbers:
        problems.append("a pair names a trial that does not exist")
    return problems


def has_cycle(pairs: list[tuple[int, int]]) -> bool:
    """Whether the (better, worse) pairs contradict each other, directly or in a cycle."""
    graph: dict[int, set[int]] = {}
    for b, w in pairs:
        graph.setdefault(w, set()).add(b)
    try:
        tuple(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError:
        return True
    return False
