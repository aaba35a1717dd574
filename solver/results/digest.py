"""The content digests: of a plan, what the Summary's `allocation_sha256` (and, in time,
`tours_sha256`) records; of a whole output, what a re-plan's Summary records as its
`baseline_sha256` (`output_sha256`, `baseline_sha256`).

An Allocation sheet edited by hand is recognised by its content, not by its totals: moving a
unit from one site to another keeps every total and changes the digest. A baseline is
recognised by its content without its timing cells: the same plan solved twice, at two speeds,
is the same baseline.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import zipfile
import zlib
from pathlib import Path
from typing import Any

import pandas as pd

from ..addresses import address
from ..io.cell_checks import no_calculated_value
from ..io.coerce import as_month
from ..io.open_book import PART_UNREADABLE, open_workbook
from ..io.schema_baseline import locks
from ..io.schema_types import norm

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
    key (`' AUS '`) are no edit of the plan, as verify, compare and report read it."""
    return keys.map(lambda v: v.strip() if isinstance(v, str) else v).astype(str)


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


# why a forcegen output is a planner's work (`hand_edit`), as the output guards say it
EDITED = "holds a plan edited by hand after it was solved"
LOCKED = "holds a plan with rows locked in a lock column (a baseline for a re-plan)"
# a lock cell no reader can judge: a formula without a calculated value (openpyxl reads None)
UNREAD_LOCK = (
    "holds a lock cell, {at}, whose {formula}, so it may lock a row (a baseline for a re-plan)"
)


def hand_edit(path: Path) -> str:
    """Why `path` is a planner's work, "" when it is not: a forcegen output whose Allocation or
    Tours a planner gave a `lock` column locking a row (the baseline's locks, replanning.md:
    the digests do not read them; a cell that cannot be read as yes/no counts, to be safe), or
    whose Tours (timed) or Allocation no longer give the digest its Summary recorded. "" for
    anything else (no such file, no digest recorded, unreadable): the output guard judges
    those. The cells are read as they stand (openpyxl): pandas would read a capability `INF`
    as infinity. A `lock` cell holding a formula without a calculated value (a file written by
    a program that does not compute formulas) cannot be read at all: it may lock a row, and
    counts too (`UNREAD_LOCK`, naming the cell), as verify, compare and report warn at it."""
    found = _recorded(path, ("Allocation", "Tours"))
    if found is None:
        return ""
    stored, sheets = found
    if any(_locks_a_row(sheet) for sheet in sheets.values()):
        return LOCKED
    locked = [name for name, sheet in sheets.items() if _has_lock_column(sheet)]
    unread = _uncalculated_lock(path, locked) if locked else ""
    if unread:
        return unread
    tours = stored.get("tours_sha256")
    timed = isinstance(tours, str) and bool(tours) and "Tours" in sheets
    if timed and tours_edited(stored, sheets["Tours"]):
        return EDITED
    if "Allocation" not in sheets:  # a timed plan is its Tours; a snapshot's, the guard's
        return ""
    return EDITED if _allocation_edited(sheets["Allocation"], stored) else ""


def plan_as_solved(path: Path, timed: bool) -> bool:
    """Whether `path` is a forcegen output whose plan is the one its solve wrote: its Summary
    records the plan's digest (`tours_sha256` of a `timed` output's Tours, else
    `allocation_sha256` of its Allocation) and the plan sheet as it stands gives it (a `lock`
    column a planner added is no edit). False for anything else: an edited plan, no digest
    recorded (an older output, whose edits cannot be told), a file that cannot be read."""
    sheet = "Tours" if timed else "Allocation"
    found = _recorded(path, (sheet,))
    if found is None or sheet not in found[1]:
        return False
    stored, sheets = found
    if not timed:
        return not _allocation_edited(sheets[sheet], stored)
    tours = stored.get("tours_sha256")
    return isinstance(tours, str) and bool(tours) and not tours_edited(stored, sheets[sheet])


def _locks_a_row(sheet: pd.DataFrame) -> bool:
    """A column headed `lock` (as the baseline's reading matches it) with a cell that locks
    (`schema_baseline.locks`)."""
    return any(
        any(locks(value) for value in sheet.iloc[:, j])
        for j, column in enumerate(sheet.columns)
        if norm(column) == "lock"
    )


def _has_lock_column(sheet: pd.DataFrame) -> bool:
    """A column headed `lock`, as `_locks_a_row` matches it."""
    return any(norm(column) == "lock" for column in sheet.columns)


def _uncalculated_lock(path: Path, names: list[str]) -> str:
    """`UNREAD_LOCK` for the first `lock` cell of the sheets `names` of the output `path` that
    holds a formula without a calculated value (its formula read as written, its value None as
    read), "" when none does or the file cannot be read again."""
    try:
        formulas = open_workbook(path, data_only=False)
        values = open_workbook(path)
    except _CANNOT_READ:
        return ""
    try:
        for name in names:
            found = _formula_without_value(formulas[name], values[name])
            if found:
                return UNREAD_LOCK.format(at=found[0], formula=no_calculated_value(found[1]))
        return ""
    except _CANNOT_READ:
        return ""
    finally:
        formulas.close()
        values.close()


def _formula_without_value(formulas: Any, values: Any) -> tuple[str, str] | None:
    """(reference, formula) of the first cell under a `lock` header of a sheet, read as
    written (`formulas`) and as calculated (`values`), that is a formula with no value."""
    rows = zip(formulas.iter_rows(), values.iter_rows(values_only=True), strict=False)
    header = next(rows, None)
    if header is None:
        return None
    columns = [j for j, cell in enumerate(header[0]) if norm(cell.value) == "lock"]
    for cells, row in rows:
        for j in columns:
            cell = cells[j] if j < len(cells) else None
            value = row[j] if j < len(row) else None
            if cell is not None and getattr(cell, "data_type", None) == "f" and value is None:
                return address(formulas.title, cell.coordinate), str(cell.value)
    return None


def allocation_state(path: Path) -> str:
    """Of a forcegen output, its Allocation sheet against the digest its Summary recorded:
    "deleted" (no such sheet), "edited" (other rows, or a key or units cell that is no longer
    read as one) or "" (as solved, or nothing to judge by: no digest, unreadable). Read on its
    own and leniently (openpyxl, values as they stand): a note typed beside the table, a merged
    cell or a formula without a value is no edit of the plan and never an error here."""
    found = _recorded(path, ("Allocation",))
    if found is None:
        return ""
    stored, sheets = found
    alloc = sheets.get("Allocation")
    if alloc is None:
        return "deleted"
    return "edited" if _allocation_edited(alloc, stored) else ""


def _allocation_edited(alloc: pd.DataFrame, stored: dict[Any, Any]) -> bool:
    """The Allocation rows as they stand no longer give the digest the Summary recorded."""
    if any(c not in alloc.columns for c in [*KEYS, "units"]):
        return True
    # a row without units is no plan row (a note below the table); a plan row emptied of its
    # units changes the digest, as its deletion would
    alloc = alloc[alloc["units"].notna()]
    try:
        return bool(allocation_digest(alloc) != stored["allocation_sha256"])
    except (TypeError, ValueError):  # a units or personnel cell that is no number
        return True


def _recorded(
    path: Path, names: tuple[str, ...]
) -> tuple[dict[Any, Any], dict[str, pd.DataFrame]] | None:
    """The Summary's keys and values and those of the sheets `names` the output has, as
    they stand; None when it cannot be read or its Summary records no `allocation_sha256`."""
    try:
        book = open_workbook(path)
    except _CANNOT_READ:
        return None
    try:
        if "Summary" not in book.sheetnames:
            return None
        stored = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True) if row}
        recorded = stored.get("allocation_sha256")
        if not isinstance(recorded, str) or not recorded:
            return None
        return stored, {n: _sheet(book, n) for n in names if n in book.sheetnames}
    except _CANNOT_READ:
        return None
    finally:
        book.close()


def _sheet(book: Any, name: str) -> pd.DataFrame:
    """The sheet's rows under its headers as forcegen writes them (a header tidied to `Site`
    or ` units ` is no edit of the plan)."""
    header, *rows = list(book[name].iter_rows(values_only=True))
    names = tidied_headers(list(header))
    columns = [names.get(h, h) for h in header]
    return pd.DataFrame([r for r in rows if any(v is not None for v in r)], columns=columns)


def header_name(header: Any) -> Any:
    """A header as forcegen writes it: lower case, no spaces around."""
    return header.strip().lower() if isinstance(header, str) else header


def tidied_headers(headers: list[Any]) -> dict[Any, Any]:
    """Header -> forcegen's name for it, for each header tidied by hand (`Site `); one whose
    name another column has already (a `Site ` column of notes beside `site`) keeps its own,
    and is a column forcegen does not read."""
    taken = {h for h in headers if header_name(h) == h}
    out = {}
    for h in headers:
        name = header_name(h)
        if name != h and name not in taken:
            out[h] = name
            taken.add(name)
    return out


TIMING = ("solve_seconds", "seconds.")  # the Summary keys a run's speed decides
# what damaged or foreign files raise when openpyxl opens them
UNREADABLE = (OSError, ValueError, KeyError, zipfile.BadZipFile)
# what reading a damaged output's sheets raises besides (its XML, its zip's data; a part the zip
# cannot give): such an output is not judged (`_recorded`)
_CANNOT_READ = (*UNREADABLE, SyntaxError, EOFError, zlib.error, *PART_UNREADABLE)
# a file's SHA-256 -> its baseline_sha256 and the same with the cells as read, the latest 64
_KNOWN: dict[str, tuple[str, str]] = {}


def output_sha256(content: bytes) -> str:
    """The digest of an output workbook (its bytes) with its timings left out: what a re-plan
    against it (`solve --baseline`, a stable sweep's scenarios) records as `baseline_sha256`,
    by way of `baseline_sha256`.

    Each sheet in workbook order, each of its rows in order as the cells' values read (openpyxl,
    read-only, formulas as written), trailing empty cells dropped and empty rows skipped, is the
    line `json.dumps([sheet title, *values], default=str, ensure_ascii=False)` + LF, except the
    Summary rows whose key (first cell) is `solve_seconds` or starts with `seconds.`; the digest
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
    of it, a sheet's XML: `_CANNOT_READ`)."""
    content = Path(path).read_bytes()
    raw = hashlib.sha256(content).hexdigest()
    try:
        return tuple(dict.fromkeys((*_baseline_digests(content), raw)))
    except _CANNOT_READ:
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
    if not values or (title == "Summary" and str(values[0]).startswith(TIMING)):
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
