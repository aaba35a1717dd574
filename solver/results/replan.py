"""The sheets of a re-plan (contract `replanning.md`): Changes and Asks, added to a solve's
tables when the workbook has a baseline (`Data.baseline`) and the solve has a plan; outputs
without a baseline are untouched."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from ..data import Data
from ..io.baseline_history import history_table
from ..model.context import BuildContext
from ..model.forbidden import forbidden_options
from ..time_plan import TimedPlan
from .asks import asks_table, nations_of, with_rotations_recut
from .change_reasons import change_reasons
from .changes import changes_table, planned_presence, unit_changes
from .tables import Tables

SHEETS = ("Asks", "Changes", "History")  # their place: after the plan (output_sheets)


def add_replan_sheets(
    data: Data, ctx: BuildContext | None, tables: Tables, plan: TimedPlan | None = None
) -> None:
    """Changes and Asks of the plan in `tables` against `data.baseline`, into `tables.extra`,
    and the History sheet of a timed `plan` against a rolling re-plan's baseline
    (io/baseline_history.py); nothing without a baseline."""
    if data.baseline is None:
        return
    changes, asks = replan_tables(data, ctx, tables.allocation, tables.periods)
    if tables.periods is not None and "Tours" in tables.timed:
        names = [str(n) for n in tables.periods["period"]]
        pl = data.pledges
        rotating = {
            (str(c), str(k))
            for c, k, m in zip(pl["contributor"], pl["capability"], pl["tour_months"], strict=True)
            if m == m and m is not None  # a tour limit (NaN: none)
        }
        tours = tables.timed["Tours"]
        changed = {
            (str(c), str(k), str(s))
            for c, k, s in zip(
                changes["contributor"], changes["capability"], changes["site"], strict=True
            )
        }
        asks = with_rotations_recut(asks, data.baseline.rows, tours, names, rotating, changed)
    tables.extra["Changes"], tables.extra["Asks"] = changes, asks
    history = None if plan is None else history_table(data, plan.carried())
    if history is not None:  # for the next re-plan against this output
        tables.extra["History"] = history


def replan_tables(
    data: Data, ctx: BuildContext | None, allocation: pd.DataFrame, periods: pd.DataFrame | None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The Changes and Asks sheets of the plan `allocation` (an Allocation table, with `period`
    in a timed plan) against `data.baseline`; `ctx` gives the options caveats removed, for
    `why` (None: those reasons are left out)."""
    assert data.baseline is not None
    baseline = data.baseline.presence()
    diff = unit_changes(baseline, planned_presence(allocation, periods))
    forbidden = forbidden_options(ctx) if ctx is not None else {}
    why = change_reasons(data, diff, forbidden)
    changes = changes_table(diff, periods, why)
    nations = nations_of(data.contributors, baseline["contributor"].tolist())
    held = personnel_of(data, as_held=True)
    return changes, asks_table(diff, nations, personnel_of(data), periods, why, held)


def personnel_of(data: Data, as_held: bool = False) -> Callable[[str, str], int]:
    """(c, k) -> personnel per unit: the pledge's; for a pledge the workbook no longer has (a
    pledge, contributor or capability withdrawn), what the `--baseline` output wrote for it,
    else the capability's, else 0. `as_held`: what the `--baseline` output wrote first, the
    size of the units it deployed, for what is withdrawn or moved (a re-plan trial's pledge
    of 650 a battalion grown to 700 withdrew `-700 personnel` of a battalion of 650)."""
    pledge = data.pledge_ppu().to_dict()
    capability = dict(
        zip(data.capabilities["capability"], data.capabilities["personnel_per_unit"], strict=True)
    )
    written = data.baseline.unit_personnel if data.baseline is not None else {}

    def ppu(c: str, k: str) -> int:
        value = written.get((c, k)) if as_held else None
        if value is None or value != value:
            value = pledge.get((c, k))
        if value is None:
            value = written.get((c, k), capability.get(k, 0))
        return 0 if value is None or value != value else round(value)

    return ppu
