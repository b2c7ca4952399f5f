"""The preferences as a directed graph (better → worse), to keep them consistent.

Stored preferences must never contradict each other: no pair in both directions and no
cycle (a > b > c > a). A new set of pairs is checked against those in effect before it is
written.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping


def contradiction(
    in_effect: Iterable[tuple[int, int]], new_pairs: Iterable[tuple[int, int]]
) -> tuple[int, int] | None:
    """A new (better, worse) pair whose worse trial is already, directly or through others,
    better than its better trial; None when the new pairs agree with those in effect."""
    better_than: dict[int, set[int]] = {}
    new = list(new_pairs)
    for b, w in [*in_effect, *new]:
        better_than.setdefault(b, set()).add(w)
    for b, w in new:
        if b == w or _reaches(better_than, w, b):
            return b, w
    return None


def _reaches(better_than: Mapping[int, set[int]], start: int, goal: int) -> bool:
    seen, stack = {start}, [start]
    while stack:
        for nxt in better_than.get(stack.pop(), ()):
            if nxt == goal:
                return True
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return False
