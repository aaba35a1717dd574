"""The Periods sheet: month offsets, start dates, and what forcegen does with a timed workbook.

Write m(t) for the month offset of period t: m(first) = 0, m(t+1) = m(t) + months(t); the
horizon is M = m(last) + months(last). A start date given on one row fixes every other period's
start: start(t) = start(a) + (m(t) - m(a)) months, a being the first row with a start.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

import pandas as pd

from ..addresses import sheet_of, split_address
from ..data import Data, is_blank
from ..errors import Issues, UsageError
from ..wording import count
from .raw_sheet import RawWorkbook
from .schema_time import PERIODS
from .schema_types import MAX_MONTHS, MONTHS_WHY, norm


class TimedWorkbook(UsageError):
    """A timed workbook given to a reader of snapshots only (exit 2)."""


def periods_in(raw: RawWorkbook) -> int:
    """Rows of the raw Periods sheet: a workbook is timed when it has at least one."""
    sheet = raw.sheets.get(norm(PERIODS.name))
    return len(sheet.rows) if sheet is not None else 0


def timed_refusal(name: str, periods: int, scenario: str = "base") -> TimedWorkbook:
    """What a reader of snapshots only (`api.read(..., allow_timed=False)`) stops with."""
    which = name if scenario == "base" else f"{name} (scenario '{scenario}')"
    return TimedWorkbook(
        f"{which} is a timed workbook (Periods sheet, {periods} period"
        f"{'' if periods == 1 else 's'}), and this reader takes snapshot workbooks only; "
        "read it with allow_timed=True (the default)"
    )


def timed_summary(data: Data) -> str:
    """`timed: 24 periods, 24 months, 2027-01..2028-12` (empty for a snapshot)."""
    if data.periods is None or not len(data.periods):
        return ""
    names = data.periods["period"]
    n = len(names)
    return (
        f"timed: {count(n, 'period')}, {count(data.horizon_months or 0, 'month')}, "
        f"{span(names, 0, n - 1)}"
    )


def span(names: pd.Series | list[str], first: int, last: int) -> str:
    """`2027-01..2027-03`, or `2027-01` for one period."""
    names = list(names)
    return names[first] if first == last else f"{names[first]}..{names[last]}"


def runs(positions: list[int]) -> list[list[int]]:
    """Consecutive runs: [1, 2, 3, 6] -> [[1, 2, 3], [6]]."""
    out: list[list[int]] = []
    for t in sorted(positions):
        if out and out[-1][-1] == t - 1:
            out[-1].append(t)
        else:
            out.append([t])
    return out


def spans(names: pd.Series | list[str], positions: list[int]) -> str:
    """Positions as runs of consecutive periods: `Q1, Q3..Q4`."""
    return ", ".join(span(names, run[0], run[-1]) for run in runs(positions))


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (or earlier), kept within the month (Jan 31 + 1 = Feb 28)."""
    year, month0 = divmod(day.month - 1 + months, 12)
    last = calendar.monthrange(day.year + year, month0 + 1)[1]
    return dt.date(day.year + year, month0 + 1, min(day.day, last))


def months_later(day: dt.date, months: int) -> dt.date | None:
    """`add_months`, or None where the day falls outside the calendar a date has (years
    1..9999: `date.min`..`date.max`)."""
    year = day.year + (day.month - 1 + months) // 12
    return add_months(day, months) if dt.MINYEAR <= year <= dt.MAXYEAR else None


def last_days(starts: list[dt.date], months: list[int]) -> list[dt.date]:
    """Each period's last day: the day before the next period's start, so that periods are
    consecutive without gaps (start(t) + months(t) months can fall short of the next start
    when the day was clamped: Feb 28 + 1 month = Mar 28, but Mar 31 follows Jan 31). The last
    period's next start is the one a period after it would get as the starts are filled, the
    first start + every period's months (Jan 31 + 4 months = May 31 after Apr 30), or, where
    the starts given do not follow from the first, its own start + its months. The reading
    refuses starts that put a last day off the calendar (`build_periods`)."""
    ends = period_ends(starts, months)
    days = [end for end in ends if end is not None]
    if len(days) < len(ends):
        raise ValueError("a period ends outside the calendar; build_periods refuses its start")
    return days


def period_ends(starts: list[dt.date], months: list[int]) -> list[dt.date | None]:
    """`last_days`, None for a day outside the calendar (before 0001-01-01, the day before a
    period starting then; after 9999-12-31)."""
    if not starts:
        return []
    offsets = [sum(months[:i]) for i in range(len(months) + 1)]
    filled = all(day == months_later(starts[0], o) for day, o in zip(starts, offsets, strict=False))
    base, length = (starts[0], offsets[-1]) if filled else (starts[-1], months[-1])
    before = [None if day == dt.date.min else day - dt.timedelta(days=1) for day in starts[1:]]
    return [*before, _last_day(base, length)]


def _last_day(start: dt.date, months: int) -> dt.date | None:
    """The day before `start` + `months` months, None off the calendar."""
    if start.day == 1:  # the month's last day: 9999-12-01 + 1 month ends 9999-12-31, no 10000
        month = months_later(start, months - 1)
        return None if month is None else month.replace(day=_days_in(month))
    after = months_later(start, months)
    return None if after is None else after - dt.timedelta(days=1)


def _days_in(day: dt.date) -> int:
    return calendar.monthrange(day.year, day.month)[1]


def build_periods(frame: pd.DataFrame, issues: Issues) -> pd.DataFrame:
    """The typed Periods sheet (row order = time order) with `offset` = m(t) and every start
    date filled from the first one given; a given start that disagrees is kept, with a warning."""
    frame = frame.reset_index(drop=True).copy()
    months = frame["months"].astype(int)
    frame["months"] = months
    frame["offset"] = (months.cumsum() - months).astype(int)
    frame["phase"] = pd.Series([None if is_blank(v) else v for v in frame["phase"]], dtype=object)
    _warn_long_periods(frame, issues)
    if not _warn_months_out_of_order(frame, issues):
        _warn_names_off_the_calendar(frame, issues)
    given = [i for i, s in enumerate(frame["start"]) if not is_blank(s)]
    if not given:
        frame["start"] = [None] * len(frame)
        return frame
    anchor = given[0]
    expected = _expected_starts(frame, anchor)
    starts: list[dt.date] | None = None
    if not _starts_off_the_calendar(frame, anchor, expected, issues):
        starts = _given_or_expected(frame, anchor, [d for d in expected if d is not None], issues)
    if starts is None or _ends_off_the_calendar(frame, anchor, starts, issues):
        # dates are for display only: a sheet whose dates cannot be read is refused by its
        # error, and nothing after the reading meets a day off the calendar
        frame["start"] = [None] * len(frame)
    else:
        frame["start"] = starts
    return frame


def _warn_long_periods(frame: pd.DataFrame, issues: Issues) -> None:
    """A period of more than MAX_MONTHS is read as given, with a warning at its cell: longer than
    any operation, so a slip (600 typed for 6) is likelier than a plan."""
    # a sheet whose header lacks a column reads its rows without that column's cells
    cells = frame["_at_months"] if "_at_months" in frame else ["Periods"] * len(frame)
    for at, months in zip(cells, frame["months"], strict=True):
        if int(months) > MAX_MONTHS:
            issues.warn(
                str(at), f"months {int(months):,} is more than {MONTHS_WHY} (read as given)"
            )


def _expected_starts(frame: pd.DataFrame, anchor: int) -> list[dt.date | None]:
    """Each period's start as the first start given (row `anchor`) and the months between put
    it, None off the calendar (`months_later`)."""
    day, base = frame["start"].iloc[anchor], int(frame["offset"].iloc[anchor])
    return [months_later(day, int(offset) - base) for offset in frame["offset"]]


def _given_or_expected(
    frame: pd.DataFrame, anchor: int, expected: list[dt.date], issues: Issues
) -> list[dt.date]:
    """Each period's start: as given, else as the first start given (`anchor`) and the months
    between put it (`expected`); a given one that disagrees is kept, with a warning."""
    anchor_day = frame["start"].iloc[anchor]
    anchor_at = frame["_at_start"].iloc[anchor]
    starts = []
    for i, (start, follows) in enumerate(zip(frame["start"], expected, strict=True)):
        if is_blank(start):
            starts.append(follows)
            continue
        if start != follows:
            issues.warn(
                frame["_at_start"].iloc[i],
                f"start {start} does not follow from {anchor_day} at {anchor_at} and the months "
                f"of the periods between (expected {follows}); periods are consecutive, so "
                "the date is shown as given but check the months above it",
            )
        starts.append(start)
    return starts


def _starts_off_the_calendar(
    frame: pd.DataFrame, anchor: int, expected: list[dt.date | None], issues: Issues
) -> bool:
    """An error at the first start given (`anchor`) for the periods it would start before
    0001-01-01 or after 9999-12-31 (`expected` None), the days a date can have. True when it
    erred."""
    names = [str(name) for name in frame["period"]]
    day = frame["start"].iloc[anchor]
    off = [i for i, follows in enumerate(expected) if follows is None]
    for side in ([i for i in off if i < anchor], [i for i in off if i > anchor]):
        if side:
            which = _periods_text(names, side)
            issues.error(
                frame["_at_start"].iloc[anchor],
                _off_the_calendar(day, f"{which} would start", side[0] > anchor),
            )
    return bool(off)


def _ends_off_the_calendar(
    frame: pd.DataFrame, anchor: int, starts: list[dt.date], issues: Issues
) -> bool:
    """An error for a period whose last day (`period_ends`) is off the calendar: at the start
    after it (0001-01-01 leaves the period above none), or, for the last period, at its own
    start where given, else at the first start given. True when it erred."""
    names = [str(name) for name in frame["period"]]
    ends = period_ends(starts, [int(m) for m in frame["months"]])
    last = len(ends) - 1
    for i in [i for i, day in enumerate(ends) if day is None]:
        if i < last:
            at, what = i + 1, f"period '{names[i]}' above it would end"
        else:
            at = last if not is_blank(frame["start"].iloc[last]) else anchor
            what = f"period '{names[i]}' ({count(int(frame['months'].iloc[i]), 'month')}) would end"
        issues.error(frame["_at_start"].iloc[at], _off_the_calendar(starts[at], what, i == last))
    return None in ends


def _periods_text(names: list[str], positions: list[int]) -> str:
    """`period '2027-01'`, or `periods 2027-04..2027-06`."""
    if len(positions) == 1:
        return f"period '{names[positions[0]]}'"
    return f"periods {spans(names, positions)}"


def _off_the_calendar(start: dt.date, what: str, late: bool) -> str:
    """Why a start date cannot be read: `what` (`period '2027-01' would start`) lies off the
    calendar, `late` after it, else before."""
    edge = "after 9999-12-31, the last" if late else "before 0001-01-01, the first"
    return (
        f"start {start} cannot be read: {what} {edge} day a date can have (each period starts "
        "the day after the one above it ends, by the months); check the date, and the months"
    )


def _warn_months_out_of_order(frame: pd.DataFrame, issues: Issues) -> bool:
    """Keys that all name months (`2027-04`) but not in rising order: the row order is the
    time order, so a row moved by a sort or a paste would reorder the horizon silently. True
    when it warned."""
    keys = [str(k) for k in frame["period"]]
    if not keys or not all(re.fullmatch(r"\d{4}-\d{2}", k) for k in keys):
        return False
    for i in range(1, len(keys)):
        if keys[i] <= keys[i - 1]:
            issues.warn(
                frame["_at_period"].iloc[i],
                f"period '{keys[i]}' comes after '{keys[i - 1]}' on the sheet: the row order is "
                f"the time order, so {keys[i]} is read as later than {keys[i - 1]}; move the "
                "rows into calendar order if that is not meant",
            )
            return True
    return False


def calendar_month(key: str) -> int | None:
    """The month a period key names, as year * 12 + month - 1 (`2027-04`; a quarter, `2027-Q2`
    or `Q2-2027`, as its first month), or None for any other key (`M01`, `P3`)."""
    if found := re.fullmatch(r"(\d{4})-(\d{2})", key):
        month = int(found[2])
        return int(found[1]) * 12 + month - 1 if 1 <= month <= 12 else None
    if found := re.fullmatch(r"(\d{4})-Q([1-4])", key) or re.fullmatch(r"Q([1-4])-(\d{4})", key):
        year, quarter = (found[1], found[2]) if key[0] != "Q" else (found[2], found[1])
        return int(year) * 12 + (int(quarter) - 1) * 3
    return None


def typed_month(key: str) -> int | None:
    """`calendar_month` of a key typed in a window, where `2027-4` is 2027-04 typed unpadded (a
    sheet's own keys are read as written: 2027-1..2027-4 may number quarters)."""
    return calendar_month(re.sub(r"^(\d{4})-(\d)$", r"\1-0\2", key))


def _warn_names_off_the_calendar(frame: pd.DataFrame, issues: Issues) -> None:
    """Keys that all name months or quarters, one of which is not where the months above it put
    it: periods are consecutive without gaps (m(t+1) = m(t) + months(t)), so a row deleted
    from a monthly sheet (2027-05, then 2027-07) makes every later period start a month before
    its name says (a months cell too large, after it). One warning, at the first such key;
    none where a row between was dropped for an error of its own (a blank period cell), nor
    where the key's row gives its start (that date is checked against the months instead)."""
    from .period_names import named_month  # it reads this module's calendar_month

    keys = [str(k) for k in frame["period"]]
    found = [named_month(k) for k in keys]
    named = [m for m in found if m is not None]
    if len(keys) < 2 or len(named) < len(keys):
        return
    first = named[0]
    for i, (key, month, offset) in enumerate(zip(keys, named, frame["offset"], strict=True)):
        if month != first + int(offset):
            given = [not is_blank(day) for day in frame["start"]]
            if _error_between(frame, i, issues) or (given[i] and any(given[:i])):
                # a row between was dropped for an error of its own, which says it; a start
                # given here is checked against an earlier one and the months between
                # (build_periods), unless it is the first given: that one sets the calendar
                return
            off = month - (first + int(offset))
            months = int(frame["months"].iloc[i - 1])
            by = count(abs(off), "month")
            if given[i]:  # the first start given: it sets the calendar, the rows above move
                moved = (
                    f"the periods above it start {by} {'later' if off > 0 else 'earlier'} "
                    "than their names say (the start given here sets the calendar)"
                )
            else:
                moved = (
                    f"{key} is read as starting in {month_text(first + int(offset))}, {by} "
                    f"{'before' if off > 0 else 'after'} its name, and so are the periods after it"
                )
            issues.warn(
                frame["_at_period"].iloc[i],
                f"period '{key}' comes after '{keys[i - 1]}', a period of "
                f"{count(months, 'month')}: periods are consecutive, without gaps, so {moved} "
                "(tours and dwell count the months, not the names; start dates follow the "
                "months); is a row missing, or a months cell wrong?",
            )
            return


def _error_between(frame: pd.DataFrame, i: int, issues: Issues) -> bool:
    """Whether the Periods sheet has an error in a row between rows i-1 and i of `frame` (a row
    dropped for it: a blank or bad `period` cell, `months` 0); a blank row is no error. A row
    dropped for a value a scenario set (`months` 'x') counts too, though its error is at the
    scenario's cell (`Scenarios!E3`), not on the sheet."""
    if "_row" not in frame or "_at_period" not in frame:
        return False
    above, below = int(frame["_row"].iloc[i - 1]), int(frame["_row"].iloc[i])
    dropped = [int(row["_row"]) for row in frame.attrs.get("rejected_rows", [])]
    if any(above < row < below for row in dropped):
        return True
    sheet = sheet_of(str(frame["_at_period"].iloc[i]))
    for issue in issues.errors:
        reference = split_address(str(issue.where))
        if reference is None or reference[0] != sheet:
            continue
        at = re.fullmatch(r"[A-Z]+(\d+)", reference[1])
        if at and above < int(at[1]) < below:
            return True
    return False


def month_text(month: int) -> str:
    """`2027-03` of a calendar month (year * 12 + month - 1)."""
    year, month0 = divmod(month, 12)
    return f"{year:04d}-{month0 + 1:02d}"


def months_text(months: tuple[int, int]) -> str:
    """`2027-04..2027-06` (`2027-04` for one month) of (first, end) on the calendar."""
    first, last = month_text(months[0]), month_text(months[1] - 1)
    return first if first == last else f"{first}..{last}"
