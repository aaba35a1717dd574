"""A timed baseline file solved over another horizon: the rolling re-plan.

A planner re-plans from "now" against the last plan: the workbook's Periods start later than
the output given as `--baseline FILE` (2027-07..2029-06 against a plan of 2027-01..2028-12),
or end sooner. The file's tours then name periods the workbook lacks. Such a period is read,
not refused, where all of these hold:

- it is one of the file's own periods (the `period` cells of its Allocation sheet, which its
  solve wrote beside the Tours): a hand-typed slip in a plan of this horizon (`2026-12` for
  `2027-12`) stays an error with its did-you-mean (io/period_names.py);
- its name reads as a month or a quarter (`2027-03`, `2027-Q1`) and the workbook's periods
  have a calendar (`period_names.calendar_of`);
- on that calendar it lies wholly before the workbook's first period or wholly after its last.

A tour wholly before the horizon (it ended) or wholly after it is no part of the baseline; a
tour that began before the first period (or ends after the last) is the baseline within the
horizon, from the first period (to the last), its lock holding that part. Each is said once, at
its first row, naming the others.

Both are also the baseline's `history` (solver/baseline.py), in months from the first period's
start on the calendar: a tour that ended before the horizon keeps its units at home in dwell
into it, and one that began before it has served those months (a re-plan trial: a rolling
re-plan asked GBR for a battalion still at home from a tour that ended the month before).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..data import Data
from ..errors import Issues
from ..wording import cells_text, count
from .baseline_history import HISTORY_SHEET, FileHistory, continuing
from .baseline_kind import summary_values
from .coerce import as_month
from .period_names import calendar_of, period_named, typed_as_months
from .periods import span
from .raw_sheet import RawSheet

BEFORE, AFTER = "before", "after"
KEEP, DROP, REVERSED = "keep", "drop", "reversed"


# a timed output's periods named as months or quarters: name -> (first, end) on the calendar,
# as `typed_as_months` (`own_periods`)
OwnPeriods = dict[str, tuple[int, int]]


def file_periods(sheets: dict[str, RawSheet]) -> OwnPeriods:
    """`own_periods` of a timed output's sheets (by lower-case title)."""
    lasting = summary_values(sheets.get("summary"), "horizon_months")
    return own_periods(sheets.get("allocation"), sheets.get("burden"), next(iter(lasting), ""))


def own_periods(
    allocation: RawSheet | None, burden: RawSheet | None = None, horizon_months: str = ""
) -> OwnPeriods:
    """The periods a timed output names in its Allocation and Burden sheets (a date Excel made
    of one read as its month's key, as the Tours' are) that read as a month or a quarter, with
    the months each stands for. A period named by its first month may be longer (`2027-04` of
    three months): where the Burden (a row per contributor and period, so every period of the
    plan) names every period so, each runs to the next one's first month, and the last to the
    Summary's `horizon_months` (text, as read) after the first's (a review: a rolling re-plan
    read a tour to `2027-08` of two months as ending a month early, and its dwell with it)."""
    found = [s for s in (allocation, burden) if s is not None]
    names = {as_month(v) or str(v) for s in found for v in _periods_named(s)}
    own = {name: months for name in names if (months := _strict_months(name)) is not None}
    every = [as_month(v) or str(v) for v in _periods_named(burden)] if burden else []
    if not every or any(name not in own for name in every):
        return own
    ordered = sorted(set(every), key=lambda name: own[name])
    firsts = [own[name][0] for name in ordered]
    horizon = int(horizon_months) if horizon_months.isdigit() else 0
    ends = [*firsts[1:], firsts[0] + horizon]
    for name, end in zip(ordered, ends, strict=True):
        own[name] = (own[name][0], max(own[name][1], end))
    return own


def _periods_named(sheet: RawSheet) -> list[object]:
    """The `period` cells of a sheet's rows, blanks left out."""
    return [v for row in sheet.rows if (v := row.values.get("period")) is not None]


def side_of_horizon(text: str, periods: pd.DataFrame, own: OwnPeriods) -> str | None:
    """BEFORE or AFTER where the period `text` (no key of `periods`) is one of the file's
    `own` periods lying wholly before (after) the workbook's horizon on its calendar, else
    None (not read: an error, as before)."""
    months, calendar = own.get(text), calendar_of(periods)
    if months is None or not calendar:
        return None
    if months[1] <= calendar[0][0]:
        return BEFORE
    if months[0] >= calendar[-1][1]:
        return AFTER
    return None


_SOLVED_NAME = re.compile(r"\d{4}-(0[1-9]|1[0-2])|\d{4}-[Qq][1-4]|[Qq][1-4]-\d{4}")


def _strict_months(text: str) -> tuple[int, int] | None:
    """`typed_as_months` for a period named as a month `2027-03` or a quarter `2027-Q1` or
    `Q1-2027` (the forms `periods.calendar_month` reads); a slip such as `2027-13` is no time
    here."""
    return typed_as_months(text) if _SOLVED_NAME.fullmatch(text) else None


@dataclass
class Horizon:
    """The tours of a baseline file read against the workbook's horizon (see the module)."""

    periods: list[str]
    own: OwnPeriods = field(default_factory=dict)  # the file's own periods (`own_periods`)
    outside: list[str] = field(default_factory=list)  # cells of tours wholly outside
    clipped: list[str] = field(default_factory=list)  # cells of tours cut to the horizon
    clipped_locked: int = 0  # of those, locked
    first_month: int | None = None  # the first period's start on the calendar (`calendar_of`)
    # rows remembered for the history: (the row's record, its start month, its end (months
    # from the first period's), carried, the order it ends in)
    remembered: list[tuple[dict[str, Any], int, int, bool, tuple[int, int]]] = field(
        default_factory=list
    )
    file: FileHistory = field(default_factory=FileHistory)  # the file's History sheet

    def position(self, side: str) -> int:
        """The period a tour's end beyond the horizon is read as: the first or the last."""
        return 0 if side == BEFORE else len(self.periods) - 1

    def judge(self, where: str, typed: TypedPeriods, locked: bool) -> str:
        """KEEP, DROP or REVERSED for a row whose `from`/`to` may lie beyond the horizon
        (`typed.sides`: column -> BEFORE or AFTER; none: KEEP), counting the row kept cut
        (`locked` or not) or dropped. REVERSED: its from is after its to (an error, as any):
        its `to` before the horizon and its `from` not, its `from` after and its `to` not, or
        both on one side in that order."""
        first, last = typed.sides.get("from"), typed.sides.get("to")
        if not typed.sides:
            return KEEP
        if first == last:  # both before, or both after
            begins, ends = (self.own.get(typed.said[c]) for c in ("from", "to"))
            if begins is not None and ends is not None and begins[0] > ends[0]:
                return REVERSED
            self.outside.append(where)
            return DROP
        if last == BEFORE or first == AFTER:
            return REVERSED
        self.clipped.append(where)
        self.clipped_locked += int(locked)
        return KEEP

    def remember(self, record: dict[str, Any], typed: TypedPeriods, judged: str) -> None:
        """Add a row judged KEEP or DROP to the history where it began before the horizon: it
        ended there (DROP, both periods before) or runs into it (its `from` before, or at the
        first period continuing a carried tour of the file's History sheet:
        io/baseline_history.py)."""
        if self.first_month is None:
            return
        if typed.sides.get("from") == BEFORE:
            found = self.own.get(typed.said["from"])
            if found is None:
                return
            begins = found[0]
        elif judged == KEEP and record["first_t"] == 0:
            begins = self.first_month
        else:
            return
        ends = self.own.get(typed.said["to"]) if judged == DROP else None
        if judged == DROP and (ends is None or typed.sides["to"] != BEFORE):
            return
        end = 0 if ends is None else ends[1] - self.first_month
        leaves = (0, ends[1]) if ends is not None else (1, int(record["last_t"]))
        self.remembered.append((record, begins, end, ends is None, leaves))

    def history(self) -> list[dict[str, Any]]:
        """Baseline.history's rows, with the keys their rows have now (a case slip taken after
        `remember`: a review found `a` for `A` dropped the history without a word): the rows
        that began before the horizon, each continuing the file's History sheet's carried
        tours where it does (the rows of one option and month taken in the order they end: a
        review found hand-reordered rows read otherwise), and that sheet's tours that ended
        or were withdrawn (io/baseline_history.py)."""
        if self.first_month is None:
            return []
        first = self.first_month
        prefixes = {key: [list(p) for p in ps] for key, ps in self.file.prefixes.items()}
        rows = []
        keys = ("contributor", "capability", "site")
        for record, begins, end, carried, _ in sorted(
            self.remembered, key=lambda r: (*(str(r[0][k]) for k in keys), r[1], r[4])
        ):
            c, k, s = (str(record[key]) for key in keys)
            for start, units in continuing(prefixes, c, k, s, begins, int(record["units"])):
                if start < first:
                    rows.append(_row(c, k, s, record["where"], units, start - first, end, carried))
        left = [(c, k, s, st, at, n) for (c, k, s, at), ps in prefixes.items() for st, n in ps if n]
        for c, k, s, begins, ends, units in [*self.file.withdrawn, *left]:
            if ends == first:  # withdrawn where this workbook begins: only planned, still there
                rows.append(_row(c, k, s, HISTORY_SHEET, units, begins - first, 0, True))
            elif ends < first:
                rows.append(
                    _row(c, k, s, HISTORY_SHEET, units, begins - first, ends - first, False)
                )
        for c, k, s, begins, ends, units in self.file.ended:
            if ends <= first:
                rows.append(
                    _row(c, k, s, HISTORY_SHEET, units, begins - first, ends - first, False)
                )
        return rows

    def warn(self, issues: Issues) -> None:
        """One warning for the tours left out, one for those cut, at the first of each."""
        if not self.outside and not self.clipped:
            return
        whole = span(self.periods, 0, len(self.periods) - 1)
        if self.outside:
            issues.warn(
                self.outside[0],
                f"{count(len(self.outside), 'tour')} of the baseline "
                f"{_says(self.outside, 'lies', 'lie')} wholly outside this workbook's periods "
                f"({whole}) and {_says(self.outside, 'is', 'are')} no part of its baseline: the "
                f"baseline was solved over another horizon (a rolling re-plan)"
                f"{_also(self.outside)}",
            )
        if self.clipped:
            issues.warn(
                self.clipped[0],
                f"{count(len(self.clipped), 'tour')} of the baseline "
                f"{_says(self.clipped, 'runs', 'run')} beyond this workbook's periods ({whole}): "
                f"only {_says(self.clipped, 'its', 'their')} part within them is the baseline"
                f"{self._locks_held()}{self._months_before()}{_also(self.clipped)}",
            )

    def _months_before(self) -> str:
        """What the plan counts of tours that began before the horizon (model/history.py)."""
        if not any(carried for _, _, _, carried, _ in self.remembered) and not self.file.prefixes:
            return ""
        return (
            "; the months served before the first period count toward tour_months, and units "
            "the plan withdraws as it begins go home into dwell"
        )

    def _locks_held(self) -> str:
        """What the locks of the tours cut hold: their part within the horizon."""
        if not self.clipped_locked:
            return ""
        if self.clipped_locked == len(self.clipped):
            return (
                " (its lock holds that part)"
                if self.clipped_locked == 1
                else (" (their locks hold that part)")
            )
        return f" (the locks of {self.clipped_locked} of them hold that part)"


@dataclass
class TypedPeriods:
    """A row's `from` and `to` as typed (`said`, its key where it names one) and, of those
    beyond the workbook's horizon, which side (`sides`: io/baseline_horizon.py)."""

    said: dict[str, str] = field(default_factory=dict)
    sides: dict[str, str] = field(default_factory=dict)


def period_at(
    column: str,
    typed: object,
    where: str,
    data: Data,
    horizon: Horizon,
    issues: Issues,
    row: TypedPeriods,
) -> int | None:
    """The period a Tours `from`/`to` cell names, by its position in the workbook's Periods: a
    key (or one but for case, with a warning), or the first or last period for one of the
    file's own periods beyond the horizon (`side_of_horizon`); None, with its error, else."""
    assert data.periods is not None
    key, said = period_named(column, typed, data.periods)
    side = None if key is not None else side_of_horizon(str(typed), data.periods, horizon.own)
    if key is None and side is None:
        issues.error(where, said)
        return None
    if said and key is not None:
        issues.warn(where, said)
    row.said[column] = key if key is not None else str(typed)
    if side is not None:
        row.sides[column] = side
        return horizon.position(side)
    return [str(p) for p in data.periods["period"]].index(str(key))


def _says(cells: list[str], one: str, more: str) -> str:
    """The word for one tour or for several."""
    return one if len(cells) == 1 else more


def _also(cells: list[str]) -> str:
    return f" (also {cells_text(cells[1:])})" if len(cells) > 1 else ""


def _row(
    c: str, k: str, s: str, where: str, units: int, start: int, end: int, carried: bool
) -> dict[str, Any]:
    """A row of Baseline.history (solver/baseline.py HISTORY_COLUMNS)."""
    return {
        "contributor": c,
        "capability": k,
        "site": s,
        "where": where,
        "units": units,
        "start": start,
        "end": end,
        "carried": carried,
    }
