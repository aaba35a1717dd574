"""A timed output's `Allocation` set beside what its Tours imply.

The Tours sheet is the plan (verify checks it); `Allocation` (one row per contributor,
capability, site and period with units present) is derived from it. When a planner edits one and
not the other they disagree: each difference is reported as a warning at its cell (consecutive
periods of one option with the same counts as one, `FRA/INF_BN/Kyiv in 2027-01..2027-09`), never
resolved silently.
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
    position = {name: t for t, name in enumerate(schedule.names)}
    differ = [  # (c, k, s), t (-1: a period the input lacks), its name, units here, units the
        # Tours give, the cell ('' for no row)
        (key[:3], position.get(key[3], -1), key[3], units, implied.get(key, 0), cell)
        for key, (units, cell) in written.items()
        if units != implied.get(key, 0)
    ]
    differ += [
        (key[:3], position[key[3]], key[3], 0, n, "")
        for key, n in implied.items()
        if key not in written
    ]
    rows = len(differ)
    for option, names, units, given, cell in _runs(sorted(differ, key=lambda d: d[:3])):
        what = (
            f"{'/'.join(option)} in {names[0] if len(names) == 1 else f'{names[0]}..{names[-1]}'}"
        )
        if cell:
            found.append(_warn(cell, f"{what}: {units_text(units)} here, the Tours give {given}"))
        else:
            found.append(_warn(whole, f"{what}: the Tours give {units_text(given)}, no row here"))
    if not differ:  # nothing compared differs: the unreadable rows' warnings alone
        return found
    head = _warn(
        whole,
        f"{count(rows, 'row')} {'disagrees' if rows == 1 else 'disagree'} with the "
        "Tours sheet: in a timed output the Tours are the plan, and verify checks them, not "
        "the Allocation sheet (derived from them). To change the plan, edit the Tours sheet; "
        "the Allocation rows below are not checked. The solve wrote Coverage, Timeline, "
        "Sustainability, Burden and Dashboard from its plan too: `forcegen report` and "
        "`forcegen compare` recompute them from the Tours",
    )
    if len(found) <= SHOWN + 1:  # one more than shown is listed, not hidden (wording.shortened)
        return [head, *found]
    return [head, *found[:SHOWN], _warn(whole, f"and {len(found) - SHOWN} more")]


def _runs(differ: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """The differences (sorted by option and period) with consecutive periods of one option
    and the same two counts as one: (option, period names, units, given, first cell). Nine
    months of one tour edited were nine lines of warnings (a trial). A period the input lacks
    is a run of its own."""
    out: list[list[Any]] = []
    last_t = -2
    for option, t, name, units, given, cell in differ:
        run = out[-1] if out else None
        follows = run is not None and run[0] == option and last_t >= 0 and t == last_t + 1
        # a row's run and the months with no row are told apart (a row of 0 is a row)
        if (
            follows
            and run is not None
            and (run[2], run[3], bool(run[4])) == (units, given, bool(cell))
        ):
            run[1].append(name)
        else:
            out.append([option, [name], units, given, cell])
        last_t = t
    return [tuple(run) for run in out]


def _warn(where: str, message: str) -> Issue:
    return Issue(where, message, "warning")
