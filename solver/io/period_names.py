"""A period as a planner types it: the Periods key a plan's or a workbook's cell names, and the
did-you-mean for one the Periods sheet lacks, by time where the name reads as a month or a
quarter (the calendar from `periods.calendar_month` and the sheet's start dates)."""

from __future__ import annotations

import re

import pandas as pd

from ..data import is_blank
from .coerce import suggest
from .periods import calendar_month, months_text, span, spans


def period_named(column: str, value: object, periods: pd.DataFrame) -> tuple[str | None, str]:
    """The period of `periods` (the Periods sheet as read) that a plan's `from` or `to` cell
    names (an output's Tours, read by `verify` and as a re-plan's baseline alike), and what to
    say of it: (key, '') for one of its names; (key, a warning) for one of them but for case
    (`from 'p1' taken as 'P1' (case differs)`), or a month that one starts in (a `to`: ends in,
    `period_of_month`), with a warning; (None, the error) for none, with a did-you-mean
    (`suggest_period`): `to '2027-13' is not a period of the input (2027-01..2027-06) (did you
    mean '2027-06'?)`."""
    names = [str(name) for name in periods["period"]]
    text = str(value)
    if text in names:
        return text, ""
    folded = [name for name in names if name.casefold() == text.casefold()]
    if len(folded) == 1:
        return folded[0], f"{column} '{text}' taken as '{folded[0]}' (case differs)"
    # a month, as an input's window reads it (a trial: a Tours `to` of 2027-03 was refused
    # over quarters, though it ends 2027-Q1 and a Pledges `to` of it is taken)
    taken = period_of_month(text, periods, to=column == "to")
    if taken is not None:
        ending = "ending" if column == "to" else "starting"
        return taken, f"{column} '{text}' taken as the period {ending} that month, '{taken}'"
    whole = span(names, 0, len(names) - 1)
    hint = suggest_period(text, periods)
    return None, f"{column} '{text}' is not a period of the input ({whole}){hint}"


def period_of_month(text: str, periods: pd.DataFrame, to: bool = False) -> str | None:
    """The period that starts in the month `text` names (`2027-03`, typed or a date cell read
    as its month, or spelt otherwise: `month_spelt`), where exactly one does on the calendar of
    `periods` (`calendar_of`: its names or its start dates); else None. For a window's `to`
    (`to`), the period that ends in that month: a mandate typed to end 2027-04 is no quarter
    2027-Q2 (or `Apr-27`) that would run it to June (a review). A planner whose Periods are
    named as Excel shows a date (`Mar-27`, typed as text, as forcegen's own warning advised)
    typed dates elsewhere, and every one was refused with a hint naming the right period (a
    trial)."""
    month, calendar = month_spelt(text), calendar_of(periods) or _shown_months(periods)
    if month is None or not calendar:
        return None
    edge = [t for t, (first, end) in enumerate(calendar) if (end - 1 if to else first) == month]
    return str(periods["period"].iloc[edge[0]]) if len(edge) == 1 else None


_MONTH_NUMBER = r"(0?[1-9]|1[0-2])"  # a month, not a slip (`2027-13`)
_SPELLINGS = (  # (pattern, the group of its year, of its month)
    (re.compile(rf"(\d{{4}})[-/.]{_MONTH_NUMBER}"), 1, 2),  # 2027-03, 2027-3, 2027/03
    (re.compile(rf"{_MONTH_NUMBER}[-/.](\d{{4}})"), 2, 1),  # 03/2027, 3-2027, 03.2027
    # an ISO date on the first, typed as text (a time of midnight as a date's text has it)
    (re.compile(rf"(\d{{4}})-{_MONTH_NUMBER}-01(?:[ T]00:00(?::00)?)?"), 1, 2),
)
# a month by its English name: `Mar 2027`, `March 2027`, `Mar-2027`, `Mar. 2027`; a two-digit
# year only as Excel shows a date, `Mar-27` (`Mar 27` may be the 27th of March)
_NAMED = re.compile(r"([A-Za-z]{3,9})(?:\.?,?[-\s]?(\d{4})|-(\d{2}))")


def month_spelt(text: str) -> int | None:
    """The month (year * 12 + month - 1) a window's cell names in one of its common spellings,
    where the spelling names exactly one: `2027-03` (`2027-3`, `2027/03`), `03/2027`, an ISO
    date on the first typed as text (`2027-03-01`), the month's English name or abbreviation
    with a four-digit year (`Mar 2027`, `March 2027`) or, as Excel shows a date, a two-digit one
    (`Mar-27`); None for any other text (`03/04/2027`: the 3rd of April or the 4th of March; a
    slip, `2027-13`). A trial's `Jun 2028`, `06/2028` and `2028-06-01` were refused with an
    error whose hint named the right period."""
    text = text.strip()
    for pattern, year, month in _SPELLINGS:
        if found := pattern.fullmatch(text):
            return int(found[year]) * 12 + int(found[month]) - 1
    found = _NAMED.fullmatch(text)
    word = found[1].casefold() if found else ""
    named = [i for i, name in enumerate(_MONTHS) if len(word) >= 3 and name.startswith(word)]
    if found is None or len(named) != 1:
        return None
    year = int(found[2]) if found[2] else 2000 + int(found[3])
    return year * 12 + named[0]


def _shown_months(periods: pd.DataFrame) -> list[tuple[int, int]] | None:
    """Each period's months where every name is a month as Excel shows a date (`Jan-27`,
    `typed_as_months`) and the sheet gives no start dates: their first months, then the sheet's
    lengths; None otherwise."""
    named = [typed_as_months(str(name)) for name in periods["period"]]
    if not named or any(m is None or m[1] - m[0] != 1 for m in named):
        return None
    lengths = [int(m) for m in periods["months"]]
    return [(m[0], m[0] + n) for m, n in zip(named, lengths, strict=True) if m is not None]


NEAR_MONTHS = 12  # a month further than this from the horizon suggests no period of it


def suggest_period(
    text: str, periods: pd.DataFrame, names: list[str] | None = None, horizon: bool = False
) -> str:
    """A ` (did you mean 'X'?)` hint for a period name the Periods sheet lacks, or ''. A name
    that reads as a month or a quarter (`typed_as_months`: `2027-13`, `2026-12`, `2028-Q1`,
    `2028-q5`) is a time, and the hint is the period holding its months on the calendar of
    `periods` (`calendar_of`), or the nearest one, the first or the last, when they are
    outside the horizon by at most `NEAR_MONTHS`; further, none (with `horizon`, for a message
    that does not name them, the horizon's first and last period: ` (the periods run
    2027-01..2027-06)`). A quarter over several periods names them all (` (its months are in
    the periods 2027-04..2027-06)`): a `from` wants the first, a `to` the last. None where two
    periods are as near (a month between two on a sheet with a row missing), and never a
    spelling's guess: 2027-03 is no fix for 2027-13, nor 2027-Q1 for 2028-Q1. Any other name,
    or a time where the periods give no calendar (`M01`.. without start dates), gets the
    closest spelling among `names` (the periods' by default; `coerce.suggest`)."""
    months, calendar = typed_as_months(text), calendar_of(periods)
    keys = [str(name) for name in periods["period"]]
    if months is None or not calendar:  # no calendar, or no periods
        return suggest(text, keys if names is None else names)
    slip = re.fullmatch(r"\d{4}-(\d{1,2})", text.strip())
    typed = slip is None or 1 <= int(slip[1]) <= 12  # `2027-13` is a slip, not a month
    return suggest_in_time(months, calendar, keys, horizon, inside=typed)


def suggest_in_time(
    months: tuple[int, int],
    calendar: list[tuple[int, int]],
    keys: list[str],
    horizon: bool = False,
    several: bool = True,
    inside: bool = False,
) -> str:
    """`suggest_period`'s hint for a name typed as `months` (`typed_as_months`) among `keys`,
    whose months are `calendar` ((first, end) each, as `calendar_of` gives them; in time order
    where the hint may name the first and the last, with `horizon`, or a run of them, with
    `several`: keys that are no periods, such as Profile rows, make no run). With `inside` (a
    month typed as one, not a slip read as its year's nearest), a month within a period of
    several months names that period and leaves the choice to the planner: its first or last
    month would have been taken where it fits (a `from`, a `to`), so either way the nearest
    period counts a nation ready early or its mandate late (a review)."""
    away = [_months_away(months, first, end) for first, end in calendar]
    nearest = min(away)
    if nearest > NEAR_MONTHS:
        return f" (the periods run {span(keys, 0, len(keys) - 1)})" if horizon else ""
    if away.count(nearest) == 1:
        t = away.index(nearest)
        first, end = calendar[t]
        if inside and nearest == 0 and months[1] - months[0] == 1 and end - first > 1:
            return (  # a month inside a longer period: which way is the planner's to choose
                f" (it falls inside the period '{keys[t]}', {months_text((first, end))}, and "
                f"a window covers whole periods: name '{keys[t]}' "
                "to take that period in, or the period before or after it to leave it out)"
            )
        return f" (did you mean '{keys[t]}'?)"
    holding = [t for t, months_away in enumerate(away) if months_away == 0]
    distinct = len({keys[t] for t in holding}) == len(holding) > 1
    if several and months[1] - months[0] > 1 and distinct:  # a quarter over several periods
        return f" (its months are in the periods {spans(keys, holding)})"
    return ""  # as near as each other, or a month the sheet repeats or overlaps (said there)


_MONTHS = (  # a month typed by its English name, as Excel shows a date (`Aug-27`)
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)


def typed_as_months(text: str) -> tuple[int, int] | None:
    """The months a name typed as a month or a quarter stands for, (first, end) as year * 12 +
    month - 1, `end` the month after the last: `YYYY-MM` (or `YYYY-M`) one month, `YYYY-Qn`
    or `Qn-YYYY` (`q` too) the quarter's three. A month or quarter number out of range is read
    as its year's nearest (`2027-13` as 2027-12, `2027-00` as 2027-01, `2028-Q5` as 2028-Q4:
    the year is as typed, the number is the slip). `YYYY/MM`, `MM/YYYY` and `MM-YYYY` (`/`,
    `-` or `.`; the four-digit year says which is which) are one month too: a planner trial's
    `03/2027` got no hint. A month by its English name, as Excel
    shows a date (`Aug-27`, `Aug 2027`, `August 2027`; a two-digit year is 20yy), one month
    too: a planner whose Periods are dates (read as `2027-08`) types what the cells show (a
    trial). None for any other name."""
    if found := re.fullmatch(r"(\d{4})[-/.](\d{1,2})", text.strip()):
        month = int(found[1]) * 12 + min(max(int(found[2]), 1), 12) - 1
        return month, month + 1
    if found := re.fullmatch(r"(\d{1,2})[-/.](\d{4})", text.strip()):  # `03/2027`
        month = int(found[2]) * 12 + min(max(int(found[1]), 1), 12) - 1
        return month, month + 1
    if found := re.fullmatch(r"([A-Za-z]{3,9})[-\s]?(\d{2}|\d{4})", text.strip()):
        word = found[1].casefold()
        named = next((i for i, m in enumerate(_MONTHS, start=1) if m.startswith(word)), None)
        if named is not None:
            full = int(found[2]) + (2000 if len(found[2]) == 2 else 0)
            return full * 12 + named - 1, full * 12 + named
    found = re.fullmatch(r"(\d{4})-[Qq](\d)", text) or re.fullmatch(r"[Qq](\d)-(\d{4})", text)
    if found is None:
        return None
    year, quarter = (found[1], found[2]) if text[0] not in "Qq" else (found[2], found[1])
    first = int(year) * 12 + (min(max(int(quarter), 1), 4) - 1) * 3
    return first, first + 3


def calendar_of(periods: pd.DataFrame) -> list[tuple[int, int]] | None:
    """Each period's months on the calendar, (first, end) as year * 12 + month - 1, `end` the
    month after its last: from its name where every period names a month or a quarter
    (`calendar_month`: a period may be several months long), else from its start date where
    the sheet gives them; None where neither does (`M01`, `P3` without dates)."""
    lengths = [int(m) for m in periods["months"]]
    named = [calendar_month(str(name)) for name in periods["period"]]
    if all(month is not None for month in named):
        firsts = [int(month) for month in named if month is not None]
    elif "start" in periods and not any(is_blank(day) for day in periods["start"]):
        firsts = [day.year * 12 + day.month - 1 for day in periods["start"]]
    else:
        return None
    return [(first, first + length) for first, length in zip(firsts, lengths, strict=True)]


def _months_away(months: tuple[int, int], first: int, end: int) -> int:
    """How many months `months` (typed, `typed_as_months`) lie outside the months
    first..end - 1: from its last to `first`, or from `end` - 1 to its first (0 where they
    share one)."""
    begins, ends = months
    return first - (ends - 1) if ends <= first else max(0, begins - end + 1)


def as_end(name: str, months: int) -> str:
    """A period's name where something ends with it (a mandate, a tour, a dwell): one named as a
    single month but longer (`2027-07` of three months) says its months too, `2027-07
    (2027-07..2027-09)` (an uneven-periods trial read `POL's mandate ends 2027-07` as July, of a mandate
    running to September); any other name as it is (`2027-Q3`, `P4`, a month of one month)."""
    typed = typed_as_months(name)
    if months <= 1 or typed is None or typed[1] - typed[0] != 1:
        return name
    return f"{name} ({months_text((typed[0], typed[0] + int(months)))})"


def named_month(key: str) -> int | None:
    """The month a key names (`periods.calendar_month`), or names in English as Excel shows a
    date (`Jan-27`, `Aug 2027`, `August 2027`: `period_names.typed_as_months`): a trial's
    periods `Jan-27`..`Mar-27` from 2027-03-01 were not warned about."""
    month = calendar_month(key)
    # a two-digit year only as Excel writes it, after a hyphen: `Sep 01` numbers phases (a
    # review: read as September 2001)
    if month is None and re.fullmatch(r"[A-Za-z]{3,9}(-\d{2}|[-\s]?\d{4})", key.strip()):
        months = typed_as_months(key)
        month = None if months is None else months[0]
    return month
