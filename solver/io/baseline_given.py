"""A `Baseline` handed to the Python API (`api.solve(..., baseline=...)`, `api.with_baseline`)
after an analyst edited its rows with pandas, or built it by hand: checked as a baseline file's
rows are, before any model sees it.

An API trial set a row's units to -3 and met `ValueError: internal error: columns
'baseline.kept' ... no value fits` from deep inside the model; a contributor set to `ZZZ`
solved without a word. Now each row is checked, every problem at once as one `InputError`
naming the row as `.iloc` counts it and its column (`baseline.rows row 2 (units): units must
be a whole number >= 0, got -3`):

    contributor, capability, site   text, not blank
    units                           a whole number >= 0
    first_t, last_t                 whole numbers, 0 <= first_t <= last_t < the workbook's
                                    number of periods (0 and 0 in a snapshot)
    lock                            True or False (1 or 0)

and a key the workbook lacks is kept with a warning (its units are changes no plan can avoid),
as for a file (io/baseline_keys.py), unless a locked row names it: an error, a lock that can
never hold. A Baseline as `read_baseline` returned it passes
unchanged; it is copied, so the caller's later edits do not reach the solve."""

from __future__ import annotations

import math
from dataclasses import replace
from numbers import Integral, Real
from typing import Any

from ..baseline import BASELINE_COLUMNS, Baseline
from ..data import Data
from ..errors import InputError, Issue, Issues
from .baseline_keys import warn_unknown_keys
from .baseline_odd import KEYS

WHERE = "baseline.rows"


def checked_baseline(baseline: Baseline, data: Data) -> Baseline:
    """`baseline` with its rows checked against `data` (the module's docstring) and copied;
    raises `InputError` listing every problem. Warnings go to `data.warnings`."""
    rows = baseline.rows
    needed = [c for c in BASELINE_COLUMNS if c != "where"]
    if missing := [c for c in needed if c not in rows.columns]:
        raise InputError(
            [
                Issue(
                    WHERE,
                    f"column(s) {', '.join(missing)} missing: a Baseline's rows have {', '.join(needed)}",
                )
            ]
        )
    issues = Issues()
    periods = len(data.periods) if data.periods is not None else 1
    records: list[dict[str, Any]] = []
    for i, row in enumerate(rows[needed].to_dict("records")):
        at = {column: f"{WHERE} row {i} ({column})" for column in needed}
        before = len(issues.errors)
        for key in KEYS:
            if not isinstance(row[key], str) or not row[key].strip():
                issues.error(at[key], f"{key} must be a name (text), got {row[key]!r}")
        _whole(row["units"], 0, None, at["units"], "units", issues)
        _whole(row["first_t"], 0, periods - 1, at["first_t"], "first_t", issues)
        _whole(row["last_t"], 0, periods - 1, at["last_t"], "last_t", issues)
        if len(issues.errors) == before and int(row["first_t"]) > int(row["last_t"]):
            issues.error(at["first_t"], f"first_t {row['first_t']} is after last_t {row['last_t']}")
        if not isinstance(row["lock"], bool | Integral) or row["lock"] not in (0, 1):
            issues.error(at["lock"], f"lock must be True or False, got {row['lock']!r}")
        if len(issues.errors) == before:
            records.append({**row, "at": {k: at[k] for k in KEYS}})
    issues.raise_if_errors()
    reading = "of the workbook" if data.scenario == "base" else f"in scenario '{data.scenario}'"
    warn_unknown_keys(records, data, issues, reading)
    issues.raise_if_errors()  # a locked row naming a key the workbook lacks
    said = [w.message for w in [*baseline.read_warnings, *data.warnings]]
    data.warnings += [w for w in issues.warnings if not _said_before(w.message, said)]
    copied = rows.copy()
    if "where" not in copied.columns:
        copied["where"] = [f"{WHERE} row {i}" for i in range(len(copied))]
    return replace(baseline, rows=copied)


def _whole(value: Any, low: int, high: int | None, where: str, name: str, issues: Issues) -> None:
    """An error at `where` unless `value` is a whole number in low..high (no upper bound for
    None)."""
    if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(value):
        issues.error(where, f"{name} must be a whole number, got {value!r}")
        return
    number = float(value)
    if number != int(number) or number < low or (high is not None and number > high):
        upto = f" and <= {high}" if high is not None else ""
        issues.error(where, f"{name} must be a whole number >= {low}{upto}, got {value!r}")


def _said_before(message: str, said: list[str]) -> bool:
    """Whether a warning of the same key (`contributor 'ZZZ' is not on the ...`) was said when
    the baseline was read from its file (at that file's cells)."""
    head = message.split(" is not on the ", 1)[0]
    return any(m.startswith(f"{head} is not on the ") for m in said)
