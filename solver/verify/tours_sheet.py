"""Reading a timed plan's `Tours` sheet for `verify`: the plan as a planner may have edited it.

Columns (contract `time.md`, Output): contributor, capability, site, from, to (period names),
months, units, personnel, and start_date / end_date (derived, like months and personnel: only
compared with the tour as it stands, with a warning where they disagree). A cell that
cannot be read as its type is an error at its cell (`Tours!G5: units must be a whole number >= 0,
got 'two'`), all at once, exit 2; so is, with the input, a name or period the input does not
have and a `from` after its `to` (`read_tours`), as a snapshot plan's Allocation is read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from ..addresses import sheet_in_reference
from ..data import Data
from ..errors import Issue, Issues
from ..io.coerce import Bad, coerce
from ..io.dates_as_periods import warn_dates_as_periods
from ..io.raw_sheet import RawSheet
from ..io.repeats import repeats_merged
from ..io.schema_types import Column, norm
from .plan import CITED, cite_rows
from .reader import (
    PERIOD_CELLS,
    PERSONNEL,
    TOURS,
    RawAllocation,
    missing_sheet,
    plan_cell,
    warn_units_as_text,
)

NAMES = ("contributor", "capability", "site", "from", "to")
REQUIRED = (*NAMES, "units")
MONTHS = Column("months", "int", "tour length in months", minimum=0)
TOUR_FRAME = [*NAMES, "units", "row"]
DERIVED = ("months", "personnel", "start_date", "end_date")  # follow from from, to and units


@dataclass
class TourRows:
    """The Tours sheet as read: one row per tour as written (names not yet resolved)."""

    frame: pd.DataFrame  # contributor, capability, site, from, to (text), units (int), row
    where: dict[int, dict[str, str]] = field(default_factory=dict)  # row -> column -> cell
    extra: dict[int, dict[str, Any]] = field(default_factory=dict)  # row -> months/personnel
    title: str = "Tours"
    warnings: list[Issue] = field(default_factory=list)
    # rows with a cell that cannot be read (None there): their other cells are still checked
    partial: list[dict[str, Any]] = field(default_factory=list)

    def cell(self, row: int, column: str) -> str:
        """`Tours!D5`, or `Tours row 5` when the column is missing (the sheet named as a
        reference starts with it: `' tours ' row 5`)."""
        return self.where.get(row, {}).get(column) or f"{sheet_in_reference(self.title)} row {row}"

    def cite(self, rows: Sequence[int], limit: int = CITED) -> str:
        """Rows as a planner finds them on the sheet: `Tours!A17` (the row's first key cell,
        `contributor`), `Tours rows 17, 242`, `Tours rows 2, 5, 9, 12 and 4 more` (the first
        `limit` in sheet order); blank for none."""
        unique = sorted(set(rows))
        if len(unique) == 1:
            return self.cell(unique[0], "contributor")
        return cite_rows(tuple(unique), self.title, limit)


def read_tours(raw: RawAllocation, data: Data | None = None) -> TourRows:
    """The typed Tours rows; raise `InputError` listing every unreadable cell (and the file's
    own problems), or a missing sheet or column, and with the timed input `data` what the rows
    name that the input lacks and each `from` after its `to`: every mistake of the sheet at
    once, exit 2, as a snapshot plan's Allocation naming a site the input lacks is (a trial's
    CI read a typed 'Kiev' as a broken rule, exit 3, and its tour's months as shortfall)."""
    issues = Issues(list(raw.issues.items))
    if raw.tours is None:
        if not any(norm(t) == TOURS for t in raw.titles):  # else: unreadable, already said
            issues.items.append(_no_tours(raw))
        rows = TourRows(pd.DataFrame(columns=TOUR_FRAME))
    else:
        rows = _rows(raw.tours, issues)
    if data is not None and data.timed:
        from .schedule import Schedule  # it reads TourRows: imported here, not at the top

        # the rows with an unreadable cell too: every mistake of a row at once (a trial's
        # units 'two' hid the unknown site beside it)
        every = rows.frame
        if rows.partial:
            partial = pd.DataFrame.from_records(rows.partial, columns=TOUR_FRAME)
            every = pd.concat([rows.frame, partial], ignore_index=True)
        unplaceable = Schedule(data, replace(rows, frame=every)).unplaceable
        issues.items += [_at_its_cell(v.message) for v in unplaceable]
    issues.raise_if_errors()
    rows.warnings = repeats_merged(list(issues.warnings))
    return rows


def _at_its_cell(message: str) -> Issue:
    """A violation's message `Tours!E2: ...` as an issue at that cell, listed in its place."""
    where, said = message.split(": ", 1)
    return Issue(where, said)


def _no_tours(raw: RawAllocation) -> Issue:
    issue = missing_sheet(raw, "Tours")
    return Issue(
        issue.where,
        issue.message + "; the input is a timed workbook, whose plan is the Tours sheet of a "
        "timed solve's output",
    )


def _rows(sheet: RawSheet, issues: Issues) -> TourRows:
    """The rows as typed; a date Excel made of a typed period in `from`/`to` is read as its
    month's key, with one warning per column naming its cells (as in the input)."""
    out = TourRows(pd.DataFrame(columns=TOUR_FRAME), title=sheet.title)
    if sheet.lacks(REQUIRED, issues):
        return out
    records: list[dict[str, Any]] = []
    dated: dict[str, list[tuple[str, dt.date]]] = {name: [] for name in PERIOD_CELLS}
    for raw in sheet.rows:
        record: dict[str, Any] = {"row": raw.row}
        ok = True
        for name in REQUIRED:
            record[name] = plan_cell(sheet, raw, name, issues)
            ok = ok and record[name] is not None
            value = raw.values.get(name)
            if name in dated and record[name] is not None and isinstance(value, dt.date):
                dated[name].append((raw.where.get(name) or sheet.address(name, raw.row), value))
        out.where[raw.row] = dict(raw.where)
        out.extra[raw.row] = {k: raw.values[k] for k in DERIVED if k in raw.values}
        (records if ok else out.partial).append(record)
    for name, found in dated.items():
        warn_dates_as_periods(name, found, issues)
    warn_units_as_text(sheet, issues)
    out.frame = pd.DataFrame.from_records(records, columns=TOUR_FRAME)
    return out


SHOWN_DERIVED = 10  # derived cells warned one by one; the rest are counted (a period's months
# changed by hand made one warning per tour over it: 130 lines)


def derived_warnings(
    rows: TourRows,
    months: dict[int, int],
    ppu: dict[int, int | None],
    dates: dict[int, tuple[dt.date, dt.date]] | None = None,
) -> list[Issue]:
    """Warnings where a derived cell (`months`, `personnel`, `start_date`, `end_date`)
    disagrees with the tour as it stands: verify reads from, to and units; the others follow
    from them (the dates only when the periods have start dates: `dates`)."""
    dates = dates or {}
    out: list[Issue] = []
    for row, extra in sorted(rows.extra.items()):
        start, end = dates.get(row, (None, None))
        for name, expected in (
            ("months", months.get(row)),
            ("personnel", ppu.get(row)),
            ("start_date", start),
            ("end_date", end),
        ):
            if name not in extra or expected is None:
                continue
            given = _as_given(name, extra[name])
            if given != expected:
                out.append(
                    Issue(
                        rows.cell(row, name),
                        f"{name} {_shown(extra[name])} is not the tour's {expected}; verify "
                        f"counts from, to and units ({name} is derived)",
                        "warning",
                    )
                )
    if len(out) <= SHOWN_DERIVED + 1:
        return out
    names = sorted({str(w.message).split(" ", 1)[0] for w in out[SHOWN_DERIVED:]})
    more = Issue(
        sheet_in_reference(rows.title),
        f"and {len(out) - SHOWN_DERIVED} more derived cells ({', '.join(names)}) disagree with "
        "their tours; verify counts from, to and units",
        "warning",
    )
    return [*out[:SHOWN_DERIVED], more]


def _as_given(name: str, value: Any) -> Any:
    """A derived cell's value as comparable with the tour's (None when it cannot be read)."""
    if name in ("start_date", "end_date"):
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value).strip())
        except ValueError:
            return None
    try:
        return coerce(MONTHS if name == "months" else PERSONNEL, value)
    except Bad:
        return None


def _shown(value: Any) -> str:
    if isinstance(value, dt.datetime):
        value = value.date()
    return repr(value) if not isinstance(value, dt.date) else value.isoformat()
