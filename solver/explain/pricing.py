"""What does each caveat cost? Columns `costs.<stage>` are base minus lifted: positive means the
rule costs that much (a unit of shortfall, cost, a presence); negative means lifting it would make
that stage worse (e.g. the cost rises because more requirement lines get filled). In a timed
workbook the stages are in their own units (weighted unit-months short, the cost of the tours),
and the changes name their periods (see explain/pricing_time.py).

What does each caveat cost? Re-solve with each caveat lifted (and each hard requirement
softened) and compare every stage with the base plan: the table planners take to a force
generation conference.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..caveats import caveat_groups
from ..data import Data
from ..model.stage_names import SETTLED
from ..solve.start import start_in_time
from ..wording import count, joined, percent
from .pricing_floor import BASE_IMPROVABLE, beaten_by, floor_remarks, improvable_row
from .pricing_summary import coverage_changes, priced_stage, summary
from .pricing_time import allocated_in_time, changes_in_time, stage_values_in_time
from .rules import describe_caveat

if TYPE_CHECKING:
    from ..api import Result

log = logging.getLogger("forcegen.pricing")


@dataclasses.dataclass
class Lift:
    """One rule lifted: which, and the data without it."""

    rule: str  # e.g. "caveat C4", "hard Kyiv/HQ_ELEM"
    description: str
    data: Data
    caveat_ids: list[str] = dataclasses.field(default_factory=list)
    soften: list[int] = dataclasses.field(default_factory=list)  # requirement rows made soft


@dataclasses.dataclass
class Repriced:
    """The plan with a rule lifted: status, stage values, units per requirement line."""

    status: str
    values: dict[str, float]
    allocated: pd.Series  # indexed by (site, capability)
    # the plan keeps every rule lifted (and every line softened): it is a plan of the base too
    keeps_lifted: bool = False
    # the re-solve's stages not proven optimal: a price that lands on one is a least price
    unproven: frozenset[str] = frozenset()


def lifts(data: Data) -> list[Lift]:
    """Every caveat lifted in turn, then every hard requirement softened in turn."""
    out = []
    cav = data.caveats
    done: set[str] = set()
    groups = caveat_groups(cav)  # a contributor's `only` rows are lifted together
    for cid in cav["id"]:
        if cid in done:
            continue
        group = groups.get(cid, [cid])
        done.update(group)
        text = "; ".join(describe_caveat(data, g) for g in group)
        out.append(
            Lift(
                f"caveat {'+'.join(group)}",
                text,
                dataclasses.replace(data, caveats=cav[~cav["id"].isin(group)]),
                caveat_ids=list(group),
            )
        )
    rq = data.requirements
    for i in np.flatnonzero(rq["hard"].to_numpy(dtype=bool)):
        soft = rq.copy()
        soft.loc[soft.index[i], "hard"] = False
        site, cap = rq["site"].iloc[i], rq["capability"].iloc[i]
        when = " in every period it is active" if data.timed else ""
        out.append(
            Lift(
                f"hard {site}/{cap}",
                f"{site} needs {rq['units'].iloc[i]} {cap} in full{when} (hard in the workbook)",
                dataclasses.replace(data, requirements=soft),
                soften=[int(i)],
            )
        )
    return out


NOT_PRICED = "not priced: interrupted"
# a re-solve that did not return after its time limit's cancel: its instance cannot serve another
NOT_PRICED_OVERRUN = "not priced: a re-solve did not stop at its time limit"
ABANDONED = "abandoned"  # a `Repriced.status`: that re-solve, left running in its thread
NOT_PRICED_MEMORY = "not priced: a re-solve ran out of memory"
# base found no plan (no_solution): a prices trial read every rule `costs nothing` beside it
NOT_PRICED_NO_PLAN = "not priced: base has no plan (raise the time or work limit)"
# the statuses of the rules a pricing ended before
ENDED = (NOT_PRICED, NOT_PRICED_OVERRUN, NOT_PRICED_MEMORY, NOT_PRICED_NO_PLAN)


def price_caveats(
    base: Result,
    resolve: Callable[[Lift, dict | None], Repriced],
    progress: Callable[[int, int, str], None] | None = None,
) -> pd.DataFrame:
    """One row per lifted rule: stage changes against `base` (negative = the rule costs that
    much), what changes in coverage, sorted by impact (priority 1 first, then cost).

    A Ctrl-C (or SIGTERM) during a re-solve ends the pricing: the rules priced so far keep their
    prices; the one being re-solved and the rest get status `not priced: interrupted` and no
    price (a cancelled re-solve is not the optimum without the rule, so it is never a price).
    A re-solve that did not return after its time limit (status `abandoned`: HiGHS still runs
    in its instance) ends it too, the rules left `not priced: a re-solve did not stop ...`; so
    does one out of memory (`not priced: a re-solve ran out of memory`)."""
    stages = [k for k, _ in base.tables.summary if k.startswith("objective.")]
    base_plan = repriced(base)
    rows = []
    todo = lifts(base.data)
    ended: str | None = None  # why the pricing ended before its last rule
    if base.outcome.x is None and base.status != "infeasible":
        ended = NOT_PRICED_NO_PLAN  # an infeasible base is priced: what makes a plan possible
    for n, lift in enumerate(todo, start=1):
        if ended is None:
            try:
                if progress is not None:
                    progress(n, len(todo), lift.rule)
                result = resolve(lift, _start(base, lift.data))
                ended = _why_ended(result.status)
            except KeyboardInterrupt:
                ended = NOT_PRICED
            except MemoryError:  # its partial plan is no price; the plan solved is kept
                ended = NOT_PRICED_MEMORY
        if ended is not None:
            rows.append(_not_priced(lift, stages, ended))
        else:
            rows.append(_priced(base, lift, result, stages, base_plan))
    floor_remarks(rows, lambda row: priced_stage(row, stages))
    columns = ["rule", "description", "status", *_cost_columns(stages), "changes", "summary"]
    # a workbook with nothing to price (no caveat, no hard line) gets the table's header
    return _by_impact(pd.DataFrame(rows, columns=columns), stages, base.status)


def _why_ended(status: str) -> str | None:
    """The status of the rules left when a re-solve ends the pricing; None: go on."""
    return {"interrupted": NOT_PRICED, ABANDONED: NOT_PRICED_OVERRUN}.get(status)


def _cost_columns(stages: list[str]) -> list[str]:
    return [f"costs.{key.removeprefix('objective.')}" for key in stages]


def pricing_ended(prices: pd.DataFrame) -> str | None:
    """Why the pricing ended before its last rule: the status of the rules it left
    (`NOT_PRICED`: interrupted; `NOT_PRICED_OVERRUN`), or None."""
    statuses = set(prices["status"]) if len(prices) else set()
    return next((status for status in ENDED if status in statuses), None)


def pricing_note(prices: pd.DataFrame, base_status: str = "optimal") -> str:
    """One line for the Summary: every rule priced, or how many an interruption (or a re-solve
    that overran its limit) left; and whether the prices are against a base not proven
    optimal."""
    statuses = prices["status"] if len(prices) else pd.Series(dtype=object)
    missing = int(statuses.isin(ENDED).sum())
    improvable = int((statuses == BASE_IMPROVABLE).sum())
    priced = len(prices) - missing - improvable
    if not missing:
        note = f"{count(priced, 'rule')} priced"
    else:
        why = {
            NOT_PRICED: "interrupted",
            NOT_PRICED_MEMORY: "a re-solve ran out of memory",
            NOT_PRICED_NO_PLAN: "base has no plan",
        }.get(pricing_ended(prices) or "", "a re-solve overran its limit")
        note = (
            f"{why}: {priced} of {count(len(prices), 'rule')} priced, "
            f"{missing} not priced (see CaveatPrices)"
        )
    if improvable:
        note += (
            f"; {count(improvable, 'rule')} not priced: a plan found without it keeps it and "
            "is better than base's"
        )
    if base_status not in ("optimal", "infeasible") and pricing_ended(prices) != NOT_PRICED_NO_PLAN:
        note += (
            "; against a base not proven optimal: a price may be the search's, not the "
            "rule's (raise the time or work limit)"
        )
    return note


def repriced(result: Result) -> Repriced:
    """A solved `api.Result` as the pricing reads it: its stage values and what each line
    gets. A snapshot's from its tables (Summary, Coverage: as before); a timed plan's from its
    model (the stages in unit-months and tours, units per line and period)."""
    unproven = frozenset(s.name for s in result.outcome.stages if s.status not in SETTLED)
    if not result.data.timed:
        cov = result.tables.coverage.set_index(["site", "capability"])["allocated"]
        values = {k: v for k, v in result.stage_values.items() if v is not None}
        return Repriced(result.status, values, cov, unproven=unproven)
    x, ctx = result.outcome.x, result.ctx
    if x is None or ctx.x is None or result.status == "interrupted":
        return Repriced(result.status, {}, pd.Series(dtype=np.int64))
    allocated = allocated_in_time(ctx, x[ctx.x["col"].to_numpy()])
    return Repriced(result.status, stage_values_in_time(ctx, x), allocated, unproven=unproven)


def _priced(
    base: Result, lift: Lift, result: Repriced, stages: list[str], base_plan: Repriced
) -> dict:
    row: dict[str, Any] = {
        "rule": lift.rule,
        "description": lift.description,
        "status": result.status,
    }
    base_values, values = base_plan.values, result.values
    # better beyond what base's own proof allows (optimal within the MIP gap)
    tolerance = max(1e-6, float(base.options.mip_gap))
    beaten = beaten_by(values, base_values, stages, tolerance) if result.keeps_lifted else None
    if beaten is not None:
        return improvable_row(lift.rule, lift.description, _cost_columns(stages), beaten)
    for key in stages:  # what the rule costs: base minus lifted (positive = it costs that)
        before, after = base_values.get(key), values.get(key)
        row[f"costs.{key.removeprefix('objective.')}"] = (
            None if before is None or after is None else round(float(before) - float(after), 6)
        )
    if base.data.periods is not None:
        periods = [str(p) for p in base.data.periods["period"]]
        row["changes"] = changes_in_time(base_plan.allocated, result.allocated, periods)
    else:
        row["changes"] = coverage_changes(base_plan.allocated, result.allocated)
    unit = dict(base.tables.summary).get("cost.unit") or "person-km or cost_per_unit"
    row["summary"] = summary(lift.rule, row, base.status, stages, unit, base.data.timed)
    row["summary"] = _at_least(row, stages, result.unproven, base_plan.unproven)
    row["summary"] += _unproven_stage(base, row, stages) + _cut_short(row, stages)
    row["summary"] += _nothing_not_proven(base, row, stages)
    return row


def _at_least(
    row: dict, stages: list[str], unproven: frozenset[str], base_unproven: frozenset[str]
) -> str:
    """The row's summary with its price made `at least` where the re-solve did not prove the
    stage it lands on, or one before it, and base proved them all: the plan found without the
    rule is no better than the best one, so the rule costs at least that, there or at a stage
    before (an analyst trial: C8 priced 43 weighted priority-1 unit-months, 72 by a solve
    without it run to its proof). Where base did not prove them, its own hedge says the price
    may be the search's (`_unproven_stage`): no bound either way."""
    name = priced_stage(row, stages)
    said = str(row["summary"])
    prefix = f"{row['rule']} costs "
    if name is None or not said.startswith(prefix):
        return said
    names = [key.removeprefix("objective.") for key in stages]
    upto = names[: names.index(name) + 1]
    open_ = [n for n in upto if n in unproven]
    if not open_ or any(n in base_unproven for n in upto):
        return said
    verb = "is" if len(open_) == 1 else "are"
    return (
        f"{prefix}at least {said[len(prefix) :]}; the re-solve's {joined(open_)} {verb} not "
        "proven optimal: a longer search may find it dearer"
    )


def _cut_short(row: dict, stages: list[str]) -> str:
    """`; the re-solve was cut short (feasible): what it lost at shortfall.p2, shortfall.p3
    may be the search's, not the rule's` where a re-solve its limit stopped is worse than base
    at some stage (a trial: C8 priced at 65 priority-1 unit-months, with -1,126 and -460 at
    priorities 2 and 3 said nowhere as the unfinished search's; a loss before the stage priced
    is said too: a review)."""
    priced = priced_stage(row, stages)
    if priced is None or row.get("status") == "optimal":
        return ""
    names = [k.removeprefix("objective.") for k in stages]
    worse = [n for n in names if (row.get(f"costs.{n}") or 0.0) < -1e-9]
    if not worse:
        return ""
    return (
        f"; the re-solve was cut short ({row.get('status')}): what it lost at "
        f"{', '.join(worse)} may be the search's, not the rule's"
    )


def _unproven_stage(base: Result, row: dict, stages: list[str]) -> str:
    """`; base's cost is not proven optimal (gap 49%): this may be the search's, not the
    rule's` where the price lands on a stage base's plan did not prove (a trial: seven caveats
    priced at 9.7M-16.4M each, against a base cost at a 100% gap, every one the same
    reshuffle the re-solves' search found); '' where it is proven or nothing is priced."""
    name = priced_stage(row, stages)
    if name is None or base.status == "infeasible":
        return ""
    stage = next((s for s in base.outcome.stages if s.name == name), None)
    if stage is None or stage.status in SETTLED:
        return ""
    gap = f" (gap {percent(stage.gap)})" if stage.gap is not None else ""
    return f"; base's {name} is not proven optimal{gap}: this may be the search's, not the rule's"


def _nothing_not_proven(base: Result, row: dict, stages: list[str]) -> str:
    """`; not proven: base's shortfall.p1, cost not proven optimal and the re-solve cut short
    (feasible): a longer search may find it a price` where nothing is priced and the re-solve
    was not proven (an analyst trial: `C3 costs nothing in this plan` beside
    every stage at a 100% gap, where the snapshot priced the same caveat at 218,455); '' where
    a price is found (its own remarks say the rest) or the re-solve is proven."""
    if priced_stage(row, stages) is not None or base.status == "infeasible":
        return ""
    if row.get("status") == "optimal":
        # the lifted model only relaxes base's, so its proven optimum gaining nothing proves
        # the zero (and base's plan) at every stage, proven in base or not (a review)
        return ""
    unproven = [s.name for s in base.outcome.stages if s.status not in SETTLED]
    said = [f"base's {joined(unproven)} not proven optimal"] if unproven else []
    said.append(f"the re-solve cut short ({row.get('status')})")
    return f"; not proven: {' and '.join(said)}: a longer search may find it a price"


def _not_priced(lift: Lift, stages: list[str], status: str) -> dict:
    return {
        "rule": lift.rule,
        "description": lift.description,
        "status": status,
        **dict.fromkeys(_cost_columns(stages)),
        "changes": "",
        "summary": f"{lift.rule}: {status}",
    }


def _by_impact(frame: pd.DataFrame, stages: list[str], base_status: str) -> pd.DataFrame:
    """Priced rules first, most costly first (a rule that makes an infeasible base feasible
    before all); rules not priced (interrupted, overrun, base not optimal) last, in order."""
    if frame.empty:
        return frame
    keys = _cost_columns(stages)
    order = -frame[keys].astype(float).fillna(0).to_numpy()  # most costly first
    not_priced = frame["status"].isin([*ENDED, BASE_IMPROVABLE]).to_numpy()
    feasible_now = ((frame["status"] != "infeasible") & (base_status == "infeasible")).to_numpy()
    sort_keys = [not_priced, ~feasible_now] + [order[:, j] for j in range(order.shape[1])]
    return frame.iloc[np.lexsort(tuple(reversed(sort_keys)))].reset_index(drop=True)


def _start(base: Result, data: Data) -> dict | None:
    """The base plan's units as a MIP start (lifting a rule keeps the base plan feasible):
    {(c, k, s): units}; in time per period, with the arrivals (see `start_in_time`)."""
    if base.outcome.x is None:
        return None
    if base.data.timed:
        return start_in_time(base.ctx, base.outcome.x)
    alloc = base.tables.allocation
    return {(r.contributor, r.capability, r.site): r.units for r in alloc.itertuples(index=False)}
