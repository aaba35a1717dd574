"""Tables for alternate allocations: one Allocation.N sheet each (a timed plan's: Tours.N), and
how each differs from the plan solved.

In time a plan is its tours, so each alternative is a `Tours.N` sheet (plan 1 is `Tours`), and
the Alternatives sheet says how it differs in planner terms: the (contributor, site, period)
presences it adds and drops, as runs of periods (`+B@S1 P1..P2; -A@S1 P1..P2`), and the tours
it adds and drops (`B/INF/S1 P1..P2 x1`). Stage values are read off the model's stage vectors,
in the stages' units (weighted unit-months, cost of tours, presences).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..data import Data
from ..explain.pricing_time import stage_values_in_time
from ..io.periods import spans
from ..model.context import BuildContext
from ..model.tour_reading import read_tours
from ..solve.alternatives import Alternatives
from ..time_plan import TimedPlan
from .stages import stage_values
from .tables import Tables, allocation_table
from .time_tables import tours_table


def add_alternative_tables(
    tables: Tables, data: Data, ctx: BuildContext, alt: Alternatives
) -> None:
    assert ctx.x is not None
    if data.timed:
        tables.extra.update(timed_alternative_tables(ctx, alt))
    else:
        xcols = ctx.x["col"].to_numpy()
        base = tables.allocation
        rows = [_row(1, data, base, base)]
        for n, plan in enumerate(alt.plans, start=2):
            alloc = allocation_table(ctx, plan[xcols])
            tables.extra[f"Allocation.{n}"] = alloc
            rows.append(_row(n, data, alloc, base))
        tables.extra["Alternatives"] = pd.DataFrame(rows)
    _cost_above_plan(tables.extra["Alternatives"])
    tables.summary += [
        ("alternatives.requested", alt.requested),
        ("alternatives.within", alt.within),
        ("alternatives.found", len(alt.plans)),
        ("alternatives.status", alt.status),
        ("alternatives.message", alt.message),
    ]


def _cost_above_plan(table: pd.DataFrame) -> None:
    """`cost_above_plan_pct` after `cost`: 100 (cost / plan 1's cost - 1); 0 when plan 1's
    cost is 0 (there is no share of it to measure)."""
    plan_cost = float(table["cost"].iloc[0])
    above = 100 * (table["cost"] / plan_cost - 1) if plan_cost > 0 else table["cost"] * 0.0
    table.insert(table.columns.get_loc("cost") + 1, "cost_above_plan_pct", above.round(6))


def _row(n: int, data: Data, alloc: pd.DataFrame, base: pd.DataFrame) -> dict:
    pairs = set(zip(alloc["contributor"], alloc["site"], strict=True))
    base_pairs = set(zip(base["contributor"], base["site"], strict=True))
    units = alloc.set_index(["contributor", "capability", "site"])["units"]
    base_units = base.set_index(["contributor", "capability", "site"])["units"]
    both = units.index.union(base_units.index)
    changed = (units.reindex(both, fill_value=0) - base_units.reindex(both, fill_value=0)).abs()
    added = sorted(pairs - base_pairs)
    removed = sorted(base_pairs - pairs)
    return {
        "plan": n,
        "sheet": "Allocation" if n == 1 else f"Allocation.{n}",
        **{k.removeprefix("objective."): v for k, v in stage_values(data, alloc).items()},
        "presences_added": len(added),
        "presences_removed": len(removed),
        # sum of |change|, as Asks' `units_changed`: a unit placed elsewhere counts 2
        "units_changed": int(changed.sum()),
        "differs_by": "; ".join(
            [f"+{c}@{s}" for c, s in added] + [f"-{c}@{s}" for c, s in removed]
        ),
    }


def timed_alternative_tables(ctx: BuildContext, alt: Alternatives) -> dict[str, pd.DataFrame]:
    """`Tours.N` per alternative and the `Alternatives` sheet of a timed plan."""
    assert alt.base is not None and ctx.data.periods is not None
    periods = [str(p) for p in ctx.data.periods["period"]]
    base = _tours(ctx, alt.base)
    out: dict[str, pd.DataFrame] = {}
    rows = [_timed_row(1, ctx, alt.base, base, base, periods)]
    for n, plan in enumerate(alt.plans, start=2):
        tours = _tours(ctx, plan)
        out[f"Tours.{n}"] = tours_table(TimedPlan(ctx.data, tours))
        rows.append(_timed_row(n, ctx, plan, tours, base, periods))
    out["Alternatives"] = pd.DataFrame(rows)
    return out


def _tours(ctx: BuildContext, x: np.ndarray) -> pd.DataFrame:
    """The tours (contributor, capability, site, first_t, last_t, units) of column values x."""
    assert ctx.x is not None
    return read_tours(ctx, x[ctx.x["col"].to_numpy()], x[ctx.x["arrive"].to_numpy()])


def _timed_row(
    n: int,
    ctx: BuildContext,
    x: np.ndarray,
    tours: pd.DataFrame,
    base: pd.DataFrame,
    periods: list[str],
) -> dict:
    here, there = _presences(tours), _presences(base)
    mine, theirs = _tour_keys(tours, periods), _tour_keys(base, periods)
    added, removed = here - there, there - here
    return {
        "plan": n,
        "sheet": "Tours" if n == 1 else f"Tours.{n}",
        **{k.removeprefix("objective."): v for k, v in stage_values_in_time(ctx, x).items()},
        "presences_added": len(added),
        "presences_removed": len(removed),
        "tours_added": "; ".join(sorted(mine - theirs)),
        "tours_removed": "; ".join(sorted(theirs - mine)),
        "differs_by": "; ".join(
            [f"+{c}@{s} {when}" for (c, s), when in _runs(added, periods)]
            + [f"-{c}@{s} {when}" for (c, s), when in _runs(removed, periods)]
        ),
    }


def _presences(tours: pd.DataFrame) -> set[tuple[str, str, int]]:
    """(contributor, site, period position) of every period a tour covers."""
    return {
        (c, s, t)
        for c, s, first, last in zip(
            tours["contributor"], tours["site"], tours["first_t"], tours["last_t"], strict=True
        )
        for t in range(int(first), int(last) + 1)
    }


def _tour_keys(tours: pd.DataFrame, periods: list[str]) -> set[str]:
    """Each tour as text: `B/INF/S1 P1..P2 x1` (one period: `P3`)."""
    out = set()
    for c, k, s, first, last, units in tours.itertuples(index=False):
        when = periods[first] if first == last else f"{periods[first]}..{periods[last]}"
        out.add(f"{c}/{k}/{s} {when} x{units}")
    return out


def _runs(
    presences: set[tuple[str, str, int]], periods: list[str]
) -> list[tuple[tuple[str, str], str]]:
    """Per (contributor, site), sorted, its periods as runs: `P1..P2, P5`."""
    by_pair: dict[tuple[str, str], list[int]] = {}
    for c, s, t in sorted(presences):
        by_pair.setdefault((c, s), []).append(t)
    return [(pair, spans(periods, ts)) for pair, ts in by_pair.items()]
