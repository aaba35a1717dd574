"""A timed output's `Allocation` set beside what its Tours imply.

The Tours sheet is the plan (verify checks it); `Allocation` (one row per contributor,
capability, site and period with units present) is derived from it. When a planner edits one and
not the other they disagree: each difference is reported as a warning at its cell, never resolved
silently.
"""

from __future__ import annotations

from typing import Any

from ..addresses import row_address, sheet_in_reference
from ..errors import Issue
from ..io.coerce import Bad, clean_text, coerce
from ..io.raw_sheet import RawSheet
from ..wording import count
from .plan import units_text
from .reader import UNITS
from .schedule import Schedule

KEYS = ("contributor", "capability", "site", "period")
SHOWN = 10  # differences listed one by one; the rest are counted


def allocation_findings(schedule: Schedule, sheet: RawSheet | None) -> list[Issue]:
    """Warnings where the Allocation sheet disagrees with x[c,k,s,t] of the Tours."""
    if sheet is None:
        return []
    whole = sheet_in_reference(sheet.title)  # the place of a warning about the whole sheet
    missing = [k for k in (*KEYS, "units") if k not in sheet.columns]
    if missing:
        return [
            _warn(
                row_address(sheet.title, sheet.header_row),
                f"no column {', '.join(missing)}: the sheet was not compared with the Tours "
                "(the Tours sheet is the plan)",
            )
        ]
    implied: dict[tuple[str, ...], int] = {
        (c, k, s, schedule.names[int(t)]): int(n)
        for c, k, s, t, n in schedule.x[
            ["contributor", "capability", "site", "t", "units"]
        ].itertuples(index=False)
    }
    written: dict[tuple[str, ...], list[Any]] = {}  # key -> [units, first cell]
    found: list[Issue] = []
    for raw in sheet.rows:
        if any(raw.values.get(k) is None for k in (*KEYS, "units")):
            continue
        key = tuple(clean_text(raw.values[k]) for k in KEYS)
        try:
            units = int(coerce(UNITS, raw.values["units"]))
        except Bad as bad:
            found.append(_warn(raw.where["units"], f"{bad}; the row was not compared"))
            continue
        entry = written.setdefault(key, [0, raw.where["units"]])
        entry[0] += units
    for key, (units, cell) in written.items():
        given = implied.get(key, 0)
        if units != given:
            found.append(
                _warn(cell, f"{_what(key)}: {units_text(units)} here, the Tours give {given}")
            )
    for key, given in implied.items():
        if key not in written:
            found.append(
                _warn(whole, f"{_what(key)}: the Tours give {units_text(given)}, no row here")
            )
    if not found:
        return []
    head = _warn(
        whole,
        f"{count(len(found), 'row')} {'disagrees' if len(found) == 1 else 'disagree'} with the "
        "Tours sheet: in a timed output the Tours are the plan, and verify checks them, not "
        "the Allocation sheet (derived from them). To change the plan, edit the Tours sheet; "
        "the Allocation rows below are not checked. The solve wrote Coverage, Timeline, "
        "Sustainability, Burden and Dashboard from its plan too: `forcegen report` and "
        "`forcegen compare` recompute them from the Tours",
    )
    if len(found) <= SHOWN + 1:  # one more than shown is listed, not hidden (wording.shortened)
        return [head, *found]
    return [head, *found[:SHOWN], _warn(whole, f"and {len(found) - SHOWN} more")]


def _what(key: tuple[str, ...]) -> str:
    c, k, s, period = key
    return f"{c}/{k}/{s} in {period}"


def _warn(where: str, message: str) -> Issue:
    return Issue(where, message, "warning")
