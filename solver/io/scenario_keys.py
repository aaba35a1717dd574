"""How a Scenarios key finds the rows it names: split at `/` into the sheet's key columns,
compared as the cells read (a period Excel made a date as its month; a blank caveat id as its
default, `C<row>`), and by case where nothing matches exactly (with a warning)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import Issues
from .coerce import as_month, clean_text
from .raw_sheet import RawRow, RawSheet

if TYPE_CHECKING:
    from .scenarios import Override


def key_parts(key: str, key_cols: tuple[str, ...], sheet: RawSheet | None) -> list[str]:
    """`key` split into its columns' parts at `/`. A site or capability whose own name holds a
    `/` (`Kharkiv/Chuhuiv`) makes more parts than columns: then the split that names an
    existing row (by case too) is taken, so that the line can still be named."""
    parts = [p.strip() for p in key.split("/")] if len(key_cols) > 1 else [key]
    if len(parts) <= len(key_cols) or len(key_cols) != 2 or sheet is None:
        return parts
    existing = {tuple(p.casefold() for p in row_key(r, key_cols)) for r in sheet.rows}
    pieces = key.split("/")
    for cut in range(1, len(pieces)):
        split = ["/".join(pieces[:cut]).strip(), "/".join(pieces[cut:]).strip()]
        if tuple(p.casefold() for p in split) in existing:
            return split
    return parts


def rows_keyed(
    sheet: RawSheet, key_cols: tuple[str, ...], parts: list[str], o: Override, issues: Issues
) -> list[RawRow]:
    """The rows whose key is the override's; where none is, those whose key differs from it by
    case only, with a warning (as a key differing from its definition by case is read
    everywhere else: `kyiv/inf_bn` added a second Kyiv/INF_BN line, a duplicate)."""
    rows = [r for r in sheet.rows if row_key(r, key_cols) == parts]
    if rows:
        return rows
    folded = [p.casefold() for p in parts]
    rows = [r for r in sheet.rows if [p.casefold() for p in row_key(r, key_cols)] == folded]
    if rows:
        key = "/".join(row_key(rows[0], key_cols))
        issues.warn(
            o.where["key"],
            f"scenario '{o.scenario}': key '{o.key}' is read as '{key}' (it differs by case)",
        )
    return rows


def keys_of(sheet: RawSheet, key_cols: tuple[str, ...]) -> list[str]:
    return ["/".join(row_key(r, key_cols)) for r in sheet.rows]


def row_key(row: RawRow, key_cols: tuple[str, ...]) -> list[str]:
    """The row's key cells as a Scenarios key names them (`key_text`); a blank caveat `id` as
    the id the row reads as, `C<row>` (workbook.md: a scenario naming C14 of a sheet whose ids
    are blank was refused, adding a second C14 beside row 14)."""
    parts = [key_text(row.values.get(k)) for k in key_cols]
    return [
        f"C{row.row}" if k == "id" and not p else p for k, p in zip(key_cols, parts, strict=True)
    ]


def key_text(value: object) -> str:
    """A key cell as compared with a Scenarios key: a period that Excel made a date (2027-02
    typed, 2027-02-01 stored) as the period it reads as (`coerce.month_key`)."""
    if value is None:
        return ""
    return as_month(value) or clean_text(value)
