"""The content digests: of a plan, what the Summary's `allocation_sha256` (and, in time,
`tours_sha256`) records; of a whole output, what a re-plan's Summary records as its
`baseline_sha256` (`output_sha256`, `baseline_sha256`).

An Allocation sheet edited by hand is recognised by its content, not by its totals: moving a
unit from one site to another keeps every total and changes the digest. A baseline is
recognised by its content without its timing cells: the same plan solved twice, at two speeds,
is the same baseline. Whether an output's plan is still the one its solve wrote, or a planner's
work, is `hand_edit.py`'s to say, by these digests.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import math
import numbers
import zipfile
import zlib
from pathlib import Path
from typing import Any

import pandas as pd

from ..io.coerce import as_month
from ..io.open_book import PART_UNREADABLE, open_workbook

KEYS = ("contributor", "capability", "site")


def allocation_digest(alloc: pd.DataFrame) -> str:
    """SHA-256 of the plan's rows, independent of row order and of how rows are split.

    The rows are reduced to one per (contributor, capability, site) with units > 0 (units and
    personnel added up), sorted by key, and each written as the line
    `contributor TAB capability TAB site TAB units TAB personnel` (UTF-8, LF; a key without the
    spaces typed around it); the digest is that
    text's SHA-256 in hex. A missing `personnel` column counts as 0. A timed Allocation (with a
    `period` column) is keyed by (contributor, capability, site, period) and each line has
    `TAB period` after the site, so a unit moved from one period to another changes the digest.
    """
    if not len(alloc):
        return hashlib.sha256(b"").hexdigest()
    keys = [*KEYS, "period"] if "period" in alloc.columns else list(KEYS)
    frame = _key_texts(alloc[keys])
    frame["units"] = pd.to_numeric(alloc["units"]).astype("int64")
    personnel = alloc.get("personnel", pd.Series(0, index=alloc.index))
    frame["personnel"] = pd.to_numeric(personnel).astype("int64")
    summed = frame.groupby(keys, sort=True)[["units", "personnel"]].sum()
    summed = summed[summed["units"] > 0]
    text = "".join(
        "\t".join(map(str, key)) + f"\t{int(u)}\t{int(p)}\n"
        for key, u, p in zip(summed.index, summed["units"], summed["personnel"], strict=True)
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


TOUR_KEYS = ("contributor", "capability", "site", "from", "to")


def tours_digest(tours: pd.DataFrame) -> str:
    """SHA-256 of a timed plan's Tours rows, as `allocation_digest` does for the Allocation:
    one line `contributor TAB capability TAB site TAB from TAB to TAB units` per tour key with
    units > 0 (rows of one key added up), sorted. Splitting a tour in two, or moving its end,
    changes it even where every period's units stay the same."""
    if not len(tours):
        return hashlib.sha256(b"").hexdigest()
    frame = _key_texts(tours[list(TOUR_KEYS)])
    frame["units"] = pd.to_numeric(tours["units"]).astype("int64")
    summed = frame.groupby(list(TOUR_KEYS), sort=True)["units"].sum()
    summed = summed[summed > 0]
    text = "".join("\t".join(map(str, key)) + f"\t{int(u)}\n" for key, u in summed.items())
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _key_texts(keys: pd.DataFrame) -> pd.DataFrame:
    """The key cells as the texts every reader of a plan takes them for: spaces typed around a
    key (`' AUS '`) are no edit of the plan, as verify, compare and report read it; a blank
    key is empty."""
    return keys.map(_key_text)


def _key_text(value: Any) -> str:
    """A key cell as text: a blank one as empty (pandas 3 keeps a blank as NaN through
    `astype(str)`, and a row of a blank key then fell out of the digest: a `Total` row typed
    below the plan was no edit; a review)."""
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return ""
    return value.strip() if isinstance(value, str) else str(value)


def tours_edited(summary: dict[str, Any], tours: pd.DataFrame) -> bool:
    """Whether a timed output's Tours rows (blank rows left out) no longer give the
    `tours_sha256` its Summary recorded: a plan edited after solving. A units cell that is not a
    whole number is an edit (the solve writes none); a missing tour column too; a `from` or
    `to` that Excel made a date of the first of a month is that month's key. False when no
    digest was recorded (an older output is taken as solved)."""
    stored = summary.get("tours_sha256")
    if not (isinstance(stored, str) and stored):
        return False
    keys = [*TOUR_KEYS, "units"]
    if not set(keys) <= set(tours.columns):
        return True
    cells = tours[keys]
    blank = cells.isna() | cells.map(lambda v: isinstance(v, str) and v == "")
    rows = tours[~blank.all(axis=1)]
    units = pd.to_numeric(rows["units"], errors="coerce")
    if units.isna().any() or (units % 1 != 0).any():
        return True
    # a period Excel made a date of (2027-03 retyped) is that period, as verify and compare
    # read it: the same plan
    periods = {c: rows[c].map(lambda v: as_month(v) or v) for c in ("from", "to")}
    return tours_digest(rows.assign(**periods)) != stored


# the cells of a Tours row that follow from its from, to and units (verify reads none of them)
DERIVED = ("months", "personnel", "start_date", "end_date")


def tours_derived_digest(tours: pd.DataFrame) -> str:
    """SHA-256 of the derived cells of a timed plan's Tours (DERIVED, those it has), one line
    per row `contributor TAB capability TAB site TAB from TAB to TAB units TAB <derived...>`,
    sorted, each cell as any reader takes it (`_cell_text`). What `tours_sha256` leaves out: a
    tour's end_date or months changed by hand changes the plan for nobody (verify counts from,
    to and units) but is a planner's edit all the same (a trial: solve -o replaced it without
    a word)."""
    columns = [c for c in DERIVED if c in tours.columns]
    if not len(tours) or not columns:
        return hashlib.sha256(b"").hexdigest()
    # a period Excel made a date of (2027-03 retyped) is that period, as in `tours_edited`
    periods = {c: tours[c].map(lambda v: as_month(v) or v) for c in ("from", "to")}
    keys = _key_texts(tours[list(TOUR_KEYS)].assign(**periods))
    cells = tours[["units", *columns]].map(_cell_text)
    lines = sorted(
        "\t".join([*k, *c]) + "\n"
        for k, c in zip(keys.itertuples(index=False), cells.itertuples(index=False), strict=True)
    )
    return hashlib.sha256("".join(lines).encode("utf-8")).hexdigest()


def derived_edited(summary: dict[str, Any], tours: pd.DataFrame) -> bool:
    """Whether a timed output's Tours rows (blank rows left out) no longer give the
    `tours_derived_sha256` its Summary recorded; False when none was recorded, or `tours` has
    none of the derived columns (as read by a reader that keeps the tours alone)."""
    stored = summary.get("tours_derived_sha256")
    if not (isinstance(stored, str) and stored) or not set(TOUR_KEYS) <= set(tours.columns):
        return False
    if not any(c in tours.columns for c in DERIVED):  # a reader that kept only the tours
        return False
    rows = tours[~tours[list(TOUR_KEYS)].isna().all(axis=1)]
    return tours_derived_digest(rows) != stored


def _cell_text(value: Any) -> str:
    """A cell as every reader takes it: a date as its day (Excel's datetime at midnight too),
    a number as `canonical_value` writes it, a text without the spaces typed around it, a blank
    as empty."""
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return str(canonical_value(float(value)))
    return str(value).strip()


# the Summary keys a run's speed decides, and the baseline file's bytes' digest (its own
# timings decide it: the same baseline solved twice is the same baseline, `baseline_sha256`)
NOT_DIGESTED = ("solve_seconds", "seconds.", "baseline_file_sha256")
# what damaged or foreign files raise when openpyxl opens them
UNREADABLE = (OSError, ValueError, KeyError, zipfile.BadZipFile)
# what reading a damaged output's sheets raises besides (its XML, its zip's data; a part the zip
# cannot give): such an output is not judged (`hand_edit._recorded`)
CANNOT_READ = (*UNREADABLE, SyntaxError, EOFError, zlib.error, *PART_UNREADABLE)
# a file's SHA-256 -> its baseline_sha256 and the same with the cells as read, the latest 64
_KNOWN: dict[str, tuple[str, str]] = {}


def output_sha256(content: bytes) -> str:
    """The digest of an output workbook (its bytes) with its timings left out: what a re-plan
    against it (`solve --baseline`, a stable sweep's scenarios) records as `baseline_sha256`,
    by way of `baseline_sha256`.

    Each sheet in workbook order, each of its rows in order as the cells' values read (openpyxl,
    read-only, formulas as written), trailing empty cells dropped and empty rows skipped, is the
    line `json.dumps([sheet title, *values], default=str, ensure_ascii=False)` + LF, except the
    Summary rows whose key (first cell) is `solve_seconds`, `baseline_file_sha256` or starts
    with `seconds.`; the digest
    is the SHA-256 (hex) of those lines in UTF-8. A number is written as its value to 15
    significant digits, a whole one as an integer, an empty text as an empty cell
    (`canonical_value`): a workbook opened and saved again without an edit (openpyxl writes 4.0
    as 4, a cost to 16 digits, and drops empty texts) keeps its digest.
    Two runs that differ only in their timings give the same digest; any other cell changed
    gives another."""
    return _output_digest(content)[0]


def baseline_sha256(content: bytes) -> str:
    """What an output re-planned against the workbook `content` (`--baseline FILE`, or base's
    output in a stable sweep) records as `baseline_sha256`: `output_sha256` when the workbook
    has a `Summary` sheet (a forcegen output; a baseline file always is one), else the
    SHA-256 of its bytes. Bytes digested before are not parsed again (`read_baseline`, then
    verify's check, and compare and report once per output, all ask of one file)."""
    return _baseline_digests(content)[0]


def baseline_sha256s(path: Path) -> tuple[str, ...]:
    """The `baseline_sha256` values that name the file at `path` as a re-plan's baseline: its
    `baseline_sha256`, the same with the cells as read (what outputs written before
    `canonical_value` recorded), and the SHA-256 of its bytes (what outputs written before the
    content digest recorded); only the latter for a file that cannot be read (its zip, a part
    of it, a sheet's XML: `CANNOT_READ`)."""
    content = Path(path).read_bytes()
    raw = hashlib.sha256(content).hexdigest()
    try:
        return tuple(dict.fromkeys((*_baseline_digests(content), raw)))
    except CANNOT_READ:
        return (raw,)


def _baseline_digests(content: bytes) -> tuple[str, str]:
    """`baseline_sha256` of `content`, and the same with the cells as read: both from one
    parse, remembered by the bytes' SHA-256 (the latest 64)."""
    raw = hashlib.sha256(content).hexdigest()
    if raw not in _KNOWN:
        digest, as_read, has_summary = _output_digests(content)
        _KNOWN[raw] = (digest, as_read) if has_summary else (raw, raw)
        while len(_KNOWN) > 64:
            del _KNOWN[next(iter(_KNOWN))]
    return _KNOWN[raw]


def _output_digest(content: bytes) -> tuple[str, bool]:
    """`output_sha256` of `content`, and whether it has a `Summary` sheet."""
    digest, _, has_summary = _output_digests(content)
    return digest, has_summary


def _output_digests(content: bytes) -> tuple[str, str, bool]:
    """`output_sha256` of `content`, the same with the cells as read (not `canonical_value`),
    and whether it has a `Summary` sheet."""
    book = open_workbook(io.BytesIO(content), data_only=False)
    canonical, as_read = hashlib.sha256(), hashlib.sha256()
    try:
        for sheet in book.worksheets:
            for row in sheet.iter_rows(values_only=True):
                for digest, values in (
                    (canonical, [canonical_value(v) for v in row]),
                    (as_read, list(row)),
                ):
                    digest.update(_line(sheet.title, values))
        return canonical.hexdigest(), as_read.hexdigest(), "Summary" in book.sheetnames
    finally:
        book.close()


def _line(title: str, values: list[Any]) -> bytes:
    """A row's line of the digest: empty when the row is empty or a Summary timing row."""
    while values and values[-1] is None:
        values.pop()
    if not values or (title == "Summary" and str(values[0]).startswith(NOT_DIGESTED)):
        return b""
    return (json.dumps([title, *values], default=str, ensure_ascii=False) + "\n").encode()


def canonical_value(value: Any) -> Any:
    """A cell's value as any writer of the workbook keeps it: a number to 15 significant
    digits (what Excel guarantees; openpyxl writes 16), a whole one as an int (openpyxl writes
    4.0 as 4), so a change in a 16th digit is not seen; an empty text as no value (openpyxl
    drops the cell); anything else as it is."""
    if isinstance(value, str):
        return None if value == "" else value
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    try:
        number = float(f"{value:.15g}")
    except OverflowError:  # an int beyond any float: no writer rounds it
        return value
    if math.isfinite(number) and number.is_integer() and abs(number) < 2**53:
        return int(number)
    return number
