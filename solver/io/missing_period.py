"""What a window (`from`/`to`) naming a period missing from the Periods sheet may mean: a
`period` cell in error of its own (its key unknown), where the calendar could put the period,
or a period typed twice. The hint ends the window's error (validate_time.py)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pandas as pd

from ..errors import Issues
from ..wording import cells_text
from .period_names import typed_as_months
from .periods import calendar_month, typed_month


def unread_key_cells(periods: pd.DataFrame, issues: Issues) -> list[str]:
    """The `period` cells in error of their own (a date not on the first of a month, a blank,
    a control character): such a row is dropped with no key, since the cell gave none. They
    are the errors in the column of the other rows' `period` cells, less those rows' own (a
    duplicate's)."""
    cells = [str(c) for c in periods.get("_at_period", [])]
    column = re.fullmatch(r"(.*![A-Z]+)\d+", cells[0]) if cells else None
    if column is None:
        return []
    in_column = re.compile(re.escape(column[1]) + r"\d+")
    own = set(cells) | {str(where) for _, where in periods.attrs.get("duplicates", [])}
    found = [i.where for i in issues.errors if in_column.fullmatch(i.where)]
    return list(dict.fromkeys(w for w in found if w not in own))


def fits_at(periods: pd.DataFrame) -> Callable[[str, str], bool]:
    """fits(key, cell): whether a period `key` could have been in the `period` cell `cell`
    (`Periods!A8`) by the calendar: False only where the key and the keys of the rows read
    above and below the cell all name months or quarters and the key's is not between them
    (2026-12 cannot have been between 2027-06 and 2027-08)."""
    on_sheet = periods[periods["_row"].astype(int) > 0]  # a scenario's added row has none
    rows = [int(r) for r in on_sheet["_row"]]
    months = [calendar_month(str(k)) for k in on_sheet["period"]]

    def fits(key: str, cell: str) -> bool:
        # a month typed out of range is its year's nearest (`2027-13`: 2027-12), as the
        # did-you-mean reads it: a trial's 2027-13 pointed at a cell between 2027-05 and -07
        typed = typed_as_months(key)
        month = typed_month(key) if typed is None else typed[0]
        at = re.search(r"(\d+)$", cell)
        if month is None or at is None:
            return True
        row = int(at[1])
        above = [m for r, m in zip(rows, months, strict=True) if r < row]
        below = [m for r, m in zip(rows, months, strict=True) if r > row]
        if None in above[-1:] + below[:1]:
            return True
        return (not above or above[-1] < month) and (not below or month < below[0])  # type: ignore[operator]

    return fits


def missing_period_hint(
    unread: list[str],
    duplicates: list[tuple[str, str]],
    fits: Callable[[str, str], bool] = lambda key, cell: True,
) -> Callable[[str], str] | None:
    """What a window naming a missing period may mean. A `period` cell in error of its own
    held some period the window may name (its key cannot be known from the cell: 2027-12-15
    may be 2027-12 or a typo): point there (the caller gives no did-you-mean then: 2027-11 for
    a 2027-12 lost to its cell would steer to a wrong fix). With a period typed twice (a row
    copied and not renamed, the usual slip), a window may well mean that row: say so, after
    any did-you-mean (a period spelt alike, e.g. 2028-10 for a 2028-03 lost to a copied row,
    is no better a guess). A cell is not pointed at for a key the calendar cannot put there
    (`fits`: a repeated 2027-03 between 2027-03 and 2027-05 may have been 2027-04, not 2027-07)."""
    if not unread and not duplicates:
        return None

    def hint(value: str) -> str:
        cells = [cell for cell in unread if fits(value, cell)]
        parts = []
        if cells:
            held = (
                "the period cell {} has an error of its own"
                if len(cells) == 1
                else "the period cells {} have errors of their own"
            )
            parts.append(held.format(cells_text(cells)))
        copied = [(key, where) for key, where in duplicates if fits(value, where)]
        if copied:
            at = ", ".join(f"{where} ('{key}')" for key, where in copied)
            repeats = "repeats a period at" if len(copied) == 1 else "repeats periods at"
            parts.append(f"the Periods sheet {repeats} {at}")
        return f" ({'; '.join(parts)}: was '{value}' meant there?)" if parts else ""

    return hint
