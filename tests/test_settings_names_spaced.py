"""A setting's name written with spaces or hyphens for its underscores, in any case (`Time
Limit`, `MIP-gap`), is read as that setting with a warning, as a header `Personnel per unit`
is read as its column (io/settings_sheet.py). Before, a trial's `Time Limit` was refused:
`unknown setting 'Time Limit' (did you mean 'time_limit'?)`, exit 2."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from solver import api

from .validation_case import errors_of
from .workbooks import simple_case


def _settings(path: Path, rows: list[tuple[str, object]]) -> Path:
    simple_case(path)
    book = load_workbook(path)
    for row in rows:
        book["Settings"].append(list(row))
    book.save(path)
    return path


def test_a_setting_named_with_spaces_or_hyphens_is_read(tmp_path: Path) -> None:
    path = _settings(tmp_path / "case.xlsx", [("Time Limit", 7), ("MIP-gap", 0.01)])
    data = api.read(path)
    assert data.settings["time_limit"] == 7
    assert data.settings["mip_gap"] == 0.01
    said = [str(w) for w in data.warnings]
    assert "warning: Settings!A2: setting 'Time Limit' is read as time_limit" in said
    assert "warning: Settings!A3: setting 'MIP-gap' is read as mip_gap" in said


def test_one_named_twice_so_is_a_repeated_setting(tmp_path: Path) -> None:
    """`Time Limit` after `time_limit`: the same setting twice, an error as before; an unknown
    name keeps its did-you-mean."""
    path = _settings(tmp_path / "case.xlsx", [("time_limit", 7), ("Time Limit", 8), ("Time", 1)])
    errors = errors_of(path)
    assert "Settings!A3: setting 'time_limit' appears twice (first at row 2)" in errors
    assert any(e.startswith("Settings!A4: unknown setting 'Time'") for e in errors)
