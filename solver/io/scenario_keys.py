"""How a Scenarios key finds the rows it names: split at `/` into the sheet's key columns,
compared as the cells read (a period Excel made a date as its month; a blank caveat id as its
default, `C<row>`), and by case where nothing matches exactly (with a warning); where none
matches, what it may have meant (`key_hint`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from ..errors import Issues
from .coerce import Bad, as_month, clean_text, coerce, suggest
from .period_names import calendar_of, suggest_in_time, suggest_period, typed_as_months
from .periods import add_months
from .raw_sheet import RawRow, RawSheet, RawWorkbook
from .schema import SCENARIO_KEYS
from .schema_time import PERIODS
from .schema_types import Column, norm

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


def key_hint(raw: RawWorkbook, sheet: str, key: str, target: RawSheet, horizon: bool) -> str:
    """The did-you-mean of a Scenarios `key` that names no row of `sheet` (`target`): of a
    period, by time where it reads as a month or a quarter (`period_names.suggest_period`: the
    period holding it, or nearest; with `horizon`, no guess names the first and the last
    period), as of a Profile row's `from` (the line's Profile row whose window holds that
    month, or nearest); of any other key, or where the periods give no calendar, the closest
    spelling."""
    key_cols = SCENARIO_KEYS[sheet]
    keys = keys_of(target, key_cols)
    if sheet not in ("Periods", "Profile"):
        return suggest(key, keys)
    periods = raw_periods(raw.sheets.get(norm("Periods")))
    if sheet == "Periods":
        return suggest_period(key, periods, keys, horizon=horizon)
    parts = key_parts(key, key_cols, target)
    if len(parts) == len(key_cols) and (months := typed_as_months(parts[-1])) is not None:
        windows = _line_windows(target, parts[0], parts[1], periods)
        if windows:
            return suggest_in_time(months, list(windows.values()), list(windows), several=False)
    return suggest(key, keys)


def raw_periods(sheet: RawSheet | None) -> pd.DataFrame:
    """The Periods sheet as a scenario finds it (its earlier rows applied), read as far as a
    did-you-mean needs (`period_names.calendar_of`): each keyed row's `period`, its `months` (1
    where the cell is blank or no number: its own error says so) and its `start`, every one
    following from the first given (none where none is)."""
    rows = [r for r in sheet.rows if key_text(r.values.get("period"))] if sheet else []
    months = [_read(PERIODS.column("months"), r.values.get("months")) or 1 for r in rows]
    starts = [_read(PERIODS.column("start"), r.values.get("start")) for r in rows]
    offsets = [sum(months[:i]) for i in range(len(rows))]
    given = next((i for i, day in enumerate(starts) if day is not None), None)
    filled = [
        None if given is None else add_months(starts[given], offset - offsets[given])
        for offset in offsets
    ]
    return pd.DataFrame(
        {
            "period": [key_text(r.values.get("period")) for r in rows],
            "months": pd.Series(months, dtype=int),
            "start": pd.Series(filled, dtype=object),
        }
    )


def _read(column: Column, value: object) -> Any:
    """The cell as `column` reads it, or None where it is blank or cannot be read."""
    if value is None:
        return None
    try:
        return coerce(column, value)
    except Bad:
        return None


def _line_windows(
    profile: RawSheet, site: str, capability: str, periods: pd.DataFrame
) -> dict[str, tuple[int, int]]:
    """The Profile rows of the line site/capability (by case too), each key's window on the
    calendar of `periods` (`period_names.calendar_of`): from its `from`'s first month to its `to`'s
    last (its `from`'s where its `to` names no period after it). A row whose `from` is no
    period is left out, and every row where the periods give no calendar."""
    calendar = calendar_of(periods) or []
    at = {name: t for t, name in enumerate(periods["period"])} if calendar else {}
    line = (site.casefold(), capability.casefold())
    windows = {}
    for r in profile.rows:
        key = row_key(r, SCENARIO_KEYS["Profile"])
        first = at.get(key[2])
        if (key[0].casefold(), key[1].casefold()) == line and first is not None:
            last = max(first, at.get(key_text(r.values.get("to")), first))
            windows["/".join(key)] = (calendar[first][0], calendar[last][1])
    return windows


def warn_drop_value(o: Override, issues: Issues) -> None:
    """A `drop` row with a value: the row is dropped whatever the value says (`no`, `yes
    please`), so a value that looks like a condition is warned at its cell (a trial's `yes
    please` passed without a word); `yes`, `x`, `1` and `true` say the drop itself."""
    value = o.value
    if value is None or (isinstance(value, str) and not value.strip()):
        return
    if str(value).strip().lower() in ("yes", "y", "x", "1", "true", "drop"):
        return
    where = o.where.get("value") or o.where["column"]
    issues.warn(
        where,
        f"scenario '{o.scenario}' drops {o.sheet} '{o.key}' whatever its value {value!r} says: "
        "a drop has no value (leave the cell blank)",
    )
