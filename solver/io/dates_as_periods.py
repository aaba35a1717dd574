"""Dates typed in a column of period keys (a window's `from`/`to`, a plan's Tours), read as
their months' periods: said once per column (`coerce.month_key` reads them)."""

from __future__ import annotations

import datetime as dt

from ..errors import Issues
from ..wording import cells_text, count


def warn_dates_as_periods(column: str, found: list[tuple[str, dt.date]], issues: Issues) -> None:
    """Warnings for the dates of a column of period keys, each read as the period of its month
    (`coerce.month_key`): `found` is (cell, date) in sheet order; none, no warning. One for the
    firsts of a month (what Excel makes of a typed `2027-01`), one for the other days (a window
    typed as a date: its whole month)."""
    firsts = [(where, day) for where, day in found if day.day == 1]  # noon on the 1st too
    _warn_months_typed(column, firsts, issues)
    _warn_days_in_months(column, [f for f in found if f not in firsts], issues)


def _warn_months_typed(column: str, found: list[tuple[str, dt.date]], issues: Issues) -> None:
    if not found:
        return
    at = [where for where, _ in found]
    first = found[0][1]
    read_as = "the periods of their months" if len(at) > 1 else "the period of its month"
    issues.warn(
        at[0],
        f"{count(len(at), 'date')} in {column} ({cells_text(at)}) read as {read_as} "
        f"({first:%Y-%m-%d} as '{first:%Y-%m}'): Excel turns a typed "
        f"{first:%Y-%m} into a date; format the column as text to keep what is typed",
    )


def _warn_days_in_months(column: str, found: list[tuple[str, dt.date]], issues: Issues) -> None:
    """A planner trial typed a mandate's end as 2027-09-30 and saw it refused."""
    if not found:
        return
    at = [where for where, _ in found]
    first = found[0][1]
    whole = "from the start of" if column == "from" else "to the end of"
    read_as = "the periods of their months" if len(at) > 1 else "the period of its month"
    issues.warn(
        at[0],
        f"{count(len(at), 'date')} in {column} ({cells_text(at)}) not on the first of a month "
        f"read as {read_as} ({first:%Y-%m-%d} as '{first:%Y-%m}', {whole} the month): periods "
        "are whole months; type the period to say which one is meant",
    )
