"""The lexicographic stages' names, written and read in one place.

| name           | stage                                              | family      |
|---|---|---|
| shortfall.pN   | weighted shortfall of priority N's lines           | shortfall   |
| changes        | units moved from a baseline (re-plans only)        | changes     |
| cost           | per-unit cost and person-km of the arrivals        | cost        |
| presence       | (contributor, site) pairs present                  | presence    |

The Summary keys of a stage are `objective.<name>`, `stage.<name>.status`,
`stage.<name>.gap` and `stage.<name>.stopped` (written by results/report.py `summary_rows`; read
back by `stage_records`, the one reader of them).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

SHORTFALL_PREFIX = "shortfall.p"
# the stages after the shortfall ones, in their order (model/build.py)
LATER_STAGES = ("changes", "cost", "presence")


# stage statuses whose value is proven best (skipped: a constant stage, nothing to decide)
SETTLED = ("optimal", "skipped")
NOT_RECORDED = "not recorded"  # a stage's status cell left blank (an edited Summary)


@dataclass(frozen=True)
class StageRecord:
    """One stage as an output's Summary records it."""

    name: str  # shortfall.p1, changes, cost, presence
    status: str  # optimal, skipped, feasible, interrupted, heuristic, not_solved, ...
    gap: float | None  # `stage.<name>.gap`, a fraction; None when not written or not a number
    stopped: str  # `stage.<name>.stopped`: what stopped its search (solve/budget.py), or ''

    @property
    def proven(self) -> bool:
        """Its value is proven best (SETTLED)."""
        return self.status in SETTLED


def stage_key(name: str, field: str) -> str:
    """A stage's Summary key: `stage.<name>.<field>` (status, gap, stopped)."""
    return f"stage.{name}.{field}"


def stage_records(summary: Mapping[Any, Any]) -> list[StageRecord]:
    """Every stage an output's Summary records, in the Summary's (the solve's) order: each
    `stage.<name>.status` key with its `.gap` and `.stopped` beside it. Summary keys read from
    a workbook may be any cell's value, so keys and statuses are read as text."""
    records = []
    for key, status in summary.items():
        text = str(key)
        if not (text.startswith("stage.") and text.endswith(".status")):
            continue
        if status is None or status != status or str(status).strip() == "":  # NaN: blank
            status = NOT_RECORDED  # a cell emptied: nothing says it is proven
        name = text.removeprefix("stage.").removesuffix(".status")
        stopped = summary.get(stage_key(name, "stopped"))
        records.append(
            StageRecord(
                name,
                str(status),
                _fraction(summary.get(stage_key(name, "gap"))),
                "" if stopped is None else str(stopped),
            )
        )
    return records


def _fraction(value: Any) -> float | None:
    """A gap cell's number; None for a blank (NaN), a text that is none, or an infinity."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(str(value))
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def shortfall_stage(priority: int) -> str:
    """The name of priority `priority`'s shortfall stage: shortfall.p<priority>."""
    return f"{SHORTFALL_PREFIX}{priority}"


def is_shortfall(name: str) -> bool:
    """`name` is a shortfall stage's."""
    return name.startswith(SHORTFALL_PREFIX)


def priority_of(name: str) -> int:
    """The priority of a shortfall stage's `name` (shortfall.p2 -> 2)."""
    if not is_shortfall(name):
        raise ValueError(f"{name!r} is not a shortfall stage")
    return int(name.removeprefix(SHORTFALL_PREFIX))


def family(name: str) -> str:
    """shortfall for every shortfall.pN, else the name itself."""
    return "shortfall" if is_shortfall(name) else name


def solve_order(name: str) -> tuple[int, int]:
    """Where stage `name` is solved among the lexicographic stages: shortfall.pN by N, then
    LATER_STAGES in their order; a name that is neither (an edited Summary) after them all."""
    if is_shortfall(name) and name.removeprefix(SHORTFALL_PREFIX).isdigit():
        return (0, priority_of(name))
    if name in LATER_STAGES:
        return (1, LATER_STAGES.index(name))
    return (2, 0)
