"""An optional sheet whose name is a near miss (`Caveat`, `Setting`, `Period`, `Profiles`,
`National caveats`) of one the workbook lacks (io/sheet_lookalikes.py). Before, each was
ignored without a word: a trial's `Caveat` sheet was `valid` with 0 caveats and its solve
dropped all 22, and a `Period` sheet gave 100 errors `no periods to refer to`, none naming it."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from solver import api

from .time_input_case import problems, read, timed
from .workbooks import simple_case


def _renamed(path: Path, **titles: str) -> Path:
    """The workbook at `path` with its sheets retitled (`Caveats="Caveat"`)."""
    book = load_workbook(path)
    for old, new in titles.items():
        book[old].title = new
    book.save(path)
    return path


def _case(tmp_path: Path) -> Path:
    """simple_case with A's caveat `max_units 1` and a time limit of 7."""
    path = simple_case(
        tmp_path / "case.xlsx",
        caveats=[{"contributor": "A", "caveat": "max_units", "value": 1}],
    )
    book = load_workbook(path)
    book["Settings"].append(["time_limit", 7])
    book.save(path)
    return path


def _said(data: api.Data) -> list[str]:
    return [str(w) for w in data.warnings]


def test_a_sheet_named_but_for_an_s_or_case_is_read_as_that_sheet(tmp_path: Path) -> None:
    """`Caveat` and `SETTING` are read as the Caveats and Settings sheets, each with a warning
    at the sheet, and their rows count: the caveat is there, the time limit is 7."""
    path = _renamed(_case(tmp_path), Caveats="Caveat", Settings="SETTING")
    data = api.read(path)
    assert list(data.caveats["contributor"]) == ["A"]
    assert data.settings["time_limit"] == 7
    said = _said(data)
    assert (
        "warning: Caveat: this sheet is read as the Caveats sheet (its name is 'Caveats' but for "
        "case, spaces or an s, and the workbook has no Caveats sheet); rename it 'Caveats' to "
        "silence this warning"
    ) in said
    assert any(
        w.startswith("warning: SETTING: this sheet is read as the Settings sheet") for w in said
    )


def test_a_sheet_with_more_words_is_not_read_and_says_what_is_lost(tmp_path: Path) -> None:
    """`National caveats` may be a sheet set aside: not read, with a warning naming the sheet it
    looks like and that no caveat applies; a workbook with its Caveats sheet says nothing of a
    `Caveats (old)` beside it."""
    data = api.read(_renamed(_case(tmp_path), Caveats="National caveats"))
    assert data.caveats.empty
    assert (
        "warning: 'National caveats': this sheet is not read: did you mean 'Caveats'? without a "
        "Caveats sheet no caveat applies (rename it 'Caveats' to have it read)"
    ) in _said(data)
    path = _case(tmp_path)
    book = load_workbook(path)
    book.copy_worksheet(book["Caveats"]).title = "Caveats (old)"
    book.save(path)
    assert not [w for w in _said(api.read(path)) if "Caveats (old)" in w]


def test_two_sheets_named_alike_are_neither_read(tmp_path: Path) -> None:
    """`Caveat` and `caveat.` could each be the Caveats sheet: neither is read, and each
    warning names the other."""
    path = _renamed(_case(tmp_path), Caveats="Caveat")
    book = load_workbook(path)
    book.copy_worksheet(book["Caveat"]).title = "caveat."
    book.save(path)
    data = api.read(path)
    assert data.caveats.empty
    assert (
        "warning: Caveat: this sheet is not read: did you mean 'Caveats'? without a Caveats "
        "sheet no caveat applies (so do 'caveat.'; rename the one meant 'Caveats')"
    ) in _said(data)


def test_a_sheet_named_alike_whose_header_is_another_s_is_not_read(tmp_path: Path) -> None:
    """A snapshot with a sheet `Profiles` of the planner's own (nations' profiles, no Profile
    columns) is read as before, the sheet not read, with a warning saying why."""
    path = simple_case(tmp_path / "case.xlsx")
    book = load_workbook(path)
    del book["Profile"]
    own = book.create_sheet("Profiles")
    own.append(["nation", "profile"])
    own.append(["A", "light"])
    book.save(path)
    said = _said(api.read(path))
    assert (
        "warning: Profiles: this sheet is not read: did you mean 'Profile'? without a Profile "
        "sheet each line requires its units in every period it is active (its header has no "
        "site, capability, from, to and units columns)"
    ) in said


def test_period_and_profiles_make_the_workbook_timed(tmp_path: Path) -> None:
    """A timed workbook whose sheets are `Period` and `Profiles`: read as Periods and Profile,
    so the workbook is timed and S1's Profile row counts."""
    path = timed(
        tmp_path,
        profile=[{"site": "S1", "capability": "INF", "from": "P2", "to": "P3", "units": 1}],
    )
    data = read(_renamed(path, Periods="Period", Profile="Profiles"))
    assert list(data.periods["period"]) == ["P1", "P2", "P3", "P4", "P5"]
    assert len(data.profile) == 1


def test_windows_of_a_snapshot_name_the_periods_sheet_not_read(tmp_path: Path) -> None:
    """A `Periods (old)` sheet is not read: the workbook is a snapshot, and the error of each
    window names the sheet (they said `the workbook has no Periods sheet`)."""
    pledges = [{"contributor": "A", "capability": "INF", "units": 2, "from": "P2"}]
    path = _renamed(timed(tmp_path, pledges=pledges), Periods="Periods (old)")
    assert problems(path) == [
        "Pledges!F2: from is 'P2' but there are no periods to refer to (the sheet 'Periods "
        "(old)' is not read as the Periods sheet: see its warning); clear the cell, or add a "
        "Periods sheet to make the workbook timed"
    ]
