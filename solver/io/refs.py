"""Cells that name a key of another sheet: checked, with a did-you-mean, case slips accepted."""

from __future__ import annotations

import pandas as pd

from ..data import is_blank
from ..errors import Issues
from .coerce import suggest


def resolve_keys(
    frame: pd.DataFrame, column: str, keys: pd.Series, what: str, issues: Issues
) -> pd.DataFrame:
    """Check that `column` names existing keys; accept a unique case-insensitive match with a warning."""
    if column not in frame or not len(frame):
        return frame
    exact = set(keys)
    folded: dict[str, list[str]] = {}
    for key in keys:
        folded.setdefault(key.casefold(), []).append(key)
    values = frame[column].tolist()
    bad_rows = []
    for i, value in enumerate(values):
        if is_blank(value) or value in exact:
            continue
        where = frame[f"_at_{column}"].iloc[i]
        candidates = folded.get(value.casefold(), [])
        if len(candidates) == 1:
            issues.warn(
                where,
                f"{column} '{value}' taken as '{candidates[0]}' (case differs; write "
                f"'{candidates[0]}' to silence this warning)",
            )
            values[i] = candidates[0]
            continue
        issues.error(where, f"{column} '{value}' is not on the {what} sheet" + suggest(value, keys))
        bad_rows.append(i)
    frame = frame.assign(**{column: values})
    return frame.drop(frame.index[bad_rows]) if bad_rows else frame
