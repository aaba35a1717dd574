"""What must give way for a plan to exist, by how much, and in what unit.

The feasibility relaxation of the explain model (every rule its own rows; `relaxation.py`)
violates rule rows, never links or bounds, as little as possible:

    min  sum_{r in R} e[r]   s.t.  row_lower[r] - e[r] <= A[r] x <= row_upper[r] + e[r],
                                    e[r] >= 0 (r in R), e[r] = 0 (links)

    R      the rows of the rules of the conflict search (`rules.rules_of`)
    e[r]   the excess of row r in the relaxed plan

A rule's amount is the sum of its rows' excess. All rows of one rule count the same thing: a
line's, a pledge's, a lock's and a tour length's rows count units; a single-source line's and a
site's contributor limit count contributors; a caveat's rows count what its kind says
(`CaveatKind.relax_noun`: units, people for `max_personnel`, sites for `max_sites` and
`not_with`). In a timed model a rule's rows are per period, and a line relaxed by 1 unit in
each of P1..P3 gives way by 3 unit-periods: the unit names the periods whenever the amount
sums more than one (`unit-period`, `person-period`), and always for a caveat's row of the
options it forbids, one row summing every period (`exclude` relaxed by 2 unit-periods).

A lock's amount counts the units its presence rows (`locked`) lack, period by period: a locked
tour's date rows (`locked.arrive`, `locked.leave`: its units arrive in its first period and
leave after its last) give way with them, and adding theirs said `by 15 unit-periods` of a lock
of 3 units for 3 months. Only where the dates alone give way is their amount the lock's, said
as its dates (`... in P2..P4, its arrival or departure: by 1 unit`).

A locked tour longer than its pledge's tour limit (held apart and forbidden,
model/locked_apart.py) that gives way by its `locked.apart` row alone is said `as one tour`:
its units may stay, in shorter tours.

A lock whose option a caveat keeps out where it gives way names that caveat, in the Changes
sheet's words (`locked: FRA 2 INF_BN at Kyiv, kept out by caveat C20 (FRA exclude
capability=INF_BN zone=forward): by 2 units`): there all its units must go, and the conflict,
found without that caveat where another rule alone makes the lock impossible, says only why
some must. (A `min_contingent` keeps out no option of a model built to find a conflict: its
rows hold an option below the minimum with the pledge's and line's caps, rules of their own;
caveats/min_contingent.py.)
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from ..caveats import KINDS
from ..io.periods import runs
from ..model.context import BuildContext
from ..wording import count
from .locked import keeping_out
from .rules import Rule, describe, describe_caveat
from .rules_time import when

# rule classes whose rows count contributors (a line's single source, a site's limit)
CONTRIBUTOR_CLASSES = ("single_source", "max_contributors")
# a locked tour's dates (model/baseline.py), a carried one's being carried, and a tour held
# apart being one tour (model/locked_apart.py)
LOCKED_DATES = ("locked.arrive", "locked.leave", "locked.carry", "locked.apart")


class GiveWay(NamedTuple):
    """One rule that must give way: its text, by how much (`amount`), counted in `unit` (a
    singular noun: `unit`, `person`, `site`, `contributor`, or `unit-period` ... where the
    amount sums several periods)."""

    text: str
    amount: float
    unit: str

    def said(self) -> str:
        """`LVA-East needs 3 INF_BN in full: by 1 unit`."""
        return f"{self.text}: by {count(self.amount, self.unit)}"


def give_way(rules: list[Rule], ctx: BuildContext, excess: np.ndarray | None) -> list[GiveWay]:
    """The rules the feasibility relaxation violates (`excess`: each row's, from
    `relaxation.relax`), largest amount first (ties by id), a line's, pledge's or site's
    per-period rules summed over each run of consecutive periods; [] without a relaxed plan."""
    if excess is None:
        return []
    owner = {r: rule for rule in rules for r in rule.rows}
    out: dict[Rule, list[int]] = {}
    for r in np.flatnonzero(excess > 1e-6).tolist():
        if r in owner:
            out.setdefault(owner[r], []).append(r)
    dates_only = _locks_by_their_presence(ctx, out)
    totals = {rule: round(float(excess[rows].sum()), 6) for rule, rows in out.items()}
    ordered = sorted(totals.items(), key=lambda kv: (-kv[1], _own_id(kv[0])))
    spans = {rule: len(_periods_of(ctx, rows)) for rule, rows in out.items()}
    # a caveat's row of the options it forbids sums them over every period (one row a caveat):
    # in time its amount counts unit-periods, whichever periods they were (a trial: `units`)
    forbid = _rows_of_blocks_ending(ctx, ".forbid") if ctx.timed else set()
    summed = {rule for rule, rows in out.items() if forbid.intersection(rows)}

    partly = _locks_in_part(ctx, out, dates_only)
    too_long = _too_long_tours(ctx)

    def text(rule: Rule, periods: list[int]) -> str:
        said = describe(rule, ctx, short=True, periods=periods or None)
        if rule in dates_only:
            return f"{said}, {'as one tour' if too_long(out[rule]) else 'its arrival or departure'}"
        if rule in partly:
            said = f"{said}, its units in {partly[rule]}"
        return said + _kept_out_by(ctx, rule, out.get(rule, []))

    def unit(rule: Rule, n_periods: int) -> str:
        if rule in dates_only:
            return "unit"
        return _unit(rule, ctx, max(n_periods, spans[rule]), over_periods=rule in summed)

    return merged_amounts(ordered, text, unit)


def _kept_out_by(ctx: BuildContext, rule: Rule, rows: list[int]) -> str:
    """`, kept out by caveat C20 (...)` of a lock whose option a caveat forbids in the periods
    of its relaxed presence rows `rows` (see the module's docstring); '' for any other rule."""
    if rule.cls != "locked":
        return ""
    kept = keeping_out(ctx, rule.key, _periods_of(ctx, rows))
    if not kept:
        return ""
    return ", kept out by " + "; ".join(describe_caveat(ctx.data, cid) for cid in kept)


def locked_periods(ctx: BuildContext, rules: list[Rule]) -> set[int]:
    """The periods the locks among `rules` hold units in (their presence rows'; not the
    period after a tour, where its departure row is keyed)."""
    dates = _date_rows(ctx)
    rows = [r for rule in rules if rule.cls == "locked" for r in rule.rows if r not in dates]
    return _periods_of(ctx, rows)


def locked_rows_outside(ctx: BuildContext, rules: list[Rule], periods: set[int]) -> list[int]:
    """The rows of the locks among `rules` that hold or date units in a period not in
    `periods` (a departure row, keyed by the period after a tour, in its last period too): in
    a relaxation of `periods` alone, the units of the others fixed at 0, they could only give
    way, also for a lock that has no part in the conflict."""
    leave = _rows_of_blocks(ctx, ("locked.leave",))  # keyed by last+1
    rows = [r for rule in rules if rule.cls == "locked" for r in rule.rows]
    period = _period_of_rows(ctx, rows)
    spans = _apart_spans(ctx)  # a tour held apart: keyed by first and last
    outside = []
    for r in rows:
        t = period.get(r)
        if t is None:
            continue
        if (
            t not in periods
            or (r in leave and t - 1 not in periods)
            or (r in spans and not spans[r] <= periods)
        ):
            outside.append(r)
    return outside


def _apart_spans(ctx: BuildContext) -> dict[int, set[int]]:
    """{row: its periods} of the rows `locked.apart` (model/locked_apart.py)."""
    period_of = {name: t for t, name in enumerate(ctx.data.period_names)} if ctx.timed else {}
    return {
        int(row): set(range(period_of[key[-2]], period_of[key[-1]] + 1))
        for b in ctx.lm.row_blocks
        if b.name == "locked.apart"
        for row, key in zip(b.rows, b.keys, strict=True)
    }


def _too_long_tours(ctx: BuildContext) -> Callable[[list[int]], bool]:
    """Whether rows of a lock are all the `locked.apart` rows of tours longer than their tour
    limit (keyed as the tour rule's `tour.apart` rows, model/locked_apart.py): such a lock gives
    way as one tour (its units in shorter tours), not by its arrival or departure."""
    long = {key for b in ctx.lm.row_blocks if b.name == "tour.apart" for key in b.keys}
    apart = {
        int(row): key
        for b in ctx.lm.row_blocks
        if b.name == "locked.apart"
        for row, key in zip(b.rows, b.keys, strict=True)
    }
    return lambda rows: bool(rows) and all(apart.get(r) in long for r in rows)


def _locks_in_part(
    ctx: BuildContext, relaxed: dict[Rule, list[int]], dates_only: set[Rule]
) -> dict[Rule, str]:
    """{lock: the periods it gives way in} of the locks among `relaxed` ({rule: presence rows})
    that give way in some of their periods only: `by 3 units` of a lock of 3 units in P2..P4
    is in P2 alone, not of the tour."""
    out: dict[Rule, str] = {}
    for rule, rows in relaxed.items():
        if rule.cls != "locked" or rule in dates_only:
            continue
        given = _periods_of(ctx, rows)
        if given and given != locked_periods(ctx, [rule]):
            out[rule] = when(ctx, sorted(given))
    return out


def _locks_by_their_presence(ctx: BuildContext, relaxed: dict[Rule, list[int]]) -> set[Rule]:
    """Each lock's relaxed rows in `relaxed` ({rule: rows}) cut to its presence rows (see the
    module's docstring); the locks whose dates alone gave way (their rows kept)."""
    dates = _date_rows(ctx)
    dates_only: set[Rule] = set()
    for rule, rows in relaxed.items():
        if rule.cls != "locked":
            continue
        present = [r for r in rows if r not in dates]
        if present:
            relaxed[rule] = present
        else:
            dates_only.add(rule)
    return dates_only


def merged_amounts(
    amounts: list[tuple[Rule, float]],
    text: Callable[[Rule, list[int]], str],
    unit: Callable[[Rule, int], str],
) -> list[GiveWay]:
    """What must give way, the per-period rules of one line, pledge or site summed over each
    run of consecutive periods; in the order given. `unit(rule, n)`: the rule's unit for an
    amount summed over n periods."""
    groups: dict[tuple[str, tuple], dict[int, tuple[Rule, float]]] = {}
    order: list[tuple[str, tuple]] = []
    out: list[GiveWay] = []
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
            out.append(GiveWay(text(rule, []), amount, unit(rule, 0)))
            continue
        for run in runs(list(by_t)):
            rule = by_t[run[0]][0]
            total = round(sum(by_t[t][1] for t in run), 6)
            out.append(GiveWay(text(rule, run), total, unit(rule, len(run))))
    return out


def _unit(rule: Rule, ctx: BuildContext, n_periods: int, over_periods: bool = False) -> str:
    """What the rule's rows count (see the module's docstring), `-period` when summed over
    more than one period, or by a row that sums its periods itself (`over_periods`: the row of
    the options a caveat forbids, one for every period)."""
    if rule.cls == "caveat":
        caveats = ctx.data.caveats.set_index("id")
        noun = KINDS[str(caveats.loc[rule.key[0], "caveat"])].relax_noun
    elif rule.cls in CONTRIBUTOR_CLASSES:
        noun = "contributor"
    else:
        noun = "unit"
    return f"{noun}-period" if n_periods > 1 or over_periods else noun


def _rows_of_blocks_ending(ctx: BuildContext, suffix: str) -> set[int]:
    return {int(r) for b in ctx.lm.row_blocks if b.name.endswith(suffix) for r in b.rows}


def _date_rows(ctx: BuildContext) -> set[int]:
    """The rows of the locked tours' dates (`LOCKED_DATES`)."""
    return _rows_of_blocks(ctx, LOCKED_DATES)


def _rows_of_blocks(ctx: BuildContext, names: tuple[str, ...]) -> set[int]:
    return {int(r) for b in ctx.lm.row_blocks if b.name in names for r in b.rows}


def _periods_of(ctx: BuildContext, rows: list[int]) -> set[int]:
    """The periods of the model rows `rows` keyed by one (a key ending with a period's name);
    a row added after the build (a hard line's cap, `rules.split_hard_lines`) has none."""
    return set(_period_of_rows(ctx, rows).values())


def _period_of_rows(ctx: BuildContext, rows: list[int]) -> dict[int, int]:
    """{row: its period} of the rows among `rows` keyed by one (see `_periods_of`)."""
    if not ctx.timed:
        return {}
    names = ctx.data.period_names
    period_of = {name: t for t, name in enumerate(names)}
    blocks = ctx.lm.row_blocks
    starts = [block.start for block in blocks]
    out: dict[int, int] = {}
    for r in rows:
        block = blocks[bisect.bisect_right(starts, r) - 1]
        local = r - block.start
        if local < len(block.keys) and block.keys[local] and block.keys[local][-1] in period_of:
            out[r] = period_of[block.keys[local][-1]]
    return out


def _own_id(rule: Rule) -> str:
    return f"{rule.cls}:{'/'.join(map(str, rule.key))}"  # the rule's own key (with its period)
