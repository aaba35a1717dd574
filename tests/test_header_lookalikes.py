"""A header that is a column's name with a note in brackets or punctuation (`personnel_per_unit
(pax)`, `Hard?`, `hard (y/n)`) is read as that column where the sheet lacks it
(io/header_names.py), and the warning about any other header forcegen does not read says what
every row reads without the optional column the sheet lacks (io/unread_headers.py). Before,
each was `not used by forcegen and is ignored`: a trial's hard lines were all soft, its units
of 0 personnel, its unavailable USA deployed, and the workbook was `valid`."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from solver import api

from .workbooks import simple_case


def _headed(path: Path, sheet: str, **headers: str) -> Path:
    """The workbook with `sheet`'s headers renamed (`hard="Hard?"`); a header renamed to ''
    is deleted with its column."""
    book = load_workbook(path)
    ws = book[sheet]
    for cell in list(ws[1]):
        if str(cell.value) in headers and not headers[str(cell.value)]:
            ws.delete_cols(cell.column)
    for cell in ws[1]:
        cell.value = headers.get(str(cell.value), cell.value)
    book.save(path)
    return path


def _said(path: Path) -> list[str]:
    return [str(w) for w in api.read(path).warnings]


def test_a_name_with_a_note_or_punctuation_is_read_as_the_column(tmp_path: Path) -> None:
    """`personnel_per_unit (pax)` on Capabilities and `Hard?` on Requirements are read: the
    unit is 100 people, S1's line is hard; `hard (y/n)` alike, each with a warning. Two
    headers so written for one column (`hard (y/n)`, `Hard?`) are neither read."""
    case = simple_case(
        tmp_path / "case.xlsx",
        requirements=[
            {"site": "S1", "capability": "INF", "units": 2, "hard": "yes"},
            {"site": "S2", "capability": "INF", "units": 2},
        ],
    )
    path = _headed(case, "Capabilities", personnel_per_unit="personnel_per_unit (pax)")
    path = _headed(path, "Requirements", hard="Hard?")
    data = api.read(path)
    assert list(data.capabilities["personnel_per_unit"]) == [100]
    assert list(data.requirements["hard"]) == [True, False]
    said = _said(path)
    assert (
        "warning: Capabilities!D1: column 'personnel_per_unit (pax)' is read as personnel_per_unit"
    ) in said
    assert "warning: Requirements!F1: column 'Hard?' is read as hard" in said
    path = _headed(path, "Requirements", **{"Hard?": "hard (y/n)"})
    assert list(api.read(path).requirements["hard"]) == [True, False]
    # beside another header written so, neither is read (every line soft, as the default)
    book = load_workbook(path)
    book["Requirements"].cell(1, book["Requirements"].max_column + 1, "Hard?")
    book.save(path)
    assert list(api.read(path).requirements["hard"]) == [False, False]
    said = _said(path)
    assert any("column 'Hard?' is not used by forcegen" in w for w in said)
    assert any("column 'hard (y/n)' is not used by forcegen" in w for w in said)
    # beside the column itself, it is not read either
    book["Requirements"]["F1"] = "hard"
    book.save(path)
    assert list(api.read(path).requirements["hard"]) == [True, False]
    assert any("column 'Hard?' is not used by forcegen" in w for w in _said(path))


def test_an_unread_header_says_what_every_row_reads_without_the_column(tmp_path: Path) -> None:
    """Contributors headed `availability` instead of `status`: the warning says that every
    contributor is then available; a sheet lacking two optional columns names both."""
    path = _headed(simple_case(tmp_path / "case.xlsx"), "Contributors", status="availability")
    assert (
        "warning: Contributors!F1: column 'availability' is not used by forcegen and is "
        "ignored; without a status column, status is 'available' on every row"
    ) in _said(path)
    path = _headed(path, "Contributors", name="", gdp="")
    assert (
        "warning: Contributors!D1: column 'availability' is not used by forcegen and is "
        "ignored; without name, gdp and status columns, name is its contributor, gdp is blank "
        "and status is 'available' on every row"
    ) in _said(path)
