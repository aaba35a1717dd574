"""A cell is named as Excel names it: `Pledges!E87`, and a sheet whose title Excel quotes in a
reference in quotes, `' pledges '!E87` (before, ` pledges !E87`); every reader of a place
reads the quoted form back, a `!` inside the quotes too."""

from __future__ import annotations

import pytest

from solver.addresses import address, row_address, sheet_of, split_address
from solver.errors import InputError, Issue, in_workbook_order


@pytest.mark.parametrize(
    ("title", "written"),
    [
        ("Pledges", "Pledges!E87"),  # plain names stay bare: no message changes
        ("Allocation.2", "Allocation.2!E87"),  # a dot is plain to Excel
        ("_notes", "_notes!E87"),
        ("Données", "Données!E87"),  # letters of any script
        ("Sheet1", "Sheet1!E87"),  # not a cell: SHEET is no column
        (" pledges ", "' pledges '!E87"),
        ("My Pledges", "'My Pledges'!E87"),
        ("Pledges-2027", "'Pledges-2027'!E87"),
        ("2027", "'2027'!E87"),  # a leading digit
        ("Bob's", "'Bob''s'!E87"),  # a quote inside doubled
        ("a!b", "'a!b'!E87"),
        ("Q1", "'Q1'!E87"),  # Excel would read a cell
        ("r2c3", "'r2c3'!E87"),  # ... an R1C1 address
        ("RC", "'RC'!E87"),
        ("True", "'True'!E87"),  # ... a logical
    ],
)
def test_a_reference_quotes_the_sheet_as_excel_does(title: str, written: str) -> None:
    assert address(title, "E87") == written


def test_a_whole_row_and_a_row_alone() -> None:
    assert row_address(" pledges ", 5) == "' pledges '!5:5"
    assert address("Pledges", 7) == "Pledges!7"


@pytest.mark.parametrize(
    ("reference", "parts"),
    [
        ("Pledges!E87", ("Pledges", "E87")),
        ("' pledges '!E87", (" pledges ", "E87")),
        ("'Bob''s'!A1", ("Bob's", "A1")),
        ("'a!b'!E5", ("a!b", "E5")),
        ("' x '!5:5", (" x ", "5:5")),
        ("Pledges", None),  # a sheet alone
        ("plan.xlsx", None),  # a file
    ],
)
def test_a_reference_is_read_back(reference: str, parts: tuple[str, str] | None) -> None:
    assert split_address(reference) == parts


def test_a_quoted_place_is_at_its_sheet() -> None:
    """`Issue.at_sheet` (which of a scenario's errors are the Scenarios sheet's) matches the
    quoted title as the contract matches names."""
    assert Issue("' pledges '!E87", "m").at_sheet("Pledges")
    assert Issue("' Scenarios '!C2", "m").at_sheet("scenarios")
    assert not Issue("'a!b'!E5", "m").at_sheet("a")


def test_quoted_places_sort_by_sheet_row_and_column() -> None:
    found = [
        Issue("'a!b'!C5", "other sheet, row 5"),
        Issue("' pledges '!B3", "pledges B3"),
        Issue("'a!b'!B2", "other sheet, row 2"),
        Issue("' pledges '!2:2", "pledges row 2"),
        Issue("Requirements!C9", "requirements"),
    ]
    assert [i.message for i in in_workbook_order(found)] == [
        "requirements",
        "pledges row 2",
        "pledges B3",
        "other sheet, row 2",
        "other sheet, row 5",
    ]
    assert str(InputError([Issue("' pledges '!B3", "m")])) == "' pledges '!B3: m"


@pytest.mark.parametrize(
    ("where", "sheet"),
    [
        ("' pledges '", " pledges "),  # a message about the sheet as a whole
        ("'Bob''s'", "Bob's"),
        ("'a!b'", "a!b"),
        ("Pledges", "Pledges"),
        ("' pledges '!E87", " pledges "),
        ("plan.xlsx", "plan.xlsx"),  # a file: the place itself
    ],
)
def test_a_sheet_named_alone_is_read_back(where: str, sheet: str) -> None:
    """A message about a sheet as a whole names it as a reference starts with it (`' pledges
    ': header row not found`): read back to the title, so that it is at its sheet and sorts
    with the sheet's cells."""
    assert sheet_of(where) == sheet


def test_a_quoted_sheet_alone_is_at_its_sheet_and_sorts_with_it() -> None:
    assert Issue("' scenarios '", "m").at_sheet("Scenarios")
    found = [
        Issue("'a!b'!C5", "other sheet"),
        Issue("' pledges '!B3", "pledges B3"),
        Issue("' pledges '", "pledges, the sheet"),
        Issue("Requirements!C9", "requirements"),
    ]
    assert [i.message for i in in_workbook_order(found)] == [
        "requirements",
        "pledges, the sheet",
        "pledges B3",
        "other sheet",
    ]
