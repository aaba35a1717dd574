"""Problems are listed as a planner fixes them: sheet by sheet in the contract's order, then by
row and column, whatever order the checks found them in (they used to come check by check:
Requirements, Pledges, then Requirements again)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from click.testing import CliRunner

from solver.cli import main
from solver.errors import InputError, Issue, in_workbook_order

from .workbooks import simple_case


def test_issues_are_sorted_by_sheet_then_row_then_column() -> None:
    found = [
        Issue("Pledges!D2", "p"),
        Issue("Requirements!AA3", "r-aa3"),
        Issue("Summary!B2", "an output's sheet"),
        Issue("Requirements!C3", "r-c3"),
        Issue("Requirements!2:2", "r-row2"),
        Issue("Requirements", "r-sheet"),
        Issue("case.xlsx", "the file"),
        Issue("Contributors!B10", "c10"),
        Issue("Contributors!B9", "c9"),
        Issue("Requirements!C3", "r-c3 again"),
        Issue("Allocation!A2", "another output sheet"),
        Issue("Pledges !B3", "a title with a space, as the contract matches it"),
        Issue("Tours row 5", "a row named in words"),
        Issue("fleet row 2.xlsx", "a file whose name says row"),
    ]
    assert [i.message for i in in_workbook_order(found)] == [
        "the file",  # not in a sheet
        "a file whose name says row",
        "c9",  # Contributors before Requirements, row 9 before row 10 (not "10" < "9")
        "c10",
        "r-sheet",  # the sheet itself, then its rows
        "r-row2",
        "r-c3",  # C before AA on one row; one place's issues in the order found
        "r-c3 again",
        "r-aa3",
        "p",
        "a title with a space, as the contract matches it",
        "an output's sheet",  # sheets outside the contract last, in the order first met
        "another output sheet",
        "a row named in words",
    ]


def test_rows_in_words_of_a_sheet_whose_title_needs_quotes_are_sorted_on_that_sheet() -> None:
    """A row in words names its sheet as a reference starts with it (`' tours ' row 7`,
    `'My Plan' rows 4, 6`): attributed to that sheet (` tours `, read as Tours) and sorted by
    row among its cells, not taken for a file's name. Before, only a one-word title was."""
    found = [
        Issue("' tours ' row 7", "t7"),
        Issue("' tours '!A2", "t-a2"),
        Issue("'My Plan' rows 4, 6", "m4"),
        Issue("case.xlsx", "the file"),
        Issue("' tours ' rows 3, 5 and 2 more", "t3"),
        Issue("Pledges!A2", "p"),
        Issue("'My Plan'!B1", "m-b1"),
    ]
    assert [i.message for i in in_workbook_order(found)] == [
        "the file",
        "p",  # the contract's sheets first
        "t-a2",  # then the others as first met, each by row
        "t3",
        "t7",
        "m-b1",
        "m4",
    ]


def test_an_input_error_lists_its_errors_and_warnings_in_that_order() -> None:
    exc = InputError(
        [Issue("Pledges!A2", "b"), Issue("Sites!A2", "a")],
        [Issue("Caveats!A2", "w2", "warning"), Issue("Contributors!A2", "w1", "warning")],
    )
    assert [e.message for e in exc.errors] == ["a", "b"]
    assert [w.message for w in exc.warnings] == ["w1", "w2"]
    assert str(exc).splitlines() == ["Sites!A2: a", "Pledges!A2: b"]


def test_validate_lists_a_workbook_s_errors_sheet_by_sheet(tmp_path: Path) -> None:
    case = simple_case(
        tmp_path / "case.xlsx",
        caveats=[{"id": "C1", "contributor": "A", "caveat": "max_units", "value": 1}],
    )
    wb = openpyxl.load_workbook(case)
    wb["Caveats"]["B2"] = "ZZZ"  # found by the references' check, last
    wb["Pledges"]["D2"] = -3  # found by the types' check, first
    wb["Requirements"]["A3"] = "NOWHERE"  # references
    wb["Requirements"]["C2"] = "x"  # types
    wb.save(case)
    result = CliRunner().invoke(main, ["validate", str(case)])
    assert result.exit_code == 2, result.output
    places = [line.split(": ")[1] for line in result.output.splitlines() if "error" in line]
    assert places == ["Requirements!C2", "Requirements!A3", "Pledges!D2", "Caveats!B2"]


def test_an_edited_data_s_table_places_sort_by_table_and_row() -> None:
    """`api.solve` of an edited Data names rows by their table (io/data_check.py): the
    header first, then rows by position, tables in the contract's order."""
    found = [
        Issue("pledges row 4", "p4"),
        Issue("requirements row 7 (units)", "r7"),
        Issue("pledges row 0 (contributor)", "p0"),
        Issue("pledges (columns)", "p-header"),
    ]
    assert [i.message for i in in_workbook_order(found)] == ["r7", "p-header", "p0", "p4"]


def test_an_edited_data_names_a_whole_row_by_its_table_too() -> None:
    """`Pledges!6:6` (a row as a whole) becomes `pledges row 4`, as `Pledges!C6` becomes
    `pledges row 4 (units)`: one scale for every place of an edited Data's problems."""
    from solver.io.data_written import at_table

    written = {"Pledges": ["contributor", "capability", "units"]}
    said = [
        at_table(Issue(where, "m"), written).where
        for where in ("Pledges!6:6", "Pledges!C6", "Pledges!1:1", "Sites!6:6")
    ]
    assert said == ["pledges row 4", "pledges row 4 (units)", "pledges (columns)", "Sites!6:6"]


def test_a_valid_workbook_s_warnings_are_in_workbook_order(tmp_path: Path) -> None:
    """Pledges!A2 names 'a' (a case slip, said when keys are matched) and Pledges!A3 ' B ' (extra
    spaces, said as the cell is read, before): listed by row, A2 then A3, as an InputError lists
    them (a planner trial saw `Pledges!A25` before `A24`)."""
    from solver import api

    path = simple_case(
        tmp_path / "w.xlsx",
        pledges=[
            {"contributor": "a", "capability": "INF", "units": 2, "cost_per_unit": 1},
            {"contributor": " B ", "capability": "INF", "units": 2, "cost_per_unit": 1},
        ],
    )
    said = [w.where for w in api.read(path).warnings if w.where.startswith("Pledges!A")]
    assert said == ["Pledges!A2", "Pledges!A3"]
