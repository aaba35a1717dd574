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

Windows are read from `from`/`to` (period names, as on the sheets): an edit of them is taken and
the positions derived again; a `from_t`/`to_t` edited so that it no longer agrees with them is
an error naming the row (edit `from`/`to`). A period's start date is
written only where it does not follow from the first period's (`start` is filled from the first
one when read), so a changed `months` moves the later starts as on the sheet.

The scenario applied, the workbook's scenario names and the baseline are kept from the `Data`
given, with their warnings (the Scenarios sheet's; the baseline's, its rows looked at again
against the checked tables); the notes gain one saying the input was edited after reading, and `source_sha256` is
blank: the plan no longer comes from that file as it is.
"""

from __future__ import annotations

import copy
import hashlib
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd

from ..data import Data
from ..errors import InputError, Issue, Issues, UsageError
from .data_written import (
    TABLES,
    at_table,
    sheet_orders,
    whole_number,
    workbook_of,
    written_columns,
)
from .schema import WINDOWED

# the tables with from/to and from_t/to_t (a Baseline is no table of Data)
WINDOW_TABLES = tuple(TABLES[name] for name in WINDOWED if name in TABLES)


WINDOW_COLUMNS = ("from", "to", "from_t", "to_t")


def seal(data: Data) -> Data:
    """Record the digest of `data`'s content (`digest`) as validated, and each timed table's
    positions by row label and by the row's other cells (`windows_disagree`); returns `data`."""
    data.sealed = digest(data)
    data.sealed_scenario = data.scenario
    data.sealed_positions, data.sealed_row_positions = {}, {}
    for attr in WINDOW_TABLES:
        table = getattr(data, attr)
        if table is None or not {"from_t", "to_t"} <= set(table.columns):
            continue
        positions = list(zip(table["from_t"], table["to_t"], strict=True))
        data.sealed_positions[attr] = dict(zip(table.index, positions, strict=True))
        by_row: dict[str, set[tuple[Any, Any]]] = {}
        for key, at in zip(_row_keys(table), positions, strict=True):
            by_row.setdefault(key, set()).add(at)
        data.sealed_row_positions[attr] = by_row
    return data


def _row_keys(table: pd.DataFrame) -> list[str]:
    """Each row's cells but its window's, as text: the row as validated is found by them
    after its table was sorted and its index reset."""
    others = [c for c in table.columns if c not in WINDOW_COLUMNS]
    return [repr(tuple(str(v) for v in row)) for row in table[others].itertuples(index=False)]


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


EDITED_NOTE = "the input was edited in Python after it was read, and checked again as a workbook"
ROWS_NOTE = (
    "the Data given was edited after reading and is checked as a workbook of its tables: a "
    "problem is named by its table's row (from 0, as .iloc counts) and column; `row N` in a "
    "message is the workbook row N, table row N - 2"
)


def given_data(data: Data, scenario: str) -> Data:
    """A `Data` handed to `api.solve`: as it is when it is as read (or made by forcegen), else
    checked again as its workbook is (`revalidated`: a table sorted, filtered or edited with
    pandas). A scenario is applied when reading, so one other than the Data's own is refused
    (read it with `api.read(path, scenario)`). Never the caller's object: a copy."""
    if data.sealed_scenario and data.scenario != data.sealed_scenario:
        raise UsageError(
            f"solve was given Data read as scenario '{data.sealed_scenario}' and labelled "
            f"'{data.scenario}' since: a scenario is applied when reading, so the label would "
            f"name a scenario the plan was not solved for; use api.read(path, "
            f"'{data.scenario}'), or edit the tables and keep the label (an API trial's "
            "relabelled base was written as that scenario, and verify refused it)"
        )
    if scenario not in ("base", data.scenario):
        raise UsageError(
            f"solve was given Data of scenario '{data.scenario}' and scenario='{scenario}': a "
            f"scenario is applied when reading; use api.read(path, '{scenario}')"
        )
    # a copy: the Result keeps the input it was solved from when the caller edits theirs for
    # the next what-if (an API trial's price_caveats priced the edited input against the plan)
    given = revalidated(data) if edited(data) else copy.deepcopy(data)
    if given.baseline is not None:  # the digest does not cover it: checked, and copied
        from .baseline_given import checked_baseline  # it reads Data's keys: imported here

        given.baseline = checked_baseline(given.baseline, given)
    return given


def revalidated(data: Data) -> Data:
    """`data` written back as a workbook and read again (see the module's docstring); raises
    `InputError` naming each problem's table row and column."""
    from .read import read_data
    from .scenario_labels import label_warnings

    written = written_columns(data)
    orders = sheet_orders(data)
    windows_disagree(data).raise_if_errors()
    with tempfile.TemporaryDirectory(prefix="forcegen-data-") as folder:
        path = Path(folder) / "data.xlsx"
        workbook_of(data, written, orders).save(path)
        try:
            checked = read_data(path)
        except InputError as exc:
            raise InputError(
                [at_table(i, written, orders) for i in exc.errors],
                [at_table(w, written, orders) for w in exc.warnings],
                note=ROWS_NOTE,
            ) from None
    warnings = (
        label_warnings([at_table(w, written, orders) for w in checked.warnings], data.scenario)
        + _baseline_warnings(data, checked)
        + _scenario_warnings(data)
    )
    kept = replace(
        checked,
        scenario=data.scenario,
        scenarios=list(data.scenarios),
        notes=[*data.notes, EDITED_NOTE],
        source_name=data.source_name,
        source_sha256="",
        baseline=data.baseline,
        warnings=warnings,
    )
    return seal(kept)


def _scenario_warnings(given: Data) -> list[Issue]:
    """The given Data's warnings at its Scenarios sheet's cells: the scenario was applied when
    it was read, and the tables written back have no Scenarios sheet to give them again."""
    from .schema import SCENARIOS

    return [w for w in given.warnings if w.at_sheet(SCENARIOS.name)]


def _baseline_warnings(given: Data, checked: Data) -> list[Issue]:
    """The warnings about the given Data's baseline, which its tables written back cannot give
    again (the baseline is kept, not written): the sheet set aside for a `--baseline` file,
    what reading the baseline warned about, and its rows that look odd, found again against
    the checked tables (an edit may have changed a pledge)."""
    from .baseline_odd import odd_rows
    from .scenario_labels import label_warnings

    baseline = given.baseline
    if baseline is None:
        return []
    set_aside = [w for w in given.warnings if w.where == "Baseline"]  # `api.with_baseline`
    odd = [Issue(where, said, "warning") for where, said in odd_rows(baseline, checked)]
    own = [*baseline.read_warnings, *odd]
    # a file is read after the scenario is applied, its warnings unlabelled; the sheet's are
    return set_aside + (own if baseline.file else label_warnings(own, given.scenario))


def windows_disagree(data: Data) -> Issues:
    """Errors where a row's `from_t`/`to_t` (derived, 0-based positions) were edited so that
    they no longer name the periods its `from`/`to` do (blank: the first / last period): the
    windows are read from `from`/`to`, so that edit would be lost. Positions as validated
    (`seal`: the row's of that label, or of the same other cells where the table was sorted
    and its index reset), or blank (a row added), go with an edit of `from`/`to`: they are
    derived again."""
    issues = Issues()
    if data.periods is None:
        return issues
    names = [str(p) for p in data.periods["period"]]
    for attr in WINDOW_TABLES:
        table = getattr(data, attr)
        if table is None or not {"from", "to", "from_t", "to_t"} <= set(table.columns):
            continue
        sealed = data.sealed_positions.get(attr, {})
        sealed_by_row = data.sealed_row_positions.get(attr, {})
        columns = (table[c] for c in WINDOW_COLUMNS)
        keys = _row_keys(table)
        for row, (label, a, b, first, last) in enumerate(zip(table.index, *columns, strict=True)):
            said = (_position(names, a, 0), _position(names, b, len(names) - 1))
            positions = (whole_number(first), whole_number(last))
            # the row as validated: by its other cells where they are unchanged (a table sorted
            # and re-indexed gives its labels to other rows), else by its label
            if keys[row] in sealed_by_row:
                was = [_wholes(at) for at in sealed_by_row[keys[row]]]
            else:
                was = [_wholes(sealed[label])] if label in sealed else []
            as_sealed = positions in was
            if said != positions and not as_sealed and positions != (None, None):
                issues.error(
                    f"{attr} row {row}",
                    f"from/to ({_shown(a)}, {_shown(b)}) and from_t/to_t ({first}, {last}) "
                    "disagree: edit from and to (period names); from_t and to_t are derived",
                )
    return issues


def _position(names: list[str], name: Any, blank: int) -> int | None:
    if name is None or (not isinstance(name, str) and bool(pd.isna(name))):
        return blank
    return names.index(str(name)) if str(name) in names else None


def _wholes(pair: tuple[Any, Any]) -> tuple[int | None, int | None]:
    return whole_number(pair[0]), whole_number(pair[1])


def _shown(value: Any) -> str:
    return (
        "blank" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)
    )
