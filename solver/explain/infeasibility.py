"""Why is there no plan at all? A small set of conflicting workbook rules, found with HiGHS.

The model is rebuilt in explain mode, where every rule (hard requirement, pledge, caveat,
single-source line, site limit) owns its rows; a hard line's floor and its cap are two rules
(`rules.split_hard_lines`). A deletion filter then switches rules off one at a
time, keeping a rule only if the model becomes feasible without it: what is left is an
irreducible conflict (`deletion.py`). Each feasibility test is a MIP, so a conflict caused only by whole units is
found too. HiGHS's feasibility relaxation adds which rules must give way, and by how much.

In a timed workbook the rules of a line, a pledge, a site and a caveat's rows per period (a
`min_units` row) are per period; the search first looks for one period that is impossible on
its own, the filter drops all periods of one rule first, then single periods, and the conflict
found is then repeated over every period in which it holds and named by its periods
(`conflict_time.py`). With the first conflict's rules lifted (in the periods it holds in), the
search goes on for another, up to MORE_CONFLICTS more, until the rules left can all hold: a
planner sees every conflict, not the first. The outcome, as the console and the Infeasibility
sheet say it: `conflict.py`.
"""

from __future__ import annotations

import logging
import time
from dataclasses import replace

import numpy as np

from ..caveats import KINDS, caveat_groups
from ..data import Data
from ..model.build import build_model
from ..model.context import BuildContext
from ..model.matrix import MatrixModel
from .conflict import (
    LIFTED_GIVES_A_PLAN,
    MORE_CUT_SHORT,
    MORE_REMAIN,
    MORE_UNDECIDED,
    NO_CHANGE_FOUND,
    NO_CHANGE_OF_THESE,
    NOT_PROVEN_SMALLEST,
    Conflict,
)
from .conflict_time import merged, period_columns, repeats, rule_id, shifted_periods
from .deletion import Feasibility, search
from .give_way import give_way, locked_periods, locked_rows_outside
from .relaxation import lp_feasible, relax
from .rules import Rule, describe, pledge_limits, rules_of, split_hard_lines
from .rules_time import caveat_periods, when
from .search_budget import SearchBudget

# conflicts searched after the first, each with the rules of those found before lifted: a
# planner who fixes the one conflict named and solves again meets the next (a trial: three
# impossible lines in three capabilities, one named)
MORE_CONFLICTS = 4
DEMANDS = ("hard", "locked")  # the classes a conflict asks through (`_demands`)

log = logging.getLogger("forcegen.explain")
LINE_CLASSES = ("hard", "requirement_limit", "single_source")  # rules keyed (site, capability)


def explain_infeasibility(data: Data, budget: float | SearchBudget = 30.0) -> Conflict:
    """The conflicts of an infeasible workbook, searched within `budget` (seconds, or a
    `SearchBudget`: under a work limit, feasibility checks: the same conflicts on any
    machine)."""
    began = time.perf_counter()
    if not isinstance(budget, SearchBudget):
        budget = SearchBudget(budget)
    ctx = build_model(data, explain=True)
    mm, rules = split_hard_lines(MatrixModel.from_linear(ctx.lm), rules_of(ctx))
    budget.sized(mm.a.nnz)
    check = Feasibility(mm, budget.per_check(), period_columns(ctx), budget)
    conflict = Conflict()
    first = check.infeasible()
    if first is not True:
        conflict.complete = False
        conflict.undecided = _undecided_words(first, check)
        conflict.safety_stopped = budget.past_safety_stop()
        log.warning("explain: %s; no conflict to report", conflict.undecided)
        return conflict
    needed, periods = _found(check, rules, rules, ctx, budget, conflict)
    found, also = shifted_periods(needed, periods)
    if also:
        conflict.found_in, conflict.repeated_in = when(ctx, found), when(ctx, also)
    joined = [r for r in periods if r not in set(needed)]  # pledges a shift added
    conflict.rules = _summarise(needed + joined, ctx, periods)
    conflict.integrality_only = lp_feasible(mm, budget)
    conflict.complete = conflict.complete and check.undecided == 0
    every = _more_conflicts(check, rules, needed + joined, periods, ctx, budget, conflict)
    # the relaxation in the periods of the conflicts found (the shifts' too): over the whole
    # horizon it is a MIP of every period at once, with many equal answers mixing periods
    # with the periods a needed lock holds units in: fixed at 0 there, it could only give way
    own = sorted({r.t for r in every if r.t >= 0} | locked_periods(ctx, every))
    if own:
        conflict.give_way_in = when(ctx, own)
        conflict.give_way_partial = len(own) < ctx.n_periods
        mm, rules = _in_periods(
            mm, rules, check, set(own), locked_rows_outside(ctx, rules, set(own))
        )
    relaxed = relax(mm, rules, budget)
    conflict.give_way = give_way(rules, ctx, relaxed.excess)
    if not relaxed.proven:
        conflict.give_way_note = NOT_PROVEN_SMALLEST if conflict.give_way else NO_CHANGE_FOUND
    elif relaxed.excess is None:
        conflict.give_way_note = NO_CHANGE_OF_THESE
    else:
        conflict.give_way_least = round(float(relaxed.excess.sum()), 6)
    conflict.seconds = time.perf_counter() - began
    conflict.safety_stopped = budget.past_safety_stop()
    return conflict


def _found(
    check: Feasibility,
    rules: list[Rule],
    every_rule: list[Rule],
    ctx: BuildContext,
    budget: SearchBudget,
    conflict: Conflict,
) -> tuple[list[Rule], dict[Rule, list[int]]]:
    """One irreducible conflict among `rules` (the others switched off), and in time the
    periods each of its per-period rules holds in (`repeats`; `every_rule` gives the shifts'
    rules)."""
    needed = search(check, rules, ctx.n_periods, budget, conflict)
    locked = locked_periods(ctx, needed)
    periods = repeats(check, needed, every_rule, ctx.n_periods, budget, locked) if ctx.timed else {}
    if budget.spent():  # the shifts (or the search) cut short: not pinned
        conflict.complete = False
    return needed, periods


def _more_conflicts(
    check: Feasibility,
    rules: list[Rule],
    first: list[Rule],
    periods: dict[Rule, list[int]],
    ctx: BuildContext,
    budget: SearchBudget,
    conflict: Conflict,
) -> list[Rule]:
    """Up to MORE_CONFLICTS further conflicts, each searched with the demands of those found
    before lifted (`_demands`, in the periods they were found in), into `conflict.more`; what
    is known after them into `conflict.more_note`. Returns the rules of every conflict found,
    each per-period rule in every period its conflict holds in (the shifts')."""
    every = _in_their_periods(first, periods, rules)
    lifted = _in_their_periods(_demands(first, ctx), periods, rules)
    while True:
        cut_short = not all(c.complete for c in [conflict, *conflict.more])
        if cut_short or budget.spent():
            conflict.more_note = MORE_CUT_SHORT
            return [r for r in rules if r in every]
        rest = [r for r in rules if r not in lifted]
        check.keep_periods(None)
        check.set_rules(list(lifted), on=False)
        check.set_rules(rest, on=True)
        still = check.infeasible()
        if still is not True:
            conflict.more_note = LIFTED_GIVES_A_PLAN if still is False else MORE_UNDECIDED
            return [r for r in rules if r in every]
        if len(conflict.more) == MORE_CONFLICTS:
            conflict.more_note = MORE_REMAIN
            return [r for r in rules if r in every]
        part, undecided = Conflict(), check.undecided
        needed, shifts = _found(check, rest, rules, ctx, budget, part)
        part.complete = part.complete and check.undecided == undecided
        joined = [r for r in shifts if r not in set(needed)]
        part.rules = _summarise(needed + joined, ctx, shifts)
        conflict.more.append(part)
        every |= _in_their_periods(needed + joined, shifts, rules)
        lifted |= _in_their_periods(_demands(needed + joined, ctx), shifts, rules)


def _demands(found: list[Rule], ctx: BuildContext) -> list[Rule]:
    """What a conflict asks for: its hard lines, locks and commitments (a caveat of a kind
    that asks for units, `min_units`), lifted to look for the next conflict while its pledges,
    other caveats and tour limits stay (lifted, a pledge two lines compete for was unlimited,
    and the other line's conflict was never named: a review); a conflict that asks through
    none of them is lifted whole."""
    kind_of = dict(zip(ctx.data.caveats["id"], ctx.data.caveats["caveat"], strict=True))
    commitments = {c for c, k in kind_of.items() if KINDS[str(k)].asks_for_units}
    asks = [r for r in found if r.cls in DEMANDS or (r.cls == "caveat" and r.key[0] in commitments)]
    return asks or found


def _in_their_periods(
    found: list[Rule], periods: dict[Rule, list[int]], rules: list[Rule]
) -> set[Rule]:
    """The rules of a conflict found, each per-period rule in every period the conflict holds
    in (`periods`, the shifts'); a rule over the whole horizon as it is."""
    at = {(r.base, r.t): r for r in rules if r.t >= 0}
    out: set[Rule] = set()
    for rule in found:
        ts = periods.get(rule, [rule.t]) if rule.t >= 0 else []
        out |= {at[(rule.base, t)] for t in ts if (rule.base, t) in at} if ts else {rule}
    return out


def _undecided_words(first: bool | None, check: Feasibility) -> str:
    """Why the search could not start, for the planner."""
    if first is False:
        return "the rules can all hold together in the explain model (HiGHS found a plan)"
    if check.failure:
        return f"{check.failure} on the explain model"
    return (
        "HiGHS could not decide within its time budget whether the rules can hold "
        "together (try a longer time limit)"
    )


def _summarise(
    needed: list[Rule], ctx: BuildContext, periods: dict[Rule, list[int]] | None = None
) -> list[tuple[str, str]]:
    """Planner lines; the pledges of one capability are listed together on one line. In time
    a rule's periods come together (`hard:S1/INF/P1..P3`), with `periods` for each kept rule."""
    periods_sheet = ctx.data.periods
    names = list(periods_sheet["period"]) if periods_sheet is not None else []
    out: list[tuple[str, str]] = []
    pledges: dict[str, list[Rule]] = {}
    pledge_periods: dict[Rule, list[int]] = {}
    groups = caveat_groups(ctx.data.caveats)
    acting = {cid for r in needed if r.cls == "caveat" for cid in groups.get(r.key[0], [r.key[0]])}
    within = sorted({t for ts in (periods or {}).values() for t in ts} | {r.t for r in needed})
    within = [t for t in within if t >= 0] if ctx.timed else [0]
    for rule, ts in merged(needed, periods or {}):
        if rule.cls == "pledge":
            pledges.setdefault(rule.key[1], []).append(rule)
            pledge_periods[rule] = ts
        else:
            shown = caveat_periods(ctx, rule, ts) if rule.cls == "caveat" else ts
            said = describe(rule, ctx, periods=ts or None, acting=acting, within=within)
            out.append((rule_id(rule, shown, names), said))
    for cap, rules in sorted(pledges.items()):
        sites = list(
            dict.fromkeys(r.key[0] for r in needed if r.cls in LINE_CLASSES and r.key[1] == cap)
        )
        ids = ",".join(rule_id(r, pledge_periods[r], names) for r in rules)
        out.append((ids, pledge_limits(ctx, cap, rules, sites, pledge_periods, acting)))
    return out


def _in_periods(
    mm: MatrixModel,
    rules: list[Rule],
    check: Feasibility,
    periods: set[int],
    locked_outside: list[int],
) -> tuple[MatrixModel, list[Rule]]:
    """The model of `periods` only: the units present and arriving in other periods fixed at
    0, their rules (a caveat's rows of those periods too, and `locked_outside`: the locks'
    rows of those periods, `give_way.locked_rows_outside`) lifted; the rules that remain."""
    col_lower, col_upper = mm.col_lower.copy(), mm.col_upper.copy()
    for t, cols in enumerate(check.period_cols):
        if t not in periods:
            col_lower[cols] = col_upper[cols] = 0.0
    row_lower, row_upper = mm.row_lower.copy(), mm.row_upper.copy()
    lifted = [r for rule in rules if rule.t >= 0 and rule.t not in periods for r in rule.rows]
    lifted += locked_outside
    row_lower[lifted], row_upper[lifted] = -np.inf, np.inf
    kept = [rule for rule in rules if rule.t < 0 or rule.t in periods]
    return replace(
        mm, row_lower=row_lower, row_upper=row_upper, col_lower=col_lower, col_upper=col_upper
    ), kept
