"""Cells that name a key of another sheet: checked, with a did-you-mean, case slips accepted."""

from __future__ import annotations

import difflib
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


def suggest_contributor(word: str, codes: Iterable[str], contributors: pd.DataFrame) -> str:
    """The did-you-mean of a contributor code the workbook lacks: the closest of `codes`, else
    the contributor whose display name (`contributors`' `name`) it is or nearly is. A planner
    types the nation (`Australia`, `Austrlia`) where the sheets name it by its code: `Austrlia`
    is no spelling of AUS, and a baseline row so typed asked AUS to add the unit it already
    held, with no hint in the warning (a trial). Names about as near (difflib's ratio within
    0.05) are both said (`Austrlia`: `'AUS' (Australia) or 'AUT' (Austria)`; `Australa`: AUS).
    """
    near = suggest(word, [str(c) for c in codes])
    if near or not {"contributor", "name"} <= set(contributors.columns):
        return near
    by_name: dict[str, list[str]] = {}
    shown: dict[str, str] = {}
    for code, name in zip(contributors["contributor"], contributors["name"], strict=True):
        if is_blank(name) or str(name).strip() == str(code):
            continue
        by_name.setdefault(str(name).strip().casefold(), []).append(str(code))
        shown[str(code)] = str(name).strip()
    typed = str(word).strip().casefold()
    if len(by_name.get(typed, [])) == 1:
        code = by_name[typed][0]
        return (
            f" (did you mean '{code}'? '{shown[code]}' is its name; the sheets name it by its code)"
        )
    close = difflib.get_close_matches(typed, list(by_name), n=2, cutoff=0.75)
    score = [difflib.SequenceMatcher(None, typed, name).ratio() for name in close]
    close = [name for name, ratio in zip(close, score, strict=True) if ratio >= score[0] - 0.05]
    meant = [f"'{code}' ({shown[code]})" for name in close for code in by_name[name]]
    return f" (did you mean {' or '.join(meant)}?)" if meant else ""
