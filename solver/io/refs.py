"""Cells that name a key of another sheet: checked, with a did-you-mean, case slips accepted."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable

import pandas as pd

from ..data import is_blank
from ..errors import Issues
from ..wording import cells_text, count
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
    taking: Callable[[str, str], str | None] | None = None,
    say_taken: bool = True,
) -> pd.DataFrame:
    """Check that `column` names existing keys; accept a unique case-insensitive match with a
    warning. An unknown key's error ends with a did-you-mean (unless not `guess`: when the
    key is more likely one the sheet lost, a near key would steer to a wrong fix), then
    `hint(value)` when given. The did-you-mean is `suggesting(value)` when given (a period's
    is by time: `period_names.suggest_period`), else the closest spelling among `keys`.
    `taking(value, cell)` may name the key an unknown value stands for (a month, the period
    starting then): it is taken, with one warning for the column (none with `say_taken` off:
    the rows dropped for another error, whose kept rows said it)."""
    if column not in frame or not len(frame):
        return frame
    exact = set(keys)
    folded = fold_case(keys)
    values = frame[column].tolist()
    bad_rows = []
    took: list[tuple[str, str, str]] = []  # (cell, value, key) `taking` gave
    for i, value in enumerate(values):
        if is_blank(value) or value in exact:
            continue
        where = frame[f"_at_{column}"].iloc[i]
        taken = case_slip(column, value, folded, where, issues)
        if taken is None and taking is not None and (taken := taking(value, where)):
            took.append((where, str(value), taken))
        if taken is not None:
            values[i] = taken
            continue
        near = suggesting(value) if suggesting is not None else suggest(value, keys)
        said = (near if guess else "") + (hint(value) if hint is not None else "")
        issues.error(where, f"{column} '{value}' is not on the {what} sheet" + said)
        bad_rows.append(i)
    if took and say_taken:  # one warning for the column, as for its dates (warn_dates_as_periods)
        where, value, key = took[0]
        cells = cells_text([cell for cell, _, _ in took])
        ending = "ending" if column == "to" else "starting"
        if len(took) == 1:  # a planner trial stumbled on `1 month ... taken as the periods`
            said = (
                f"{column} '{value}' taken as the period {ending} that month, '{key}' (the "
                "Periods sheet names its periods otherwise)"
            )
        else:
            said = (
                f"{count(len(took), 'month')} in {column} ({cells}) taken as the periods "
                f"{ending} then ('{value}' as '{key}'), which the Periods sheet names otherwise"
            )
        issues.warn(where, said)
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
    """The did-you-mean of a contributor code the workbook lacks, by the codes and by the
    nations' display names (`contributors`' `name`): a planner types the nation (`Australia`,
    `Austrlia`) where the sheets name it by its code, and `Austrlia` is no spelling of AUS (a
    baseline row so typed asked AUS to add the unit it already held, with no hint; a trial).

        a name it is (case aside)          `Germany`: DEU, said as its name
        a word longer than every code + 1  the nearest names (difflib ratio >= 0.75, those
                                           within 0.05 of the best: `Austrlia`: `'AUS'
                                           (Australia) or 'AUT' (Austria)`), else the codes'
        otherwise                          the nearest code (`coerce.suggest`), else the names'

    A long word is nearer some 3-letter code by spelling than a name it misspells by one
    letter, so the codes' hint came first and misled (`Denmark`: `MAR`; a review)."""
    codes = [str(c) for c in codes]
    by_name, shown = _by_name(contributors, set(codes))
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
    by_names = f" (did you mean {' or '.join(meant)}?)" if meant else ""
    if len(typed) > max(map(len, codes), default=0) + 1:
        return by_names or suggest(word, codes)
    return suggest(word, codes) or by_names


def _by_name(
    contributors: pd.DataFrame, codes: set[str]
) -> tuple[dict[str, list[str]], dict[str, str]]:
    """The `codes` by their display name case-folded (several where names repeat), and each
    code's name as written; a name that is its code, or blank, is none."""
    by_name: dict[str, list[str]] = {}
    shown: dict[str, str] = {}
    if not {"contributor", "name"} <= set(contributors.columns):
        return by_name, shown
    for code, name in zip(contributors["contributor"], contributors["name"], strict=True):
        if str(code) not in codes or is_blank(name) or str(name).strip() == str(code):
            continue
        by_name.setdefault(str(name).strip().casefold(), []).append(str(code))
        shown[str(code)] = str(name).strip()
    return by_name, shown
