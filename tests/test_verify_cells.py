"""A plan's cells as `verify` reads them, like the input sheets' (a planner's trial): a key typed
with extra spaces is read with a warning, and a formula without its value is one error, not
two."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

from solver.cli import main

from .conftest import ROOT

ROTATION = ROOT / "inputs" / "reference" / "rotation.xlsx"


def test_a_tours_key_with_spaces_warns_and_a_formula_cell_is_one_error(tmp_path: Path) -> None:
    plan = tmp_path / "plan.xlsx"
    assert CliRunner().invoke(main, ["solve", str(ROTATION), "-o", str(plan)]).exit_code == 0
    wb = load_workbook(plan)
    tours = wb["Tours"]
    header = [c.value for c in tours[1]]
    contributor = tours.cell(2, header.index("contributor") + 1)
    contributor.value = f" {contributor.value} "
    units = tours.cell(3, header.index("units") + 1)
    units.value = "=1+1"  # openpyxl writes the formula without a calculated value
    edited = tmp_path / "edited.xlsx"
    wb.save(edited)
    said = CliRunner().invoke(main, ["verify", str(ROTATION), str(edited)])
    assert said.exit_code == 2, said.output
    lines = said.output.splitlines()
    name = str(contributor.value).strip()
    assert (
        f"warning: Tours!A2: contributor ' {name} ' has extra spaces or special characters; "
        f"read as '{name}' (retype it to silence this warning)"
    ) in lines
    errors = [line for line in lines if line.startswith("error:")]
    assert len(errors) == 1 and errors[0].startswith("error: Tours!G3: formula =1+1"), errors


def test_a_slip_repeated_down_the_tours_is_said_once(tmp_path: Path) -> None:
    """The tours at the first tour's site typed with a trailing space: one warning at the first
    cell naming the other, as the same file read as a baseline says it (a re-plan trial's three
    retyped names made some sixty warnings)."""
    plan = tmp_path / "plan.xlsx"
    assert CliRunner().invoke(main, ["solve", str(ROTATION), "-o", str(plan)]).exit_code == 0
    wb = load_workbook(plan)
    tours = wb["Tours"]
    column = [c.value for c in tours[1]].index("site") + 1
    site = str(tours.cell(2, column).value)
    rows = [r for r in range(2, tours.max_row + 1) if tours.cell(r, column).value == site]
    assert len(rows) == 2
    for r in rows:
        tours.cell(r, column).value = f"{site} "
    edited = tmp_path / "edited.xlsx"
    wb.save(edited)
    said = CliRunner().invoke(main, ["verify", str(ROTATION), str(edited)])
    letter = chr(ord("A") + column - 1)
    spaced = [line for line in said.output.splitlines() if "extra spaces" in line]
    assert spaced == [
        f"warning: Tours!{letter}{rows[0]}: site '{site} ' has extra spaces or special "
        f"characters; read as '{site}' (retype it to silence this warning) (also "
        f"Tours!{letter}{rows[1]})"
    ]
