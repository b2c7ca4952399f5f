"""The issue-16 target over prefbench results: per sigma and budget, the mean over
problems of the median regret (best and recommended) of each sampler, and ask() times.

    .venv/bin/python bench/pref_target.py bench/results/pref_*.json [--ours ours --peer eubo]
    .venv/bin/python bench/pref_target.py --compact FILE...  # 6 digits, in place (not params)
    .venv/bin/python bench/pref_target.py FILES... --bootstrap 2000  # + intervals of ours - peer
    .venv/bin/python bench/pref_target.py FILES... --alias pairs=ours  # one sampler, two labels

Runs of the same sampler, problem, sigma and seed found in several files count once (the
last file wins). Only problems every sampler ran at a sigma enter that sigma's means.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

BUDGETS = (20, 40, 80)


def load(paths: list[Path], aliases: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """The runs of ``paths``, their sampler labels renamed by ``aliases``."""
    aliases = aliases or {}
    runs: dict[tuple[Any, ...], dict[str, Any]] = {}
    for path in paths:
        for r in json.loads(path.read_text())["runs"]:
            r["sampler"] = aliases.get(r["sampler"], r["sampler"])
            runs[(r["sampler"], r["problem"], r["sigma"], r["seed"])] = r
    return list(runs.values())


def medians(runs: list[dict[str, Any]], key: str, budget: int) -> float | None:
    vals = [
        r["metrics"][str(budget)][key]
        for r in runs
        if str(budget) in r["metrics"] and r["metrics"][str(budget)][key] is not None
    ]
    return float(np.median(vals)) if vals else None


def regret_table(runs: list[dict[str, Any]], ours: str, peer: str) -> list[str]:
    by: dict[tuple[str, float, str], list[dict[str, Any]]] = defaultdict(list)
    for r in runs:
        by[(r["sampler"], r["sigma"], r["problem"])].append(r)
    samplers = sorted({s for s, _, _ in by})
    lines = [
        "Mean over problems of the median regret over seeds (best | rec); "
        f"* = {ours} at or below {peer}",
        "| sigma | problems | sampler | "
        + " | ".join(f"best@{b}" for b in BUDGETS)
        + " | "
        + " | ".join(f"rec@{b}" for b in BUDGETS)
        + " |",
        "|" + "---|" * (3 + 2 * len(BUDGETS)),
    ]
    for sigma in sorted({s for _, s, _ in by}):
        problems = sorted(
            p
            for p in {p for _, s, p in by if s == sigma}
            if all(by.get((name, sigma, p)) for name in samplers)
        )
        if not problems:
            continue
        means: dict[str, list[float | None]] = {}
        for name in samplers:
            row: list[float | None] = []
            for key in ("best", "rec"):
                for b in BUDGETS:
                    cells = [medians(by[(name, sigma, p)], key, b) for p in problems]
                    row.append(None if None in cells else float(np.mean(cells)))
            means[name] = row
        for name in samplers:
            cells = []
            for i, v in enumerate(means[name]):
                mark = ""
                peer_v = means.get(peer, [None] * len(means[name]))[i]
                if name == ours and v is not None and peer_v is not None and v <= peer_v:
                    mark = " *"
                cells.append("-" if v is None else f"{v:.4f}{mark}")
            lines.append(f"| {sigma:g} | {len(problems)} | {name} | " + " | ".join(cells) + " |")
    return lines


def bootstrap_table(
    runs: list[dict[str, Any]], ours: str, peer: str, n: int, seed: int = 0
) -> list[str]:
    """How sure each cell's "ours - peer" is: the seeds of every (sampler, problem, sigma)
    are resampled with replacement ``n`` times, and the difference of the means over
    problems of the medians is recomputed; 5th and 95th percentiles of it."""
    rng = np.random.default_rng(seed)
    by: dict[tuple[str, float, str], list[dict[str, Any]]] = defaultdict(list)
    for r in runs:
        by[(r["sampler"], r["sigma"], r["problem"])].append(r)
    lines = [
        f"ours - peer ({ours} - {peer}), mean over problems of the median regret: the value "
        f"and a 90% seed-bootstrap interval ({n} resamples); negative = ours lower",
        "| sigma | " + " | ".join(f"{k}@{b}" for k in ("best", "rec") for b in BUDGETS) + " |",
        "|" + "---|" * (1 + 2 * len(BUDGETS)),
    ]
    for sigma in sorted({s for _, s, _ in by}):
        problems = sorted(
            p for (name, s, p) in by if name == ours and s == sigma and by.get((peer, s, p))
        )
        if not problems:
            continue
        cells = []
        for key in ("best", "rec"):
            for b in BUDGETS:
                values = {
                    (name, p): np.array(
                        [
                            r["metrics"][str(b)][key]
                            for r in by[(name, sigma, p)]
                            if str(b) in r["metrics"] and r["metrics"][str(b)][key] is not None
                        ]
                    )
                    for name in (ours, peer)
                    for p in problems
                }
                if any(len(v) == 0 for v in values.values()):
                    cells.append("-")
                    continue
                point = _mean_median_gap(values, ours, peer, problems, None)
                draws = [_mean_median_gap(values, ours, peer, problems, rng) for _ in range(n)]
                lo, hi = np.percentile(draws, [5, 95])
                cells.append(f"{point:+.3f} [{lo:+.3f}, {hi:+.3f}]")
        lines.append(f"| {sigma:g} | " + " | ".join(cells) + " |")
    return lines


def _mean_median_gap(
    values: dict[tuple[str, str], np.ndarray],
    ours: str,
    peer: str,
    problems: list[str],
    rng: np.random.Generator | None,
) -> float:
    """Mean over problems of the median of ours minus the peer's; with ``rng``, of seeds
    drawn with replacement."""

    def median(v: np.ndarray) -> float:
        return float(np.median(v if rng is None else rng.choice(v, len(v))))

    return float(
        np.mean([median(values[(ours, p)]) for p in problems])
        - np.mean([median(values[(peer, p)]) for p in problems])
    )


def time_table(runs: list[dict[str, Any]]) -> list[str]:
    by: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in runs:
        by[r["sampler"]].append(r)
    lines = [
        "ask() seconds: median over all runs at clicks 40 and 80; the slowest ask of any run; "
        "duplicated proposals; errors",
        "| sampler | runs | ask@40 | ask@80 | max ask | duplicates | errors |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, rs in sorted(by.items()):
        at = {
            k: [r["ask_s_at"][k] for r in rs if r["ask_s_at"].get(k) is not None]
            for k in ("40", "80")
        }
        slowest = max((a[3] for r in rs for a in r.get("asks", [])), default=float("nan"))
        dups = sum(_duplicates(r) for r in rs)
        errors = sum(1 for r in rs if r["error"] or r["truncated"])
        lines.append(
            f"| {name} | {len(rs)} | {np.median(at['40']):.3f} | {np.median(at['80']):.3f} "
            f"| {slowest:.2f} | {dups} | {errors} |"
        )
    return lines


def _duplicates(r: dict[str, Any]) -> int:
    seen: set[str] = set()
    n = 0
    for p in r.get("trial_params", []):
        key = json.dumps(p, sort_keys=True)
        n += key in seen
        seen.add(key)
    return n


def _rounded(x: Any) -> Any:
    """``x`` with its floats to 6 significant digits, except the proposals' params: rounded,
    two close proposals would count as a duplicate."""
    if isinstance(x, float):
        return float(f"{x:.6g}")
    if isinstance(x, list | tuple):
        return [_rounded(v) for v in x]
    if isinstance(x, dict):
        return {k: v if k == "trial_params" else _rounded(v) for k, v in x.items()}
    return x


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="+", type=Path)
    ap.add_argument("--ours", default="ours")
    ap.add_argument("--peer", default="eubo")
    ap.add_argument("--compact", action="store_true", help="round floats (not params) in place")
    ap.add_argument("--bootstrap", type=int, default=0, help="resamples for ours - peer intervals")
    ap.add_argument("--seeds", type=int, default=0, help="only seeds below this (0: all)")
    ap.add_argument(
        "--alias",
        action="append",
        default=[],
        metavar="OLD=NEW",
        help="count the runs labelled OLD as NEW's (the same sampler run under another label)",
    )
    args = ap.parse_args()
    if args.compact:
        for path in args.files:
            compact = _rounded(json.loads(path.read_text()))
            path.write_text(json.dumps(compact, separators=(",", ":")) + "\n")
        return
    if any("=" not in a for a in args.alias):
        ap.error("--alias takes OLD=NEW")
    aliases = dict(a.split("=", 1) for a in args.alias)
    runs = [r for r in load(args.files, aliases) if not args.seeds or r["seed"] < args.seeds]
    lines = [*regret_table(runs, args.ours, args.peer), "", *time_table(runs)]
    if args.bootstrap:
        lines += ["", *bootstrap_table(runs, args.ours, args.peer, args.bootstrap)]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
