"""Tables for alternate allocations: one Allocation.N sheet each, and how each differs."""

from __future__ import annotations

import pandas as pd

from ..data import Data
from ..model.context import BuildContext
from ..solve.alternatives import Alternatives
from .stages import stage_values
from .tables import Tables, allocation_table


def add_alternative_tables(
    tables: Tables, data: Data, ctx: BuildContext, alt: Alternatives
) -> None:
    assert ctx.x is not None
    xcols = ctx.x["col"].to_numpy()
    base = tables.allocation
    rows = [_row(1, data, base, base)]
    for n, plan in enumerate(alt.plans, start=2):
        alloc = allocation_table(ctx, plan[xcols])
        tables.extra[f"Allocation.{n}"] = alloc
        rows.append(_row(n, data, alloc, base))
    tables.extra["Alternatives"] = pd.DataFrame(rows)
    tables.summary += [
        ("alternatives.requested", alt.requested),
        ("alternatives.found", len(alt.plans)),
        ("alternatives.status", alt.status),
        ("alternatives.message", alt.message),
    ]


def _row(n: int, data: Data, alloc: pd.DataFrame, base: pd.DataFrame) -> dict:
    pairs = set(zip(alloc["contributor"], alloc["site"], strict=True))
    base_pairs = set(zip(base["contributor"], base["site"], strict=True))
    units = alloc.set_index(["contributor", "capability", "site"])["units"]
    base_units = base.set_index(["contributor", "capability", "site"])["units"]
    both = units.index.union(base_units.index)
    moved = (units.reindex(both, fill_value=0) - base_units.reindex(both, fill_value=0)).abs()
    added = sorted(pairs - base_pairs)
    removed = sorted(base_pairs - pairs)
    return {
        "plan": n,
        "sheet": "Allocation" if n == 1 else f"Allocation.{n}",
        **{k.removeprefix("objective."): v for k, v in stage_values(data, alloc).items()},
        "presences_added": len(added),
        "presences_removed": len(removed),
        "units_moved": int(moved.sum()),
        "differs_by": "; ".join(
            [f"+{c}@{s}" for c, s in added] + [f"-{c}@{s}" for c, s in removed]
        ),
    }
