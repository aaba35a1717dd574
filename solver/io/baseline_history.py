"""A rolling re-plan's history carried from one output to the next: the `History` sheet.

A re-plan against a baseline of an earlier horizon knows the baseline's tours before its first
period (`Baseline.history`, io/baseline_horizon.py): what ended there keeps units in dwell,
what runs into it has served months. Its own output shows only its periods, so a re-plan
against that output (the next roll, or a second re-plan of the same horizon) lost them: a
review found a tour of 2027-03..2027-08 re-planned from 2027-05, then from 2027-07, kept to
2027-10, eight months against six. So a timed output written against such a baseline has a
`History` sheet, one row per history tour, in calendar months:

    contributor, capability, site, from, to (`YYYY-MM`), units, carried (yes / withdrawn / no)

a row `carried` yes being the part before the output's first period of a tour that ran into
it: the output's Tours rows of that option from its first period continue it (their first
units, oldest first). Read back (`read_history`) against a workbook whose first period starts
at calendar month F:

- a row not carried: a tour that ended at `to`; end = month after `to` - F, start = `from` - F;
- a carried row (`yes`): the tour continues in the file's Tours rows of its option that begin
  the month after its `to` (`continuing`: their start is the row's `from` for up to its units,
  the rows taken in the order they end, the oldest prefix first);
- a `withdrawn` row: carried units the file's plan withdrew as its first period began: a tour
  that ended then where the workbook begins later; where it begins that same month (a second
  re-plan of the same horizon) the withdrawal was only planned, so the units are still
  carried in (a review found them read as at home);
- a carried row no Tours row continues (edited by hand): as a `withdrawn` one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from ..addresses import sheet_in_reference
from ..baseline import Baseline
from ..data import Data
from ..errors import Issues
from .coerce import as_month
from .period_names import calendar_of, typed_as_months
from .periods import month_text
from .raw_sheet import RawSheet

HISTORY_SHEET = "History"
WITHDRAWN = "withdrawn"  # `carried`: carried in, withdrawn by the plan as its first period began
SHEET_COLUMNS = ("contributor", "capability", "site", "from", "to", "units", "carried")


def history_table(
    data: Data, carried: Mapping[tuple[str, str, str], tuple[list, list]]
) -> pd.DataFrame | None:
    """The History sheet of a timed output solved against `data.baseline`, its plan's reading
    of the carried units `carried` (`time_plan.carried_reading`: per option, the tours that
    continue and those withdrawn as the first period began, [(start, units)] each): None
    without a history (or without a calendar to name its months). A carried unit withdrawn is
    a tour that ended then (a rolling trial: written as carried, the next roll read a fresh
    battalion as having served six months, and broke FRA's dwell)."""
    baseline: Baseline | None = data.baseline
    history = None if baseline is None else baseline.history
    calendar = calendar_of(data.periods) if data.periods is not None else None
    if history is None or not len(history) or not calendar:
        return None
    first = calendar[0][0]
    ended = history[~history["carried"].astype(bool)]
    rows = [
        (r.contributor, r.capability, r.site, int(r.start), int(r.end), int(r.units), "no")
        for r in ended.itertuples(index=False)
    ]
    for (c, k, s), (staying, gone) in sorted(carried.items()):
        rows += [(c, k, s, start, 0, n, "yes") for start, n in staying]
        rows += [(c, k, s, start, 0, n, WITHDRAWN) for start, n in gone]
    return pd.DataFrame(
        [
            (c, k, s, month_text(first + start), month_text(first + end - 1), n, flag)
            for c, k, s, start, end, n, flag in rows
        ],
        columns=[*SHEET_COLUMNS],
    )


@dataclass
class FileHistory:
    """A baseline file's History sheet, read (module docstring): `ended` and `withdrawn` rows
    (contributor, capability, site, start, end, units in calendar months) and the carried
    prefixes by the option and the month their tours continue in: [(from month, units), ...]."""

    ended: list[tuple[str, str, str, int, int, int]] = field(default_factory=list)
    withdrawn: list[tuple[str, str, str, int, int, int]] = field(default_factory=list)
    prefixes: dict[tuple[str, str, str, int], list[list[int]]] = field(default_factory=dict)


Prefixes = dict[tuple[str, str, str, int], list[list[int]]]


def continuing(
    prefixes: Prefixes, c: str, k: str, s: str, begins: int, units: int
) -> list[tuple[int, int]]:
    """[(start month, units), ...] of a Tours row of (c, k, s) beginning at calendar month
    `begins` with `units`: its first units continue the carried tours ending just before (the
    oldest first; taken from `prefixes`, which the caller passes rows to in the order they
    leave), the rest start with it."""
    out = []
    left = units
    for prefix in prefixes.get((c, k, s, begins), []):
        taken = min(left, prefix[1])
        if taken:
            out.append((prefix[0], taken))
            prefix[1] -= taken
            left -= taken
    return [*out, (begins, left)] if left else out


def _carried_elsewhere(issues: Issues, where: str, first_month: int) -> None:
    """A carried row (`yes`) runs into the file's first period, so it ends the month before
    it, where the file's Tours continue it; one ending elsewhere (edited by hand) is continued
    by none and read as a tour that ended then. A planner trial's edit changed a plan's cost
    and its verdict without a word."""
    issues.warn(
        where,
        "this History row is carried (it runs into the plan's first period), so it ends "
        f"{month_text(first_month - 1)}, the month before that period; it ends elsewhere, so no "
        "Tours row continues it and it is read as a tour that ended then, its units at home "
        "in dwell: was it edited? (a tour that ended is `carried` no)",
    )


def read_history(
    sheet: RawSheet | None, issues: Issues, first_month: int | None = None
) -> FileHistory:
    """The History sheet of a baseline file (none: empty). A row it cannot read is left out
    with a warning at its cell: its tour's dwell and months served are then not counted. A
    carried row not ending the month before the file's first period (`first_month`, where
    known) is read as written, with a warning (`_carried_elsewhere`)."""
    found = FileHistory()
    if sheet is None:
        return found
    if missing := [c for c in SHEET_COLUMNS if c not in sheet.columns]:
        issues.warn(  # a renamed `carried` read every carried tour as ended (a review)
            sheet_in_reference(sheet.title),
            f"the History sheet lacks its column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)}, so none of its rows is read: the dwell and months served "
            "before the horizon are not counted",
        )
        return found
    for row in sheet.rows:
        values = row.values
        # a month Excel made a date of is its month's key (as the Tours' are)
        months = {
            k: typed_as_months(as_month(values.get(k)) or str(values.get(k, "")))
            for k in ("from", "to")
        }
        units = values.get("units")
        bad = [k for k in ("contributor", "capability", "site") if values.get(k) is None]
        bad += [k for k, m in months.items() if m is None]
        bad += [] if isinstance(units, int | float) and units >= 0 else ["units"]
        if bad:
            issues.warn(
                row.where.get(bad[0]) or sheet.address(bad[0], row.row),
                f"this History row is not read ({', '.join(bad)}: not a key, a month YYYY-MM or "
                "a number of units): its tour's dwell and months served before the horizon are "
                "not counted",
            )
            continue
        begins, ends, n = months["from"], months["to"], int(units or 0)
        assert begins is not None and ends is not None
        c, k, s = (str(values[key]) for key in ("contributor", "capability", "site"))
        flag = str(values.get("carried", "")).strip().lower()
        if flag == "yes" and first_month is not None and ends[1] != first_month:
            _carried_elsewhere(
                issues, row.where.get("to") or sheet.address("to", row.row), first_month
            )
        if flag == "yes":
            found.prefixes.setdefault((c, k, s, ends[1]), []).append([begins[0], n])
        else:
            rows = found.withdrawn if flag == WITHDRAWN else found.ended
            rows.append((c, k, s, begins[0], ends[1], n))
    for prefixes in found.prefixes.values():
        prefixes.sort()  # the oldest first
    return found
