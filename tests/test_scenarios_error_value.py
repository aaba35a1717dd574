"""An Excel error value (`#REF!`) in a Scenarios cell is said once, at its cell: reading says
it, and neither the Scenarios sheet's parser (`key is required`: the cell reads as blank) nor a
scenario's naming of its errors (`scenario 'canada_in': Excel error value ...`) says it again
(a trial saw two errors, on two issue lists, for one cell)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from solver.errors import InputError
from solver.io.read import read_data

from .check_case import REFERENCE


@pytest.mark.parametrize(
    ("cell", "scenario"), [("A2", "base"), ("C2", "poland_out"), ("E2", "canada_in")]
)
def test_an_error_value_in_a_scenarios_cell_is_one_error(
    tmp_path: Path, cell: str, scenario: str
) -> None:
    """The reference case `scenarios` (row 2: canada_in sets Contributors CAN status, its only
    row) with #REF! in its scenario (A2) or key (C2) cell, read as base or another scenario (the
    row, unread, has no scenario then), or in its value cell (E2) read as canada_in: one error,
    the reader's."""
    path = tmp_path / "s.xlsx"
    shutil.copy(REFERENCE / "scenarios.xlsx", path)
    book = load_workbook(path)
    book["Scenarios"][cell] = "#REF!"
    assert book["Scenarios"][cell].data_type == "e"
    book.save(path)
    with pytest.raises(InputError) as caught:
        read_data(path, scenario=scenario)
    errors = [str(e) for e in caught.value.errors]
    assert errors == [
        f"Scenarios!{cell}: Excel error value #REF!; fix the formula or type the value"
    ]
