"""A timed baseline file's own periods on the calendar, and its tours placed on the workbook's
periods by the months they cover where the file cut its horizon otherwise.

A re-plan's workbook may cut the months differently from the plan given as `--baseline FILE`:
it starts later (a rolling re-plan), or its periods are shorter or longer (the baseline's
quarter `2027-04` of three months against months `2027-04`, `2027-05`, `2027-06`). Read by
name, a tour of the file's `2027-04..2027-04` was April alone, and the re-plan asked a nation
to add a unit its baseline already had there for May and June (an uneven-periods trial: 309
unit-months of changes, 30 nations asked, none of them real). So a tour's `from` is read as the
first month of the file's period it names and its `to` as the last month of its own, and each
placed in the workbook's period holding that month (`Recut.place`):

    from month f, to month l (the file's periods' months, `own_periods`)
    f before the workbook's first month: the tour began before the horizon (BEFORE)
    l from its end on: the tour runs past it (AFTER)
    else: the periods t of the workbook with f in t (from) or l in t (to)

A period the workbook cuts as the file did (same name, same months: the usual re-plan of the
same workbook) is read by its name, as before. A tour that begins or ends inside a period of
the workbook is read as covering that period whole (its units were asked for there), with a
warning naming the first of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

import pandas as pd

from ..errors import Issues
from ..wording import cells_text, count
from .baseline_kind import summary_values
from .coerce import as_month
from .period_names import typed_as_months
from .periods import months_text
from .raw_sheet import RawSheet

BEFORE, AFTER = "before", "after"


@dataclass
class OwnPeriods:
    """A timed output's periods named as months or quarters: name -> (first, end) on the
    calendar, as `typed_as_months`; `whole` where they are every period of its plan, each
    running to the next (its Burden's: `own_periods`)."""

    spans: dict[str, tuple[int, int]] = field(default_factory=dict)
    whole: bool = False
    names: frozenset[str] = frozenset()  # every period it names, a month or not

    def get(self, name: str) -> tuple[int, int] | None:
        return self.spans.get(name)

    def __contains__(self, name: object) -> bool:
        return name in self.spans


def file_periods(sheets: dict[str, RawSheet]) -> OwnPeriods:
    """`own_periods` of a timed output's sheets (by lower-case title)."""
    summary = sheets.get("summary")
    lasting = next(iter(summary_values(summary, "horizon_months")), "")
    count = next(iter(summary_values(summary, "periods")), "")
    return own_periods(sheets.get("allocation"), sheets.get("burden"), lasting, count)


def own_periods(
    allocation: RawSheet | None,
    burden: RawSheet | None = None,
    horizon_months: str = "",
    periods: str = "",
) -> OwnPeriods:
    """The periods a timed output names in its Allocation and Burden sheets (a date Excel made
    of one read as its month's key, as the Tours' are) that read as a month or a quarter, with
    the months each stands for. A period named by its first month may be longer (`2027-04` of
    three months): where the Burden (a row per contributor and period, so every period of the
    plan) names every period so, each runs to the next one's first month, and the last to the
    Summary's `horizon_months` (text, as read) after the first's (a review: a rolling re-plan
    read a tour to `2027-08` of two months as ending a month early, and its dwell with it).
    Only where the Burden names as many periods as the Summary's `periods` says and the
    Summary gives `horizon_months`: a period's rows deleted by hand stretched the one before
    it, and a last period without its length was read as one month (a review)."""
    found = [s for s in (allocation, burden) if s is not None]
    names = {as_month(v) or str(v) for s in found for v in _periods_named(s)}
    own = {name: months for name in names if (months := _strict_months(name)) is not None}
    every = [as_month(v) or str(v) for v in _periods_named(burden)] if burden else []
    complete = not periods.isdigit() or len(set(every)) == int(periods)
    spans = spans_of(every, int(horizon_months)) if horizon_months.isdigit() else None
    if spans is None or not complete:
        return OwnPeriods(own, names=frozenset(names))
    return OwnPeriods({**own, **spans}, whole=True, names=frozenset(names))


def spans_of(every: list[str], horizon_months: int) -> dict[str, tuple[int, int]] | None:
    """The months of each of a plan's periods `every` (all of them, as its Burden names them)
    where each is named by a month or a quarter: each runs to the next one's first month, the
    last to `horizon_months` after the first's (0: its name's months); None where a name is no
    month or quarter, or there are none."""
    named = {name: _strict_months(name) for name in every}
    if not named or any(months is None for months in named.values()):
        return None
    own = {name: months for name, months in named.items() if months is not None}
    ordered = sorted(own, key=lambda name: own[name])
    firsts = [own[name][0] for name in ordered]
    ends = [*firsts[1:], firsts[0] + horizon_months]
    return {
        name: (own[name][0], max(own[name][1], end))
        for name, end in zip(ordered, ends, strict=True)
    }


def _periods_named(sheet: RawSheet) -> list[object]:
    """The `period` cells of a sheet's rows, blanks left out."""
    return [v for row in sheet.rows if (v := row.values.get("period")) is not None]


_SOLVED_NAME = re.compile(r"\d{4}-(0[1-9]|1[0-2])|\d{4}-[Qq][1-4]|[Qq][1-4]-\d{4}")


def _strict_months(text: str) -> tuple[int, int] | None:
    """`typed_as_months` for a period named as a month `2027-03` or a quarter `2027-Q1` or
    `Q1-2027` (the forms `periods.calendar_month` reads); a slip such as `2027-13` is no time
    here."""
    return typed_as_months(text) if _SOLVED_NAME.fullmatch(text) else None


@dataclass
class Recut:
    """The workbook's periods (`names`, `calendar`: `period_names.calendar_of`) and the file's
    (`own`); the cells of the tours read by their months (`read`) and, of those, the ones that
    begin or end inside a period of the workbook (`inside`), with what each was read as."""

    names: list[str]
    calendar: list[tuple[int, int]] | None
    own: OwnPeriods
    # the workbook's periods follow one another, no gap, no overlap (`validate` warns of
    # either): only then is a period it names read by the file's months (a review)
    contiguous: bool = True
    read: list[str] = field(default_factory=list)
    inside: list[tuple[str, str]] = field(default_factory=list)  # (cell, what it was read as)
    first: tuple[str, str] = ("", "")  # the first cell read by months, and why

    def place(self, column: str, name: str, where: str) -> int | str | None:
        """The workbook's period (its position) a tour's `from` or `to` naming the file's
        period `name` is read as, BEFORE or AFTER the horizon; None to read it by name (a
        period cut as the workbook cuts it, or one the file's calendar does not place)."""
        months, calendar = self.own.get(name), self.calendar
        if months is None or not calendar:
            return None
        named = self.names.index(name) if name in self.names else None
        trusted = self.own.whole and self.contiguous
        if named is not None and (not trusted or calendar[named] == months):
            return None
        month = months[0] if column == "from" else months[1] - 1
        if month < calendar[0][0]:
            return BEFORE
        if month >= calendar[-1][1]:
            return AFTER
        held = [t for t, (first, end) in enumerate(calendar) if first <= month < end]
        if not held:
            return None
        t = held[0]
        edge = calendar[t][0] if column == "from" else calendar[t][1] - 1
        if named is not None or self.names[t] != name:
            self.read.append(where)
            if len(self.read) == 1:
                here = "" if named is None else f", this workbook's {months_text(calendar[named])}"
                self.first = (where, f"the baseline's {name} is {months_text(months)}{here}")
        if month != edge:
            inside = f"this workbook's {self.names[t]} ({months_text(calendar[t])})"
            self.inside.append((where, f"{column} {name} ({months_text(months)}) in {inside}"))
        return t

    def unplaced(self, name: str) -> str:
        """Why a period of the file's own plan the workbook lacks cannot be placed, or ''."""
        if name not in self.own.names or (self.own.get(name) and self.calendar):
            return ""
        whose = (
            "this workbook's periods have no calendar (no month names, no start dates)"
            if self.own.get(name)
            else "the baseline's periods are not named by their months"
        )
        return (
            f": it is a period of the baseline's own plan, but {whose}, so a re-plan over "
            "another horizon cannot place it (name the Periods of both workbooks by their "
            "months, `2027-04`, or delete the baseline's tours in periods this workbook lacks)"
        )

    def warn(self, issues: Issues) -> None:
        """One warning for the tours read by their months, one for those read as covering a
        period of the workbook they begin or end inside."""
        if self.read:
            where, why = self.first
            issues.warn(
                where,
                f"{count(len(self.read), 'from/to cell')} of the baseline's tours "
                f"{'names a period' if len(self.read) == 1 else 'name periods'} cut otherwise "
                f"than this workbook's ({why}): each tour is read by the calendar months it "
                f"covers, in this workbook's periods{_also(self.read)}",
            )
        if self.inside:
            where, what = self.inside[0]
            issues.warn(
                where,
                f"{count(len(self.inside), 'tour end')} of the baseline "
                f"{'falls' if len(self.inside) == 1 else 'fall'} inside a period of this "
                f"workbook: its units are read as there for that whole period ({what})"
                f"{_also([w for w, _ in self.inside])}",
            )


def warn_months_disagree(
    records: list[dict], periods: pd.DataFrame | None, own: OwnPeriods, issues: Issues
) -> None:
    """One warning where tours read by their periods' names cover other months in the
    workbook than their `months` cells say, and the file gives no calendar of its own (its
    Burden deleted, or cut short): its periods may be cut otherwise, and then its tours are
    misread (a review deleted a quarterly plan's Burden and its re-plan asked for changes of
    a tour the file said lasted 6 months, read as 4). Tours cut to the horizon are left out;
    none where the file gives its calendar (`own.whole`) or the workbook has no periods."""
    if periods is None or own.whole:
        return
    months = [int(m) for m in periods["months"]]
    differ = []
    for record in records:
        where, said = record.get("months_said", (None, None))
        if record.get("clipped") or not isinstance(said, int | float) or isinstance(said, bool):
            continue
        here = sum(months[int(record["first_t"]) : int(record["last_t"]) + 1])
        if int(said) != here:
            differ.append((where or record["where"], int(said), here))
    if differ:
        where, said, here = differ[0]
        issues.warn(
            where,
            f"{count(len(differ), 'tour')} of the baseline {'covers' if len(differ) == 1 else 'cover'} "
            f"other months in this workbook's periods than {'its' if len(differ) == 1 else 'their'} "
            f"months {'cell says' if len(differ) == 1 else 'cells say'} ({said} here, {here} "
            "in this workbook's periods), and the file has no whole Burden sheet to say what "
            "months its periods stand for: each tour is read by its periods' names, which is "
            "wrong if the file's periods were cut otherwise than this workbook's (else the cell "
            f"was not updated after an edit){_also([w for w, _, _ in differ])}",
        )


def contiguous(calendar: list[tuple[int, int]] | None) -> bool:
    """Whether periods on a calendar follow one another, no gap and no overlap (True without
    a calendar: nothing is read by months then)."""
    return calendar is None or all(a[1] == b[0] for a, b in pairwise(calendar))


def _also(cells: list[str]) -> str:
    return f" (also {cells_text(cells[1:])})" if len(cells) > 1 else ""
