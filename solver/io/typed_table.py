"""One input sheet's cells typed as its schema declares (io/schema.py): every bad cell named,
the rows read kept, what the other checks need of the rows dropped carried with the table."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..addresses import address
from ..data import is_blank
from ..errors import Issues
from .coerce import Bad, coerce
from .copied_columns import copied_columns, copied_value
from .dates_as_periods import warn_dates_as_periods
from .duplicates import check_duplicates, check_duplicates_of_rejected
from .raw_sheet import RawRow, RawSheet
from .schema import CAVEATS
from .schema_types import REQUIRED, Column, Sheet
from .text import AS_PERCENT, warn_cleaned, warn_numbers_as_text
from .unread_headers import unread_hint


def typed_table(
    spec: Sheet, sheet: RawSheet | None, issues: Issues, choices: dict[str, tuple[str, ...]]
) -> pd.DataFrame:
    """Coerce every cell of a sheet; report missing columns, bad values and duplicate keys.
    The frame's attrs carry what other checks read: `rejected_keys` (key -> sheet row of a row
    dropped for a bad cell), `rejected_rows` (what was read of them), `header_lacks` (a
    required column is missing: no row is read) and, for Caveats, `default_keys`."""
    columns = [
        Column(**{**c.__dict__, "choices": choices[c.name]}) if c.name in choices else c
        for c in spec.columns
    ]
    sheet, copied, header_lacks = _header(spec, sheet, columns, issues)
    read = _Read()
    for raw_row in sheet.rows if sheet is not None else []:
        assert sheet is not None  # no rows are read without a sheet
        record, ok = _read_row(sheet, raw_row, columns, copied, read, issues)
        if ok:
            read.records.append(record)
        else:
            read.reject(spec, record, raw_row)
    for name, found in read.dated.items():
        warn_dates_as_periods(name, found, issues)
    for name, texts in read.as_text.items():
        warn_numbers_as_text(name, texts, issues)
    for name, cleaned in read.cleaned.items():
        warn_cleaned(name, cleaned, issues)
    frame = pd.DataFrame.from_records(
        read.records, columns=_frame_columns(columns, read.records, list(copied.values()))
    )
    frame.attrs["rejected_keys"] = dict(read.rejected)
    frame.attrs["rejected_rows"] = read.dropped_rows
    frame.attrs["header_lacks"] = header_lacks
    if spec is CAVEATS and len(frame):
        blank = {int(r) for i, r in zip(frame["id"], frame["_row"], strict=True) if is_blank(i)}
        frame["id"] = [
            f"C{r}" if is_blank(i) else i for i, r in zip(frame["id"], frame["_row"], strict=True)
        ]
        frame.attrs["default_keys"] = blank  # rows whose key is the contract's default
    check_duplicates_of_rejected(spec, frame, read.rejected, read.rejected_by_default, issues)
    if spec.key and len(frame):
        kept = check_duplicates(spec, frame, issues)
        # their other cells are still checked (validate._check_refs): every problem at once
        kept.attrs["duplicate_rows"] = frame[~frame.index.isin(kept.index)].to_dict("records")
        frame = kept
    return frame


@dataclass
class _Read:
    """What reading a sheet's rows gathers besides the rows kept."""

    records: list[dict[str, Any]] = field(default_factory=list)
    rejected: dict[str, int] = field(default_factory=dict)  # key -> row, of rows dropped
    rejected_by_default: set[int] = field(default_factory=set)  # of those, a blank id's default
    dropped_rows: list[dict[str, Any]] = field(default_factory=list)  # (_check_filter_values)
    # column -> (cell, date) of each date read as a period key
    dated: dict[str, list[tuple[str, dt.date]]] = field(default_factory=dict)
    as_text: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # numbers as text
    # column -> (cell, text, as read) of each text read without spaces or special characters
    cleaned: dict[str, list[tuple[str, str, object]]] = field(default_factory=dict)

    def reject(self, spec: Sheet, record: dict[str, Any], raw_row: RawRow) -> None:
        """A row dropped for a bad cell: its key, if it still reads as one, stays known to the
        other sheets (named there, it is not a second error)."""
        self.dropped_rows.append(record)
        if len(spec.key) == 1 and isinstance(record.get(spec.key[0]), str):
            self.rejected.setdefault(record[spec.key[0]], raw_row.row)
        elif spec is CAVEATS and raw_row.values.get("id") is None:  # blank, not unreadable
            self.rejected.setdefault(f"C{raw_row.row}", raw_row.row)
            self.rejected_by_default.add(raw_row.row)


def _header(
    spec: Sheet, sheet: RawSheet | None, columns: list[Column], issues: Issues
) -> tuple[RawSheet | None, dict[str, str], bool]:
    """The sheet to read rows from (None where a required column is missing from its header),
    the planner's own columns it copies (Caveats: own name -> table column), and whether its
    header lacks a required column; warns of each column forcegen does not use."""
    if sheet is None:
        return None, {}, False
    known = {c.name for c in columns}
    copied = copied_columns(sheet, known, issues) if spec.copies_other_columns else {}
    for name, letter in sheet.columns.items():
        if name in known or name.startswith("_") or spec.copies_other_columns:
            continue
        issues.warn(
            address(sheet.title, f"{letter}{sheet.header_row}"),
            f"column '{sheet.typed.get(name, name)}' is not used by forcegen and is ignored"
            + unread_hint(name, spec, columns, sheet),
        )
    if sheet.lacks([c.name for c in columns if c.required], issues):
        return None, copied, True
    return sheet, copied, False


def _read_row(
    sheet: RawSheet,
    raw_row: RawRow,
    columns: list[Column],
    copied: dict[str, str],
    read: _Read,
    issues: Issues,
) -> tuple[dict[str, Any], bool]:
    """One row's record (every column coerced, its cell address in `_at_<column>`) and whether
    it is kept: a required cell blank or a bad value drops it, unless the column `keeps_row`
    (then read as blank, so that its key stays for the other sheets)."""
    record: dict[str, Any] = {"_row": raw_row.row, "_where": address(sheet.title, raw_row.row)}
    for name, column in copied.items():
        record[column] = copied_value(raw_row.values.get(name))
    ok = True
    for col in columns:
        value = raw_row.values.get(col.name)
        where = raw_row.where.get(col.name) or sheet.address(col.name, raw_row.row)
        record[f"_at_{col.name}"] = where
        if value is None:
            if col.required:
                issues.missing(where, f"{col.name} is required; fill in the cell")
                ok = False
            record[col.name] = None if col.default is REQUIRED else col.default
            continue
        try:
            record[col.name] = coerce(col, value)
        except Bad as bad:
            issues.error(where, str(bad) + (AS_PERCENT if where in sheet.percent_cells else ""))
            if col.keeps_row:
                record[col.name] = None if col.default is REQUIRED else col.default
            else:
                ok = False
            continue
        if col.kind == "text" and not col.free and isinstance(value, str):
            read.cleaned.setdefault(col.name, []).append((where, value, record[col.name]))
        if col.names_a_month and isinstance(value, dt.date):
            read.dated.setdefault(col.name, []).append((where, value))
        sheet_of = sheet.address(col.name, raw_row.row).rpartition("!")[0]
        typed = where.rpartition("!")[0] == sheet_of and where not in sheet.formula_values
        if col.kind in ("int", "number") and isinstance(value, str) and typed:
            # not a scenario's value, nor a formula's
            read.as_text.setdefault(col.name, []).append((where, value))
    return record, ok


def _frame_columns(
    columns: list[Column], records: list[dict[str, Any]], copied: list[str]
) -> list[str]:
    """The table's columns: its own, then the internal ones its records hold and the copied
    ones (io/copied_columns.py: there without a row too, so an empty sheet's output has them)."""
    names = ["_row", "_where", *(c.name for c in columns)]
    extra = sorted({k for r in records for k in r if k not in names} | set(copied))
    return names + extra
