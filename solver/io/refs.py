"""Cells that name a key of another sheet: checked, with a did-you-mean, case slips accepted."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pandas as pd

from ..data import is_blank
from ..errors import Issues
from .coerce import suggest


def resolve_keys(
    frame: pd.DataFrame,
    column: str,
    keys: pd.Series,
    what: str,
    issues: Issues,
    hint: Callable[[str], str] | None = None,
    *,
    guess: bool = True,
    suggesting: Callable[[str], str] | None = None,
) -> pd.DataFrame:
    """Check that `column` names existing keys; accept a unique case-insensitive match with a
    warning. An unknown key's error ends with a did-you-mean (unless not `guess`: when the
    key is more likely one the sheet lost, a near key would steer to a wrong fix), then
    `hint(value)` when given. The did-you-mean is `suggesting(value)` when given (a period's
    is by time: `period_names.suggest_period`), else the closest spelling among `keys`."""
    if column not in frame or not len(frame):
        return frame
    exact = set(keys)
    folded = fold_case(keys)
    values = frame[column].tolist()
    bad_rows = []
    for i, value in enumerate(values):
        if is_blank(value) or value in exact:
            continue
        where = frame[f"_at_{column}"].iloc[i]
        taken = case_slip(column, value, folded, where, issues)
        if taken is not None:
            values[i] = taken
            continue
        near = suggesting(value) if suggesting is not None else suggest(value, keys)
        said = (near if guess else "") + (hint(value) if hint is not None else "")
        issues.error(where, f"{column} '{value}' is not on the {what} sheet" + said)
        bad_rows.append(i)
    frame = frame.assign(**{column: values})
    return frame.drop(frame.index[bad_rows]) if bad_rows else frame


def fold_case(known: Iterable[str]) -> dict[str, list[str]]:
    """The known values by their case-folded form (several when they differ only in case)."""
    folded: dict[str, list[str]] = {}
    for value in known:
        folded.setdefault(value.casefold(), []).append(value)
    return folded


def case_slip(
    column: str, value: str, folded: dict[str, list[str]], where: str, issues: Issues
) -> str | None:
    """The one known value that `value` matches but for case, with a warning; else None.

    None when no known value matches, and when several do (the slip is ambiguous: the caller
    reports the value as unknown).
    """
    candidates = folded.get(value.casefold(), [])
    if len(candidates) != 1:
        return None
    issues.warn(
        where,
        f"{column} '{value}' taken as '{candidates[0]}' (case differs; write "
        f"'{candidates[0]}' to silence this warning)",
    )
    return candidates[0]
