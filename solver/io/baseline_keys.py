"""The keys of a baseline's rows against the workbook's: one the workbook has but for case is
read as the workbook's, one it lacks is kept (its units are changes no plan can avoid) and
warned about, whether the rows come from the `Baseline` sheet or a `--baseline` file."""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from typing import Any

from ..baseline_words import CANNOT_HOLD
from ..data import Data
from ..errors import Issues
from ..wording import cells_text, count
from .baseline_odd import KEYS, known_keys
from .coerce import suggest
from .refs import case_slip, fold_case, suggest_contributor

SHEET_OF = {"contributor": "Contributors", "capability": "Capabilities", "site": "Sites"}
OTHER_WORKBOOK_ROWS = 5  # a baseline of this many rows, none of them the workbook's: another's?


def take_case_slips(records: list[dict[str, Any]], data: Data, issues: Issues) -> None:
    """A key the workbook has but for case (`esp` for ESP, `lviv` for Lviv) is read as the
    workbook's, with a warning at its cell, as verify and compare read the same file: a
    planner's retyped name asked ESP to add a unit and `esp` to withdraw it."""
    known = known_keys(data)
    folded = {key: fold_case(values) for key, values in known.items()}
    for record in records:
        for key in KEYS:
            if record[key] in known[key]:
                continue
            taken = case_slip(key, record[key], folded[key], record["at"][key], issues)
            if taken is not None:
                record[key] = taken


def warn_unknown_keys(
    records: list[dict[str, Any]],
    data: Data,
    issues: Issues,
    reading: str,
    file: bool = False,
    dropped_only: bool = False,
) -> None:
    """Keys the workbook (as the scenario reads it) does not have: kept, their units are
    unavoidable changes. One warning per key missing, at its first cell, naming the others, and
    saying which reading lacks the key. A locked row (of units) naming a key the workbook lacks
    is an error at its cell (`_locked_on_unknown`); one naming a key the scenario drops (every
    key missing, where `dropped_only`: the workbook's own sheet, its keys checked) cannot be
    kept (the solve is infeasible), which the warning says. A `file` none of whose rows the
    workbook has all the keys of (solved from another workbook?) is said once first (the
    workbook's own sheet is of the workbook: its keys are missing where a scenario drops
    them)."""
    known = known_keys(data)
    missing: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for record in records:
        for key in KEYS:
            if record[key] not in known[key]:
                missing.setdefault((key, record[key]), []).append(record)
    lacking = {id(r) for rows in missing.values() for r in rows}
    if file and len(records) >= OTHER_WORKBOOK_ROWS and all(id(r) in lacking for r in records):
        issues.warn(
            records[0]["at"]["contributor"],
            f"none of the baseline's {len(records)} rows names a contributor, capability and "
            f"site all {reading}: was it solved from another workbook? All its units change",
        )
    for (key, value), rows in missing.items():
        near = _nearest(key, value, known[key], data)
        if not dropped_only and value not in data.dropped.get(SHEET_OF[key], {}):
            lacking_in = (
                "of the workbook" if data.scenario == "base" else f"in scenario '{data.scenario}'"
            )
            rows = _locked_on_unknown(key, value, rows, f"{lacking_in}{near}", issues)
            if not rows:
                continue
        units = sum(int(r["units"]) for r in rows)
        cells = [r["at"][key] for r in rows]
        also = f" (also {cells_text(cells[1:])})" if len(cells) > 1 else ""
        # a locked row of 0 units keeps nothing (`locks_on_nothing`): it cannot fail to hold
        locked = [r["at"][key] for r in rows if r.get("lock") and r["units"] > 0]
        cannot = (
            f"; {count(len(locked), 'locked row')} ({cells_text(locked)}) {CANNOT_HOLD}: "
            f"unlock {'it' if len(locked) == 1 else 'them'} or restore the {key}"
            if locked
            else ""
        )
        what = (
            f"its {count(units, 'unit')} change{'s' if units == 1 else ''}"
            if units
            else "its rows hold no units, so nothing changes"
        )
        issues.warn(
            cells[0],
            f"{key} '{value}' is not on the {SHEET_OF[key]} sheet {reading}{near}: "
            f"{what}{cannot}{also}",
        )


def _locked_on_unknown(
    key: str, value: str, rows: list[dict[str, Any]], reading: str, issues: Issues
) -> list[dict[str, Any]]:
    """An error at each locked row of units naming `value`, a `key` the workbook lacks (not one
    a scenario drops); the rows left to warn about. Such a lock can never hold: a typo in a
    locked row (`FRX` for FRA) was said as an infeasible plan, its Infeasibility sheet written
    and exit 3, where the planner's fix is the cell (a trial)."""
    left = []
    for record in rows:
        if not (record.get("lock") and record["units"] > 0):
            left.append(record)
            continue
        issues.error(
            record["at"][key],
            f"{key} '{value}' is not on the {SHEET_OF[key]} sheet {reading}, and the row is "
            f"locked: a lock can only keep units of a {key} the workbook has; correct the "
            f"{key}, or unlock the row (its units are then withdrawn)",
        )
    return left


def _nearest(key: str, value: str, known: AbstractSet[str], data: Data) -> str:
    """A did-you-mean for a key the workbook lacks: a typo (`Austrlia` for AUS) reads as a
    nation gone, whose units change, and the Asks sheet then asked AUS to add the unit it held
    (a trial); a key a scenario drops is the workbook's own, and has none."""
    if value in data.dropped.get(SHEET_OF[key], {}):
        return ""
    if key == "contributor":
        return suggest_contributor(value, sorted(known), data.contributors)
    return suggest(value, sorted(known))
