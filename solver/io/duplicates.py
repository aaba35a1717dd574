"""Rows that repeat a key: the later one is an error at its key cell, and dropped; a row
repeating the key of a row dropped for a bad cell of its own is one too (validate.py)."""

from __future__ import annotations

import pandas as pd

from ..errors import Issues
from .schema_types import Sheet


def check_duplicates(spec: Sheet, frame: pd.DataFrame, issues: Issues) -> pd.DataFrame:
    """Every row repeating an earlier row's key is an error, and dropped; the frame's
    attrs["duplicates"] lists them as (key, cell) for later hints (validate_time)."""
    keys = list(spec.key)
    dup = frame[frame.duplicated(keys, keep=False)]
    repeated: list[tuple[str, str]] = []
    defaulted = frame.attrs.get("default_keys", set())
    for _, group in dup.groupby(keys, sort=True):
        first = group.iloc[0]
        label = "/".join(str(first[k]) for k in keys)
        for _, row in group.iloc[1:].iterrows():
            where = row[f"_at_{keys[0]}"] if f"_at_{keys[0]}" in row else row["_where"]
            if not issues.has_error_at(where):  # a duplicate of a dropped row's key: said once
                issues.error(where, _duplicate(keys, label, row["_row"], first["_row"], defaulted))
            repeated.append((label, str(where)))
    kept = frame.drop_duplicates(keys, keep="first")
    kept.attrs["duplicates"] = frame.attrs.get("duplicates", []) + repeated
    return kept


def _duplicate(keys: list[str], label: str, row: int, first: int, defaulted: set[int]) -> str:
    """The error for a row repeating the key of row `first`; where either key is the
    contract's default for a blank cell (a caveat's `C<row number>`), said so: the planner
    typed no such key there."""
    key = "/".join(keys)
    if row not in defaulted and first not in defaulted:
        return f"duplicate {key} '{label}' (first at row {first}); merge or delete one of the rows"
    if first in defaulted:
        why = f"row {first}'s {key} is blank, so it is '{label}' by default"
    else:
        why = f"this row's {key} is blank, so it is '{label}' by default, as row {first}'s is"
    return f"duplicate {key} '{label}': {why}; give one of the two rows another {key}"


def check_duplicates_of_rejected(
    spec: Sheet,
    frame: pd.DataFrame,
    rejected: dict[str, int],
    by_default: set[int],
    issues: Issues,
) -> None:
    """A row whose key is also the key of a row dropped for a bad cell is a duplicate too,
    a blank caveat id's default `C<row>` included (on either row: `by_default` holds the
    dropped rows', attrs["default_keys"] the kept rows'). A key of several columns
    (site/capability) is matched on the dropped rows as read (attrs["rejected_rows"])."""
    if len(spec.key) > 1:
        _check_composite_keys_of_rejected(spec, frame, issues)
    if len(spec.key) != 1 or not rejected or not len(frame):
        return
    key = spec.key[0]
    defaulted = frame.attrs.get("default_keys", set())
    rows = zip(frame[key], frame[f"_at_{key}"], frame["_row"], strict=True)
    for value, where, row in rows:
        if value not in rejected:
            continue
        other = rejected[value]
        if other in by_default:
            why = f"row {other}'s {key} is blank, so it is '{value}' by default"
        elif row in defaulted:
            why = f"this row's {key} is blank, so it is '{value}' by default, as row {other}'s is"
        else:
            issues.error(where, _repeats_dropped(key, str(value), other))
            continue
        issues.error(
            where,
            f"duplicate {key} '{value}': {why} (row {other} has an error of its own, said at its cell); "
            f"give one of the two rows another {key}",
        )


def _check_composite_keys_of_rejected(spec: Sheet, frame: pd.DataFrame, issues: Issues) -> None:
    """`check_duplicates_of_rejected` for a key of several columns: a kept row whose every
    key cell equals a dropped row's (each read, none blank; by case too, as a reference
    differing by case is read as the key it names) repeats it."""
    keys = list(spec.key)
    dropped: dict[tuple, int] = {}
    for record in frame.attrs.get("rejected_rows", []):
        key = tuple(record.get(k) for k in keys)
        if all(isinstance(v, str) for v in key):
            dropped.setdefault(_folded(key), int(record["_row"]))
    if not dropped or not len(frame):
        return
    name = "/".join(keys)
    columns = [frame[k] for k in keys]
    for key, where in zip(zip(*columns, strict=True), frame[f"_at_{keys[0]}"], strict=True):
        if _folded(key) in dropped:
            label = "/".join(map(str, key))
            issues.error(where, _repeats_dropped(name, label, dropped[_folded(key)]))


def _repeats_dropped(key: str, label: str, other: int) -> str:
    """The error for a row repeating the key of row `other`, dropped for a bad cell."""
    return (
        f"duplicate {key} '{label}' (also at row {other}, which has an error of its own, said at its cell); "
        "merge or delete one of the rows"
    )


def _folded(key: tuple) -> tuple:
    return tuple(str(v).casefold() for v in key)
