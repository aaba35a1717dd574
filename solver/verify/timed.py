"""`verify` on a timed plan: the Tours sheet of a timed output checked against every rule of
`time.md` (tours, rotation and dwell, every rule and caveat per period), and the stages
recomputed in time. verify's own reading of the contract: nothing here comes from the model,
the caveat modules or `solver/time_plan.py`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from ..data import Data
from ..io.periods import last_days
from .baseline import (
    changes_value,
    in_stage_order,
    locked_dates_violations,
    locked_tour_violations,
    locked_violations,
    locks_note,
)
from .own_history import history_note
from .plan import Violation
from .reader import RawAllocation
from .report import VerifyReport, compare_stages, lexicographic_note
from .schedule import Schedule
from .time_allocation import allocation_findings
from .time_caveats import TIMED_CAVEAT_RULES
from .time_rules import PERIOD_RULES
from .time_stages import timed_stage_values
from .time_tours import TOUR_RULES
from .tours_sheet import derived_warnings, read_tours


def verify_timed(
    data: Data, raw: RawAllocation, stored: dict[str, Any] | None = None
) -> VerifyReport:
    """Read the Tours (exit 2 for an unreadable cell), check every rule on them, recompute the
    stages beside `stored` (the Summary), and set the Allocation sheet beside the Tours."""
    rows = read_tours(raw, data)
    schedule = Schedule(data, rows)
    violations: list[Violation] = []
    for rule in (*TOUR_RULES, *PERIOD_RULES, *TIMED_CAVEAT_RULES):
        violations.extend(rule(schedule))
    values = timed_stage_values(schedule)
    broken = 0  # locked rows of the baseline the plan breaks
    if data.baseline is not None and not data.baseline.history_only:
        present = {
            (c, k, s, int(t)): (int(n), tuple(rows))
            for c, k, s, t, n, rows in schedule.x[
                ["contributor", "capability", "site", "t", "units", "rows"]
            ].itertuples(index=False)
        }
        locked = locked_violations(data.baseline, present, schedule.names)
        locked += locked_dates_violations(data.baseline, schedule.tours, schedule.names)
        limits = data.pledges.set_index(["contributor", "capability"])["tour_months"].to_dict()
        locked += locked_tour_violations(data.baseline, schedule.tours, schedule.periods, limits)
        violations += [replace(v, where=schedule.cite(v.rows)) for v in locked]
        broken = len(locked)
        values = in_stage_order(values, changes_value(data.baseline, present, schedule.months))
    stages = compare_stages(values, stored or {})
    report = VerifyReport(
        violations,
        stages,
        scenario=data.scenario,
        units=int(rows.frame["units"].sum()) if len(rows.frame) else 0,
        rows=len(rows.frame),
        timed=True,
    )
    note = lexicographic_note(stages) if report.ok else None
    own = history_note(data.baseline, schedule.names[0])  # verify/own_history.py
    report.notes += [n for n in (note, locks_note(data.baseline, broken), own) if n]
    report.warnings = [
        *rows.warnings,
        *schedule.warnings,
        *derived_warnings(rows, *_derived(schedule)),
        *allocation_findings(schedule, raw.sheet),
    ]
    return report


def _derived(
    schedule: Schedule,
) -> tuple[dict[int, int], dict[int, int | None], dict[int, tuple[dt.date, dt.date]]]:
    """Per Tours row: the tour's length in months, its personnel (units x unit size), and its
    first and last day (when every period has a start date: start(first), and the day before
    the start of the period after `last`, as the Tours sheet writes them)."""
    months: dict[int, int] = {}
    personnel: dict[int, int | None] = {}
    dates: dict[int, tuple[dt.date, dt.date]] = {}
    sizes = schedule.data.pledge_ppu()
    periods = schedule.data.periods
    assert periods is not None
    starts = periods["start"].tolist()
    dated = bool(starts) and all(isinstance(s, dt.date) for s in starts)
    ends = last_days(starts, periods["months"].astype(int).tolist()) if dated else []
    for r in schedule.tours.itertuples(index=False):
        months[r.row] = schedule.length(r.first, r.last)
        size = sizes.get((r.contributor, r.capability))
        personnel[r.row] = None if size is None else int(r.units) * int(size)
        if dated:
            dates[r.row] = (starts[r.first], ends[r.last])
    return months, personnel, dates
