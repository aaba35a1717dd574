"""A timed baseline file solved over another horizon: the rolling re-plan.

A planner re-plans from "now" against the last plan: the workbook's Periods start later than
the output given as `--baseline FILE` (2027-07..2029-06 against a plan of 2027-01..2028-12),
or end sooner. The file's tours then name periods the workbook lacks. Such a period is read,
not refused, where it is one of the file's own periods (the `period` cells of its Allocation
and Burden sheets, which its solve wrote beside the Tours), its name reads as a month or a
quarter (`2027-03`, `2027-Q1`) and the workbook's periods have a calendar: it is read by the
months it stands for (io/baseline_calendar.py, which also reads a file whose periods the
workbook cuts otherwise). A hand-typed slip in a plan of this horizon (`2026-12` for
`2027-12`) stays an error with its did-you-mean (io/period_names.py).

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

from dataclasses import dataclass, field
from typing import Any

from ..data import Data
from ..errors import Issues
from ..wording import cells_text, count
from .baseline_calendar import AFTER, BEFORE, OwnPeriods, Recut
from .baseline_history import HISTORY_SHEET, FileHistory, continuing
from .period_names import period_named
from .periods import span

KEEP, DROP, REVERSED = "keep", "drop", "reversed"


@dataclass
class Horizon:
    """The tours of a baseline file read against the workbook's horizon (see the module)."""

    periods: list[str]
    own: OwnPeriods = field(default_factory=OwnPeriods)  # the file's (baseline_calendar.py)
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
    recut: Recut | None = None  # its tours read by their months (baseline_calendar.py)

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
        """One warning for the tours left out, one for those cut, at the first of each, and
        those of the tours read by their months (`Recut.warn`)."""
        if self.recut is not None:
            self.recut.warn(issues)
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
    """The period a Tours `from`/`to` cell names, by its position in the workbook's Periods:
    one of the file's own periods the workbook cuts otherwise, by its months (`Recut.place`),
    the first or last period where it lies beyond the horizon; else a key (or one but for
    case, with a warning); None, with its error, else."""
    assert data.periods is not None
    key, said = period_named(column, typed, data.periods)
    name = str(typed) if key is None else key
    placed = None if horizon.recut is None else horizon.recut.place(column, name, where)
    if placed is None and key is None:
        issues.error(where, said + ("" if horizon.recut is None else horizon.recut.unplaced(name)))
        return None
    row.said[column] = name
    if isinstance(placed, str):
        row.sides[column] = placed
        return horizon.position(placed)
    if said and key is not None:
        issues.warn(where, said)
    return placed if placed is not None else horizon.periods.index(name)


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
