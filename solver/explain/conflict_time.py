"""A conflict in time: the periods in which it repeats, and its rules merged over periods.

The deletion filter leaves an irreducible conflict, which in a timed workbook is often one
period's rules: a hard line with no pledge available in P1..P3 is already impossible in P3
alone, so the filter keeps P3 only. To name every period the same conflict holds in, the
conflict is shifted: for a shift d, each of its per-period rules (class, key, t) is replaced by
the same rule in t + d (the rules over the whole horizon stay); if that set is infeasible too,
each per-period rule also holds in t + d. Every period named is thus part of a verified
conflict; the rules named together are no longer minimal, only each period's are.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Protocol

from ..io.periods import span
from .rules import Rule


class Check(Protocol):
    def set_rules(self, rules: list[Rule], on: bool) -> None: ...

    def infeasible(self) -> bool | None: ...


def repeats(
    check: Check, kept: list[Rule], rules: list[Rule], n_periods: int, deadline: float
) -> dict[Rule, list[int]]:
    """The periods of each per-period rule of the conflict `kept` (its own, then those of every
    shift that stays infeasible), with the rules not in `kept` switched off."""
    timed = [r for r in kept if r.t >= 0]
    out = {r: [r.t] for r in timed}
    if not timed:
        return out
    sibling = {(r.base, r.t): r for r in rules}
    for d in sorted((d for d in range(1 - n_periods, n_periods) if d), key=lambda d: (abs(d), d)):
        if time.perf_counter() > deadline:
            break
        moved = [sibling.get((r.base, r.t + d)) for r in timed]
        if any(m is None for m in moved):
            continue
        shifted = [m for m in moved if m is not None]
        check.set_rules(timed, on=False)
        check.set_rules(shifted, on=True)
        holds = check.infeasible() is True
        check.set_rules(shifted, on=False)
        check.set_rules(timed, on=True)
        if holds:
            for r in timed:
                out[r].append(r.t + d)
    return {r: sorted(set(ts)) for r, ts in out.items()}


def merged(kept: list[Rule], periods: dict[Rule, list[int]]) -> list[tuple[Rule, list[int]]]:
    """One entry per rule without its period (its first rule, in conflict order) with the
    periods of all its per-period rules; rules over the whole horizon as they are ([])."""
    out: dict[tuple[str, tuple], tuple[Rule, list[int]]] = {}
    for rule in kept:
        ts = out.setdefault(rule.base, (rule, []))[1]
        ts.extend(periods.get(rule, []))
    return [(rule, sorted(set(ts))) for rule, ts in out.values()]


def runs(periods: list[int]) -> list[list[int]]:
    """Consecutive runs: [1, 2, 3, 6] -> [[1, 2, 3], [6]]."""
    out: list[list[int]] = []
    for t in sorted(periods):
        if out and out[-1][-1] == t - 1:
            out[-1].append(t)
        else:
            out.append([t])
    return out


def merged_amounts(
    amounts: list[tuple[Rule, float]], text: Callable[[Rule, list[int]], str]
) -> list[tuple[str, float]]:
    """What must give way, the per-period rules of one line, pledge or site summed over each
    run of consecutive periods; in the order given."""
    groups: dict[tuple[str, tuple], dict[int, tuple[Rule, float]]] = {}
    order: list[tuple[str, tuple]] = []
    out: list[tuple[str, float]] = []
    for rule, amount in amounts:
        if rule.t < 0:
            order.append((rule.cls, (id(rule),)))
            groups[order[-1]] = {-1: (rule, amount)}
            continue
        if rule.base not in groups:
            order.append(rule.base)
            groups[rule.base] = {}
        groups[rule.base][rule.t] = (rule, amount)
    for key in order:
        by_t = groups[key]
        if -1 in by_t:
            rule, amount = by_t[-1]
            out.append((text(rule, []), amount))
            continue
        for run in runs(list(by_t)):
            rule = by_t[run[0]][0]
            out.append((text(rule, run), round(sum(by_t[t][1] for t in run), 6)))
    return out


def rule_id(rule: Rule, periods: list[int], names: list[str]) -> str:
    """`hard:S1/INF/P1..P3+P6` (`+` between runs, since `,` separates a line's ids)."""
    base = f"{rule.cls}:{'/'.join(map(str, rule.base[1]))}"
    if rule.t < 0:
        return base
    return base + "/" + "+".join(span(names, r[0], r[-1]) for r in runs(periods))
