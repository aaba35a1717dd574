"""The output workbook's plan sheets and their columns, declared once: the writers take their
columns from here and are checked against them as they write (`check_written`), and the
readers of an output (outputs/load.py) take from here which columns are numbers and which are
keys. The sheets (workbook.md "Output workbook", time.md "Output", replanning.md "Output"):

| sheet          | snapshot output                 | timed output                          |
|---|---|---|
| Allocation     | a row per option with units     | a row per option and period           |
| Tours          |                                 | a row per tour (the plan as planners edit it) |
| Coverage       | a row per line                  | a row per line and period             |
| Sustainability |                                 | a row per line                        |
| Burden         |                                 | a row per contributor and period      |
| Gaps           | a row per short line and option | ... and run of periods                |
| Contributors   | a row per contributor, then its input columns (`gdp`, ...) |         |
| Asks, Changes  | a re-plan's (replanning.md)     | in unit-months                        |
| History        |                                 | a rolling re-plan's tours before it   |
| Infeasibility  | the conflict's rules            |                                       |

Kinds: KEY (a name: read as text, never a number: a capability `INF` or `NaN`), PERIOD (a
Periods key, as text; Excel may have made a date of it), NUMBER, TEXT, DATE.
Not declared here: the Summary (key, value), the Caveats (the input's columns, then `binding`
and `remark`), the Matrix and Timeline (a column per site or period), CaveatPrices and
Alternatives (a column per stage).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

KEY, PERIOD, NUMBER, TEXT, DATE = "key", "period", "number", "text", "date"


@dataclass(frozen=True)
class OutputSheet:
    """A sheet's columns in the order written, each with its kind; `more`: input columns may
    follow them (the Contributors sheet copies the input's own)."""

    name: str
    columns: tuple[tuple[str, str], ...]
    more: bool = False

    @property
    def names(self) -> list[str]:
        return [name for name, _ in self.columns]

    def table(self, rows: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
        """`rows` (one mapping per row) as this sheet's table, its columns in declared order.
        A row without a declared column, or with one the sheet does not declare, is an
        internal fault raised here: `pd.DataFrame(rows, columns=...)` wrote the first blank
        and dropped the second without a word (a developer trial)."""
        names = self.names
        for row in rows:
            if set(row) != set(names):
                lacking, extra = set(names) - set(row), set(row) - set(names)
                raise ValueError(
                    f"internal error: a row of the {self.name} sheet lacks {sorted(lacking)} "
                    f"and has {sorted(extra)} undeclared (io/output_schema.py)"
                )
        return pd.DataFrame(list(rows), columns=names)


def _sheet(name: str, columns: str, more: bool = False) -> OutputSheet:
    """`columns`: `name:kind` pairs, spaces between (kind defaults to NUMBER)."""
    pairs = tuple(
        (part.partition(":")[0], part.partition(":")[2] or NUMBER) for part in columns.split()
    )
    return OutputSheet(name, pairs, more)


_OPTION = "contributor:key capability:key site:key"
_LINE = "site:key capability:key"
ALLOCATION = _sheet("Allocation", f"{_OPTION} units personnel")
TIMED_ALLOCATION = _sheet("Allocation", f"{_OPTION} period:period units personnel")
TOURS = _sheet("Tours", f"{_OPTION} from:period to:period months units personnel")
TOURS_DATES = ("start_date", "end_date")  # after TOURS's columns where the periods have dates
_COVERAGE = "required allocated shortfall priority hard:text weight single_source:text"
COVERAGE = _sheet("Coverage", f"{_LINE} {_COVERAGE} hard_because:text")
TIMED_COVERAGE = _sheet("Coverage", f"{_LINE} period:period {_COVERAGE} hard_because:text")
SUSTAINABILITY = _sheet(
    "Sustainability",
    f"{_LINE} priority periods_active periods_short unit_months_short first_short:period "
    "sustained_until:period reason:text first_short_because:text",
)
BURDEN = _sheet("Burden", "contributor:key period:period units personnel dwell_units pledged_units")
_GAP = "priority required allocated shortfall contributor:key pledged spare reason:text"
GAPS = _sheet("Gaps", f"{_LINE} {_GAP}")
TIMED_GAPS = _sheet("Gaps", f"{_LINE} period:period {_GAP}")  # a run: `2027-01..2027-03`
_CONTRIBUTOR = (
    "contributor:key pledged_units deployed_units deployed_personnel sites name:text "
    "status:text pledged_personnel site_list:text"
)
CONTRIBUTORS = _sheet("Contributors", _CONTRIBUTOR, more=True)
TIMED_CONTRIBUTORS = _sheet(
    "Contributors",
    f"{_CONTRIBUTOR} unit_months dwell_unit_months deploy_to_dwell tours",
    more=True,
)
_ASKS = "units_added units_withdrawn units_moved {changed} personnel_added personnel_withdrawn"
ASKS = _sheet(
    "Asks", f"contributor:key ask:text {_ASKS.format(changed='units_changed')} personnel_moved"
)
TIMED_ASKS = _sheet(
    "Asks",
    f"contributor:key ask:text {_ASKS.format(changed='unit_months_changed')} personnel_moved",
)
CHANGES = _sheet("Changes", f"{_OPTION} baseline planned change why:text")
TIMED_CHANGES = _sheet(
    "Changes",
    f"{_OPTION} period:period run:text baseline planned change months unit_months why:text",
)
HISTORY = _sheet(  # a rolling re-plan's tours before its periods (io/baseline_history.py)
    "History", f"{_OPTION} from:period to:period units carried:text"
)
INFEASIBILITY = _sheet(
    "Infeasibility", "part:text rule:text explanation:text relax_by relax_unit:text conflict"
)

SNAPSHOT_SHEETS = (ALLOCATION, COVERAGE, GAPS, CONTRIBUTORS, ASKS, CHANGES, INFEASIBILITY)
TIMED_SHEETS = (
    TIMED_ALLOCATION,
    TOURS,
    TIMED_COVERAGE,
    SUSTAINABILITY,
    BURDEN,
    TIMED_GAPS,
    TIMED_CONTRIBUTORS,
    TIMED_ASKS,
    TIMED_CHANGES,
    HISTORY,
    INFEASIBILITY,
)


def declared(name: str, timed: bool) -> OutputSheet | None:
    """The declaration of the output sheet `name` (of a timed output with `timed`), or None."""
    return next((s for s in (TIMED_SHEETS if timed else SNAPSHOT_SHEETS) if s.name == name), None)


def check_written(name: str, columns: list[str], timed: bool) -> None:
    """Raise where a sheet about to be written has other columns than its declaration (an
    internal fault: a writer and this schema disagree); a Tours sheet may end with its dates,
    a sheet declared with `more` with further columns. An alternative's plan (`Tours.2`,
    `Allocation.2`) is its plan sheet's."""
    plan = name.partition(".")[0]
    sheet = declared(plan, timed)
    if sheet is None:
        return
    expected, given = sheet.names, list(columns)
    extra = given[len(expected) :]
    fits = given[: len(expected)] == expected and (
        not extra or sheet.more or (plan == TOURS.name and tuple(extra) == TOURS_DATES)
    )
    if not fits:
        raise ValueError(f"the {name} sheet would be written with {given}, declared {expected}")


def columns_of_kind(*kinds: str) -> frozenset[str]:
    """Every declared column of one of `kinds`, in any sheet (a column name has one kind)."""
    return frozenset(
        column
        for sheet in (*SNAPSHOT_SHEETS, *TIMED_SHEETS)
        for column, kind in sheet.columns
        if kind in kinds
    )


def declared_names() -> list[str]:
    """The names of the sheets declared here, snapshot or timed, once each."""
    return list(dict.fromkeys(s.name for s in (*SNAPSHOT_SHEETS, *TIMED_SHEETS)))


def numbers_of(name: str) -> set[str]:
    """The columns of the sheet `name` (snapshot or timed) that are numbers."""
    return {
        column
        for sheet in (*SNAPSHOT_SHEETS, *TIMED_SHEETS)
        if sheet.name == name
        for column, kind in sheet.columns
        if kind == NUMBER
    }
