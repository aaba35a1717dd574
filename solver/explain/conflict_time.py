"""A conflict in time: one period's first, the periods in which it repeats, and its rules
merged over periods.

Each feasibility check is a MIP over the whole horizon, so before the deletion filter the
search looks for one period whose rules alone (with the rules over the whole horizon: tour
lengths, the options a caveat forbids) are impossible: every other period's rules (a caveat's
rows of that period too) are switched off and its units present and arriving fixed at 0 (a
small problem: about 6 times faster on the example), and the filter then works on that
period's rules only. A plan found with periods fixed is a plan of the whole model, so only
"impossible" needs checking again without them: the conflict found, and each shift below.
When no single period is impossible on its own (a rotation over several periods), or the
conflict does not hold without the fixing, the filter works on all rules.

The deletion filter leaves an irreducible conflict, which in a timed workbook is often one
period's rules: a hard line with no pledge available in P1..P3 is already impossible in P3
alone, so the filter keeps P3 only. To name every period the same conflict holds in, the
conflict is shifted: for a shift d, each of its per-period rules (class, key, t) is replaced by
the same rule in t + d (the rules over the whole horizon stay); if that set is infeasible too,
each per-period rule also holds in t + d. Every period named is thus part of a verified
conflict; the rules named together are no longer minimal, only each period's are.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np

from ..io.periods import runs, span
from ..model.context import BuildContext
from ..model.locked_apart import period_columns_apart
from .rules import Rule
from .search_budget import SearchBudget


class Check(Protocol):
    def set_rules(self, rules: list[Rule], on: bool) -> None: ...

    def keep_periods(self, periods: set[int] | None) -> None: ...

    def infeasible(self) -> bool | None: ...


def period_columns(ctx: BuildContext) -> list[np.ndarray]:
    """Per period, the columns of the units present and arriving then, and of the locked tours
    held apart that cover it (model/locked_apart.py: one column in each of its periods, fixed
    when any is; a snapshot: none)."""
    if not ctx.timed or ctx.x is None:
        return []
    t = ctx.x["t"].to_numpy()
    cols = [ctx.x["col"].to_numpy(), ctx.x["arrive"].to_numpy()]
    apart = period_columns_apart(ctx, ctx.n_periods)
    return [
        np.concatenate([*(c[t == p] for c in cols), apart[p]]).astype(np.int32)
        for p in range(ctx.n_periods)
    ]


def localise(check: Check, rules: list[Rule], n_periods: int, budget: SearchBudget) -> int | None:
    """The first period impossible on its own: its rules and the rules over the whole horizon
    on, every other period's rules off and its columns fixed at 0 (left so). None when no
    period is (every rule on again, no column fixed)."""
    timed = [r for r in rules if r.t >= 0]
    if not timed:
        return None
    for t in range(n_periods):
        if budget.spent():
            break
        others = [r for r in timed if r.t != t]
        check.set_rules(others, on=False)
        check.keep_periods({t})
        if check.infeasible() is True:
            return t
        check.set_rules(others, on=True)
    check.keep_periods(None)
    return None


def repeats(
    check: Check,
    kept: list[Rule],
    rules: list[Rule],
    n_periods: int,
    budget: SearchBudget,
    locked: set[int] | None = None,
) -> dict[Rule, list[int]]:
    """The periods of each per-period rule of the conflict `kept` (its own, then those of every
    shift that stays infeasible), with the rules not in `kept` switched off. A shift also
    limits every other pledge of a capability whose pledges the conflict limits (a pledge
    that becomes available later joins the list, `LVA 1 in P3..P12`): such pledges come back
    as rules of their own, after those of `kept`. `locked`: the periods the conflict's locks
    hold units in, free in every shift's first check too (`_shift_holds`)."""
    timed = [r for r in kept if r.t >= 0]
    out = {r: [r.t] for r in timed}
    if not timed:
        return out
    sibling = {(r.base, r.t): r for r in rules if r.t >= 0}  # not a caveat's whole-horizon rule
    pledges: dict[tuple[str, int], list[Rule]] = {}
    for r in rules:
        if r.cls == "pledge":
            pledges.setdefault((str(r.key[1]), r.t), []).append(r)
    # sorted: a set's order of (text, int) pairs varies with PYTHONHASHSEED, and the pledges a
    # shift adds are listed in it (the sheet's text moved between runs: a review)
    limited = sorted({(str(r.key[1]), r.t) for r in timed if r.cls == "pledge"})
    for d in sorted((d for d in range(1 - n_periods, n_periods) if d), key=lambda d: (abs(d), d)):
        if budget.spent():
            break
        # a pledge without a row then has no option then: its limit is 0, stricter still
        moved = [sibling.get((r.base, r.t + d)) for r in timed]
        if any(m is None and r.cls != "pledge" for m, r in zip(moved, timed, strict=True)):
            continue
        shifted = [m for m in moved if m is not None]
        others = [
            p for cap, t in limited for p in pledges.get((cap, t + d), []) if p not in shifted
        ]
        extra: list[Rule] = []
        holds = _shift_holds(check, timed, shifted, locked or set())
        if not holds and others:
            extra = others
            holds = _shift_holds(check, timed, shifted + extra, locked or set())
        if holds:
            # a pledge with no row then (out of its window) held with a limit of 0: its own
            # periods are only those it has (a trial read `ESP 1 in 2027-01..2027-12` of a
            # pledge that ends 2027-08)
            for r, m in zip(timed, moved, strict=True):
                if m is not None:
                    out[r].append(r.t + d)
            for p in extra:
                out.setdefault(p, []).append(p.t)
    return {r: sorted(set(ts)) for r, ts in out.items()}


def shifted_periods(
    kept: list[Rule], periods: dict[Rule, list[int]]
) -> tuple[list[int], list[int]]:
    """The periods of the conflict `kept` as found (those of its per-period rules), and the
    other periods `repeats` named it in (the shifts' alone; [] when it does not repeat)."""
    found = sorted({r.t for r in kept if r.t >= 0})
    named = {t for ts in periods.values() for t in ts}
    return found, sorted(named - set(found))


def _shift_holds(check: Check, kept: list[Rule], shifted: list[Rule], locked: set[int]) -> bool:
    """The conflict's per-period rules `kept` replaced by `shifted`: still impossible? (Tried
    with only the shifted periods free, and the periods of the conflict's locks, `locked`,
    then verified on the whole model.) A lock's tour that ends before the shifted period puts
    its units in dwell there only with its own periods free: two locked tours of A's 2 units,
    P1..P2 and P3..P4, break A's rotation in P3 and P4 alike, but the shift to P3 was dropped
    once the locked tour P1..P2 was a column of its own (model/locked_apart.py)."""
    check.set_rules(kept, on=False)
    check.set_rules(shifted, on=True)
    check.keep_periods({m.t for m in shifted} | locked)
    holds = check.infeasible() is True
    check.keep_periods(None)
    holds = holds and check.infeasible() is True
    check.set_rules(shifted, on=False)
    check.set_rules(kept, on=True)
    return holds


def merged(kept: list[Rule], periods: dict[Rule, list[int]]) -> list[tuple[Rule, list[int]]]:
    """One entry per rule without its period (its first rule, in conflict order) with the
    periods of all its per-period rules; rules over the whole horizon as they are ([])."""
    out: dict[tuple[str, tuple], tuple[Rule, list[int]]] = {}
    for rule in kept:
        ts = out.setdefault(rule.base, (rule, []))[1]
        ts.extend(periods.get(rule, []))
    return [(rule, sorted(set(ts))) for rule, ts in out.values()]


def rule_id(rule: Rule, periods: list[int], names: list[str]) -> str:
    """`hard:S1/INF/P1..P3+P6` (`+` between runs, since `,` separates a line's ids); without
    periods (none to name) as the rule over the whole horizon, `caveat:C1`."""
    base = f"{rule.cls}:{'/'.join(map(str, rule.base[1]))}"
    if rule.t < 0 or not periods:
        return base
    return base + "/" + "+".join(span(names, r[0], r[-1]) for r in runs(periods))
