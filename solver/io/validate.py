"""Whole-workbook validation: raw sheets in, typed `Data` out, every problem reported at once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from ..data import Data, is_blank
from ..errors import Issues, in_workbook_order
from .baseline_input import baseline_from_sheet
from .caveat_repeats import warn_repeated_caveats
from .coerce import suggest
from .commitments import warn_commitments
from .copied_columns import COPIED
from .duplicates import check_duplicates
from .hard_lines import warn_unmeetable_hard_lines
from .idle_entries import warn_idle
from .periods import periods_in
from .raw_sheet import RawWorkbook
from .refs import case_slip, fold_case, resolve_keys, suggest_contributor
from .schema import CAVEATS, INPUT_SHEETS, SETTINGS, SHEETS_BY_NAME
from .schema_types import norm
from .settings_sheet import read_settings
from .text import warn_lookalikes
from .time_warnings import warn_windows
from .typed_table import typed_table
from .unused_pledges import warn_unused
from .validate_time import check_time


def validate(
    raw: RawWorkbook,
    issues: Issues,
    scenario: str = "base",
    dropped: dict[str, set[str]] | None = None,
) -> Data:
    """Check every sheet, column, value and reference; raise `InputError` listing all problems.
    `dropped`: the keys the scenario dropped, by sheet (`scenarios.dropped_keys`); the Baseline
    sheet may name them (a warning, as for `--baseline FILE`), no other sheet may."""
    from ..caveats import KINDS
    from ..model.objective import weight_ratio_problems

    tables: dict[str, pd.DataFrame] = {}
    present = {norm(t) for t in raw.titles}  # a sheet present but unreadable is reported already
    # names in other sheets are not checked against a sheet missing, or read without rows for
    # a required column its header lacks (each of its keys named elsewhere was a second error)
    missing: set[str] = set()
    for spec in INPUT_SHEETS:
        if spec.name in ("Settings", "Scenarios"):
            continue
        sheet = raw.sheets.get(norm(spec.name))
        cleared = sheet is not None and sheet.blank and not spec.required
        if cleared:  # an optional sheet cleared to the last cell (a trial: Periods cleared to
            sheet = None  # go back to a snapshot was refused for its missing `period` column)
        # missing from the workbook, whatever a scenario's override made of it (a placeholder
        # holding the rows it adds: a review saw `solve -s` plan from them alone, the planner's
        # sheet renamed)
        if spec.required and norm(spec.name) not in present:
            missing.add(spec.name)
            issues.error(
                raw.path.name,
                f"sheet '{spec.name}' is missing (sheets found: {', '.join(raw.titles) or 'none'})"
                + (
                    suggest(spec.name, raw.titles)
                    or "; `forcegen template NEW.xlsx` writes every sheet with its columns"
                ),
            )
        choices = {"caveat": tuple(KINDS)} if spec is CAVEATS else {}
        tables[spec.name] = typed_table(spec, sheet, issues, choices)
        if tables[spec.name].attrs.get("header_lacks") or (
            sheet is None and norm(spec.name) in present and not cleared  # no header found
        ):
            missing.add(spec.name)
        warn_lookalikes(spec, tables[spec.name], issues)
    settings_sheet = raw.sheets.get(norm(SETTINGS.name))
    settings = read_settings(
        None if settings_sheet and settings_sheet.blank else settings_sheet, issues
    )

    unresolved = _check_refs(tables, issues, dropped or {}, missing)
    unread_periods = raw.unread.get("Periods", "")  # a sheet named like it, not read as it
    periods, profile = check_time(
        tables, periods_in(raw), issues, frozenset(missing), unresolved, unread_periods
    )
    _fill_derived(tables)
    con, cap, sit = tables["Contributors"], tables["Capabilities"], tables["Sites"]
    cav = tables["Caveats"]
    _check_filter_values(cav, cap, sit, issues, missing)
    warn_repeated_caveats(cav, issues)
    # the caveats' cross-checks read the required sheets (an unreadable Baseline silences none)
    readable = not missing.intersection(s.name for s in INPUT_SHEETS if s.required)
    _check_kinds(tables, _typed_rows(unresolved.get("Caveats")), readable, issues)
    _warn_if_nothing_to_allocate(
        tables["Requirements"], tables.get("Profile"), tables["Pledges"], con, issues
    )
    for where, message in weight_ratio_problems(tables["Requirements"]):
        issues.error(where, message)
    issues.raise_if_errors()
    data = Data(
        contributors=con,
        capabilities=cap,
        sites=sit,
        requirements=tables["Requirements"],
        pledges=tables["Pledges"],
        caveats=cav,
        settings=settings,
        scenario=scenario,
        periods=periods,
        profile=profile,
    )
    if data.timed:
        warn_windows(data, issues)
    warn_commitments(data, issues)
    warn_unused(data, issues)
    warn_idle(data, issues)
    warn_unmeetable_hard_lines(data, issues)
    data.baseline = baseline_from_sheet(tables["Baseline"], data, issues)
    data.warnings = in_workbook_order(issues.warnings)  # as an InputError lists them
    return data


def _check_refs(
    tables: dict[str, pd.DataFrame],
    issues: Issues,
    dropped: dict[str, set[str]],
    missing: set[str],
) -> dict[str, pd.DataFrame]:
    """Drop the rows naming a key no sheet has (an error each), and the later rows of a key
    given twice; returns them by sheet, with the rows dropped before for a bad cell of their
    own, so that their other cells are still checked (`check_time`: every problem at once).
    The keys those rows name are checked here too: a pledge of units 'x' by an unknown ZZZ said
    only the units."""

    def keys_of(sheet: str, column: str) -> pd.Series:
        # rows dropped for a bad cell still define their key: naming them is no second error
        frame = tables[sheet]
        kept = list(frame.get(column, pd.Series(dtype=object)))
        return pd.Series(kept + list(frame.attrs.get("rejected_keys", [])), dtype=object)

    keys = {
        "Contributors": keys_of("Contributors", "contributor"),
        "Capabilities": keys_of("Capabilities", "capability"),
        "Sites": keys_of("Sites", "site"),
    }
    unresolved: dict[str, pd.DataFrame] = {}
    for spec in INPUT_SHEETS:
        frame = tables.get(spec.name)
        if frame is None:
            continue
        read = frame
        rejected = pd.DataFrame.from_records(read.attrs.get("rejected_rows", []))
        duplicates = pd.DataFrame.from_records(read.attrs.get("duplicate_rows", []))
        for col in spec.columns:
            if col.ref in keys and col.ref not in missing:  # Periods: validate_time's
                known = keys[col.ref]
                if spec.name == "Baseline":  # the plan it records had them: its units change
                    gone = pd.Series(sorted(dropped.get(col.ref, ())), dtype=object)
                    known = pd.concat([known, gone], ignore_index=True)
                near = _nearest(col.ref, known, tables)
                frame = resolve_keys(frame, col.name, known, col.ref, issues, suggesting=near)
                resolve_keys(rejected, col.name, known, col.ref, issues, suggesting=near)
                resolve_keys(duplicates, col.name, known, col.ref, issues, suggesting=near)
        if spec.key and len(frame):
            frame = check_duplicates(spec, frame, issues)
        # rows of typed cells (`_typed`): dropped for a key, theirs or a repeated one
        typed = pd.concat([read[~read.index.isin(frame.index)], duplicates], ignore_index=True)
        if len(typed) or len(rejected):
            unresolved[spec.name] = pd.concat(
                [typed.assign(_typed=True), rejected.assign(_typed=False)], ignore_index=True
            )
        tables[spec.name] = frame
    return unresolved


def _check_kinds(
    tables: dict[str, pd.DataFrame], lost: pd.DataFrame, readable: bool, issues: Issues
) -> None:
    """Each caveat kind's own checks of its rows, those dropped for another cell (`lost`)
    too, and its cross-checks against the other sheets where they are `readable` (of a row
    dropped, where its contributor is one: a row dropped for its window is still read as it
    would be); the values
    as each kind reads them (the input's value kept where it reads another)."""
    from ..caveats import KINDS

    cav = tables["Caveats"]
    named = set(tables["Contributors"].get("contributor", []))
    for kind in KINDS.values():
        rows = cav[cav["caveat"] == kind.kind]
        gone = lost[lost["caveat"] == kind.kind]
        issues.items += [*kind.check_rows(rows), *kind.check_rows(gone)]
        if readable:
            known = gone[gone["contributor"].isin(named)] if "contributor" in gone else gone
            issues.items += [*kind.check_against(rows, tables), *kind.check_against(known, tables)]
        read, typed = kind.read_values(rows)
        cav.loc[rows.index, "value"] = read
        if typed.notna().any():  # the output's Caveats sheet shows the input's value
            cav.loc[rows.index, "_value_typed"] = typed


def _typed_rows(rows: pd.DataFrame | None) -> pd.DataFrame:
    """The rows among those dropped (`_check_refs`, `check_time`) whose cells were read."""
    if rows is None or not {"caveat", "_typed"} <= set(rows):
        return pd.DataFrame(columns=["caveat"])
    return rows[rows["_typed"].fillna(False).astype(bool)]


def _nearest(
    ref: str, known: pd.Series, tables: dict[str, pd.DataFrame]
) -> Callable[[str], str] | None:
    """The did-you-mean of a key of sheet `ref` that is not there: a contributor's looks at
    the nations' names too (`refs.suggest_contributor`); None: the closest key's spelling."""
    if ref != "Contributors":
        return None
    return lambda value: suggest_contributor(
        value, known, tables.get("Contributors", pd.DataFrame())
    )


def _fill_derived(tables: dict[str, pd.DataFrame]) -> None:
    """Defaults that depend on other columns or sheets; keys sorted for determinism."""
    con = tables["Contributors"]
    con["name"] = [
        c if is_blank(n) else n for n, c in zip(con["name"], con["contributor"], strict=True)
    ]
    cap = tables["Capabilities"]
    ppu = dict(zip(cap["capability"], cap["personnel_per_unit"], strict=True))
    pl = tables["Pledges"]
    pl["personnel_per_unit"] = [
        int(ppu.get(k, 0)) if is_blank(p) else int(p)
        for p, k in zip(pl["personnel_per_unit"], pl["capability"], strict=True)
    ]
    # the sheets of the model's sets, by their keys (Caveats keep the sheet's order, Periods
    # are in time order, Profile rows are read per line)
    for name in ("Contributors", "Capabilities", "Sites", "Requirements", "Pledges"):
        keys = list(SHEETS_BY_NAME[name].key)
        tables[name] = tables[name].sort_values(keys, kind="mergesort").reset_index(drop=True)
    tables["Caveats"] = (
        tables["Caveats"].sort_values("_row", kind="mergesort").reset_index(drop=True)
    )
    for name, frame in tables.items():
        for col in frame.columns:
            if str(col).startswith(COPIED):  # a planner's own column: as typed, text beside numbers
                continue
            if frame[col].dtype == object and frame[col].map(lambda v: isinstance(v, float)).any():
                tables[name] = frame = frame.assign(**{col: frame[col].astype(float)})


def _warn_if_nothing_to_allocate(
    req: pd.DataFrame,
    profile: pd.DataFrame | None,
    pl: pd.DataFrame,
    con: pd.DataFrame,
    issues: Issues,
) -> None:
    """An empty plan is "optimal" and a plan with nothing pledged is a plan of shortfalls: both
    are legal, neither is what a planner meant to solve, so say so (unless rows were refused:
    then the errors say what is wrong). A Profile row of units > 0 asks for a unit too."""
    if issues.errors:
        return
    raised = profile is not None and bool((profile["units"] > 0).any())
    if not raised and (not len(req) or not (req["units"] > 0).any()):
        issues.warn(
            "Requirements",
            "nothing to allocate: no requirement asks for a unit (the sheet has no row with "
            "units > 0), so every plan is empty and trivially optimal",
        )
        return
    available = set(con.loc[con["status"] == "available", "contributor"]) if len(con) else set()
    if not len(pl) or not ((pl["units"] > 0) & pl["contributor"].isin(available)).any():
        issues.warn(
            "Pledges",
            "nothing to allocate: no available contributor pledges a unit (no row with units > "
            "0 from an available contributor), so every requirement stays short",
        )


def _check_filter_values(
    cav: pd.DataFrame, cap: pd.DataFrame, sit: pd.DataFrame, issues: Issues, missing: set[str]
) -> None:
    """A caveat filter naming a category, zone or country that nothing has: a warning.

    The contract types these filters as plain text (not keys), and a nation's standing caveat
    list ("no air assets in UKR") is reused across operations that may have no air capability:
    the workbook is read and the caveat simply matches no allocation. A typo is the other
    common cause, hence the did-you-mean.
    """
    known = {
        "category": _values_read(cap, "category"),
        "zone": _values_read(sit, "zone"),
        "country": _values_read(sit, "country"),
    }
    source = {"category": "Capabilities", "zone": "Sites", "country": "Sites"}
    for column, values in known.items():
        if column not in cav or not len(cav) or source[column] in missing:
            continue
        folded = fold_case(values)
        cells = cav.get(f"_at_{column}", pd.Series([None] * len(cav), index=cav.index))
        for index, value, where in zip(cav.index, cav[column], cells, strict=True):
            if is_blank(value) or value in values:
                continue
            taken = case_slip(column, value, folded, where, issues)
            if taken is not None:
                cav.at[index, column] = taken
                continue
            issues.warn(
                where,
                f"{column} '{value}' matches nothing on the {source[column]} sheet"
                + (suggest(value, values) or f" (known: {', '.join(values[:8]) or 'none'})")
                + f"; {_matching_nothing(cav.at[index, 'caveat'])}",
            )


def _values_read(table: pd.DataFrame, column: str) -> list[Any]:
    """The values of a column, sorted, blanks left out, including those of rows dropped for an
    error elsewhere in the row: a filter naming the zone of a site with a bad latitude is
    reported by that site's error, not as a zone that matches nothing."""
    dropped = [r.get(column) for r in table.attrs.get("rejected_rows", [])]
    # a blank cell is NaN, which is truthy: test blankness, not truth
    return sorted({v for v in [*table.get(column, []), *dropped] if not is_blank(v) and v})


def _matching_nothing(kind: Any) -> str:
    """What a filter that matches nothing does to a caveat of `kind` (the kind's own words)."""
    from ..caveats import KINDS

    caveat = KINDS.get(str(kind))
    return caveat.matching_nothing if caveat else "the caveat applies to no allocation"
