"""A `Data` edited in Python, checked as the workbook it came from is.

`api.read` gives validated tables, sorted by their keys, with derived columns (`from_t`, the
cells `_at_*`) and positions the model relies on. An analyst may sort, filter or edit them
with pandas and hand the `Data` back to `api.solve`; unchecked, a sorted table gave a wrong
plan (the model reads tables by position) and a negative pledge a false `infeasible`.

So `read_data` seals what it validated (`seal`: a digest of every table and setting), and a
`Data` whose content no longer gives its seal is checked again (`revalidated`): its tables are
written back as the sheets they were read from (the contract's columns only; `from`/`to` as
period names: derived columns are recomputed) and read as a workbook, with every problem at
once (`InputError`). A cell is named by its table row and column, not by a sheet cell that
exists nowhere: `pledges row 4 (units): units must be a whole number >= 0, got -1` (row = the
table's position, from 0, as `.iloc` counts).

The scenario applied, the workbook's scenario names, the notes, the source's name and SHA-256
and the baseline are kept from the `Data` given.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from openpyxl import Workbook

from ..data import Data
from ..errors import InputError, Issue
from .schema import INPUT_SHEETS
from .schema_types import Sheet

TABLES = {  # sheet -> the Data attribute holding it
    "Contributors": "contributors",
    "Capabilities": "capabilities",
    "Sites": "sites",
    "Requirements": "requirements",
    "Pledges": "pledges",
    "Caveats": "caveats",
    "Periods": "periods",
    "Profile": "profile",
}
_CELL = re.compile(r"^(\w+)!([A-Z]+)(\d+)$")


def seal(data: Data) -> Data:
    """Record the digest of `data`'s content (`digest`) as validated; returns `data`."""
    data.sealed = digest(data)
    return data


def edited(data: Data) -> bool:
    """Whether `data` no longer gives the digest it was sealed with (never sealed: edited)."""
    return data.sealed != digest(data)


def digest(data: Data) -> str:
    """SHA-256 over every table (values, column names and index, in order) and the settings."""
    h = hashlib.sha256()
    for name in TABLES.values():
        table = getattr(data, name)
        if table is None:
            h.update(b"none;")
            continue
        h.update(repr(list(table.columns)).encode())
        hashed = pd.util.hash_pandas_object(table.astype(str), index=True).to_numpy()
        h.update(hashed.tobytes())
    h.update(repr(sorted(data.settings.items())).encode())
    return h.hexdigest()


def revalidated(data: Data) -> Data:
    """`data` written back as a workbook and read again (see the module's docstring); raises
    `InputError` naming each problem's table row and column."""
    from .read import read_data

    written = _written_columns(data)
    with tempfile.TemporaryDirectory(prefix="forcegen-data-") as folder:
        path = Path(folder) / (data.source_name or "data.xlsx")
        _workbook(data, written).save(path)
        try:
            checked = read_data(path)
        except InputError as exc:
            raise InputError(
                [_at_table(i, written) for i in exc.errors],
                [_at_table(w, written) for w in exc.warnings],
            ) from None
    checked.warnings = [_at_table(w, written) for w in checked.warnings]
    kept = replace(
        checked,
        scenario=data.scenario,
        scenarios=list(data.scenarios),
        notes=list(data.notes),
        source_name=data.source_name,
        source_sha256=data.source_sha256,
        baseline=data.baseline,
    )
    return seal(kept)


def _written_columns(data: Data) -> dict[str, list[str]]:
    """Per sheet written, its contract columns the table has (settings: setting, value)."""
    out = {}
    for spec in INPUT_SHEETS:
        table = getattr(data, TABLES[spec.name]) if spec.name in TABLES else None
        if table is not None:
            out[spec.name] = [c.name for c in spec.columns if c.name in table.columns]
    out["Settings"] = ["setting", "value"]
    return out


def _workbook(data: Data, written: dict[str, list[str]]) -> Workbook:
    book = Workbook(write_only=True)
    for spec in INPUT_SHEETS:
        if spec.name not in written:
            continue
        sheet = book.create_sheet(spec.name)
        columns = written[spec.name]
        sheet.append(columns)
        for row in _rows(data, spec, columns):
            sheet.append([_cell(v) for v in row])
    return book


def _rows(data: Data, spec: Sheet, columns: list[str]) -> list[list[Any]]:
    if spec.name == "Settings":
        return [[k, v] for k, v in data.settings.items()]
    table: pd.DataFrame = getattr(data, TABLES[spec.name])
    return table[columns].to_numpy(dtype=object).tolist()


def _cell(value: Any) -> Any:
    """A table's value as a workbook cell: blank for NaN/None, yes/no for booleans, numbers
    and dates as Python's own."""
    if value is None or (not isinstance(value, str) and bool(pd.isna(value))):
        return None
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return float(value)
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, dt.date | int | str):
        return value
    return str(value)


def _at_table(issue: Issue, written: dict[str, list[str]]) -> Issue:
    """`Pledges!C6` -> `pledges row 4 (units)`: the table's position and column."""
    match = _CELL.match(issue.where)
    if match is None or match.group(1) not in written:
        return issue
    sheet, letters, row = match.groups()
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - ord("A") + 1
    columns = written[sheet]
    column = f" ({columns[index - 1]})" if 0 < index <= len(columns) else ""
    table = TABLES.get(sheet, sheet.lower())
    return Issue(f"{table} row {int(row) - 2}{column}", issue.message, issue.level)
