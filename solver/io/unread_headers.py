"""What the warning about a header forcegen does not read adds: the column it may mean, and what
every row reads where the sheet lacks an optional column. A trial's Contributors headed
`availability` instead of `status` left the USA, marked unavailable, deploying, and the warning
said only that the column was ignored."""

from __future__ import annotations

import difflib

from ..wording import joined
from .coerce import suggest
from .header_names import loosened
from .raw_sheet import RawSheet
from .schema_time import TIME_COLUMNS
from .schema_types import Column, Sheet


def unread_hint(name: str, spec: Sheet, columns: list[Column], sheet: RawSheet) -> str:
    """What the warning about the unread header `name` of `sheet` adds: a did-you-mean where
    a column is close, with what every row reads without it where the sheet lacks it
    (`_shortened`, `_lacking_meant`); else the did-you-mean among all the sheet's columns, and
    what every row reads without the optional columns the sheet lacks (a snapshot's time
    columns aside: a snapshot has none)."""
    said = _shortened(name, columns, sheet) or _lacking_meant(name, columns, sheet)
    if said:
        return said
    hint = suggest(name, {c.name for c in columns})
    untimed = TIME_COLUMNS.get(spec.name, ())
    lacking = [c for c in columns if not c.required and c.name not in {*sheet.columns, *untimed}]
    if not lacking:
        return hint
    names = joined([c.name for c in lacking])
    which = f"a {names} column" if len(lacking) == 1 else f"{names} columns"
    reads = joined([f"{c.name} is {value_said(c)}" for c in lacking])
    return f"{hint}; without {which}, {reads} on every row"


def _shortened(name: str, columns: list[Column], sheet: RawSheet) -> str:
    """The did-you-mean of a header that is the start or a word of one column of the sheet
    (`tour` for `tour_months`, `month` for `months`), with what every row reads where the
    header lacks that column: a trial's `tour`, `dwell` and `month` headers left the workbook
    valid with no tour limits, no dwell and periods of one month, and `tour` was asked whether
    it meant `to`."""
    fits = [c for c in columns if c.name.startswith(name) or name in c.name.split("_")]
    if len(fits) != 1:
        return ""
    column = fits[0]
    if column.name in sheet.columns:
        return f" (did you mean '{column.name}'? the sheet has that column too)"
    if column.required:  # its missing column's own error says the rest
        return f" (did you mean '{column.name}'?)"
    return _without(column)


def _lacking_meant(name: str, columns: list[Column], sheet: RawSheet) -> str:
    """The did-you-mean of a header close in spelling to an optional column the sheet lacks
    (`stauts`), with what every row reads without it; '' where none is."""
    lacking = {c.name: c for c in columns if not c.required and c.name not in sheet.columns}
    close = difflib.get_close_matches(loosened(name), list(lacking), n=1, cutoff=0.6)
    return _without(lacking[close[0]]) if close else ""


def _without(column: Column) -> str:
    return (
        f" (did you mean '{column.name}'? without it, {column.name} is {value_said(column)} "
        "on every row)"
    )


def value_said(column: Column) -> str:
    """A column's default as a warning says what a row reads: `1`, `'available'`, `its
    contributor` (the name's default, `= contributor`)."""
    text = column.default_for_docs()
    if text.startswith("= "):
        return f"its {text[2:]}"
    return f"'{text}'" if column.kind == "choice" else text
