"""Period keys that name months (`2027-04`, `2027-Q2`, `Apr-27`) beside start dates that put
them elsewhere.

A start date is for display only (Gantt charts, output labels: `time.md`), and a key is a
label: neither changes the plan. When both name a month and they disagree (periods `2027-01`,
`2027-02` with a start of 2026-07-01), the outputs label January 2027 as July 2026, or the keys
were meant for other periods; a planner is warned once, at the start that sets the calendar.
"""

from __future__ import annotations

import pandas as pd

from ..data import is_blank
from ..errors import Issues
from ..wording import count
from .period_names import named_month
from .periods import month_text


def warn_names_against_starts(periods: pd.DataFrame, typed: pd.Series, issues: Issues) -> None:
    """One warning when every key names a month or a quarter, the keys follow one another by
    the months (else `periods._warn_names_off_the_calendar` has said where they do not), and
    the first start given puts its period in none of the months its key names. Writing n(t)
    for the month key t names and d(t) for the month its start falls in, the keys follow when
    n(t) = n(first) + m(t) for every t; the warning is for a period a (the first row with a
    start given) whose months d(a) .. d(a) + months(a) - 1 (and d(a) + months(a) where it
    starts after the 1st) share none with n(a) .. n(a) + 2 of a quarter, n(a) of a month
    (`typed`: the start cells as read, before the others were filled in)."""
    if "_at_start" not in periods:
        return
    keys = [str(key) for key in periods["period"]]
    named = [named_month(key) for key in keys]
    given = [i for i, start in enumerate(typed) if not is_blank(start)]
    if (
        not given
        or periods["start"].iloc[given[0]] is None
        or any(month is None for month in named)
    ):
        return
    first = named[0]
    assert first is not None  # every key names a month, checked above
    if any(month != first + int(m) for month, m in zip(named, periods["offset"], strict=True)):
        return
    anchor = given[0]
    start = periods["start"].iloc[anchor]
    dated = start.year * 12 + start.month - 1
    named_at = named[anchor]
    assert named_at is not None
    # the months the period runs over by its start (one more when it starts after the 1st)
    # and those its key names: a period `2027-01` from 2026-12-15 runs into January (months
    # counted from the 15th), and is no mistake (a review)
    runs = range(dated, dated + int(periods["months"].iloc[anchor]) + (start.day > 1))
    key = keys[anchor]
    names = range(named_at, named_at + (3 if "Q" in key.upper() else 1))
    if set(runs) & set(names):
        return
    by = count(abs(dated - named_at), "month")
    issues.warn(
        periods["_at_start"].iloc[anchor],
        f"start {start} falls in {month_text(dated)}, but its period is named '{keys[anchor]}' "
        f"({month_text(named_at)}): the dates put every period {by} "
        f"{'later' if dated > named_at else 'earlier'} than its name says (the Gantt chart and "
        "the outputs' dates follow the start; tours and dwell count the months); check the date, "
        "or the period names",
    )
