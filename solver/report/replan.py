"""A re-plan's section of the briefing (contract `replanning.md`): what the plan asks of each
nation and the changes against the baseline, from the output's Asks and Changes sheets."""

from __future__ import annotations

from dataclasses import dataclass

from ..results.asks import UNCHANGED, console_line
from ..results.changes import TIMED_CHANGES_COLUMNS
from .load import Output
from .view import Table, table

ASKED = ["contributor", "ask", "units_changed", "unit_months_changed"]


@dataclass(frozen=True)
class Replan:
    """The headline (`3 units change, 2 nations asked`), the nations asked (one row each), the
    nations unchanged (names) and the Changes rows."""

    headline: str
    asks: Table
    unchanged: list[str]
    changes: Table


def replan_view(out: Output) -> Replan | None:
    """None for an output without an Asks sheet (solved without a baseline)."""
    asks, changes = out.table("Asks"), out.table("Changes")
    if asks is None or changes is None or "ask" not in asks.columns:
        return None
    asked = asks["ask"].astype(str) != UNCHANGED
    return Replan(
        headline=console_line(asks),
        asks=table(asks[asked], ASKED),
        unchanged=[str(c) for c in asks.loc[~asked, "contributor"]],
        changes=table(changes, TIMED_CHANGES_COLUMNS),
    )
