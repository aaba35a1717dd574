"""The time checks of a workbook (contract part 2, `time.md`): windows, tours, the Profile.

A snapshot (no period rows) may fill no time column and no Profile row: there are no periods to
refer to. In a timed workbook every `from`/`to` names a period and becomes a 0-based position
(`from_t`, `to_t`, inclusive; blank = first/last period); the Profile's rows of one line must
not overlap and must lie inside the line's window.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import pandas as pd

from ..addresses import sheet_in_reference, split_address
from ..data import is_blank
from ..errors import Issues
from .missing_period import fits_at, missing_period_hint, unread_key_cells
from .period_dates import warn_names_against_starts
from .period_names import period_of_month, suggest_period
from .periods import build_periods, span
from .refs import resolve_keys
from .schema import WINDOWED
from .schema_time import TIME_COLUMNS
from .time_warnings import warn_tours


def _by_month(value: str, _: str, periods: pd.DataFrame, to: bool) -> str | None:
    """The period a month typed in a window stands for (`period_names.period_of_month`)."""
    return period_of_month(value, periods, to)


def check_time(
    tables: dict[str, pd.DataFrame],
    period_rows: int,
    issues: Issues,
    missing: frozenset[str] = frozenset(),
    unresolved: dict[str, pd.DataFrame] | None = None,
    unread_periods: str = "",
) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
    """(periods, profile) for a timed workbook, (None, None) for a snapshot; `tables` gain
    their windows as positions (timed) or lose their blank time columns (snapshot). Profile
    rows are not checked against the lines of a Requirements sheet that is `missing`, nor windows
    against a Periods sheet that is (its header lacks a required column: no row was read). The
    `unresolved` rows (dropped for a key no sheet has) have their time cells checked too, for
    their errors only; the rows dropped here for a window join them (`_typed`: their other
    cells are as read), so that validate's later checks see them too. `unread_periods`: the
    title of a sheet named like Periods but not read as it, which a snapshot's errors name."""
    unresolved = {} if unresolved is None else unresolved
    if not period_rows:
        _refuse_time_cells(tables, issues, unread_periods)
        _refuse_time_cells(unresolved, issues, unread_periods)
        for sheet, columns in TIME_COLUMNS.items():
            drop = [c for name in columns for c in (name, f"_at_{name}")]
            tables[sheet] = tables[sheet].drop(columns=drop, errors="ignore")
        return None, None
    typed_starts = tables["Periods"]["start"].reset_index(drop=True).copy()
    periods = build_periods(tables["Periods"], issues)
    warn_names_against_starts(periods, typed_starts, issues)
    names = list(periods["period"])
    keys = pd.Series(names + list(tables["Periods"].attrs.get("rejected_keys", [])), dtype=object)
    # every line named, also those whose window has an error of its own (and is dropped below)
    # and those whose row was dropped for an error of its own (`units` 'three': the line is
    # there, its row says what is wrong)
    req = tables["Requirements"]
    named = set(zip(req.get("site", []), req.get("capability", []), strict=True))
    named |= {(r.get("site"), r.get("capability")) for r in req.attrs.get("rejected_rows", [])}
    unread = unread_key_cells(tables["Periods"], issues)
    hint = missing_period_hint(
        unread, tables["Periods"].attrs.get("duplicates", []), fits_at(periods)
    )
    # the sheet's row order of every key, those of rows dropped for an error of their own too
    # (months 0): a window naming one is still checked for a `from` after its `to`
    sheet_rows = dict(tables["Periods"].attrs.get("rejected_keys", {}))
    sheet_rows.update(zip(periods["period"], periods["_row"], strict=True))
    resolved = {"Profile": tables["Profile"]}  # with their windows' keys, before rows drop
    guess, spelt = not unread, list(keys)

    def near(value: str) -> str:
        return suggest_period(value, periods, spelt, horizon=True)

    if unread and hint is not None:  # no cell in error could have held it: the did-you-mean
        pointer = hint
        hint = lambda value: pointer(value) or near(value)  # noqa: E731

    def resolver(column: str) -> Callable[..., pd.DataFrame]:
        return partial(
            resolve_keys,
            column=column,
            keys=keys,
            what="Periods",
            issues=issues,
            hint=hint,
            guess=guess,
            suggesting=near,
            taking=partial(_by_month, periods=periods, to=column == "to"),
        )

    for sheet in WINDOWED:
        kept, before = tables[sheet], unresolved.get(sheet)
        frame, dropped = kept, before
        if "Periods" not in missing:
            frame, dropped = _windows_read(kept, before, resolver)
        resolved[sheet] = frame
        tables[sheet] = _positions(frame, names, issues, sheet_rows)
        if dropped is not None and "Periods" not in missing:
            _order_errors(dropped, names, issues, sheet_rows)
        # every row dropped, here or before, for validate's checks of their other cells
        lost = kept.drop(tables[sheet].index).assign(_typed=True)
        every = [f for f in (before, lost) if f is not None and len(f)]
        if every:
            unresolved[sheet] = pd.concat(every, ignore_index=True)
    pl = tables["Pledges"]
    pl["tour_months"] = pl["tour_months"].astype(float)
    pl["dwell_months"] = [0 if is_blank(d) else int(d) for d in pl["dwell_months"]]
    profile = tables["Profile"]
    if "Requirements" not in missing:
        profile = _check_profile(profile, tables["Requirements"], named, names, issues)
        _outside_at_rejected_periods(
            resolved["Profile"], resolved["Requirements"], sheet_rows, names, issues
        )
    _overlaps_at_rejected_periods(resolved["Profile"], sheet_rows, names, issues)
    warn_tours(pl, periods, issues)
    return periods, profile


def _windows_read(
    kept: pd.DataFrame,
    dropped: pd.DataFrame | None,
    resolver: Callable[[str], Callable[..., pd.DataFrame]],
) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """The rows `kept` and the rows `dropped` before (their errors only: a month the rows kept
    take is no error there, and is said once, of the kept) with their `from` and `to` read as
    period keys; a row a bad `from` drops has its `to` checked too (its error said: both
    cells were bad, and only the `from` was said)."""
    frame, before = kept, dropped
    for column in ("from", "to"):
        resolve = resolver(column)
        if column == "to":
            resolve(kept.drop(frame.index), say_taken=False)
        frame = resolve(frame)
        if before is not None and dropped is not None:
            if column == "to":
                resolve(before.drop(dropped.index), say_taken=False)
            dropped = resolve(dropped, say_taken=False)
    return frame, dropped


def _refuse_time_cells(tables: dict[str, pd.DataFrame], issues: Issues, unread: str = "") -> None:
    """An error for every time cell filled, and every Profile row, of a snapshot's `tables`
    (all or some of the sheets); `unread`: the title of a sheet named like Periods but not
    read as it (`sheet_lookalikes`), named: a trial's `Period` sheet made 100 errors, none
    naming it."""
    why = "there are no periods to refer to (the workbook has no Periods sheet, or it has no rows)"
    if unread:
        why = (
            f"there are no periods to refer to (the sheet '{unread}' is not read as the Periods "
            "sheet: see its warning)"
        )
    for sheet, columns in TIME_COLUMNS.items():
        if sheet not in tables:
            continue
        frame = tables[sheet]
        for column in columns:
            if column not in frame or not len(frame):
                continue
            for value, where in zip(frame[column], frame[f"_at_{column}"], strict=True):
                if not is_blank(value):
                    issues.error(
                        where,
                        f"{column} is {_shown(value)} but {why}; clear the cell, or add a Periods "
                        "sheet to make the workbook timed",
                    )
    profile = tables.get("Profile", pd.DataFrame())
    for where in profile.get("_at_site", profile.get("_where", [])):
        issues.error(
            where,
            f"a Profile row in a workbook without periods: {why}; delete the row, or add a "
            "Periods sheet to make the workbook timed",
        )


def _positions(
    frame: pd.DataFrame, names: list[str], issues: Issues, sheet_rows: dict[str, int]
) -> pd.DataFrame:
    """`from_t`/`to_t` (blank: first/last period); a `from` after its `to` is an error. A row
    naming a period whose own row was dropped (months 0) is dropped, but its `from` and `to`
    are still compared in the sheet's row order (`sheet_rows`), so that the error is said in
    the same run as the Periods sheet's."""
    if not len(frame):
        return frame.assign(from_t=pd.Series(dtype=int), to_t=pd.Series(dtype=int))
    position = {name: t for t, name in enumerate(names)}
    first = [0 if is_blank(v) else position.get(v, -1) for v in frame.get("from", [])]
    last = [len(names) - 1 if is_blank(v) else position.get(v, -1) for v in frame.get("to", [])]
    frame = frame.assign(from_t=first, to_t=last)
    lost = frame[(frame["from_t"] < 0) | (frame["to_t"] < 0)]  # a rejected period's key
    for a, b, where in zip(lost["from"], lost["to"], lost["_at_from"], strict=True):
        if not is_blank(a) and not is_blank(b) and sheet_rows.get(a, 0) > sheet_rows.get(b, 0):
            _after(str(a), str(b), where, issues)
    frame = frame[(frame["from_t"] >= 0) & (frame["to_t"] >= 0)]
    for a, b, where in zip(frame["from_t"], frame["to_t"], frame["_at_from"], strict=True):
        if a > b:
            _after(names[a], names[b], where, issues)
    return frame.astype({"from_t": int, "to_t": int})


def _order_errors(
    frame: pd.DataFrame, names: list[str], issues: Issues, sheet_rows: dict[str, int]
) -> None:
    """A `from` after its `to` in rows dropped for a cell of their own (`tour_months` 1.5): an
    error too, in the same run (a trial saw it only once the other cell was fixed)."""
    needed = ("from", "to", "_at_from")
    if len(frame) and all(column in frame for column in needed):
        _positions(frame, names, issues, sheet_rows)


def _after(first: str, last: str, where: str, issues: Issues) -> None:
    issues.error(
        where,
        f"from '{first}' is after to '{last}' (on the Periods sheet '{last}' comes first); "
        "correct the one mistyped, or swap them",
    )


def _sheet_order(
    sheet_rows: dict[str, int],
) -> tuple[list[str], Callable[[object, object], tuple[int, int]]]:
    """The Periods sheet's keys in its row order (dropped rows too), and the positions
    (first, last) of a from/to window in it: a blank end is the horizon's, an unknown key -1."""
    keys = sorted(sheet_rows, key=sheet_rows.__getitem__)
    order: dict[object, int] = {key: i for i, key in enumerate(keys)}

    def window(a: object, b: object) -> tuple[int, int]:
        first = 0 if is_blank(a) else order.get(a, -1)
        return first, len(keys) - 1 if is_blank(b) else order.get(b, -1)

    return keys, window


def _overlaps_at_rejected_periods(
    profile: pd.DataFrame, sheet_rows: dict[str, int], names: list[str], issues: Issues
) -> None:
    """Profile rows of one line that overlap where one of them names a period whose own row
    was dropped (months 0): `_positions` drops such a row, so `_check_profile` never sees it;
    measured in the sheet's row order, the overlap is said in the same run as the Periods
    sheet's error (the read fails on that error anyway, so no position is kept)."""
    rejected = set(sheet_rows) - set(names)
    if not rejected or not len(profile) or "from" not in profile:
        return
    keys, window = _sheet_order(sheet_rows)
    rows = []
    for s, k, a, b, row, where in zip(
        profile["site"],
        profile["capability"],
        profile["from"],
        profile["to"],
        profile["_row"],
        profile["_at_from"],
        strict=True,
    ):
        first, end = window(a, b)
        if first < 0 or end < 0 or first > end:  # an unknown key or a reversed window: said
            continue
        text = span(keys, first, end)
        rows.append(((s, k), first, end, int(row), where, text, a in rejected or b in rejected))
    rows.sort(key=lambda r: (r[0], r[1], r[3]))
    for i, (line, a, _, _, where, text, lost) in enumerate(rows):
        for other in rows[:i]:
            if other[0] == line and other[2] >= a and (lost or other[6]):
                _overlap(where, text, line, other[3], other[5], issues)
                break


def _outside(when: str, line: tuple[str, str], window: str, line_at: str) -> str:
    """The error of a Profile row (periods `when`) outside its line's window."""
    return (
        f"Profile row {when} of {line[0]}/{line[1]} lies outside the line's window {window} "
        f"({_row_in_words(str(line_at))}); a line requires nothing outside its window: "
        "narrow the row or widen the line's from/to"
    )


def _row_in_words(where: str) -> str:
    """A row's place (`Requirements!5`) in words: `Requirements row 5`."""
    reference = split_address(where)
    if reference is None:
        return where
    return f"{sheet_in_reference(reference[0])} row {reference[1]}"


def _outside_at_rejected_periods(
    profile: pd.DataFrame,
    req: pd.DataFrame,
    sheet_rows: dict[str, int],
    names: list[str],
    issues: Issues,
) -> None:
    """A Profile row outside its line's window where the row or the line names a period whose
    own row was dropped (months 0): `_positions` drops either, so `_check_profile` never
    measures it; measured in the sheet's row order, it is said in the same run as the Periods
    sheet's error (a trial saw it only once the months were corrected)."""
    rejected = set(sheet_rows) - set(names)
    if not rejected or not len(profile) or not len(req) or "from" not in req:
        return
    keys, window = _sheet_order(sheet_rows)
    lines = {
        (s, k): (a, b, where)
        for s, k, a, b, where in zip(
            req["site"], req["capability"], req["from"], req["to"], req["_where"], strict=True
        )
    }
    for s, k, a, b, where in zip(
        profile["site"],
        profile["capability"],
        profile["from"],
        profile["to"],
        profile["_at_from"],
        strict=True,
    ):
        if (s, k) not in lines:
            continue
        la, lb, line_at = lines[(s, k)]
        if not any(v in rejected for v in (a, b, la, lb) if not is_blank(v)):
            continue  # measured by _check_profile
        (pf, pe), (lf, le) = window(a, b), window(la, lb)
        if min(pf, pe, lf, le) >= 0 and pf <= pe and lf <= le and (pf < lf or pe > le):
            issues.error(where, _outside(span(keys, pf, pe), (s, k), span(keys, lf, le), line_at))


def _overlap(
    where: str, when: str, line: tuple[str, str], other_row: int, other_when: str, issues: Issues
) -> None:
    """The error of a Profile row (periods `when`) overlapping an earlier row of its line."""
    issues.error(
        where,
        f"Profile row {when} of {line[0]}/{line[1]} overlaps the row at row {other_row} "
        f"({other_when}); a line's Profile rows must not overlap in time",
    )


def _check_profile(
    profile: pd.DataFrame,
    req: pd.DataFrame,
    named: set[tuple[str, str]],
    names: list[str],
    issues: Issues,
) -> pd.DataFrame:
    """Each row names a line, lies inside its window and overlaps no other row of the line.
    A line whose own window is in error (`named` but not in `req`, or from after to) has that
    error already: its Profile rows are not measured against it, but still against each other
    (an overlap does not depend on the window, and said now it is not left for a second run)."""
    if not len(profile):
        return profile.reset_index(drop=True)
    windows = {
        (s, k): (a, b, where)
        for s, k, a, b, where in zip(
            req["site"], req["capability"], req["from_t"], req["to_t"], req["_where"], strict=True
        )
    }
    profile = profile.sort_values(["site", "capability", "from_t"], kind="mergesort")
    previous: dict[tuple[str, str], tuple[int, int, int]] = {}
    for s, k, a, b, row, where, site_at in zip(
        profile["site"],
        profile["capability"],
        profile["from_t"],
        profile["to_t"],
        profile["_row"],
        profile["_at_from"],
        profile["_at_site"],
        strict=True,
    ):
        line = (s, k)
        if line not in named:
            issues.error(
                site_at,
                f"Profile row for {s}/{k}: there is no such line (no Requirements row for {k} "
                f"at {s}); add the line to Requirements or delete this row",
            )
            continue
        first, last, line_at = windows.get(line, (0, -1, ""))  # (0, -1): a window in error
        if first <= last and (a < first or b > last):
            issues.error(
                where,
                _outside(span(names, a, b), line, span(names, first, last), line_at),
            )
        if line in previous and a <= previous[line][1]:
            pa, pb, prow = previous[line]
            _overlap(where, span(names, a, b), line, prow, span(names, pa, pb), issues)
        if line not in previous or b > previous[line][1]:
            previous[line] = (a, b, row)
    return profile.reset_index(drop=True)


def _shown(value: object) -> str:
    """A cell's value as typed: `6`, not `6.0`; text quoted."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value) if isinstance(value, str) else str(value)
